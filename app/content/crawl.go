package content

import (
	"cmp"

	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/pagedeck/pagedeck/app/index"
)

// Item is a page the crawl may fetch: what the item list knows of it.
type Item struct {
	ID     string
	Edited time.Time
	// Rank orders the crawl: higher first, then the newest edit. The open
	// counts (frecency) go here once they exist; 0 for all means newest
	// first.
	Rank float64
}

// Fetched is a page's content as the network gave it.
type Fetched struct {
	Markdown string
	Fetched  time.Time // by Notion's clock
	Partial  bool
}

// Fetch gets one page's content. It returns an error wrapping ErrGone for
// a page that is gone or no longer shared, ErrNoAccess when the connection
// may not read content at all.
type Fetch func(ctx context.Context, id string) (Fetched, error)

// Progress is a crawl under way: Done of Total pages to fetch.
type Progress struct {
	Done, Total int
}

// CrawlResult is what a crawl did.
type CrawlResult struct {
	Fetched   int // pages fetched and stored
	Unchanged int // pages whose stored copy was current
	Removed   int // stored pages no longer in the list (trashed, unshared, deleted)
	Gone      int // pages that answered 404 while crawling
	Failed    int // pages that failed and will be tried next time
}

// Tuning of the crawl's writes: a batch is stored and indexed at this size
// or this age, so a quit loses little and the index is not reopened for
// every page.
const (
	batchPages     = 200
	batchAge       = 2 * time.Second
	maxFailStreak  = 5 // consecutive failures that end a crawl (the network is gone)
	progressPeriod = 200 * time.Millisecond
	// progressPages: a fast crawl reports at least this often too.
	progressPages = 50
)

// Plan lists the pages of items whose stored content is missing or older
// than their last edit (or fetched within the minute of it), in crawl
// order: highest Rank first, then newest edit.
func (s *Store) Plan(ws string, items []Item) ([]Item, error) {
	st, err := s.pages.states(ws)
	if err != nil {
		return nil, err
	}
	var todo []Item
	for _, it := range items {
		if old, ok := st[it.ID]; ok && !old.stale(it.Edited) {
			continue
		}
		todo = append(todo, it)
	}
	slices.SortStableFunc(todo, func(a, b Item) int {
		if c := cmp.Compare(b.Rank, a.Rank); c != 0 {
			return c
		}
		return b.Edited.Compare(a.Edited)
	})
	return todo, nil
}

