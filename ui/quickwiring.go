package ui

import "github.com/pagedeck/pagedeck/app"

// The window's side of Quick Open: it makes the launcher window and hands
// it the search and actions it needs, never the window itself.

// showQuick brings up Quick Open (the hotkey, `pagedeck quick`, the tray).
func (w *Window) showQuick() { w.quickOpen().show() }

// quickSearch is Quick Open's search: the main window's ranking, once the
// index is ready. An error shows as no change.
func (w *Window) quickSearch(q app.SearchQuery) (app.Results, bool) {
	if !w.st.IndexReady {
		return app.Results{}, false
	}
	r, err := w.core.Search(q)
	return r, err == nil
}

// quickOpen is the Quick Open window, made on first use; Run makes it at
// start so the hotkey finds it ready.
func (w *Window) quickOpen() *quickOpen {
	if w.launch.quick == nil {
		w.launch.quick = newQuickOpen(w.a.NewWindow(QuickOpenTitle), w.views.icons, w.now, quickActions{
			search:        w.quickSearch,
			workspaces:    func() []app.WorkspaceInfo { return w.st.Workspaces },
			workspaceName: w.rowWorkspaceNameAlways,
			open:          w.openHit,
			menu:          w.itemMenu,
			capture:       w.capture,
			target:        func() *app.Hit { return w.st.CaptureTarget },
			captureQuick:  w.captureQuick,
		})
	}
	return w.launch.quick
}
