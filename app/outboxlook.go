package app

// Looking before resending: after an ambiguous failure a capture may have
// been made, and Notion has no idempotency key, so the outbox looks for
// what it made before it sends again.

import (
	"context"
	"errors"
	"slices"

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
