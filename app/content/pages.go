package content

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
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

// ErrFile: a content file cannot be written; it wraps a *FileError.
var ErrFile = errors.New("a content file cannot be written")

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

var inflaters = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// deflaters are reused: a flate.Writer costs hundreds of KB to make.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}
