package content

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	berrors "go.etcd.io/bbolt/errors"

	bolt "go.etcd.io/bbolt"
)

// Opening a workspace's pages.db behind the damage guard: a damaged file is
// moved aside and started afresh, a read-only one is named.

// fileKey identifies the state of a file a walk found sound (or that this
// process wrote itself): the walk is repeated only when another process
// changed the file.
type fileKey struct {
	size int64
	mod  time.Time
}

func keyOf(path string) (fileKey, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileKey{}, false
	}
	return fileKey{fi.Size(), fi.ModTime()}, true
}

// open opens a workspace's file for one transaction, checked first as
// pagedeck.db is (Options.CheckFile): bbolt trusts its pages, and some damage
// ends the process where recover cannot help. A damaged file is moved
// aside (heal) and the workspace starts afresh: its pages are fetched
// again. A read of a workspace with no file gets nil.
func (p *pages) open(ws string, write bool) (*bolt.DB, error) {
	path := p.path(ws)
	for attempt := 0; ; attempt++ {
		db, cause, err := p.tryOpen(path, write)
		if cause == nil || attempt > 0 {
			if cause != nil {
				return nil, p.corrupt(path, cause)
			}
			return db, err
		}
		if err := p.heal(ws, path, cause); err != nil {
			return nil, err
		}
	}
}

// tryOpen returns the open file, or the damage found (cause), or another
// error (busy, no permission).
func (p *pages) tryOpen(path string, write bool) (db *bolt.DB, cause, err error) {
	fi, serr := os.Stat(path)
	switch {
	case errors.Is(serr, os.ErrNotExist):
		if !write {
			// content/ itself may be a file: reads find nothing either way.
			return nil, nil, nil
		}
		if err := p.mkdir(filepath.Dir(path)); err != nil {
			return nil, nil, err
		}
	case serr != nil && isNotDir(serr):
		if !write {
			_ = p.mkdir(filepath.Dir(path)) // moves content/ aside, and says so
			return nil, nil, nil
		}
		if err := p.mkdir(filepath.Dir(path)); err != nil {
			return nil, nil, err
		}
	case serr != nil:
		return nil, nil, fmt.Errorf("opening %s: %w", path, serr)
	case !fi.Mode().IsRegular():
		return nil, errors.New("it is not a file"), nil
	case fi.Size() == 0:
		return nil, errors.New("the file is empty"), nil
	}
	gerr := guard(func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: p.timeout, ReadOnly: !write})
		return err
	}, func(c error) error { cause = c; return c })
	if cause != nil {
		return nil, cause, nil
	}
	switch {
	case errors.Is(gerr, berrors.ErrTimeout):
		return nil, nil, fmt.Errorf("%w: %s", ErrBusy, path)
	case errors.Is(gerr, os.ErrPermission) || errors.Is(gerr, syscall.EROFS):
		return nil, nil, &FileError{Path: path, Err: gerr}
	case gerr != nil:
		if _, err := os.Stat(path); err != nil {
			return nil, nil, fmt.Errorf("opening %s: %w", path, gerr)
		}
		return nil, gerr, nil
	}
	// Checked under bbolt's lock, so no writer is half way through.
	if k, ok := keyOf(path); p.check != nil && (!ok || p.walked[path] != k) {
		if err := p.check(path); err != nil {
			db.Close()
			return nil, err, nil
		}
		p.walked[path] = k
	}
	return db, nil, nil
}

func isNotDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }

// mkdir makes a workspace's directory; content/ found as a file (not made
// by Pagedeck) is moved aside first.
func (p *pages) mkdir(dir string) error {
	err := os.MkdirAll(dir, 0o700)
	if err == nil {
		return nil
	}
	if fi, serr := os.Stat(p.dir); serr == nil && !fi.IsDir() {
		aside := p.dir + ".damaged-" + time.Now().Format("20060102-150405")
		if rerr := os.Rename(p.dir, aside); rerr == nil {
			p.tell(fmt.Sprintf("%s was not a folder; Pagedeck moved it to %s and stores page content afresh", p.dir, aside))
			return os.MkdirAll(dir, 0o700)
		}
	}
	return fileErr(dir, err)
}

// heal moves a damaged file aside, beside it (so dropping the workspace
// deletes it too), keeping only the latest such copy: its pages are
// fetched again.
func (p *pages) heal(ws, path string, cause error) error {
	olds, _ := filepath.Glob(path + ".damaged-*")
	aside := path + ".damaged-" + time.Now().Format("20060102-150405.000")
	if err := os.Rename(path, aside); err != nil {
		return p.corrupt(path, fmt.Errorf("%v; moving it aside failed: %w", cause, err))
	}
	for _, o := range olds {
		_ = os.RemoveAll(o)
	}
	delete(p.walked, path)
	p.tell(fmt.Sprintf("%s was damaged (%v); Pagedeck moved it to %s and fetches the pages' content again at the next sync", path, cause, aside))
	if p.onHeal != nil {
		p.onHeal(ws)
	}
	return nil
}

func (p *pages) corrupt(path string, cause error) error {
	return &CorruptError{Path: path, Cause: cause, Did: "could not set it aside"}
}

func (p *pages) tell(s string) {
	if p.notices != nil {
		p.notices(s)
	}
}

// FileError: a content file may not be written (read-only file or folder,
// or a read-only disk).
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string {
	if errors.Is(e.Err, syscall.ENOSPC) {
		return fmt.Sprintf("the disk is full (%s)", e.Path)
	}
	return fmt.Sprintf("%s cannot be written (%v)", e.Path, errLine(e.Err))
}

func (e *FileError) Unwrap() error { return e.Err }

func (e *FileError) Is(target error) bool { return target == ErrFile }

func fileErr(path string, err error) error {
	if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EROFS) || errors.Is(err, syscall.ENOSPC) {
		return &FileError{Path: path, Err: err}
	}
	return fmt.Errorf("%s: %w", path, err)
}

// run runs fn on an open file inside the guard: a panic or a fault while
// reading the map is damage the walk missed; the file is healed and, for
// a write, fn runs once more on the fresh file.
func (p *pages) run(ws string, write bool, fn func(*bolt.DB) error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for attempt := 0; ; attempt++ {
		db, err := p.open(ws, write)
		if err != nil {
			return err
		}
		var cause error
		err = guard(func() error {
			if db == nil {
				return fn(nil)
			}
			return fn(db)
		}, func(c error) error { cause = c; return c })
		if db != nil {
			if cerr := db.Close(); err == nil && cause == nil {
				err = cerr
			}
		}
		if cause == nil {
			if write && err != nil {
				var fe *FileError
				if !errors.As(err, &fe) && (errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EROFS) || errors.Is(err, syscall.ENOSPC)) {
					err = &FileError{Path: p.path(ws), Err: err}
				}
			}
			if write && err == nil {
				// Our own write left the file sound: no walk needed for it.
				if k, ok := keyOf(p.path(ws)); ok {
					p.walked[p.path(ws)] = k
				}
			}
			return err
		}
		if herr := p.heal(ws, p.path(ws), cause); herr != nil || !write || attempt > 0 {
			if herr != nil {
				return herr
			}
			if !write {
				return fn(nil)
			}
			return p.corrupt(p.path(ws), cause)
		}
	}
}
