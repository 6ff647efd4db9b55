package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/dialogs"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// QuickOpenTitle names the Quick Open window (tests and window managers
// find it by this name).
const QuickOpenTitle = "Pagedeck Quick Open"

// quickRows is how many results Quick Open shows.
const quickRows = 8

// quickOpen is the launcher window: a search box and the top results, in
// the same ranking and rows as the main window, shown from anywhere by the
// global hotkey or `pagedeck quick`. It is made once and hidden between
// uses, so it appears at once. Enter opens the highlighted page and hides
// it; Ctrl+Enter opens it in the Notion app; Esc, or leaving it, hides it;
// Tab walks the scope through All workspaces and each workspace.
type quickOpen struct {
	acts    quickActions
	win     fyne.Window
	entry   *quickEntry
	scope   *widget.Label
	results *resultsView
	hint    *widget.RichText
	dialogs *dialogs.Stack // the capture form opens here, not in the main window
	ws      string         // the scope: "" for all
	shown   bool
	onShown func() // tests: the window is on screen
}

// quickActions are what Quick Open needs from the window: the search the
// main window runs, the workspaces to walk, and what a row does.
type quickActions struct {
	// search runs a query; ok is false while the index is not ready.
	search        func(q app.SearchQuery) (r app.Results, ok bool)
	workspaces    func() []app.WorkspaceInfo
	workspaceName func(id string) string // a row's workspace, when all show
	open          func(h *app.Hit, mode app.OpenMode)
	menu          func(h *app.Hit) *fyne.Menu
	// capture opens the capture form for h on stack; say reports.
	capture func(h *app.Hit, kind app.OutboxKind, stack *dialogs.Stack, say func(string))
	// target is the default place for new pages (nil: none);
	// captureQuick makes a page titled as typed there at once.
	target       func() *app.Hit
	captureQuick func(title string, say func(string))
}

// quickHint is the line under Quick Open's results when nothing else is said.
var quickHint = "Enter opens · " + shortcutLabel("Enter") + ": Notion app · " +
	shiftShortcutLabel("N") + ": new page · " + shiftShortcutLabel("A") + ": append · Tab: workspace"

func newQuickOpen(win fyne.Window, icons *iconStore, now func() time.Time, acts quickActions) *quickOpen {
	q := &quickOpen{acts: acts, win: win}
	q.entry = &quickEntry{q: q}
	q.entry.ExtendBaseWidget(q.entry)
	q.entry.SetPlaceHolder("Open a page in any workspace")
	q.entry.OnChanged = func(string) { q.search(true) }
	q.scope = widget.NewLabelWithStyle("All workspaces", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	q.scope.Importance = widget.HighImportance
	q.results = newResultsView(icons, now, resultActions{
		open:          q.open,
		menu:          acts.menu,
		workspaceName: func(id string) string { return q.workspaceName(id) },
		moved:         func() {},
	})
	q.entry.nav = q.results
	q.dialogs = dialogs.NewStack(win)
	q.hint = widgets.NewSecondaryText()
	widgets.SetSecondaryText(q.hint, quickHint)
	top := container.NewBorder(nil, nil, nil, q.scope, q.entry)
	q.win.SetContent(container.NewPadded(container.NewBorder(top, q.hint, nil, nil, q.results.object())))
	rowH := q.results.rowH
	q.win.Resize(fyne.NewSize(640, top.MinSize().Height+float32(quickRows)*rowH+q.hint.MinSize().Height+5*theme.Padding()))
	q.win.SetFixedSize(true)
	q.win.CenterOnScreen()
	q.win.SetCloseIntercept(q.hide)
	q.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) { q.entry.TypedKey(k) })
	q.win.Canvas().SetOnTypedRune(func(r rune) {
		q.win.Canvas().Focus(q.entry)
		q.entry.TypedRune(r)
	})
	return q
}

// show brings Quick Open up, empty, on All workspaces, with the focus in
// its box. Showing it again while it is up (a held hotkey repeats) changes
// nothing.
func (q *quickOpen) show() {
	if q.shown {
		q.win.RequestFocus()
		raisePalette(q.win)
		return
	}
	q.shown = true
	q.ws = ""
	q.scope.SetText("All workspaces")
	q.entry.SetText("")
	q.search(true)
	q.win.CenterOnScreen()
	showPalette(q.win) // on X11: above the active window, focused, no taskbar entry
	q.win.RequestFocus()
	q.win.Canvas().Focus(q.entry)
	if q.onShown != nil {
		q.onShown()
	}
}

