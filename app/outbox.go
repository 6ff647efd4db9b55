// Captures: new pages and appended notes, kept in the outbox until Notion
// has them, and sent exactly once.

package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"time"

	"github.com/pagedeck/pagedeck/app/filelock"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// Errors a capture can meet.
var (
	// ErrNoInsertContent: Notion refused a write because the connection
	// lacks its Insert content capability in that workspace. The capture
	// stays in the outbox; turning the capability on and reconnecting the
	// workspace fixes it.
	ErrNoInsertContent = errors.New("the write was refused: the connection lacks Notion's Insert content capability; turn it on for Pagedeck's connection, then reconnect the workspace")
	// ErrCannotLook: a send was interrupted and Pagedeck cannot check
	// whether it arrived, as the connection lacks Read content; it does
	// not send again blind. The capture stays in the outbox.
	ErrCannotLook = errors.New("cannot check whether an interrupted send arrived: the connection lacks Notion's Read content capability; turn it on for Pagedeck's connection, then reconnect the workspace")
	// ErrRejected: Notion refused what the capture holds (a 400); sending
	// it again would not help.
	ErrRejected = errors.New("the capture was refused by Notion")
	// ErrNotAPage: an append's target is a database, not a page.
	ErrNotAPage = errors.New("that is a database; notes are appended to a page")
)

// lookSkew is the clock difference allowed between this machine and
// Notion when looking for what an ambiguous send made: Notion's
// created_time is rounded down to the minute, and clocks drift.
const lookSkew = 2 * time.Minute

// outboxLock is the file whose lock a process holds while it sends the
// outbox: two processes never send one capture.
const outboxLock = "outbox.lock"

// Outbox is the core's writing to Notion: captures kept on disk until
// they are sent, exactly once.
type Outbox struct{ c *Core }

// Outbox is the outbox of captures.
func (c *Core) Outbox() Outbox { return Outbox{c} }

// Capture stores a capture in the outbox: a new page (kind new: a title and
// a markdown body under a page, or a row of a database with its
// properties, read against its schema) or an appended note (kind append:
// the body at the end of a page). It returns once the capture is on disk,
// fsync'd, before anything is sent: Send sends it. The workspace follows
// from the listed parent. A mistake in the properties is a
// *rows.ValueError, found before anything is kept.
func (o Outbox) Capture(ctx context.Context, cp Capture) (store.OutboxItem, error) {
	c := o.c
	t, err := c.captureTarget(ctx, cp.Parent, cp.Kind == store.OutboxNew)
	if err != nil && t.kind == store.KindDatabase && len(cp.Props) == 0 && notion.IsTransient(err) {
		// Notion cannot be reached and no schema is stored: a row with a
		// title alone needs none (Notion takes "title", the title
		// property's id, as its key), so it waits in the outbox like a page.
		t.schema, err = &notion.Schema{DataSourceID: t.id, Properties: []notion.PropertySchema{
			{ID: "title", Name: "title", Type: notion.PropTitle}}}, nil
	}
	if err != nil {
		return store.OutboxItem{}, err
	}
	it := store.OutboxItem{Kind: cp.Kind, Workspace: t.ws, Parent: t.id, Body: cp.Body, CreatedAt: c.now().UTC()}
	switch {
	case cp.Kind == store.OutboxNew && t.schema != nil:
		vals, err := c.rowProps(ctx, &t, &cp)
		if err != nil {
			return store.OutboxItem{}, err
		}
		if it.Props, err = json.Marshal(vals); err != nil {
			return store.OutboxItem{}, err
		}
		it.DataSource = true
	case len(cp.Props) > 0 && cp.Kind == store.OutboxNew:
		return store.OutboxItem{}, fmt.Errorf("%w (%s is a page)", ErrPropsOnPage, t.title)
	case t.kind != store.KindPage:
		return store.OutboxItem{}, fmt.Errorf("%w: %s", ErrNotAPage, t.title)
	}
	it.Title = cp.Title
	switch cp.Kind {
	case store.OutboxNew:
	case store.OutboxAppend:
		if len(cp.Props) > 0 {
			return store.OutboxItem{}, fmt.Errorf("%w (an append adds text)", ErrPropsOnPage)
		}
		if len(notion.MarkdownBlocks(cp.Body)) == 0 {
			return store.OutboxItem{}, errors.New("nothing to append")
		}
		it.Title = ""
	default:
		return store.OutboxItem{}, fmt.Errorf("unknown capture kind %q", cp.Kind)
	}
	it, err = c.store.AddOutbox(it)
	if err != nil {
		return it, fmt.Errorf("keeping the capture: %w", err)
	}
	c.emit(OutboxChanged{WorkspaceID: it.Workspace})
	return it, nil
}

// List is what waits to be sent, oldest first.
func (o Outbox) List() ([]store.OutboxItem, error) { return o.c.store.Outbox() }

