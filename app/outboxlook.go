package app

// Looking before resending: after an ambiguous failure a capture may have
// been made, and Notion has no idempotency key, so the outbox looks for
// what it made before it sends again.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// ambiguous reports a failed write that may have been applied: Notion
// may have done it and the answer was lost, or Notion failed part-way.
func ambiguous(err error) bool {
	var ne *notion.NetworkError
	var ae *notion.APIError
	switch {
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return true
	case errors.As(err, &ae):
		return ae.Status >= 500 && !notion.IsRateLimited(ae)
	}
	return false
}

// lookNew finds the page an ambiguous send may have made: a child page of
// the parent with the capture's title, made by this connection no earlier
// than the capture, and not made by another capture.
func (c *Core) lookNew(ctx context.Context, tok notion.Secret, w store.Workspace, it store.OutboxItem) (notion.Item, bool, error) {
	kids, err := c.api.BlockChildren(ctx, tok, it.Parent)
	if err != nil {
		return notion.Item{}, false, err
	}
	made, err := c.store.OutboxMade()
	if err != nil {
		return notion.Item{}, false, err
	}
	since := it.CreatedAt.Add(-lookSkew)
	for _, b := range slices.Backward(kids) {
		if b.Type == "child_page" && b.Text == it.Title && !b.Created.Before(since) && !made[b.ID] &&
			(w.BotID == "" || b.CreatedBy == w.BotID) {
			page, err := c.api.Page(ctx, tok, b.ID)
			if err != nil {
				return notion.Item{}, false, err
			}
			c.log.Info("app: a capture's page was already made", "capture", it.ID)
			return page, true, nil
		}
	}
	return notion.Item{}, false, nil
}

// lookAppend finds the blocks an ambiguous append may have made: a run of
// the page's blocks equal to the batch, made by this connection no earlier
// than the capture, and not made by another capture.
func (c *Core) lookAppend(ctx context.Context, tok notion.Secret, w store.Workspace, it store.OutboxItem, batch []notion.NewBlock) ([]string, bool, error) {
	kids, err := c.api.BlockChildren(ctx, tok, it.Parent)
	if err != nil {
		return nil, false, err
	}
	made, err := c.store.OutboxMade()
	if err != nil {
		return nil, false, err
	}
	for _, id := range it.Made {
		made[id] = true
	}
	since := it.CreatedAt.Add(-lookSkew)
	matches := func(b notion.Block, nb notion.NewBlock) bool {
		return b.Type == nb.Type && b.Text == nb.Text && !b.Created.Before(since) && !made[b.ID] &&
			(w.BotID == "" || b.CreatedBy == w.BotID)
	}
	// Newest first: the run is most likely at the end.
	for end := len(kids); end >= len(batch); end-- {
		run := kids[end-len(batch) : end]
		ok := true
		for i := range run {
			if !matches(run[i], batch[i]) {
				ok = false
				break
			}
		}
		if ok {
			ids := make([]string, len(run))
			for i, b := range run {
				ids[i] = b.ID
			}
			c.log.Info("app: a capture's blocks were already appended", "capture", it.ID)
			return ids, true, nil
		}
	}
	return nil, false, nil
}

// lookRow finds the row an ambiguous send may have made: a row of the data
// source with the capture's title, made by this connection no earlier than
// the capture, and not made by another capture.
func (c *Core) lookRow(ctx context.Context, tok notion.Secret, w store.Workspace, it store.OutboxItem) (notion.Item, bool, error) {
	props, err := outboxProps(it)
	if err != nil {
		return notion.Item{}, false, err
	}
	titleProp := ""
	for name, v := range props {
		if v.Type == notion.PropTitle {
			titleProp = name
		}
	}
	since := it.CreatedAt.Add(-lookSkew)
	found, err := c.api.RowsCreatedSince(ctx, tok, it.Parent, titleProp, it.Title, since)
	if err != nil {
		var ae *notion.APIError
		if errors.As(err, &ae) && ae.Status == http.StatusForbidden {
			// Querying rows needs "Read content", not "Insert content".
			return notion.Item{}, false, fmt.Errorf("%w: %w", notion.ErrNoContentAccess, err)
		}
		return notion.Item{}, false, err
	}
	made, err := c.store.OutboxMade()
	if err != nil {
		return notion.Item{}, false, err
	}
	for _, r := range found {
		if r.Title == it.Title && !r.Created.Before(since) && !made[r.ID] && !r.InTrash &&
			(w.BotID == "" || r.CreatedBy == w.BotID) {
			c.log.Info("app: a capture's row was already made", "capture", it.ID)
			c.addRow(w.ID, it.Parent, r)
			return rowItem(r), true, nil
		}
	}
	return notion.Item{}, false, nil
}

// createRow sends a row capture, and keeps the new row with its data
// source's stored rows.
func (c *Core) createRow(ctx context.Context, tok notion.Secret, w store.Workspace, it store.OutboxItem) (notion.Item, error) {
	props, err := outboxProps(it)
	if err != nil {
		return notion.Item{}, err
	}
	page, row, err := c.api.CreateRow(ctx, tok, it.Parent, props, it.Body)
	if err != nil {
		return notion.Item{}, err
	}
	c.addRow(w.ID, it.Parent, row)
	return page, nil
}

func (c *Core) addRow(ws, ds string, r notion.Row) {
	if err := rows.Add(c.store, ws, ds, r); err != nil {
		c.log.Warn("app: keeping a created row", "err", err)
	}
}

// outboxProps are a row capture's property values.
func outboxProps(it store.OutboxItem) (map[string]notion.Value, error) {
	var props map[string]notion.Value
	if err := json.Unmarshal(it.Props, &props); err != nil {
		return nil, fmt.Errorf("the capture's properties are damaged: %w", err)
	}
	return props, nil
}

// rowItem is a row as the local list keeps a page.
func rowItem(r notion.Row) notion.Item {
	return notion.Item{ID: r.ID, Kind: notion.KindPage, Title: r.Title, URL: r.URL, ParentID: r.Parent.ID,
		Parent: r.Parent, LastEdited: r.LastEdited, InTrash: r.InTrash}
}
