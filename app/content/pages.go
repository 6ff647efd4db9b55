package content

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Page is a page's stored content.
type Page struct {
	ID string
	// Edited is the page's last_edited_time when it was fetched.
	Edited time.Time
	// Fetched is when Notion served it, by Notion's clock.
	Fetched  time.Time
	Partial  bool // parts of a truncated page could not be fetched
	Markdown string
	indexed  bool
	// plain is PlainText(Markdown), stored beside it for snippets.
	plain string
	// Prepared by the crawl's workers, so the writer only writes.
	folded string // index.Fold(plain)
	enc    []byte // the record, without the indexed flag
}

// state is what planning needs of a stored page, without its body.
type state struct {
	edited, fetched time.Time
	indexed         bool
}

// stale says whether a page last edited at edited needs fetching again.
// Notion rounds edit times down to the minute, so a copy fetched within
// the minute of its edit time may miss a later edit in that same minute.
func (s state) stale(edited time.Time) bool {
	if edited.After(s.edited) {
		return true
	}
	return edited.Equal(s.edited) && s.fetched.Before(s.edited.Add(time.Minute))
}

// MaxStoredBytes caps one page's stored markdown.
const MaxStoredBytes = 4 << 20

var bucketPages = []byte("pages")

// pages keeps each workspace's content in its own bbolt file,
// content/<workspace>/pages.db in the data dir. Like the metadata store it
// opens the file for each transaction, so the window and a command take
// turns.
type pages struct {
	dir     string
	timeout time.Duration
	mu      sync.Mutex
	walked  map[string]fileKey // guarded by mu
	check   func(path string) error
	// notices gets what to tell the user (a file was damaged and set
	// aside); onHeal, the workspace whose file was set aside.
	notices func(string)
	onHeal  func(ws string)
}

// wsDir is a workspace's content directory; ids that could escape it are
// hex-encoded.
func (p *pages) wsDir(ws string) string {
	ok := ws != "" && len(ws) <= 64
	for _, r := range ws {
		ok = ok && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}
	if !ok {
		ws = fmt.Sprintf("x%x", ws)
	}
	return filepath.Join(p.dir, ws)
}

func (p *pages) path(ws string) string { return filepath.Join(p.wsDir(ws), "pages.db") }

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

// ErrFile: a content file cannot be written; it wraps a *FileError.
var ErrFile = errors.New("a content file cannot be written")

func (e *FileError) Error() string {
	if errors.Is(e.Err, syscall.ENOSPC) {
		return fmt.Sprintf("the disk is full (%s)", e.Path)
	}
	return fmt.Sprintf("%s cannot be written (%v)", e.Path, errLine(e.Err))
}
func (e *FileError) Unwrap() error        { return e.Err }
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

func (p *pages) update(ws string, fn func(*bolt.Bucket) error) error {
	return p.run(ws, true, func(db *bolt.DB) error {
		return db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists(bucketPages)
			if err != nil {
				return err
			}
			return fn(b)
		})
	})
}

// view runs fn on the workspace's pages; a workspace with none gets nil.
func (p *pages) view(ws string, fn func(*bolt.Bucket) error) error {
	return p.run(ws, false, func(db *bolt.DB) error {
		if db == nil {
			return fn(nil)
		}
		return db.View(func(tx *bolt.Tx) error { return fn(tx.Bucket(bucketPages)) })
	})
}

func (p *pages) put(ws string, list []Page) error {
	return p.update(ws, func(b *bolt.Bucket) error {
		for i := range list {
			v := list[i].enc
			if v == nil {
				v = encodePage(&list[i])
			} else if list[i].indexed {
				v[1] |= flagIndexed
			}
			if err := b.Put([]byte(list[i].ID), v); err != nil {
				return err
			}
		}
		return nil
	})
}

func (p *pages) remove(ws string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return p.update(ws, func(b *bolt.Bucket) error {
		for _, id := range ids {
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
}

// setIndexed flips the indexed flag of stored pages.
func (p *pages) setIndexed(ws string, ids []string, on bool) error {
	return p.update(ws, func(b *bolt.Bucket) error {
		for _, id := range ids {
			v := b.Get([]byte(id))
			if len(v) < 2 {
				continue
			}
			nv := bytes.Clone(v)
			nv[1] &^= flagIndexed
			if on {
				nv[1] |= flagIndexed
			}
			if err := b.Put([]byte(id), nv); err != nil {
				return err
			}
		}
		return nil
	})
}

func (p *pages) get(ws, id string) (Page, bool, error) {
	var pg Page
	found := false
	err := p.view(ws, func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		v := b.Get([]byte(id))
		if v == nil {
			return nil
		}
		var err error
		pg, err = decodePage(id, v, true)
		found = err == nil
		return err
	})
	return pg, found, err
}

// getMany reads several pages in one transaction; missing ones are left
// out. With plainOnly, only their plain text is read.
func (p *pages) getMany(ws string, ids []string, plainOnly ...bool) ([]Page, error) {
	po := len(plainOnly) > 0 && plainOnly[0]
	var out []Page
	err := p.view(ws, func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		for _, id := range ids {
			if v := b.Get([]byte(id)); v != nil {
				if pg, err := decodeRecord(id, v, !po, po); err == nil {
					out = append(out, pg)
				}
			}
		}
		return nil
	})
	return out, err
}

// states reads every stored page's dates, without the bodies.
func (p *pages) states(ws string) (map[string]state, error) {
	out := map[string]state{}
	err := p.view(ws, func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			pg, err := decodePage(string(k), v, false)
			if err != nil {
				return nil // a bad record is refetched
			}
			out[string(k)] = state{edited: pg.Edited, fetched: pg.Fetched, indexed: pg.indexed}
			return nil
		})
	})
	return out, err
}