// Crawl brings ws's stored content in line with items, the workspace's
// whole current list of pages: content of pages no longer listed goes,
// changed pages are fetched (see Plan), and everything stored is indexed.
// It writes in batches as it goes, so cancelling or a crash loses at most
// the last batch, and the next crawl resumes from what is stored. A
// workspace is crawled by one Crawl at a time; a second returns at once.
func (s *Store) Crawl(ctx context.Context, ws string, items []Item, fetch Fetch, progress func(Progress)) (CrawlResult, error) {
	var res CrawlResult
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	s.mu.Lock()
	if s.crawling[ws] != nil || s.stopped() {
		s.mu.Unlock()
		return res, nil
	}
	// Drop and Close cancel it through this.
	s.crawling[ws] = cancel
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.crawling, ws)
		s.mu.Unlock()
	}()
	if ok, err := s.allowed(ws); err != nil || !ok {
		return res, cmp.Or(err, ErrTurnedOff)
	}

	// Content of pages that left the list goes first.
	st, err := s.pages.states(ws)
	if err != nil {
		return res, err
	}
	listed := make(map[string]bool, len(items))
	for _, it := range items {
		listed[it.ID] = true
	}
	var gone []string
	for id := range st {
		if !listed[id] {
			gone = append(gone, id)
		}
	}
	if err := s.Remove(ws, gone...); err != nil {
		return res, fmt.Errorf("removing content of pages no longer shared: %w", err)
	}
	res.Removed = len(gone)
	if _, err := s.Reindex(ws); err != nil {
		return res, fmt.Errorf("indexing stored content: %w", err)
	}

	todo, err := s.Plan(ws, items)
	if err != nil {
		return res, err
	}
	res.Unchanged = len(items) - len(todo)
	total := len(todo)
	if progress != nil {
		progress(Progress{Total: total})
	}
	if total == 0 {
		return res, nil
	}

	jobs := make(chan Item)
	type result struct {
		it   Item
		page Page
		err  error
	}
	results := make(chan result)
	var wg sync.WaitGroup
	for range min(s.opts.Workers, total) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range jobs {
				got, err := fetch(ctx, it.ID)
				var pg Page
				if err == nil {
					// The CPU work of a page is done here, in parallel.
					pg = Page{ID: it.ID, Edited: it.Edited, Fetched: got.Fetched, Partial: got.Partial, Markdown: got.Markdown}
					capPage(&pg)
					pg.plain = PlainText(pg.Markdown)
					pg.folded = index.Fold(pg.plain)
					pg.enc = encodePage(&pg)
				}
				select {
				case results <- result{it, pg, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, it := range todo {
			select {
			case jobs <- it:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	var (
		batch    []Page
		dropped  []string
		since    = time.Now()
		streak   int
		lastTell time.Time
		done     int
		stopErr  error
	)
	// Batches are written by their own goroutine, so fetching goes on
	// while a batch is indexed and stored.
	type write struct {
		pages []Page
		drop  []string
	}
	writes := make(chan write, 1)
	var (
		wmu       sync.Mutex
		flushErrs []error
		wdone     = make(chan struct{})
	)
	go func() {
		defer close(wdone)
		failed := false
		for w := range writes {
			if failed {
				// The batches queued behind a failed write would fail the
				// same way: one error, not one a batch.
				continue
			}
			stored := 0
			// Under the content lock, and only while content is still on:
			// a Drop in any process is never undone. A quit (ctx ended)
			// still stores what was fetched.
			err := s.locked(context.WithoutCancel(ctx), ws, func() error {
				var errs []error
				if len(w.pages) > 0 {
					// Index first, then store marked indexed, one write
					// each. A crash between the two leaves index entries
					// without content: search skips those, and the pages
					// are fetched again.
					indexed := true
					if err := s.index.add(ws, w.pages); errors.Is(err, ErrFile) {
						return err // a full disk or a read-only index: stop
					} else if err != nil {
						// Stored unindexed: the next crawl indexes it.
						s.log.Warn("content: indexing a batch", "err", err)
						indexed = false
					}
					for i := range w.pages {
						w.pages[i].indexed = indexed
					}
					if err := s.pages.put(ws, w.pages); err != nil {
						errs = append(errs, err)
					} else {
						stored = len(w.pages)
					}
				}
				if err := s.removeLocked(ws, w.drop); err != nil {
					errs = append(errs, err)
				}
				return errors.Join(errs...)
			})
			if err != nil {
				// Writing more would fail the same way (or is not allowed):
				// the crawl stops, and the next resumes from what is stored.
				failed = true
				cancel(err)
			}
			wmu.Lock()
			res.Fetched += stored
			if err != nil && !errors.Is(err, ErrTurnedOff) {
				flushErrs = append(flushErrs, err)
			}
			wmu.Unlock()
		}
	}()
	flush := func() {
		if len(batch) > 0 || len(dropped) > 0 {
			writes <- write{pages: batch, drop: dropped}
		}
		batch, dropped, since = nil, nil, time.Now()
	}
	for r := range results {
		done++
		switch {
		case r.err == nil:
			streak = 0
			batch = append(batch, r.page)
		case errors.Is(r.err, ErrGone):
			streak = 0
			res.Gone++
			if _, ok := st[r.it.ID]; ok {
				dropped = append(dropped, r.it.ID)
			}
		case errors.Is(r.err, ErrNoAccess) || errors.Is(r.err, ErrStop):
			if stopErr == nil {
				stopErr = r.err
				cancel(r.err)
			}
		case ctx.Err() != nil:
			// Cancelled while fetching: not a failure of the page.
			done--
		default:
			res.Failed++
			streak++
			s.log.Debug("content: fetching a page failed", "page", r.it.ID, "err", r.err)
			if streak >= maxFailStreak {
				stopErr = fmt.Errorf("fetching page content failed %d times in a row: %w", streak, r.err)
				cancel(stopErr)
			}
		}
		if len(batch) >= batchPages || time.Since(since) >= batchAge {
			flush()
		}
		if progress != nil && (time.Since(lastTell) >= progressPeriod || done%progressPages == 0 || done == total) {
			lastTell = time.Now()
			progress(Progress{Done: done, Total: total})
		}
	}
	flush()
	close(writes)
	<-wdone
	if err := errors.Join(flushErrs...); err != nil {
		return res, err
	}
	if stopErr != nil {
		return res, stopErr
	}
	if errors.Is(context.Cause(ctx), ErrTurnedOff) {
		return res, ErrTurnedOff
	}
	if done < total {
		// Cancelled from outside (quit, Ctrl-C): what was fetched is kept.
		return res, context.Cause(ctx)
	}
	return res, nil
}
