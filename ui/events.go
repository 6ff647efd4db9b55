package ui

import (
	"errors"

	"github.com/pagedeck/pagedeck/app"
)

// onEvent applies a Core event; it is the only way Core events reach the
// widgets, and it runs on the UI goroutine (New hands each event to Do).
func (w *Window) onEvent(e app.Event) {
	switch e.Kind {
	case app.EventWorkspaces:
		w.background(w.reloadWorkspaces)
	case app.EventSyncStarted, app.EventSyncProgress:
		w.progress[e.WorkspaceID] = e.Progress
		if ws := w.workspace(e.WorkspaceID); ws != nil {
			ws.Syncing = true
		}
		w.side.set(w.workspaces, w.selected, w.progress)
		w.updateStatus()
		w.updateBody()
	case app.EventSyncDone, app.EventSyncFailed:
		delete(w.progress, e.WorkspaceID)
		w.background(w.reloadWorkspaces)
		if e.Kind == app.EventSyncFailed && errors.Is(e.Err, app.ErrKeychainUnavailable) {
			w.showKeychainHelp(e.Err)
		}
	case app.EventItemsChanged:
		// A live update changed the items: search again, keeping the
		// person's place.
		w.runSearch(false)
	case app.EventUsage:
		// An open changes the ranking, but the rows do not jump under the
		// pointer: the next search shows the new order. (Pins search again
		// where they are made.)
	case app.EventContentProgress:
		w.indexing[e.WorkspaceID] = e.Content
		w.updateStatus()
	case app.EventContentDone:
		delete(w.indexing, e.WorkspaceID)
		w.runSearch(false) // content matches may have arrived
	case app.EventLive:
		w.updateStatus()
	case app.EventRateLimited:
		// Said until the pause ends; the list stays usable meanwhile.
		w.paused[e.WorkspaceID] = e.Pause
		w.updateStatus()
	}
}

// reloadWorkspaces reads the workspaces (disk) off the UI goroutine, then
// redraws what depends on them, keeping the person's place in the list.
func (w *Window) reloadWorkspaces() {
	ws, err := w.core.Workspaces()
	w.do(func() {
		if err != nil {
			w.status.set(app.Explain(err))
			return
		}
		w.workspaces = ws
		w.loaded = true
		if w.selected != "" && w.workspace(w.selected) == nil {
			w.selected = ""
		}
		w.side.set(w.workspaces, w.selected, w.progress)
		w.updateTitle()
		w.updateBanner()
		w.runSearch(false)
	})
}
