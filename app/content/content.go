// Package content keeps the text of Notion pages on this machine: the
// crawl that fetches what changed, the stored markdown (one bbolt file per
// workspace under content/ in the data dir), a full-text index (bleve, in
// content-index/ beside pagedeck.db), snippets for search results, and
// the conversion of Notion's markdown into CommonMark for the preview.
// Nothing here sends content anywhere.
package content

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// rebuildAll indexes every stored page again, after the index was lost.
// The pages were marked unindexed when the index was recreated (reset);
// what Close interrupts, the next process resumes (the mark stays).
func (s *Store) rebuildAll() {
	dirs, err := os.ReadDir(s.pages.dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) && !isNotDir(err) {
		s.log.Warn("content: rebuilding the index", "err", err)
		return
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		n, err := s.reindex(d.Name())
		s.log.Info("content: index rebuilt", "workspace", d.Name(), "pages", n, "err", err)
		if err != nil {
			return
		}
	}
	s.index.rebuilt()
}

// reset marks every stored page of every workspace unindexed.
func (s *Store) reset() error {
	dirs, err := os.ReadDir(s.pages.dir)
	if err != nil {
		return nil // nothing stored
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		ws := d.Name()
		st, err := s.pages.states(ws)
		if err != nil {
			return err
		}
		ids := make([]string, 0, len(st))
		for id, x := range st {
			if x.indexed {
				ids = append(ids, id)
			}
		}
		if err := s.pages.setIndexed(ws, ids, false); err != nil {
			return err
		}
	}
	return nil
}

// hasPages says whether any stored page is marked indexed: a missing
// index then lost it (a first crawl stores pages before the index exists).
func (s *Store) hasPages() bool {
	dirs, _ := os.ReadDir(s.pages.dir)
	for _, d := range dirs {
		st, _ := s.pages.states(d.Name())
		for _, x := range st {
			if x.indexed {
				return true
			}
		}
	}
	return false
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

type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Write(b []byte) (int, error) {
	w.log.Debug("content: bleve: " + strings.TrimSpace(string(b)))
	return len(b), nil
}

// quietBleve: bleve logs what it skips to the standard logger, which
// would reach a command's stderr; Pagedeck says what happened itself.
var quietBleve sync.Once

var errClosed = errors.New("the content store is closed")

// tell keeps a message for the user; Notices hands them out once.
func (s *Store) tell(msg string) {
	s.log.Warn("content: " + msg)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.notices, msg) {
		s.notices = append(s.notices, msg)
	}
}

// Notices returns, once, what happened that the user should know (a
// damaged file set aside, the index being rebuilt).
func (s *Store) Notices() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.notices
	s.notices = nil
	return n
}

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

// ErrTurnedOff: the workspace's content was turned off (or the workspace
// disconnected) while it was being fetched; nothing more of it is written.
var ErrTurnedOff = errors.New("content was turned off for this workspace")

// lockPath is the content lock: every write of content, in every Pagedeck
// process, holds it, so a Drop in one process and a crawl in another
// cannot interleave.
func (s *Store) lockPath() string { return filepath.Join(s.dataDir, "content.lock") }

// locked runs fn holding the content lock; with ws set, only while
// Options.Allowed still agrees that ws's content is kept (checked under
// the lock, after any Drop that came first).
func (s *Store) locked(ctx context.Context, ws string, fn func() error) error {
	ctx, cancel := context.WithTimeout(ctx, s.opts.WriteWait)
	defer cancel()
	lock := s.opts.Lock
	if lock == nil {
		lock = func(_ context.Context, path string) (func(), error) { return localLock(path) }
	}
	unlock, err := lock(ctx, s.lockPath())
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w: %s", ErrBusy, s.lockPath())
		}
		return fileErr(s.lockPath(), err)
	}
	defer unlock()
	s.index.fresh()
	if ws != "" {
		if ok, err := s.allowed(ws); err != nil || !ok {
			return cmp.Or(err, ErrTurnedOff)
		}
	}
	return fn()
}

func (s *Store) allowed(ws string) (bool, error) {
	if s.opts.Allowed == nil {
		return true, nil
	}
	return s.opts.Allowed(ws)
}