// Item is one waiting capture, by its id.
func (o Outbox) Item(id string) (store.OutboxItem, error) { return o.c.store.OutboxItem(id) }

// Drop deletes a capture without sending it.
func (o Outbox) Drop(ctx context.Context, id string) error {
	c := o.c
	unlock, err := filelock.Lock(ctx, filepath.Join(c.store.Dir(), outboxLock))
	if err != nil {
		return err
	}
	defer unlock()
	if err := c.store.DeleteOutbox(id); err != nil {
		return err
	}
	c.emit(OutboxChanged{})
	return nil
}

// SendOptions choose what Send tries.
type SendOptions struct {
	// Workspace, when set, sends only that workspace's captures.
	Workspace string
	// RetryHeld tries captures waiting for a permission again (a person
	// asked to); otherwise a workspace's queue stops at one.
	RetryHeld bool
}

// Sent is what became of one capture Send tried.
type Sent struct {
	Item store.OutboxItem // as it stands now
	Done bool             // Notion has it; it left the outbox
	// Page is the page a "new" capture made, as it is now in the local list.
	Page store.Item
	Err  error // why it is not done
}

// Send sends what waits, oldest first within each workspace, under a
// lock all Pagedeck processes take, so none sends a capture another is
// sending. A workspace's queue stops at the first capture that cannot go
// now, keeping its order; a capture Notion rejected is passed over (it will
// never go). After an ambiguous failure (a timeout, a connection lost after
// sending, a 5xx) the capture is marked in flight, and the next attempt
// first looks at Notion for what it made, sending again only when it is
// not there.
func (ob Outbox) Send(ctx context.Context, o SendOptions) ([]Sent, error) {
	c := ob.c
	unlock, err := filelock.Lock(ctx, filepath.Join(c.store.Dir(), outboxLock))
	if err != nil {
		return nil, fmt.Errorf("waiting for another Pagedeck sending the outbox: %w", err)
	}
	defer unlock()
	all, err := c.store.Outbox()
	if err != nil {
		return nil, err
	}
	var order []string
	queues := map[string][]store.OutboxItem{}
	for _, it := range all {
		if o.Workspace != "" && it.Workspace != o.Workspace {
			continue
		}
		if _, ok := queues[it.Workspace]; !ok {
			order = append(order, it.Workspace)
		}
		queues[it.Workspace] = append(queues[it.Workspace], it)
	}
	var out []Sent
	for _, ws := range order {
		w, err := c.store.Workspace(ws)
		for _, it := range queues[ws] {
			if it.State == store.OutboxRejected {
				continue
			}
			if it.State == store.OutboxNeedsPermission && !o.RetryHeld {
				break
			}
			var s Sent
			if err != nil {
				s = Sent{Item: it, Err: fmt.Errorf("%w: %s", ErrUnknownWorkspace, ws)}
			} else {
				s = c.sendOne(ctx, w, it)
			}
			out = append(out, s)
			if !s.Done && s.Item.State != store.OutboxRejected {
				break
			}
		}
		c.emit(OutboxChanged{WorkspaceID: ws})
	}
	return out, nil
}

// sendOne sends one capture and records the outcome.
func (c *Core) sendOne(ctx context.Context, w store.Workspace, it store.OutboxItem) Sent {
	ctx = notion.WithPriority(ctx, notion.PriorityInteractive)
	var page notion.Item
	err := c.withToken(ctx, w, func(tok notion.Secret) error {
		var err error
		if it.Kind == store.OutboxNew {
			page, it, err = c.sendNew(ctx, tok, w, it)
		} else {
			it, err = c.sendAppend(ctx, tok, w, it)
		}
		return err
	})
	if err == nil {
		var made []string
		var local store.Item
		if it.Kind == store.OutboxNew {
			local = toStore(page)
			made = []string{page.ID}
			c.addLocal(w.ID, local)
		} else {
			made = it.Made
		}
		if ferr := c.store.FinishOutbox(it.ID, made, c.now().UTC()); ferr != nil {
			return Sent{Item: it, Err: fmt.Errorf("recording the sent capture: %w", ferr)}
		}
		return Sent{Item: it, Done: true, Page: local}
	}
	state, msg := store.OutboxWaiting, Explain(err)
	var ae *notion.APIError
	switch {
	case errors.Is(err, notion.ErrNoInsertAccess):
		state, msg = store.OutboxNeedsPermission, ErrNoInsertContent.Error()
		err = fmt.Errorf("%w (in %s)", ErrNoInsertContent, w.Name)
	case errors.Is(err, notion.ErrNoContentAccess):
		state, msg = store.OutboxNeedsPermission, ErrCannotLook.Error()
		err = fmt.Errorf("%w (in %s)", ErrCannotLook, w.Name)
	case errors.As(err, &ae) && (ae.Status == http.StatusBadRequest || ae.Status == http.StatusNotFound):
		state, msg = store.OutboxRejected, ae.Message
		err = fmt.Errorf("%w: %s", ErrRejected, ae.Message)
	}
	if saved, uerr := c.store.UpdateOutbox(it.ID, func(m *store.OutboxItem) {
		m.State, m.Error = state, msg
	}); uerr == nil {
		it = saved
	}
	return Sent{Item: it, Err: err}
}

