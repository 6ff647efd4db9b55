package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// Progress is a sync under way.
type Progress struct {
	WorkspaceID string
	Workspace   string // name
	Full        bool
	Items       int // fetched so far
	Pages       int // search calls so far
}

// SyncResult is a finished sync.
type SyncResult struct {
	Workspace store.Workspace
	Full      bool
	Fetched   int // items Notion sent
	Changed   int // items added, changed or removed in the cache
	Calls     int // search calls
	// Incomplete: Notion said its answer was partial, so nothing unseen
	// was removed and the high-water mark stayed.
	Incomplete bool
}

// Sync refreshes one workspace's cache. The quick refresh reads newest
// edits first and stops below the high-water mark; the full sync replaces
// the whole set. Either writes in one transaction at the end, so a failed
// or cancelled sync changes nothing.
func (c *Core) Sync(ctx context.Context, id string, full bool, progress func(Progress)) (SyncResult, error) {
	unlock, err := c.lockWorkspace(ctx, id)
	if err != nil {
		return SyncResult{}, err
	}
	defer unlock()
	w, err := c.store.Workspace(id)
	if err != nil {
		return SyncResult{}, fmt.Errorf("%w: %s", ErrUnknownWorkspace, id)
	}
	if w.HighWater.IsZero() {
		full = true // nothing to be quick against
	}
	c.setSyncing(id, true)
	defer c.setSyncing(id, false)
	c.emit(SyncStarted{Progress: Progress{WorkspaceID: id, Workspace: w.Name, Full: full}})

	if !full {
		// A quick refresh is what the window does when asked: it goes
		// ahead of a crawl on the same token.
		ctx = notion.WithPriority(ctx, notion.PriorityInteractive)
	}
	res, err := c.sync(ctx, w, full, progress)
	c.mu.Lock()
	if err != nil {
		c.lastErr[id] = err
	} else {
		delete(c.lastErr, id)
	}
	c.mu.Unlock()
	if err != nil {
		c.log.Warn("app: sync failed", "workspace", w.Name, "err", err)
		c.emit(SyncDone{WorkspaceID: id, Err: err})
		return res, err
	}
	c.keepBackup()
	c.emit(SyncDone{WorkspaceID: id})
	return res, nil
}

func (c *Core) setSyncing(id string, on bool) {
	c.mu.Lock()
	if on {
		c.syncing[id] = true
	} else {
		delete(c.syncing, id)
	}
	c.mu.Unlock()
}

func (c *Core) sync(ctx context.Context, w store.Workspace, full bool, progress func(Progress)) (SyncResult, error) {
	var (
		res SyncResult
		got *fetched
	)
	res.Full = full
	// A workspace's first sync shows its items page by page, as they
	// arrive: on a large workspace the whole listing takes a minute or more.
	first := w.Synced.IsZero()
	fetch := func(tok notion.Secret) error {
		// A retry after a refresh starts over.
		got = newFetched(w.HighWater)
		res.Fetched, res.Calls = 0, 0
		var early []store.Item
		report := func() {
			if len(early) > 0 {
				c.showEarly(w.ID, early)
				early = nil
			}
			res.Calls++
			p := Progress{WorkspaceID: w.ID, Workspace: w.Name, Full: full, Items: res.Fetched, Pages: res.Calls}
			if progress != nil {
				progress(p)
			}
			c.emit(SyncProgressed{Progress: p})
		}
		// Notion rounds edit times to the minute: an item edited in the
		// same minute as the mark may be new, so only strictly older ones
		// end a quick refresh.
		stop := func(it notion.Item) bool { return !full && it.LastEdited.Before(w.HighWater) }
		var newestAtStart time.Time
		err := c.walkSearch(ctx, tok, stop, func(it notion.Item) {
			if newestAtStart.IsZero() {
				newestAtStart = it.LastEdited
			}
			res.Fetched++
			got.add(it)
			if first && !it.InTrash {
				early = append(early, toStore(it))
			}
		}, report, got)
		if err != nil || !full {
			return err
		}
		// Paging is newest first, so an item edited while a full sync pages
		// jumps ahead of the cursor and is never seen; the replace would
		// then drop it. Read the top again down to where the sync began.
		return c.walkSearch(ctx, tok, func(it notion.Item) bool { return it.LastEdited.Before(newestAtStart) },
			func(it notion.Item) { got.add(it) }, report, got)
	}
	if err := c.withToken(ctx, w, fetch); err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}

	upserts, deletes := got.items()
	// An answer Notion marks incomplete cannot vouch for what it left out:
	// keep every cached item it did not mention, and keep the mark where it
	// was so the next refresh asks again.
	replace := full && !got.incomplete
	hwm := got.hwm
	if got.incomplete {
		hwm = w.HighWater
		res.Incomplete = true
		c.log.Warn("app: Notion's search answered only in part", "workspace", w.Name)
	}
	now := c.now().UTC()
	meta := func(m *store.Workspace) {
		m.Synced, m.HighWater, m.Status = now, hwm, store.StatusOK
		if replace {
			m.FullSynced = now
		}
	}
	var err error
	if replace {
		res.Workspace, err = c.store.ReplaceItems(w.ID, upserts, meta)
		res.Changed = res.Workspace.Items
	} else {
		res.Workspace, res.Changed, err = c.store.ApplyChanges(w.ID, upserts, deletes, meta)
	}
	if err != nil {
		return res, fmt.Errorf("saving the items: %w", err)
	}
	c.titles.mu.Lock()
	if c.titles.loaded {
		if replace {
			c.titles.idx.Replace(w.ID, upserts)
		} else {
			c.titles.idx.Apply(w.ID, upserts, deletes)
		}
	}
	c.titles.mu.Unlock()
	if w.Status != store.StatusOK {
		c.emit(WorkspacesChanged{WorkspaceID: w.ID})
	}
	return res, nil
}