// Drop deletes a workspace's content, and every word of it from the index
// files, before it returns: a crawl of it in this process is stopped, and
// one in another process finds, under the content lock, that it may not
// write any more. Copies of damaged files are deleted too.
func (s *Store) Drop(ctx context.Context, ws string) error {
	s.mu.Lock()
	if cancel := s.crawling[ws]; cancel != nil {
		cancel(ErrTurnedOff)
	}
	s.mu.Unlock()
	return s.locked(ctx, "", func() error {
		if err := s.pages.drop(ws); err != nil {
			return fileErr(s.pages.wsDir(ws), err)
		}
		olds, _ := filepath.Glob(s.pages.dir + ".damaged-*")
		for _, o := range olds {
			_ = os.RemoveAll(o)
		}
		s.index.removeBroken()
		if _, err := os.Stat(s.index.path); errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return s.rebuildWithout(ctx)
	})
}

// rebuildWithout builds the index afresh from the pages stored now (the
// dropped workspace's are gone) and swaps it in. Deleting documents from
// bleve leaves their words in its segment files until a merge, which
// bleve runs when it likes; a new index holds nothing of them. The caller
// holds the content lock, so no write is lost.
func (s *Store) rebuildWithout(ctx context.Context) error {
	x := s.index
	for {
		if x.closeIdle() {
			break
		}
		// A search of this process is using the index: a moment.
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", ErrIndexBusy, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	tmp := x.path + ".new"
	_ = os.RemoveAll(tmp)
	idx, err := bleve.NewUsing(tmp, indexMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, x.config(x.opts.LockTimeout))
	if err != nil {
		return fileErr(tmp, err)
	}
	err = x.guard(func() error {
		dirs, _ := os.ReadDir(s.pages.dir)
		for _, d := range dirs {
			if !d.IsDir() {
				continue
			}
			st, err := s.pages.states(d.Name())
			if err != nil {
				return err
			}
			ids := make([]string, 0, len(st))
			for id := range st {
				ids = append(ids, id)
			}
			for len(ids) > 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				chunk := ids[:min(len(ids), 200)]
				ids = ids[len(chunk):]
				list, err := s.pages.getMany(d.Name(), chunk, true)
				if err != nil {
					return err
				}
				if err := addBatch(idx, d.Name(), list); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if cerr := x.guard(idx.Close); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("rebuilding the content index: %w", err)
	}
	return x.replaceWith(tmp)
}

// sweep removes from the index every workspace that has no stored pages
// any more (dropped by a Pagedeck from before Drop purged the index).
func (s *Store) sweep() {
	idx, err := s.index.acquire(s.opts.LockTimeout)
	if err != nil {
		return
	}
	var orphans []string
	err = s.index.use(func() error {
		d, err := idx.FieldDict(fieldWS)
		if err != nil {
			return err
		}
		defer d.Close()
		for e, err := d.Next(); err == nil && e != nil; e, err = d.Next() {
			if _, serr := os.Stat(s.pages.wsDir(e.Term)); os.IsNotExist(serr) {
				orphans = append(orphans, e.Term)
			}
		}
		return nil
	})
	s.index.release(s.index.writeKeep())
	if err != nil {
		return
	}
	for _, ws := range orphans {
		if s.stopped() {
			return
		}
		err := s.locked(context.Background(), "", func() error { return s.index.removeWorkspace(ws) })
		if err != nil {
			s.log.Warn("content: removing a dropped workspace from the index", "err", err)
		}
	}
}

// indexPagesLocked indexes pages already stored and marks them indexed;
// the caller holds the content lock.
func (s *Store) indexPagesLocked(ws string, list []Page) error {
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
func (s *Store) Reindex(ws string) (int, error) { return s.reindex(ws) }

func (s *Store) reindex(ws string) (int, error) {
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
		if s.stopped() {
			return n, errClosed
		}
		chunk := ids[:min(len(ids), 200)]
		ids = ids[len(chunk):]
		err := s.locked(context.Background(), ws, func() error {
			list, err := s.pages.getMany(ws, chunk)
			if err != nil {
				return err
			}
			n += len(list)
			return s.indexPagesLocked(ws, list)
		})
		if errors.Is(err, ErrTurnedOff) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