func (q *quickOpen) hide() {
	if !q.shown {
		return
	}
	q.shown = false
	q.win.Hide()
}

// search shows the top results in the main window's ranking.
func (q *quickOpen) search(reset bool) {
	if r, ok := q.acts.search(app.SearchQuery{Text: q.entry.Text, Workspace: q.ws, Limit: quickRows}); ok {
		q.results.set(r.Hits, q.entry.Text, reset)
	}
	q.sayHint()
}

// sayHint is the line under the results: the keys, or, when a default
// place for new pages is set and nothing matches, what Enter will make.
func (q *quickOpen) sayHint() {
	text := quickHint
	if t := q.acts.target(); t != nil && strings.TrimSpace(q.entry.Text) != "" {
		where := widgets.Ellipsize(app.DisplayTitle(t.Title), 28)
		if len(q.results.hits) == 0 {
			text = "Enter: new page “" + widgets.Ellipsize(strings.TrimSpace(q.entry.Text), 40) + "” in “" + where + "”"
		} else {
			text = "Enter opens · Shift+Enter: new page titled as typed in “" + where + "”"
		}
	}
	widgets.SetSecondaryText(q.hint, text)
}

// newInTarget makes a page titled as typed in the default place, at once,
// and says on the hint line what became of it. It reports whether there
// was a default place and a title.
func (q *quickOpen) newInTarget() bool {
	title := strings.TrimSpace(q.entry.Text)
	if q.acts.target() == nil || title == "" {
		return false
	}
	q.acts.captureQuick(title, func(msg string) { widgets.SetSecondaryText(q.hint, msg) })
	return true
}

// open opens a hit and hides Quick Open; mode "" is the user's setting.
func (q *quickOpen) open(h *app.Hit, mode app.OpenMode) {
	q.hide()
	q.acts.open(h, mode)
}

// capture opens "New page in…" or "Append to…" for the highlighted row,
// in Quick Open itself; what became of it shows on the hint line.
func (q *quickOpen) capture(kind app.OutboxKind) {
	q.acts.capture(q.results.current(), kind, q.dialogs, func(msg string) { widgets.SetSecondaryText(q.hint, msg) })
}

// nextScope walks All workspaces → each workspace → All.
func (q *quickOpen) nextScope() {
	ws := q.acts.workspaces()
	next, name := "", "All workspaces"
	for i, x := range ws {
		if q.ws == "" && i == 0 || i > 0 && ws[i-1].ID == q.ws {
			next, name = x.ID, x.Name
			break
		}
	}
	q.ws = next
	q.scope.SetText(widgets.Ellipsize(name, 28))
	q.search(true)
}

func (q *quickOpen) workspaceName(id string) string {
	if q.ws != "" {
		return ""
	}
	return q.acts.workspaceName(id)
}

// quickEntry is Quick Open's box: the arrows, Enter, Esc and Tab drive the
// window, typing searches.
type quickEntry struct {
	widget.Entry
	q   *quickOpen
	nav navigator
}

func (e *quickEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter {
		// Nothing matches (or Shift is down) and a default place for new
		// pages is set: Enter makes a page titled as typed.
		if (len(e.q.results.hits) == 0 || widgets.ShiftHeld()) && e.q.newInTarget() {
			return
		}
	}
	if driveResults(e.nav, k) {
		return
	}
	switch k.Name {
	case fyne.KeyEscape:
		e.q.hide()
	case fyne.KeyTab:
		e.q.nextScope()
	default:
		e.Entry.TypedKey(k)
	}
}

// AcceptsTab keeps Tab for the scope instead of moving the focus.
func (e *quickEntry) AcceptsTab() bool { return true }

// TypedShortcut: Ctrl+Enter opens in the Notion app; the rest is editing.
func (e *quickEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok {
		shift := cs.Modifier&fyne.KeyModifierShift != 0
		switch {
		case cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter:
			e.nav.openCurrent(app.OpenInApp)
			return
		case cs.KeyName == fyne.KeyN && shift:
			e.q.capture(app.OutboxNew)
			return
		case cs.KeyName == fyne.KeyA && shift:
			e.q.capture(app.OutboxAppend)
			return
		}
	}
	e.Entry.TypedShortcut(s)
}