func (p *pages) count(ws string) int {
	n := 0
	_ = p.view(ws, func(b *bolt.Bucket) error {
		if b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	return n
}

func (p *pages) drop(ws string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.walked, p.path(ws))
	return os.RemoveAll(p.wsDir(ws))
}

// A record: version | flags | edited (varint Unix ms) | fetched (varint
// Unix ms) | length of the next part (uvarint) | the markdown, deflated |
// its plain text, deflated. Deflated, text takes a third of the space,
// and 4 KB pages would otherwise spill over bbolt's pages; the plain text
// is kept so a search's snippets need no markdown parsing.
const (
	pageVersion  = 1
	flagPartial  = 1
	flagIndexed  = 2
	maxInflation = MaxStoredBytes + 1
)

var errBadPage = errors.New("corrupt content record")

// capPage cuts a page's markdown at MaxStoredBytes, and says so: it is
// stored up to the cap, and not fetched again until edited, like any
// stored page. Its plain text follows the cut.
func capPage(pg *Page) {
	if len(pg.Markdown) > MaxStoredBytes {
		pg.Markdown = cut(pg.Markdown, MaxStoredBytes)
		pg.Partial = true
		pg.plain, pg.folded = "", ""
	}
}

func encodePage(pg *Page) []byte {
	capPage(pg)
	flags := byte(0)
	if pg.Partial {
		flags |= flagPartial
	}
	if pg.indexed {
		flags |= flagIndexed
	}
	buf := []byte{pageVersion, flags}
	buf = binary.AppendVarint(buf, pg.Edited.UnixMilli())
	buf = binary.AppendVarint(buf, pg.Fetched.UnixMilli())
	md := cut(pg.Markdown, MaxStoredBytes)
	if pg.plain == "" && md != "" {
		pg.plain = PlainText(md)
	}
	zmd := deflate(md)
	buf = binary.AppendUvarint(buf, uint64(len(zmd)))
	buf = append(buf, zmd...)
	return append(buf, deflate(pg.plain)...)
}

func deflate(s string) []byte {
	var z bytes.Buffer
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&z)
	_, _ = io.WriteString(w, s)
	_ = w.Close()
	deflaters.Put(w)
	return z.Bytes()
}

var inflaters = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

func inflate(z []byte) (string, error) {
	r := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(z), nil); err != nil {
		return "", err
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(io.LimitReader(r, maxInflation)); err != nil || b.Len() > MaxStoredBytes {
		return "", errBadPage
	}
	return b.String(), nil
}

// deflaters are reused: a flate.Writer costs hundreds of KB to make.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

// decodePage reads a record; the markdown when body, the plain text when
// plain.
func decodePage(id string, v []byte, body bool) (Page, error) {
	return decodeRecord(id, v, body, false)
}

func decodeRecord(id string, v []byte, body, plain bool) (Page, error) {
	if len(v) < 2 || v[0] != pageVersion {
		return Page{}, errBadPage
	}
	pg := Page{ID: id, Partial: v[1]&flagPartial != 0, indexed: v[1]&flagIndexed != 0}
	rest := v[2:]
	e, n := binary.Varint(rest)
	if n <= 0 {
		return Page{}, errBadPage
	}
	rest = rest[n:]
	f, n := binary.Varint(rest)
	if n <= 0 {
		return Page{}, errBadPage
	}
	rest = rest[n:]
	pg.Edited, pg.Fetched = time.UnixMilli(e).UTC(), time.UnixMilli(f).UTC()
	l, n := binary.Uvarint(rest)
	if n <= 0 || uint64(len(rest)-n) < l {
		return Page{}, errBadPage
	}
	zmd, zplain := rest[n:n+int(l)], rest[n+int(l):]
	var err error
	if body {
		if pg.Markdown, err = inflate(zmd); err != nil {
			return Page{}, err
		}
	}
	if plain {
		if pg.plain, err = inflate(zplain); err != nil {
			return Page{}, err
		}
	}
	return pg, nil
}
