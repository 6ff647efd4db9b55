package ui

import (
	"errors"
	"time"

	"github.com/pagedeck/pagedeck/app"
)

// onEvent applies a Core event; it is the only way Core events reach the
// widgets, and it runs on the UI goroutine (New hands each event to Do).
func (w *Window) onEvent(e app.Event) {
	switch e := e.(type) {
	case app.WorkspacesChanged:
		w.background(w.reloadWorkspaces)
	case app.SyncStarted:
		w.syncProgressed(e.Progress)
	case app.SyncProgressed:
		w.syncProgressed(e.Progress)
	case app.SyncDone:
		delete(w.st.Progress, e.WorkspaceID)
		w.forgetGlances()
		w.background(w.reloadWorkspaces)
		if errors.Is(e.Err, app.ErrKeychainUnavailable) {
			w.showKeychainHelp(e.Err)
		}
	case app.ItemsChanged:
		// A live update changed the items: search again, keeping the
		// person's place.
		w.forgetGlances()
		w.runSearch(false)
	case app.UsageChanged:
		// An open changes the ranking, but the rows do not jump under the
		// pointer: the next search shows the new order. (Pins search again
		// where they are made.)
	case app.ContentProgressed:
		w.st.Indexing[e.WorkspaceID] = e.Progress
		w.crawlStatusSoon()
	case app.ContentDone:
		delete(w.st.Indexing, e.WorkspaceID)
		w.updateStatus()
		w.runSearch(false) // content matches may have arrived
	case app.LiveChanged:
		w.updateStatus()
	case app.Notified:
		w.views.banners.showNotice(e.Text)
		w.views.main.Refresh()
	case app.OutboxChanged:
		w.background(w.reloadOutbox)
	case app.RateLimited:
		// Said until the pause ends; the list stays usable meanwhile.
		w.st.Paused[e.WorkspaceID] = e.Pause
		w.updateStatus()
	}
}

// syncProgressed shows how far a sync has got.
func (w *Window) syncProgressed(p app.Progress) {
	w.st.Progress[p.WorkspaceID] = p
	if ws := w.workspace(p.WorkspaceID); ws != nil {
		ws.Syncing = true
	}
	w.drawSidebar()
	w.updateStatus()
	w.updateBody()
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
