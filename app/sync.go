package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
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
	c.emit(Event{Kind: EventSyncStarted, WorkspaceID: id, Progress: Progress{WorkspaceID: id, Workspace: w.Name, Full: full}})

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
		c.emit(Event{Kind: EventSyncFailed, WorkspaceID: id, Err: err})
		return res, err
	}
	c.keepBackup()
	c.emit(Event{Kind: EventSyncDone, WorkspaceID: id, Result: res})
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
	fetch := func(tok notion.Secret) error {
		// A retry after a refresh starts over.
		got = newFetched(w.HighWater)
		res.Fetched, res.Calls = 0, 0
		report := func() {
			res.Calls++
			p := Progress{WorkspaceID: w.ID, Workspace: w.Name, Full: full, Items: res.Fetched, Pages: res.Calls}
			if progress != nil {
				progress(p)
			}
			c.emit(Event{Kind: EventSyncProgress, WorkspaceID: w.ID, Progress: p})
		}
		// Notion rounds edit times to the minute: an item edited in the
		// same minute as the mark may be new, so only strictly older ones
		// end a quick refresh.
		stop := func(it notion.Item) bool { return !full && it.LastEdited.Before(w.HighWater) }
		var newestAtStart time.Time
		err := c.page(ctx, tok, stop, func(it notion.Item) {
			if newestAtStart.IsZero() {
				newestAtStart = it.LastEdited
			}
			res.Fetched++
			got.add(it)
		}, report, got)
		if err != nil || !full {
			return err
		}
		// Paging is newest first, so an item edited while a full sync pages
		// jumps ahead of the cursor and is never seen; the replace would
		// then drop it. Read the top again down to where the sync began.
		return c.page(ctx, tok, func(it notion.Item) bool { return it.LastEdited.Before(newestAtStart) },
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
	c.idxMu.Lock()
	if c.idxLoaded {
		if replace {
			c.idx.Replace(w.ID, upserts)
		} else {
			c.idx.Apply(w.ID, upserts, deletes)
		}
	}
	c.idxMu.Unlock()
	if w.Status != store.StatusOK {
		c.emit(Event{Kind: EventWorkspaces, WorkspaceID: w.ID})
	}
	return res, nil
}

// page runs a search, newest first, handing each item to visit until stop
// says so; report runs after each page.
func (c *Core) page(ctx context.Context, tok notion.Secret, stop func(notion.Item) bool, visit func(notion.Item), report func(), got *fetched) error {
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

// withToken runs fn with the workspace's access token. On a 401 it refreshes
// once with the stored refresh token, stores the new pair before using it,
// and runs fn again. Only when Notion refuses the token and the refresh (or
// there is none) is the workspace marked needs_reconnect, with a
// *ReconnectError; a locked keychain, a wrong client secret or an outage is
// returned as itself and marks nothing. The cache stays either way.
func (c *Core) withToken(ctx context.Context, w store.Workspace, fn func(notion.Secret) error) error {
	toks, err := c.vault.Load(ctx, w.ID)
	if errors.Is(err, auth.ErrNoToken) {
		return c.needsReconnect(w, "the keychain has no token for it", err)
	}
	if err != nil {
		return err
	}
	err = fn(toks.Access)
	if !notion.IsUnauthorized(err) {
		return err
	}
	// Another Pagedeck (the window, a command) may have refreshed already.
	if fresh, ok := c.changedPair(ctx, w.ID, toks); ok {
		toks = fresh
		if err = fn(toks.Access); !notion.IsUnauthorized(err) {
			return err
		}
	}
	if toks.Kind == auth.KindToken || toks.Refresh == "" {
		return c.needsReconnect(w, "Notion refused its token", err)
	}
	fresh, refreshed, err := c.refresh(ctx, w, toks)
	if err != nil {
		return err
	}
	if refreshed {
		c.log.Info("app: token refreshed", "workspace", w.Name)
	}
	if err := ctx.Err(); err != nil {
		return err // the new pair is kept; the sync stops here
	}
	err = fn(fresh.Access)
	if notion.IsUnauthorized(err) {
		return c.needsReconnect(w, "Notion refused even a fresh token", err)
	}
	return err
}

// changedPair reloads the stored pair and reports whether it differs from
// old: another process refreshed it.
func (c *Core) changedPair(ctx context.Context, id string, old auth.Tokens) (auth.Tokens, bool) {
	latest, err := c.vault.Load(ctx, id)
	if err != nil || latest.Access == old.Access {
		return old, false
	}
	return latest, true
}

func (c *Core) needsReconnect(w store.Workspace, reason string, cause error) error {
	if _, err := c.store.UpdateWorkspace(w.ID, func(m *store.Workspace) { m.Status = store.StatusNeedsReconnect }); err != nil {
		c.log.Warn("app: marking needs_reconnect", "err", err)
	}
	c.emit(Event{Kind: EventWorkspaces, WorkspaceID: w.ID})
	return &ReconnectError{Workspace: w.Name, Reason: reason, Err: cause}
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
	now := c.now()
	_, err = c.syncEach(ctx, live, func(w store.Workspace) bool { return now.Sub(w.FullSynced) > FullSyncEvery }, nil)
	for _, w := range live {
		// Content follows the item list, in the background.
		c.StartCrawl(ctx, w.ID)
	}
	return err
}

// ---- Search and open ----

// LoadIndex reads every cached item, and what the user opened and pinned,
// into the search index (once).
func (c *Core) LoadIndex() error {
	c.idxMu.Lock()
	defer c.idxMu.Unlock()
	if c.idxLoaded {
		return nil
	}
	all, err := c.store.AllItems()
	if err != nil {
		return err
	}
	usage, err := c.loadUsage()
	if err != nil {
		return err
	}
	for ws, items := range all {
		c.idx.Replace(ws, items)
	}
	c.idx.ReplaceUsage(usage)
	c.idxLoaded = true
	return nil
}

// Search finds cached items: every word of query in the title or the
// item's path, ignoring case, accents and order; best first (see
// app/index: match tier, then frecency, then recency; the empty query
// lists pins first); then pages whose stored content holds the words (see
// Find). ws "" means all workspaces, kind "" both kinds, limit 0 no limit.
// The window and the command line both use this one ranking.
func (c *Core) Search(query, ws string, kind store.Kind, limit int) ([]*Hit, error) {
	r, err := c.Find(SearchQuery{Text: query, Workspace: ws, Kind: kind, Limit: limit})
	return r.Hits, err
}

// Count is the number of cached items in ws ("" for all).
func (c *Core) Count(ws string) int {
	if err := c.LoadIndex(); err != nil {
		return 0
	}
	return c.idx.Count(ws)
}

// Item finds a cached item by id.
func (c *Core) Item(id string) (*Hit, error) {
	if err := c.LoadIndex(); err != nil {
		return nil, err
	}
	e, ok := c.idx.Get(id)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownItem, id)
	}
	u := c.idx.Usage(e.WorkspaceID, e.ID)
	return &Hit{Entry: e, Pinned: u.Pinned, Opened: u.Opens}, nil
}

// Open opens an item: its https URL in the browser, or its notion:// form
// in the Notion app, falling back to the browser when the app will not
// take it. Anything but a Notion https URL is refused. An open that
// worked is recorded, for frecency.
func (c *Core) Open(itemID string, mode OpenMode, op Opener) error {
	h, err := c.Item(itemID)
	if err != nil {
		return err
	}
	web, err := BrowserURL(h.URL)
	if err != nil {
		return err
	}
	if mode == OpenInApp {
		appURL, _ := AppURL(web)
		if err := op.OpenURL(appURL); err == nil {
			c.recordOpen(h)
			return nil
		}
		c.log.Info("app: the Notion app did not open the link; using the browser")
	}
	if err := op.OpenURL(web); err != nil {
		return err
	}
	c.recordOpen(h)
	return nil
}

// DefaultOpenMode is the saved "open links in" setting.
func (c *Core) DefaultOpenMode() OpenMode {
	if v, _, _ := c.store.Setting(SettingOpenIn); OpenMode(v) == OpenInApp {
		return OpenInApp
	}
	return OpenInBrowser
}
