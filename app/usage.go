package app

import (
	"errors"
	"fmt"

	"github.com/pagedeck/pagedeck/app/index"
	"github.com/pagedeck/pagedeck/app/store"
)

// What the user opens and pins stays on this machine, in the store: it
// ranks search results (frecency, see app/index) and never leaves.

// SetPinned pins a cached item (it comes first for an empty query) or
// removes its pin. Pinning a pinned item, or unpinning one that is not, is
// no error.
func (c *Core) SetPinned(itemID string, on bool) error {
	h, err := c.Item(itemID)
	if err != nil {
		return err
	}
	c.titles.usageMu.Lock()
	if on {
		err = c.store.Pin(h.WorkspaceID, h.ID, c.now())
	} else {
		err = c.store.Unpin(h.WorkspaceID, h.ID)
	}
	if err == nil {
		u := c.titles.idx.Usage(h.WorkspaceID, h.ID)
		u.Pinned = on
		c.titles.idx.SetUsage(h.WorkspaceID, h.ID, u)
	}
	c.titles.usageMu.Unlock()
	if errors.Is(err, store.ErrNotFound) {
		// A sync removed it since it was looked up.
		return fmt.Errorf("%w: %s", ErrUnknownItem, itemID)
	}
	if err != nil {
		return err
	}
	c.emit(UsageChanged{WorkspaceID: h.WorkspaceID})
	return nil
}

// recordOpen counts an open. A failure to record is logged, not returned:
// the item did open.
func (c *Core) recordOpen(h *Hit) {
	c.titles.usageMu.Lock()
	o, err := c.store.RecordOpen(h.WorkspaceID, h.ID, c.now())
	if err == nil {
		u := c.titles.idx.Usage(h.WorkspaceID, h.ID)
		u.Opens, u.Recent = o.Count, o.Recent
		c.titles.idx.SetUsage(h.WorkspaceID, h.ID, u)
	}
	c.titles.usageMu.Unlock()
	if err != nil {
		c.log.Warn("app: could not record the open", "item", h.ID, "err", err)
		return
	}
	c.emit(UsageChanged{WorkspaceID: h.WorkspaceID})
}

// loadUsage reads every pin and open: workspace → item → usage.
func (c *Core) loadUsage() (map[string]map[string]index.Usage, error) {
	opens, err := c.store.AllOpens()
	if err != nil {
		return nil, err
	}
	pins, err := c.store.AllPins()
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]index.Usage{}
	at := func(ws, id string) *index.Usage {
		if out[ws] == nil {
			out[ws] = map[string]index.Usage{}
		}
		u := out[ws][id]
		return &u
	}
	for ws, m := range opens {
		for id, o := range m {
			u := at(ws, id)
			u.Opens, u.Recent = o.Count, o.Recent
			out[ws][id] = *u
		}
	}
	for ws, m := range pins {
		for id := range m {
			u := at(ws, id)
			u.Pinned = true
			out[ws][id] = *u
		}
	}
	return out, nil
}
