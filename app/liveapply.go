package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/pagedeck/pagedeck/app/live"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// Refresh fetches the current state of each target and stores it: gone or
// trashed, it leaves the cache; otherwise it is updated.
func (h liveHost) Refresh(ctx context.Context, wsID string, targets []live.Target) error {
	c := h.c
	unlock, err := c.lockWorkspace(ctx, wsID)
	if err != nil {
		return err
	}
	w, err := c.store.Workspace(wsID)
	if err != nil {
		unlock()
		return fmt.Errorf("%w: %s", ErrUnknownWorkspace, wsID)
	}
	var upserts []store.Item
	var removed []string
	err = c.withToken(ctx, w, func(tok notion.Secret) error {
		upserts, removed = nil, nil
		for _, t := range targets {
			var it notion.Item
			var err error
			if t.Kind == "data_source" {
				it, err = c.api.DataSource(ctx, tok, t.ID)
			} else {
				it, err = c.api.Page(ctx, tok, t.ID)
			}
			switch {
			case notion.IsNotFound(err), errors.Is(err, notion.ErrInvalidID):
				// Deleted for good, or no longer shared with the connection.
				removed = append(removed, t.ID)
			case err != nil:
				return err
			case it.InTrash:
				removed = append(removed, it.ID)
			default:
				upserts = append(upserts, toStore(it))
			}
		}
		return nil
	})
	if err != nil {
		unlock()
		return err
	}
	// The high-water mark stays: the quick refresh still reads these
	// again, which costs nothing and keeps polling the one source of truth.
	_, n, err := c.store.ApplyChanges(wsID, upserts, removed, func(*store.Workspace) {})
	if err == nil {
		c.titles.mu.Lock()
		if c.titles.loaded {
			c.titles.idx.Apply(wsID, upserts, removed)
		}
		c.titles.mu.Unlock()
	}
	unlock()
	if err != nil {
		return fmt.Errorf("saving a live update: %w", err)
	}
	changed := make([]string, len(upserts))
	for i, it := range upserts {
		changed[i] = it.ID
	}
	c.afterLiveChange(ctx, wsID, changed, removed)
	if n > 0 || len(upserts) > 0 {
		c.emit(ItemsChanged{WorkspaceID: wsID})
	}
	return nil
}

// afterLiveChange runs after a live update has stored the items it
// refreshed (changed: updated or new; removed: gone from the cache). It is
// the one place where whatever else depends on an item follows it: the
// paths (breadcrumbs) of changed items and of their descendants, and the
// stored page content of changed pages. It runs outside the workspace's
// lock, on the stream's own goroutine, and may take its time.
//
// Paths need nothing more: the index places descendants again whenever an
// item changes. The content follows through a crawl, which fetches only
// pages edited since their stored copy (the changed ones) and drops the
// copies of pages no longer listed (the removed ones).
func (c *Core) afterLiveChange(ctx context.Context, wsID string, changed, removed []string) {
	if len(changed)+len(removed) == 0 {
		return
	}
	c.refreshRows(ctx, wsID, changed)
	if _, err := c.CrawlContent(ctx, wsID, nil); err != nil && ctx.Err() == nil {
		c.log.Warn("app: content after a live update", "workspace", wsID, "err", err)
	}
}