// showEarly lists a first sync's items while the sync goes on: into the
// cache and the index, searchable at once. The sync's end replaces them
// with the whole set, as for any full sync; until then the workspace still
// reads as never synced.
func (c *Core) showEarly(ws string, items []store.Item) {
	if _, _, err := c.store.ApplyChanges(ws, items, nil, func(*store.Workspace) {}); err != nil {
		c.log.Warn("app: listing a first sync's items early", "err", err)
		return
	}
	c.titles.mu.Lock()
	if c.titles.loaded {
		c.titles.idx.Apply(ws, items, nil)
	}
	c.titles.mu.Unlock()
	c.emit(ItemsChanged{WorkspaceID: ws})
}

// walkSearch runs a search, newest first, handing each item to visit until stop
// says so; report runs after each page.
func (c *Core) walkSearch(ctx context.Context, tok notion.Secret, stop func(notion.Item) bool, visit func(notion.Item), report func(), got *fetched) error {
	for page, err := range c.api.SearchPages(ctx, tok, notion.SearchOptions{}) {
		if err != nil {
			return err
		}
		got.incomplete = got.incomplete || page.Incomplete
		done := false
		for _, it := range page.Items {
			if stop(it) {
				done = true
				break
			}
			visit(it)
		}
		report()
		if done {
			break
		}
	}
	return nil
}

// fetched gathers a sync's items: the last word on each id wins, a trashed
// item is a delete.
type fetched struct {
	order      []string
	byID       map[string]notion.Item
	hwm        time.Time
	incomplete bool
}

func newFetched(hwm time.Time) *fetched { return &fetched{byID: map[string]notion.Item{}, hwm: hwm} }

func (f *fetched) add(it notion.Item) {
	if _, seen := f.byID[it.ID]; !seen {
		f.order = append(f.order, it.ID)
	}
	f.byID[it.ID] = it
	if it.LastEdited.After(f.hwm) {
		f.hwm = it.LastEdited
	}
}

func (f *fetched) items() (upserts []store.Item, deletes []string) {
	upserts = make([]store.Item, 0, len(f.order))
	for _, id := range f.order {
		it := f.byID[id]
		if it.InTrash {
			deletes = append(deletes, id)
			continue
		}
		upserts = append(upserts, toStore(it))
	}
	return upserts, deletes
}

func toStore(it notion.Item) store.Item {
	k := store.KindPage
	if it.Kind == notion.KindDatabase {
		k = store.KindDatabase
	}
	out := store.Item{
		ID: it.ID, Kind: k, Title: it.Title, URL: it.URL, Icon: it.Icon.String(), IconExpires: it.Icon.Expires,
		ParentID: it.Parent.ID, ParentType: store.ParentType(it.Parent.Type), LastEdited: it.LastEdited.UTC(),
	}
	switch {
	case it.Parent.Type == notion.ParentDataSource:
		out.DatabaseID = it.Parent.DatabaseID
	case k == store.KindDatabase && it.Parent.Type == notion.ParentDatabase:
		// A data source: its parent is its database container, whose own
		// place is the database_parent.
		out.DatabaseID = it.Parent.ID
		out.DatabaseParentType, out.DatabaseParentID = store.ParentType(it.DatabaseParent.Type), it.DatabaseParent.ID
	}
	return out
}

// SyncAll syncs every workspace at once, each with its own rate limiter.
// The errors of those that failed come back joined; the rest still count.
func (c *Core) SyncAll(ctx context.Context, full bool, progress func(Progress)) ([]SyncResult, error) {
	ws, err := c.store.Workspaces()
	if err != nil {
		return nil, err
	}
	return c.syncEach(ctx, ws, func(store.Workspace) bool { return full }, progress)
}

func (c *Core) syncEach(ctx context.Context, ws []store.Workspace, full func(store.Workspace) bool, progress func(Progress)) ([]SyncResult, error) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		out  []SyncResult
		errs []error
	)
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := c.Sync(ctx, w.ID, full(w), progress)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", w.Name, err))
				return
			}
			out = append(out, r)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// AutoSync is the background refresh: a quick refresh of each workspace,
// or a full sync when the last one is older than FullSyncEvery. Workspaces
// that need reconnecting are left alone until the user acts.
func (c *Core) AutoSync(ctx context.Context) error {
	if c.Recovered() != nil {
		// The window's way to get back what a restore lost.
		if _, err := c.RestoreLost(ctx); err != nil {
			c.log.Warn("app: restoring workspaces added after the last copy", "err", err)
		}
	}
	ws, err := c.store.Workspaces()
	if err != nil {
		return err
	}
	var live []store.Workspace
	for _, w := range ws {
		if w.Status != store.StatusNeedsReconnect {
			live = append(live, w)
		}
	}
	// Captures go first, so this refresh confirms the pages they make.
	c.sendPending(ctx)
	now := c.now()
	_, err = c.syncEach(ctx, live, func(w store.Workspace) bool { return now.Sub(w.FullSynced) > FullSyncEvery }, nil)
	for _, w := range live {
		// Content follows the item list, in the background.
		c.startCrawl(ctx, w.ID)
	}
	return err
}
