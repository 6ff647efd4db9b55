// Package content keeps the text of Notion pages on this machine: the
// crawl that fetches what changed, the stored markdown (one bbolt file per
// workspace under content/ in the data dir), a full-text index (bleve, in
// content-index/ beside pagedeck.db), snippets for search results, and
// the document the preview reads (Doc).
// Nothing here sends content anywhere.
package content

import (
	"context"
	"errors"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
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
	// OnNotice, when set, hears each message for the user as it happens
	// (the window shows it); Notices still hands them out (the command
	// line prints them).
	OnNotice func(msg string)
	// Allowed says whether ws's content may still be written (content on,
	// the workspace connected); it is asked under the content lock before
	// every write, so a Drop in any process is never undone. nil: always.
	Allowed func(ws string) (bool, error)
	// Lock takes the content lock shared by every Pagedeck process
	// (filelock.Lock); nil: a lock within this process only.
	Lock func(ctx context.Context, path string) (unlock func(), err error)
	// CheckFile walks a bbolt file before it is opened (store.CheckFile):
	// some damage ends the process where recover cannot help. nil: none.
	CheckFile func(path string) error
	// WriteWait bounds the wait for the content lock; default 1 minute.
	WriteWait time.Duration
}

// Store is the content of every workspace in one data dir. Safe for
// concurrent use.
type Store struct {
	dataDir string
	pages   *pages
	index   *ftIndex
	log     *slog.Logger
	opts    Options

	mu       sync.Mutex
	crawling map[string]context.CancelCauseFunc
	notices  []string
	// bg is the rebuild and the sweep; stop ends them at Close (what they
	// leave undone the next process resumes).
	bg   sync.WaitGroup
	stop chan struct{}
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
	if o.WriteWait <= 0 {
		o.WriteWait = time.Minute
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
	quietBleve.Do(func() {
		bleve.SetLog(log.New(io.Discard, "", 0))
		// Scorch logs what it skips with the standard logger, which would
		// reach a command's stderr: it goes to the debug log instead.
		log.SetFlags(0)
		log.SetOutput(slogWriter{o.Logger})
	})
	s := &Store{
		pages:    &pages{dir: filepath.Join(dataDir, PagesDir), timeout: o.LockTimeout, walked: map[string]fileKey{}, check: o.CheckFile},
		dataDir:  dataDir,
		log:      o.Logger,
		opts:     o,
		crawling: map[string]context.CancelCauseFunc{},
		stop:     make(chan struct{}),
	}
	s.pages.notices = s.tell
	s.index = newFTIndex(filepath.Join(dataDir, IndexDir), o, s.log)
	s.index.notices = s.tell
	s.index.hasPages = s.hasPages
	s.index.onRebuild = func() { s.background(s.rebuildAll) }
	s.index.onReset = s.reset
	s.index.onOpen = func() { s.background(s.sweep) }
	return s
}

func (s *Store) background(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.stop:
		return // closed: nothing new starts
	default:
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		fn()
	}()
}

// stopped says whether Close was called.
func (s *Store) stopped() bool {
	select {
	case <-s.stop:
		return true
	default:
		return false
	}
}

// Wait waits for the background rebuild of the index, if one runs, until
// ctx ends: a command that found the index rebuilding finishes it.
func (s *Store) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.bg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Prepare opens the index (a damaged or missing one is rebuilt then) and
// waits for a rebuild to finish, until ctx ends: a command's answer then
// counts and finds every stored page.
func (s *Store) Prepare(ctx context.Context) error {
	if _, err := os.Stat(s.pages.dir); err != nil {
		if isNotDir(err) {
			_ = s.pages.mkdir(s.pages.dir)
		}
		return nil
	}
	if _, err := s.index.acquire(s.opts.LockTimeout); err != nil {
		return err
	}
	s.index.release(s.index.writeKeep())
	return s.Wait(ctx)
}

// Close stops background work on the index (what it leaves undone the
// next process resumes), waits for it, and lets go of the index.
func (s *Store) Close() error {
	s.mu.Lock()
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	for _, cancel := range s.crawling {
		cancel(errClosed)
	}
	s.mu.Unlock()
	s.bg.Wait()
	return s.index.close()
}

var errClosed = errors.New("the content store is closed")

// Page returns a page's stored content; ok is false when none is stored.
func (s *Store) Page(ws, id string) (Page, bool, error) { return s.pages.get(ws, id) }

// Count is how many pages of ws content search can find: stored and
// indexed. A missing index is noticed (and its rebuild started) here, so
// the count never includes pages the index lost.
func (s *Store) Count(ws string) int {
	if _, err := os.Stat(s.index.path); err != nil && s.pages.count(ws) > 0 {
		if _, err := s.index.acquire(s.opts.LockTimeout); err == nil {
			s.index.release(s.index.writeKeep())
		}
	}
	st, err := s.pages.states(ws)
	if err != nil {
		return 0
	}
	n := 0
	for _, x := range st {
		if x.indexed {
			n++
		}
	}
	return n
}

// Workspaces lists the workspaces that have a content folder.
func (s *Store) Workspaces() []string {
	dirs, _ := os.ReadDir(s.pages.dir)
	var out []string
	for _, d := range dirs {
		if d.IsDir() && s.pages.wsDir(d.Name()) == filepath.Join(s.pages.dir, d.Name()) {
			out = append(out, d.Name())
		}
	}
	return out
}

// Stored is how many pages of ws have stored content, searchable or not.
func (s *Store) Stored(ws string) int { return s.pages.count(ws) }

// Put stores pages fetched outside a crawl (a refresh the user asked for)
// and indexes them, under the content lock once Allowed agrees.
func (s *Store) Put(ws string, list ...Page) error {
	return s.locked(context.Background(), ws, func() error {
		if err := s.pages.put(ws, list); err != nil {
			return err
		}
		return s.indexPagesLocked(ws, list)
	})
}

// Remove deletes pages' content and index entries.
func (s *Store) Remove(ws string, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.locked(context.Background(), "", func() error { return s.removeLocked(ws, ids) })
}

func (s *Store) removeLocked(ws string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.index.remove(ws, ids); err != nil {
		return err
	}
	return s.pages.remove(ws, ids)
}
