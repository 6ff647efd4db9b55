package ui

import (
	"errors"
	"time"

	"github.com/pagedeck/pagedeck/app"
)

// onEvent applies a Core event; it is the only way Core events reach the
// widgets, and it runs on the UI goroutine (New hands each event to Do).
func (w *Window) onEvent(e app.Event) {
	switch e.Kind {
	case app.EventWorkspaces:
		w.background(w.reloadWorkspaces)
	case app.EventSyncStarted, app.EventSyncProgress:
		w.st.Progress[e.WorkspaceID] = e.Progress
		if ws := w.workspace(e.WorkspaceID); ws != nil {
			ws.Syncing = true
		}
		w.drawSidebar()
		w.updateStatus()
		w.updateBody()
	case app.EventSyncDone, app.EventSyncFailed:
		delete(w.st.Progress, e.WorkspaceID)
		w.forgetGlances()
		w.background(w.reloadWorkspaces)
		if e.Kind == app.EventSyncFailed && errors.Is(e.Err, app.ErrKeychainUnavailable) {
			w.showKeychainHelp(e.Err)
		}
	case app.EventItemsChanged:
		// A live update changed the items: search again, keeping the
		// person's place.
		w.forgetGlances()
		w.runSearch(false)
	case app.EventUsage:
		// An open changes the ranking, but the rows do not jump under the
		// pointer: the next search shows the new order. (Pins search again
		// where they are made.)
	case app.EventContentProgress:
		w.st.Indexing[e.WorkspaceID] = e.Content
		w.crawlStatusSoon()
	case app.EventContentDone:
		delete(w.st.Indexing, e.WorkspaceID)
		w.updateStatus()
		w.runSearch(false) // content matches may have arrived
	case app.EventLive:
		w.updateStatus()
	case app.EventNotice:
		w.views.banners.showNotice(e.Notice)
		w.views.main.Refresh()
	case app.EventOutbox:
		w.background(w.reloadOutbox)
	case app.EventRateLimited:
		// Said until the pause ends; the list stays usable meanwhile.
		w.st.Paused[e.WorkspaceID] = e.Pause
		w.updateStatus()
	}
}

// reloadWorkspaces reads the workspaces (disk) off the UI goroutine, then
// redraws what depends on them, keeping the person's place in the list.
func (w *Window) reloadWorkspaces() {
	ws, err := w.core.Workspaces()
	w.do(func() {
		if err != nil {
			w.views.status.set(app.Explain(err))
			return
		}
		w.st.Workspaces = ws
		w.st.Loaded = true
		if w.st.Selected != "" && w.workspace(w.st.Selected) == nil {
			w.st.Selected = ""
		}
		w.drawSidebar()
		w.updateTitle()
		w.updateBanner()
		w.runSearch(false)
	})
}

// crawlPaint is how often a running crawl redraws the status line. A crawl
// fetches a few pages a second for hours; redrawing the window for each
// would keep an idle window busy (a repaint costs tens of ms in software
// GL), and nobody reads a counter faster than this.
const crawlPaint = 2 * time.Second

// crawlStatusSoon redraws the status line for a crawl's progress: the
// first change at once, later ones together at most once per crawlPaint.
func (w *Window) crawlStatusSoon() {
	if w.crawlPacer.scheduled {
		w.crawlPacer.dirty = true
		return
	}
	w.crawlPacer.scheduled = true
	w.updateStatus()
	w.crawlPace()
}

// crawlPace waits out one period, then draws what changed during it, and
// waits again while changes keep coming.
func (w *Window) crawlPace() {
	w.background(func() {
		if !sleep(w.ctx, crawlPaint) {
			return
		}
		w.do(func() {
			if !w.crawlPacer.dirty {
				w.crawlPacer.scheduled = false
				return
			}
			w.crawlPacer.dirty = false
			w.updateStatus()
			w.crawlPace()
		})
	})
}
