package store

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrCorrupt: the database file is damaged. It wraps a *CorruptError that
// names the file and says what Pagedeck did about it.
var ErrCorrupt = errors.New("the database is damaged")

// CorruptError is a damaged database file and what was done about it.
type CorruptError struct {
	Path  string
	Cause error
	// Did says what Pagedeck did, as the end of a sentence.
	Did string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s is damaged (%v); Pagedeck %s", e.Path, e.Cause, e.Did)
}
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }
func (e *CorruptError) Unwrap() error        { return e.Cause }

// Recovery reports that Open found the database damaged, moved it aside and
// restored the last good copy. The window shows it; the command line prints
// it on stderr.
type Recovery struct {
	Path      string    // the database
	MovedTo   string    // where the damaged file is now
	CopyTaken time.Time // when the restored copy was written
	Cause     error     // what was wrong with the file
}

func (r *Recovery) String() string {
	return fmt.Sprintf("%s was damaged (%v); Pagedeck moved it to %s and restored the copy saved %s. Anything newer comes back with the next sync.",
		r.Path, r.Cause, r.MovedTo, r.CopyTaken.Local().Format("2006-01-02 15:04"))
}

// guard turns bbolt's panics on a damaged file into a *CorruptError. bbolt
// reads its pages straight from a memory map, so a damaged page can also
// fault; SetPanicOnFault makes that a panic too, on this goroutine.
func (s *Store) guard(fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = s.corrupt(fmt.Errorf("bbolt: %v", r))
		}
	}()
	return fn()
}

// corrupt is the error for damage found after Open.
func (s *Store) corrupt(cause error) error {
	did := "left it untouched; there is no earlier copy to restore"
	if _, err := os.Stat(s.backupPath()); err == nil {
		did = "will restore its last good copy the next time it starts"
	}
	return &CorruptError{Path: s.path, Cause: cause, Did: did}
}

// open opens the file for one transaction, checked first: bbolt trusts its
// pages, and some damage ends the process where recover cannot help (see
// checkFile). The header is read under bbolt's shared lock, so no writer is
// half way through; the page tree is walked again only when the header or
// the file changed since the last walk, which for a sound file means
// another transaction was committed.
func (s *Store) open(readOnly bool) (*bolt.DB, error) {
	fi, err := os.Stat(s.path)
	if errors.Is(err, os.ErrNotExist) && !readOnly {
		return s.boltOpen(false) // bbolt creates it
	}
	if err == nil && fi.Size() == 0 {
		// bbolt would silently initialise it, and every workspace would
		// vanish with its keychain entry orphaned. (A first run in another
		// process may be about to write its first pages: give it a moment.)
		time.Sleep(100 * time.Millisecond)
		if fi, err = os.Stat(s.path); err == nil && fi.Size() == 0 {
			return nil, s.corrupt(errors.New("the file is empty"))
		}
	}
	db, err := s.boltOpen(true)
	if err != nil {
		if errors.Is(err, ErrBusy) || errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission) {
			return nil, err
		}
		// bbolt refused the file (a bad header, "file size too small"):
		// the walk says what is wrong in plainer words.
		if cause := checkFile(s.path, nil); cause != nil {
			return nil, s.corrupt(cause)
		}
		return nil, err
	}
	if err := s.verify(); err != nil {
		db.Close()
		return nil, err
	}
	if readOnly {
		return db, nil
	}
	db.Close()
	return s.boltOpen(false)
}

// walkKey identifies the state of the file a walk found sound.
type walkKey struct {
	m    meta
	size int64
	mod  time.Time
}

func (s *Store) verify() error {
	f, err := os.Open(s.path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	c := &checker{f: f, size: fi.Size()}
	m, err := c.meta()
	if err != nil {
		return s.corrupt(err)
	}
	key := walkKey{m: m, size: fi.Size(), mod: fi.ModTime()}
	if s.walked == key {
		return nil
	}
	if err := c.walk(m); err != nil {
		return s.corrupt(err)
	}
	s.walked = key
	return nil
}

// heal runs before anything else touches the file: a damaged database is
// moved aside and the last good copy put in its place. Without a copy the
// file is left as it is and Open fails with a *CorruptError.
func (s *Store) heal() error {
	if _, err := os.Stat(s.path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	err := s.guard(func() error {
		db, err := s.open(true)
		if err == nil {
			db.Close()
		}
		return err
	})
	var ce *CorruptError
	if !errors.As(err, &ce) {
		return err
	}
	taken, berr := s.checkBackup()
	if berr != nil {
		ce.Did = "left it untouched; there is no earlier copy to restore"
		if !errors.Is(berr, os.ErrNotExist) {
			ce.Did = fmt.Sprintf("left it untouched; its last good copy is damaged too (%v)", berr)
		}
		return ce
	}
	aside, err := s.moveAside()
	if err != nil {
		ce.Did = fmt.Sprintf("left it untouched; moving it aside failed (%v)", err)
		return ce
	}
	if err := copyFile(s.backupPath(), s.path); err != nil {
		ce.Did = fmt.Sprintf("moved it to %s but could not restore the last good copy (%v)", aside, err)
		return ce
	}
	s.recovery = &Recovery{Path: s.path, MovedTo: aside, CopyTaken: taken, Cause: ce.Cause}
	return nil
}

// moveAside renames the damaged file to pagedeck.db.damaged-TIME, never
// over an earlier one.
func (s *Store) moveAside() (string, error) {
	base := s.path + ".damaged-" + time.Now().Format("20060102-150405")
	for i := 0; ; i++ {
		name := base
		if i > 0 {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		if _, err := os.Lstat(name); err == nil {
			continue
		}
		return name, os.Rename(s.path, name)
	}
}

// Recovered is what Open restored, or nil when the file was sound.
func (s *Store) Recovered() *Recovery { return s.recovery }

// CheckFile walks a bbolt file's pages with plain reads, as Open does before
// bbolt maps pagedeck.db (see checkFile): the content store checks its own
// files the same way. nil means bbolt can read every page safely.
func CheckFile(path string) error { return checkFile(path, nil) }
