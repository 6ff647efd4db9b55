// Events: what the Core tells its subscribers (the window) as it works.

package app

import "github.com/pagedeck/pagedeck/notion"

// EventKind says what happened.
type EventKind int

const (
	// EventWorkspaces: a workspace was added, changed or removed.
	EventWorkspaces EventKind = iota
	EventSyncStarted
	EventSyncProgress
	EventSyncDone
	EventSyncFailed
	// EventUsage: an item was opened, pinned or unpinned; the order of
	// results may have changed.
	EventUsage
	// EventContentProgress: a content crawl fetched more pages; Event.Content
	// carries the numbers.
	EventContentProgress
	// EventContentDone: a crawl finished (Event.Err set when it failed).
	EventContentDone
	// EventLive: a workspace's live stream came up or went down; Core.Live
	// tells which.
	EventLive
	// EventItemsChanged: a live update changed the cached items of
	// Event.WorkspaceID; run the search again.
	EventItemsChanged
	// EventRateLimited: Notion asked for a long pause (more than
	// notion.LongWait) on Event.WorkspaceID's token, met by this process or
	// another; Event.Pause says how long and why. Nothing on that token is
	// sent before Pause.Until; the cached lists stay usable.
	EventRateLimited
	// EventNotice: something happened that the user should know, in one
	// line (Event.Notice): a damaged content file set aside, the content
	// index rebuilt.
	EventNotice
	// EventOutbox: the outbox changed (a capture added, sent, held or
	// dropped).
	EventOutbox
)

// Pause is a wait Notion asked for on a workspace's token: how long, why,
// until when; its String says it in a person's words.
type Pause = notion.Pause

// Event is sent to subscribers from whatever goroutine did the work; the
// window hands it to the UI goroutine itself.
type Event struct {
	Kind        EventKind
	WorkspaceID string
	Progress    Progress
	Content     ContentProgress
	Pause       Pause
	Notice      string
	Err         error
}

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
