// Events: what the Core tells its subscribers (the window) as it works.

package app

import "github.com/pagedeck/pagedeck/notion"

// Pause is a wait Notion asked for on a workspace's token: how long, why,
// until when; its String says it in a person's words.
type Pause = notion.Pause

// Event is what the Core tells its subscribers: one of the types below, told
// apart with a type switch. It is sent from whatever goroutine did the work;
// the window hands it to the UI goroutine itself.
type Event interface{ event() }

type (
	// WorkspacesChanged: a workspace was added, changed or removed (its
	// id, or none when several may have).
	WorkspacesChanged struct{ WorkspaceID string }
	// SyncStarted and SyncProgressed: a sync began, or listed more items.
	SyncStarted    struct{ Progress Progress }
	SyncProgressed struct{ Progress Progress }
	// SyncDone: a sync ended; Err is set when it failed.
	SyncDone struct {
		WorkspaceID string
		Err         error
	}
	// UsageChanged: an item was opened, pinned or unpinned; the order of
	// results may have changed.
	UsageChanged struct{ WorkspaceID string }
	// ContentProgressed: a content crawl fetched more pages.
	ContentProgressed struct {
		WorkspaceID string
		Progress    ContentProgress
	}
	// ContentDone: a crawl finished; Err is set when it failed.
	ContentDone struct {
		WorkspaceID string
		Err         error
	}
	// LiveChanged: a workspace's live stream came up or went down;
	// Core.Live tells which.
	LiveChanged struct{ WorkspaceID string }
	// ItemsChanged: the cached items of a workspace changed outside a
	// sync (a live update, a capture): run the search again.
	ItemsChanged struct{ WorkspaceID string }
	// RateLimited: Notion asked for a long pause (more than
	// notion.LongWait) on a workspace's token, met by this process or
	// another. Nothing on that token is sent before Pause.Until; the cached
	// lists stay usable.
	RateLimited struct {
		WorkspaceID string
		Pause       Pause
	}
	// Notified: something the user should know, in one line: a damaged
	// content file set aside, the content index rebuilt.
	Notified struct{ Text string }
	// OutboxChanged: a capture was added, sent, held or dropped.
	OutboxChanged struct{ WorkspaceID string }
)

func (WorkspacesChanged) event() {}
func (SyncStarted) event()       {}
func (SyncProgressed) event()    {}
func (SyncDone) event()          {}
func (UsageChanged) event()      {}
func (ContentProgressed) event() {}
func (ContentDone) event()       {}
func (LiveChanged) event()       {}
func (ItemsChanged) event()      {}
func (RateLimited) event()       {}
func (Notified) event()          {}
func (OutboxChanged) event()     {}

// Subscribe calls fn for every event until the returned func is called.
func (c *Core) Subscribe(fn func(Event)) (unsubscribe func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.nextSub
	c.nextSub++
	c.subs[id] = fn
	return func() {
		c.mu.Lock()
		delete(c.subs, id)
		c.mu.Unlock()
	}
}

func (c *Core) emit(e Event) {
	c.mu.Lock()
	fns := make([]func(Event), 0, len(c.subs))
	for _, fn := range c.subs {
		fns = append(fns, fn)
	}
	c.mu.Unlock()
	for _, fn := range fns {
		fn(e)
	}
}
