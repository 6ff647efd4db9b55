package app

import (
	"context"
	"errors"

	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// refreshRows brings up to date, incrementally and at background priority,
// the kept rows of the data sources a live change touched: the data source
// itself (data_source.content_updated or schema_updated) or a row of it
// (page.properties_updated). Sources whose rows are not kept yet wait for
// the next sync; a row deleted or moved out goes at the next full one.
func (c *Core) refreshRows(ctx context.Context, wsID string, changed []string) {
	if len(changed) == 0 || c.LoadIndex() != nil {
		return
	}
	seen := map[string]bool{}
	var sources []string
	for _, id := range changed {
		e, ok := c.titles.idx.Get(id)
		if !ok {
			continue
		}
		ds := ""
		switch {
		case e.Kind == store.KindDatabase:
			ds = e.ID
		case e.ParentType == store.ParentDataSource:
			ds = e.ParentID
		}
		if ds == "" || seen[ds] {
			continue
		}
		seen[ds] = true
		if _, err := c.store.RowSource(wsID, ds); err == nil {
			sources = append(sources, ds)
		}
	}
	if len(sources) == 0 {
		return
	}
	unlock, err := c.lockWorkspace(ctx, wsID)
	if err != nil {
		return
	}
	defer unlock()
	w, err := c.store.Workspace(wsID)
	if err != nil {
		return
	}
	syncer := &rows.Syncer{Client: c.api, Store: c.store, Workspace: wsID, Now: c.now}
	bg := notion.WithPriority(ctx, notion.PriorityBackground)
	var errs []error
	err = c.withToken(bg, w, func(tok notion.Secret) error {
		errs = nil
		for _, ds := range sources {
			_, err := syncer.Sync(bg, tok, ds, false)
			if notion.IsUnauthorized(err) || ctx.Err() != nil {
				return err
			}
			if err != nil {
				errs = append(errs, err)
			}
		}
		return nil
	})
	if err := errors.Join(append(errs, err)...); err != nil && ctx.Err() == nil {
		c.log.Warn("app: rows after a live update", "workspace", wsID, "err", err)
		return
	}
	c.emit(ItemsChanged{WorkspaceID: wsID})
}
