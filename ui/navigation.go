package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/view"
)

// What the window shows: the scope, the query, the kind, and the body and
// status that follow from them.

func (w *Window) workspace(id string) *app.WorkspaceInfo { return w.st.Workspace(id) }

// rowWorkspaceName names a row's workspace when all workspaces show.
func (w *Window) rowWorkspaceName(id string) string {
	if w.st.Selected != "" {
		return ""
	}
	return w.rowWorkspaceNameAlways(id)
}

// rowWorkspaceNameAlways names a workspace by its id.
func (w *Window) rowWorkspaceNameAlways(id string) string {
	if ws := w.workspace(id); ws != nil {
		return ws.Name
	}
	return ""
}

// selectWorkspace shows one workspace ("" for all) and remembers it. A
// workspace just connected may not be listed yet; the reload that follows
// names it.
func (w *Window) selectWorkspace(id string) {
	w.st.Selected = id
	w.drawSidebar()
	w.updateTitle()
	w.runSearch(true)
	w.updateBanner()
	w.background(func() { _ = w.core.SetPrefs(map[string]string{"workspace": id}) })
}

// drawSidebar draws the workspaces, the selection and their syncs.
func (w *Window) drawSidebar() { w.views.side.set(w.st.Workspaces, w.st.Selected, w.st.Progress) }

// updateTitle names what the window shows.
func (w *Window) updateTitle() {
	title := "Pagedeck"
	if ws := w.workspace(w.st.Selected); ws != nil {
		title = ws.Name + " — Pagedeck"
	}
	if w.win.Title() != title {
		w.win.SetTitle(title)
	}
}

func (w *Window) setQuery(q string) {
	w.st.Query = q
	if w.views.table != nil {
		w.queryRows()
		return
	}
	w.runSearch(true)
}

func (w *Window) setKind(k app.Kind) {
	w.st.Kind = k
	w.views.bar.setKind(k)
	w.runSearch(true)
}

// runSearch fills the list; in memory, fast enough for every keystroke. It
// asks the Core exactly what `pagedeck search` asks, so the order is the
// same. reset: a new query, kind or scope, so the highlight goes back on
// top.
func (w *Window) runSearch(reset bool) {
	if w.st.IndexReady {
		r, err := w.core.Search(app.SearchQuery{Text: w.st.Query, Workspace: w.st.Selected, Kind: w.st.Kind})
		if err != nil {
			w.views.status.set(app.Explain(err))
			return
		}
		w.st.Notice, w.st.Hits = r.Notice, r.Hits
		w.views.results.set(r.Hits, w.st.Query, reset)
	}
	w.updateBody()
	w.updateStatus()
}

// updateBody shows the results, or the state that explains their absence.
// "Nothing shared" needs a finished sync that found nothing: while a first
// sync runs, the body says it is loading.
func (w *Window) updateBody() {
	acts := emptyActions{
		connect: w.startConnect, addToken: w.showAddToken, settings: w.showSettings,
		openGuide: func() { w.openExternal(ReadmeConnectionURL) },
		retry:     func() { w.refresh(w.st.Selected, true) },
	}
	var empty fyne.CanvasObject
	switch e := view.EmptyState(&w.st); e.Kind {
	case view.Welcome:
		empty = welcomeCard(w.st.Configured, acts)
	case view.NoResults:
		empty = noResults(w.st.Query, acts)
	case view.Loading:
		empty = loading(e.Names, e.Items)
	case view.FirstSyncFailed:
		empty = firstSyncFailed(e.Names, e.Err, acts)
	case view.NothingShared:
		empty = nothingShared(acts)
	}
	if w.views.table != nil {
		if len(w.views.listArea.Objects) != 1 || w.views.listArea.Objects[0] != w.views.table.object() {
			w.views.listArea.Objects = []fyne.CanvasObject{w.views.table.object()}
			w.views.listArea.Refresh()
		}
		return
	}
	if empty == nil {
		if len(w.views.listArea.Objects) != 1 || w.views.listArea.Objects[0] != w.views.results.object() {
			w.views.listArea.Objects = []fyne.CanvasObject{w.views.results.object()}
			w.views.listArea.Refresh()
		}
		return
	}
	// A small window scrolls the card rather than growing to fit it.
	w.views.listArea.Objects = []fyne.CanvasObject{container.NewVScroll(empty)}
	w.views.listArea.Refresh()
}

// updateStatus writes the status line for the workspaces in view.
func (w *Window) updateStatus() {
	w.views.status.busy(w.st.Activity())
	w.views.status.set(view.StatusText(&w.st, w.now(), w.core.Live))
}

// updateBanner offers Reconnect for a workspace in view that lost access.
func (w *Window) updateBanner() {
	lost := w.st.Lost()
	if w.views.banners.showLost(lost) {
		w.views.main.Refresh() // the banner's height moved the search bar
	}
}
