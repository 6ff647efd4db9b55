package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/pagedeck/pagedeck/app"
)

// What the window shows: the scope, the query, the kind, and the body and
// status that follow from them.

func (w *Window) workspace(id string) *app.WorkspaceInfo {
	for i := range w.workspaces {
		if w.workspaces[i].ID == id {
			return &w.workspaces[i]
		}
	}
	return nil
}

// rowWorkspaceName names a row's workspace when all workspaces show.
func (w *Window) rowWorkspaceName(id string) string {
	if w.selected != "" {
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
	w.selected = id
	w.side.set(w.workspaces, w.selected, w.progress)
	w.updateTitle()
	w.runSearch(true)
	w.updateBanner()
	w.background(func() { _ = w.core.SetPref("workspace", id) })
}

// updateTitle names what the window shows.
func (w *Window) updateTitle() {
	title := "Pagedeck"
	if ws := w.workspace(w.selected); ws != nil {
		title = ws.Name + " — Pagedeck"
	}
	if w.win.Title() != title {
		w.win.SetTitle(title)
	}
}

func (w *Window) setQuery(q string) {
	w.query = q
	w.runSearch(true)
}

func (w *Window) setKind(k app.Kind) {
	w.kind = k
	w.bar.setKind(k)
	w.runSearch(true)
}

// runSearch fills the list; in memory, fast enough for every keystroke. It
// asks the Core exactly what `pagedeck search` asks, so the order is the
// same. reset: a new query, kind or scope, so the highlight goes back on
// top.
func (w *Window) runSearch(reset bool) {
	if w.indexReady {
		r, err := w.core.Find(app.SearchQuery{Text: w.query, Workspace: w.selected, Kind: w.kind})
		if err != nil {
			w.status.set(app.Explain(err))
			return
		}
		w.notice = r.Notice
		w.results.set(r.Hits, w.query, reset)
	}
	w.updateBody()
	w.updateStatus()
}

// inScope is the workspaces the window shows now.
func (w *Window) inScope() []app.WorkspaceInfo {
	if w.selected == "" {
		return w.workspaces
	}
	if ws := w.workspace(w.selected); ws != nil {
		return []app.WorkspaceInfo{*ws}
	}
	return nil
}

// updateBody shows the results, or the state that explains their absence.
// "Nothing shared" needs a finished sync that found nothing: while a first
// sync runs, the body says it is loading.
func (w *Window) updateBody() {
	acts := emptyActions{
		connect: w.startConnect, addToken: w.showAddToken, settings: w.showSettings,
		openGuide: func() { w.openExternal(ReadmeConnectionURL) },
		retry:     func() { w.refresh(w.selected, true) },
	}
	var empty fyne.CanvasObject
	scope := w.inScope()
	switch {
	case !w.loaded || !w.indexReady:
	case len(w.workspaces) == 0:
		empty = welcomeCard(w.configured, acts)
	case len(w.results.hits) > 0:
	case w.query != "":
		empty = noResults(w.query, acts)
	default:
		var loadingNames []string
		items := 0
		for _, ws := range scope {
			if !ws.Synced.IsZero() {
				continue
			}
			if p, ok := w.progress[ws.ID]; ok || ws.Syncing || ws.LastError == "" {
				loadingNames = append(loadingNames, ws.Name)
				items += p.Items
			} else if len(scope) == 1 {
				empty = firstSyncFailed(ws.Name, ws.LastError, acts)
			}
		}
		switch {
		case len(loadingNames) > 0:
			empty = loading(strings.Join(loadingNames, ", "), items)
		case empty == nil:
			empty = nothingShared(acts)
		}
	}
	if empty == nil {
		if len(w.listArea.Objects) != 1 || w.listArea.Objects[0] != w.results.object() {
			w.listArea.Objects = []fyne.CanvasObject{w.results.object()}
			w.listArea.Refresh()
		}
		return
	}
	// A small window scrolls the card rather than growing to fit it.
	w.listArea.Objects = []fyne.CanvasObject{container.NewVScroll(empty)}
	w.listArea.Refresh()
}

// updateStatus writes the status line for the workspaces in view.
func (w *Window) updateStatus() {
	var syncing []app.Progress
	for id, p := range w.progress {
		if w.selected == "" || w.selected == id {
			syncing = append(syncing, p)
		}
	}
	var indexing []app.ContentProgress
	for id, p := range w.indexing {
		if w.selected == "" || w.selected == id {
			indexing = append(indexing, p)
		}
	}
	w.status.busy(len(syncing) > 0 || len(indexing) > 0)
	for id, p := range w.paused {
		if !w.now().Before(p.Until) {
			delete(w.paused, id)
			continue
		}
		if w.selected == "" || w.selected == id {
			w.status.set(p.String() + ", until " + p.Until.Local().Format("15:04:05"))
			return
		}
	}
	if len(syncing) > 0 {
		items := 0
		names := make([]string, 0, len(syncing))
		for _, p := range syncing {
			items += p.Items
			names = append(names, p.Workspace)
		}
		w.status.set(fmt.Sprintf("Syncing %s… %s items", strings.Join(names, ", "), app.Thousands(items)))
		return
	}
	if !w.loaded {
		w.status.set("Loading…")
		return
	}
	if len(w.workspaces) == 0 {
		w.status.set("No workspaces connected")
		return
	}
	var synced time.Time
	count := 0
	for _, ws := range w.inScope() {
		if ws.LastError != "" {
			w.status.set(ws.Name + ": " + ws.LastError)
			return
		}
		count += ws.Items
		if ws.Synced.After(synced) {
			synced = ws.Synced
		}
	}
	text := app.Thousands(count) + " items"
	if w.query != "" || w.kind != "" {
		text = app.Thousands(len(w.results.hits)) + " of " + text
	}
	if !synced.IsZero() {
		text += " · synced " + app.Ago(w.now().Sub(synced))
	}
	if w.live() {
		text += " · Live"
	}
	if len(indexing) > 0 {
		done, total := 0, 0
		for _, p := range indexing {
			done, total = done+p.Done, total+p.Total
		}
		text += " · " + app.ContentProgress{Done: done, Total: total}.Text()
	}
	if w.notice != "" && w.query != "" {
		text += " · " + w.notice
	}
	w.status.set(text)
}

// live: every workspace in view gets changes from Notion as they happen.
func (w *Window) live() bool {
	scope := w.inScope()
	for _, ws := range scope {
		if !w.core.Live(ws.ID) {
			return false
		}
	}
	return len(scope) > 0
}

// updateBanner offers Reconnect for a workspace in view that lost access.
func (w *Window) updateBanner() {
	lost := ""
	for _, ws := range w.inScope() {
		if ws.Status == app.StatusNeedsReconnect {
			lost = ws.Name
			break
		}
	}
	if w.banners.showLost(lost) {
		w.main.Refresh() // the banner's height moved the search bar
	}
}
