// Package content keeps the text of Notion pages on this machine: the
// crawl that fetches what changed, the stored markdown (one bbolt file per
// workspace under content/ in the data dir), a full-text index (bleve, in
// content-index/ beside pagedeck.db), snippets for search results, and
// the conversion of Notion's markdown into CommonMark for the preview.
// Nothing here sends content anywhere.
package content

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Errors a user can meet.
var (
	// ErrBusy: another Pagedeck holds the content files right now.
	ErrBusy = errors.New("the content store is in use by another Pagedeck")
	// ErrGone: the page is no longer there or no longer shared (a 404):
	// the crawl drops its stored copy and goes on.
	ErrGone = errors.New("the page is gone or no longer shared")
	// ErrNoAccess: the connection may not read content (a 403): the crawl
	// stops.
	ErrNoAccess = errors.New("the connection may not read page content")
	// ErrStop: the crawl cannot go on now (the token was refused, Notion
	// asked for a long pause); it stops and the next one resumes.
	ErrStop = errors.New("the crawl stopped")
)

// Options tune Open.
type Options struct {
	// LockTimeout bounds the wait for another process's hold on a file;
	// default 3s.
	LockTimeout time.Duration
	// IndexIdle is how long the index stays open after its last use, so
	// a burst of searches or writes opens it once; default 2s. Another
	// Pagedeck process can use it once this one lets go.
	IndexIdle time.Duration
	// SearchWait bounds how long a search waits for the index while
	// another Pagedeck process writes to it; default 500ms (then the
	// search gives titles only and says why).
	SearchWait time.Duration
	// Workers fetch pages at once during a crawl; default 4. The request
	// budget, not this, sets the pace.
	Workers int
	Logger  *slog.Logger
}

// Store is the content of every workspace in one data dir. Safe for
// concurrent use.
type Store struct {
	pages *pages
	index *ftIndex
	log   *slog.Logger
	opts  Options

	mu       sync.Mutex
	crawling map[string]bool
	bg       sync.WaitGroup // the rebuild and the sweep
}

// Directory names inside the data dir.
const (
	PagesDir = "content"
	IndexDir = "content-index"
)

// Open prepares the content store of dataDir. It touches no file until
// first used.
func Open(dataDir string, o Options) *Store {
	if o.LockTimeout <= 0 {
		o.LockTimeout = 3 * time.Second
	}
	if o.IndexIdle <= 0 {
		o.IndexIdle = 2 * time.Second
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.SearchWait <= 0 {
		o.SearchWait = 500 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{
		pages:    &pages{dir: filepath.Join(dataDir, PagesDir), timeout: o.LockTimeout},
		log:      o.Logger,
		opts:     o,
		crawling: map[string]bool{},
	}
	s.index = newFTIndex(filepath.Join(dataDir, IndexDir), o, s.log)
	s.index.onRebuild = func() { s.background(s.rebuildAll) }
	s.index.onOpen = func() { s.background(s.sweep) }
	return s
}

// rebuildAll indexes every stored page again, after the index was lost.
func (s *Store) rebuildAll() {
	dirs, err := os.ReadDir(s.pages.dir)
	if err != nil {
		return
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		ws := d.Name()
		st, err := s.pages.states(ws)
		if err != nil {
			s.log.Warn("content: rebuilding the index", "workspace", ws, "err", err)
			continue
		}
		ids := make([]string, 0, len(st))
		for id := range st {
			ids = append(ids, id)
		}
		if err := s.pages.setIndexed(ws, ids, false); err != nil {
			s.log.Warn("content: rebuilding the index", "workspace", ws, "err", err)
			continue
		}
		n, err := s.Reindex(ws)
		s.log.Info("content: index rebuilt", "workspace", ws, "pages", n, "err", err)
	}
}

func (s *Store) background(fn func()) {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		fn()
	}()
}

// Close lets go of the index, and waits for background work on it to stop.
func (s *Store) Close() error {
	err := s.index.close()
	s.bg.Wait()
	return err
}

// Page returns a page's stored content; ok is false when none is stored.
func (s *Store) Page(ws, id string) (Page, bool, error) { return s.pages.get(ws, id) }

// Count is how many pages of ws have stored content.
func (s *Store) Count(ws string) int { return s.pages.count(ws) }

// Put stores pages fetched outside a crawl (a refresh the user asked for)
// and indexes them.
func (s *Store) Put(ws string, list ...Page) error {
	if err := s.pages.put(ws, list); err != nil {
		return err
	}
	return s.indexPages(ws, list)
}

// Remove deletes pages' content and index entries.
func (s *Store) Remove(ws string, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.index.remove(ws, ids); err != nil {
		return err
	}
	return s.pages.remove(ws, ids)
}

// Drop deletes a workspace's content and index entries. The stored pages
// go first and whatever happens; index entries that cannot go now (another
// Pagedeck holds the index) go the next time the index opens.
func (s *Store) Drop(ws string) error {
	if err := s.pages.drop(ws); err != nil {
		return err
	}
	return s.index.removeWorkspace(ws)
}

// sweep removes from the index every workspace that has no stored pages
// any more (dropped while the index was busy).
func (s *Store) sweep() {
	idx, err := s.index.acquire(s.opts.LockTimeout)
	if err != nil {
		return
	}
	var orphans []string
	if d, err := idx.FieldDict(fieldWS); err == nil {
		for e, err := d.Next(); err == nil && e != nil; e, err = d.Next() {
			if _, serr := os.Stat(s.pages.wsDir(e.Term)); os.IsNotExist(serr) {
				orphans = append(orphans, e.Term)
			}
		}
		_ = d.Close()
	}
	s.index.release(s.index.writeKeep())
	for _, ws := range orphans {
		if err := s.index.removeWorkspace(ws); err != nil {
			s.log.Warn("content: removing a dropped workspace from the index", "err", err)
		}
	}
}

// indexPages indexes pages already stored and marks them indexed.
func (s *Store) indexPages(ws string, list []Page) error {
	if len(list) == 0 {
		return nil
	}
	if err := s.index.add(ws, list); err != nil {
		return err
	}
	ids := make([]string, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	return s.pages.setIndexed(ws, ids, true)
}

// Reindex indexes whatever is stored but not indexed (after a crash
// between the two, or after the index was rebuilt).
func (s *Store) Reindex(ws string) (int, error) {
	st, err := s.pages.states(ws)
	if err != nil {
		return 0, err
	}
	var ids []string
	for id, x := range st {
		if !x.indexed {
			ids = append(ids, id)
		}
	}
	n := 0
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 200)]
		ids = ids[len(chunk):]
		list, err := s.pages.getMany(ws, chunk)
		if err != nil {
			return n, err
		}
		if err := s.indexPages(ws, list); err != nil {
			return n, err
		}
		n += len(list)
	}
	return n, nil
}