// sendPending sends the outbox when something waits in it: the background
// refresh's first step. What cannot go stays, and says why in the outbox.
func (c *Core) sendPending(ctx context.Context) {
	items, err := c.store.Outbox()
	if err != nil || !slices.ContainsFunc(items, func(it store.OutboxItem) bool { return it.State == store.OutboxWaiting }) {
		return
	}
	sent, err := c.Outbox().Send(ctx, SendOptions{})
	if err != nil {
		c.log.Warn("app: sending the outbox", "err", err)
	}
	for _, s := range sent {
		if !s.Done {
			c.log.Info("app: a capture waits", "capture", s.Item.ID, "state", s.Item.State, "err", s.Err)
		}
	}
}

// inFlight records, on disk, that a request is about to go.
func (c *Core) inFlight(it store.OutboxItem) (store.OutboxItem, error) {
	return c.store.UpdateOutbox(it.ID, func(m *store.OutboxItem) {
		m.InFlight = true
		m.Attempts++
	})
}

// settled records that the last request surely did not go through.
func (c *Core) settled(it store.OutboxItem) store.OutboxItem {
	if saved, err := c.store.UpdateOutbox(it.ID, func(m *store.OutboxItem) { m.InFlight = false }); err == nil {
		return saved
	}
	return it
}

func (c *Core) sendNew(ctx context.Context, tok notion.Secret, w store.Workspace, it store.OutboxItem) (notion.Item, store.OutboxItem, error) {
	if it.InFlight {
		look := c.lookNew
		if it.DataSource {
			look = c.lookRow
		}
		page, found, err := look(ctx, tok, w, it)
		if err != nil || found {
			return page, it, err
		}
	}
	it, err := c.inFlight(it)
	if err != nil {
		return notion.Item{}, it, err
	}
	var page notion.Item
	if it.DataSource {
		page, err = c.createRow(ctx, tok, w, it)
	} else {
		page, err = c.api.CreatePage(ctx, tok, it.Parent, it.Title, it.Body)
	}
	if err != nil && !ambiguous(err) {
		it = c.settled(it)
	}
	return page, it, err
}

func (c *Core) sendAppend(ctx context.Context, tok notion.Secret, w store.Workspace, it store.OutboxItem) (store.OutboxItem, error) {
	blocks := notion.MarkdownBlocks(it.Body)
	for it.SentBlocks < len(blocks) {
		batch := blocks[it.SentBlocks:min(it.SentBlocks+notion.MaxAppendBlocks, len(blocks))]
		var ids []string
		found := false
		if it.InFlight {
			var err error
			if ids, found, err = c.lookAppend(ctx, tok, w, it, batch); err != nil {
				return it, err
			}
		}
		if !found {
			var err error
			if it, err = c.inFlight(it); err != nil {
				return it, err
			}
			got, err := c.api.AppendBlocks(ctx, tok, it.Parent, batch)
			if err != nil {
				if !ambiguous(err) {
					it = c.settled(it)
				}
				return it, err
			}
			for _, b := range got {
				ids = append(ids, b.ID)
			}
		}
		saved, err := c.store.UpdateOutbox(it.ID, func(m *store.OutboxItem) {
			m.SentBlocks += len(batch)
			m.Made = append(m.Made, ids...)
			m.InFlight = false
		})
		if err != nil {
			return it, err
		}
		it = saved
	}
	return it, nil
}

// addLocal puts a page a capture made into the local list at once; the
// next sync confirms it.
func (c *Core) addLocal(ws string, it store.Item) {
	if _, _, err := c.store.ApplyChanges(ws, []store.Item{it}, nil, func(*store.Workspace) {}); err != nil {
		c.log.Warn("app: adding a created page to the list", "err", err)
		return
	}
	c.titles.mu.Lock()
	if c.titles.loaded {
		c.titles.idx.Apply(ws, []store.Item{it}, nil)
	}
	c.titles.mu.Unlock()
	c.emit(ItemsChanged{WorkspaceID: ws})
}

// OutboxWaits says, in a line, why captures wait: for a status or stderr.
func OutboxWaits(items []store.OutboxItem) string {
	n := 0
	for _, it := range items {
		if it.State == store.OutboxWaiting {
			n++
		}
	}
	switch n {
	case 0:
		return ""
	case 1:
		return "1 capture waits in the outbox"
	}
	return fmt.Sprintf("%d captures wait in the outbox", n)
}
