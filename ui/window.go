package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/icons"
)

// ReadmeConnectionURL is the README section on registering a connection.
const ReadmeConnectionURL = "https://github.com/pagedeck/pagedeck#register-a-notion-connection"

// Deps are what a Window needs besides the Core; tests replace them.
type Deps struct {
	// Opener opens item links and the consent page.
	Opener app.Opener
	// Do runs fn on the UI goroutine; default fyne.Do.
	Do func(fn func())
	// Icons caches downloaded item icons; nil shows default glyphs.
	Icons *icons.Cache
	// Demo shows the "Demo data" banner.
	Demo bool
	// Now is the clock for "edited 3 h ago"; default time.Now.
	Now func() time.Time
}

// Window is Pagedeck's main window: every view over the Core.
type Window struct {
	a    fyne.App
	win  fyne.Window
	core *app.Core
	deps Deps
	do   func(func())
	now  func() time.Time

	ctx    context.Context
	cancel context.CancelFunc

	// State, touched only on the UI goroutine.
	workspaces  []app.WorkspaceInfo
	selected    string // workspace id, "" for all
	kind        app.Kind
	query       string
	results     []*app.Hit
	indexReady  bool
	loaded      bool // workspaces read at least once
	configured  bool
	settings    app.Settings
	progress    map[string]app.Progress
	connect     *connectDialog
	iconCache   map[string]fyne.Resource
	iconMissing map[string]bool
	stopRefresh context.CancelFunc

	listRefreshPending bool
	cursor             int // the list's selected row

	// Widgets.
	search     *searchEntry
	kindBtns   map[app.Kind]*widget.Button
	list       *widget.List
	sidebar    *widget.List
	status     *widget.Label
	bar        *widget.ProgressBarInfinite
	banner     *fyne.Container
	bannerText *widget.Label
	demoBanner fyne.CanvasObject
	body       *fyne.Container // the list, or an empty state
	emptyBox   *fyne.Container
	refreshBtn *widget.Button
	shortcuts  map[string]func()
}

// New builds the window over core. It does not show it.
func New(a fyne.App, core *app.Core, deps Deps) *Window {
	if deps.Do == nil {
		deps.Do = fyne.Do
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Opener == nil {
		deps.Opener = app.SystemOpener{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &Window{
		a: a, core: core, deps: deps, do: deps.Do, now: deps.Now, ctx: ctx, cancel: cancel,
		progress: map[string]app.Progress{}, iconCache: map[string]fyne.Resource{}, iconMissing: map[string]bool{},
		settings: app.Settings{OpenIn: app.OpenInBrowser, RefreshInterval: app.DefaultRefreshInterval},
	}
	w.win = a.NewWindow("Pagedeck")
	w.build()
	core.Subscribe(func(e app.Event) { w.do(func() { w.onEvent(e) }) })
	w.win.SetCloseIntercept(func() {
		w.savePrefs()
		w.Close()
	})
	w.start()
	return w
}

// Window is the Fyne window.
func (w *Window) Window() fyne.Window { return w.win }

// Close stops background work and closes the window.
func (w *Window) Close() {
	w.cancel()
	w.win.Close()
}

// goBackground runs fn off the UI goroutine.
func (w *Window) goBackground(fn func()) { go fn() }

// start loads what the window shows, off the UI goroutine.
func (w *Window) start() {
	w.goBackground(func() {
		size := fyne.NewSize(prefFloat(w.core.Pref("window.width"), 980), prefFloat(w.core.Pref("window.height"), 660))
		last := w.core.Pref("workspace")
		// One read of the settings (and of the keychain, which may prompt).
		settings, _ := w.core.Settings(w.ctx)
		configured := settings.Configured
		w.do(func() {
			w.win.Resize(size)
			w.selected = last
			w.configured = configured
			if settings.OpenIn != "" {
				w.settings = settings
			}
			w.scheduleRefresh()
		})
		w.reloadWorkspaces()
		w.loadIndex()
	})
	// Keep "synced 2 min ago" true between refreshes.
	go func() {
		tick := time.NewTicker(30 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-w.ctx.Done():
				return
			case <-tick.C:
				w.do(w.updateStatus)
			}
		}
	}()
}

// loadIndex reads the cached items into memory, off the UI goroutine; when
// the file is busy it says so and tries again, so no keystroke ever waits
// on the disk.
func (w *Window) loadIndex() {
	for {
		err := w.core.LoadIndex()
		if err == nil {
			w.do(func() {
				w.indexReady = true
				w.runSearch(true)
			})
			return
		}
		w.do(func() { w.setStatus("Could not read the cached pages: " + app.Explain(err) + " Trying again…") })
		sleep(w.ctx, 3000)
		if w.ctx.Err() != nil {
			return
		}
	}
}

func prefFloat(s string, def float32) float32 {
	f, err := strconv.ParseFloat(s, 32)
	if err != nil || f < 200 {
		return def
	}
	return float32(f)
}

func (w *Window) savePrefs() {
	size := w.win.Canvas().Size()
	_ = w.core.SetPrefs(map[string]string{
		"window.width":  strconv.Itoa(int(size.Width)),
		"window.height": strconv.Itoa(int(size.Height)),
		"workspace":     w.selected,
	})
}

// reloadWorkspaces reads the workspaces (disk) off the UI goroutine.
func (w *Window) reloadWorkspaces() {
	ws, err := w.core.Workspaces()
	w.do(func() {
		if err != nil {
			w.setStatus(app.Explain(err))
			return
		}
		w.workspaces = ws
		w.loaded = true
		if w.selected != "" && w.workspace(w.selected) == nil {
			w.selected = ""
		}
		w.sidebar.Refresh()
		w.selectSidebarRow()
		w.updateBanner()
		// A workspace may have gone (or been renamed): redraw the rows,
		// keeping the user's place.
		w.runSearch(false)
	})
}

func (w *Window) workspace(id string) *app.WorkspaceInfo {
	for i := range w.workspaces {
		if w.workspaces[i].ID == id {
			return &w.workspaces[i]
		}
	}
	return nil
}

func (w *Window) workspaceName(id string) string {
	if ws := w.workspace(id); ws != nil {
		return ws.Name
	}
	return ""
}

// onEvent applies a Core event; it runs on the UI goroutine.
func (w *Window) onEvent(e app.Event) {
	switch e.Kind {
	case app.EventWorkspaces:
		w.goBackground(w.reloadWorkspaces)
	case app.EventSyncStarted, app.EventSyncProgress:
		w.progress[e.WorkspaceID] = e.Progress
		if ws := w.workspace(e.WorkspaceID); ws != nil {
			ws.Syncing = true
		}
		w.sidebar.Refresh()
		w.updateStatus()
	case app.EventSyncDone, app.EventSyncFailed:
		delete(w.progress, e.WorkspaceID)
		w.goBackground(w.reloadWorkspaces)
		if e.Kind == app.EventSyncFailed && errors.Is(e.Err, app.ErrNeedsReconnect) {
			w.updateBanner()
		}
	}
}

// ---- Layout ----

func (w *Window) build() {
	w.search = newSearchEntry(w)
	w.search.SetPlaceHolder("Search pages and databases")
	w.search.OnChanged = func(s string) {
		w.query = s
		w.runSearch(true)
	}

	w.kindBtns = map[app.Kind]*widget.Button{}
	kinds := []struct {
		k     app.Kind
		label string
	}{{"", "All"}, {app.KindPage, "Pages"}, {app.KindDatabase, "Databases"}}
	var kindRow []fyne.CanvasObject
	for _, k := range kinds {
		b := widget.NewButton(k.label, func() { w.setKind(k.k) })
		w.kindBtns[k.k] = b
		kindRow = append(kindRow, b)
	}
	w.refreshBtn = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() { w.refresh(false) })
	w.refreshBtn.Importance = widget.LowImportance
	w.updateKindButtons()

	w.list = widget.NewList(
		func() int { return len(w.results) },
		func() fyne.CanvasObject { return newItemRow(w) },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*itemRow).set(id, w.results[id]) },
	)
	w.list.OnSelected = func(id widget.ListItemID) { w.cursor = id }

	w.sidebar = widget.NewList(
		func() int { return len(w.workspaces) + 1 },
		func() fyne.CanvasObject { return newWorkspaceRow(w) },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*workspaceRow)
			if id == 0 {
				row.setAll(len(w.workspaces))
				return
			}
			row.set(&w.workspaces[id-1])
		},
	)
	w.sidebar.OnSelected = func(id widget.ListItemID) {
		sel := ""
		if id > 0 && id <= len(w.workspaces) {
			sel = w.workspaces[id-1].ID
		}
		if sel != w.selected {
			w.selectWorkspace(sel)
		}
	}

	connectBtn := widget.NewButtonWithIcon("Connect a workspace", theme.ContentAddIcon(), func() { w.startConnect() })
	connectBtn.Alignment = widget.ButtonAlignLeading
	connectBtn.Importance = widget.LowImportance
	tokenBtn := widget.NewButtonWithIcon("Add an internal token…", theme.LoginIcon(), func() { w.showAddToken() })
	tokenBtn.Alignment = widget.ButtonAlignLeading
	tokenBtn.Importance = widget.LowImportance
	settingsBtn := widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), func() { w.showSettings() })
	settingsBtn.Alignment = widget.ButtonAlignLeading
	settingsBtn.Importance = widget.LowImportance

	brand := canvas.NewImageFromResource(appIcon())
	brand.FillMode = canvas.ImageFillContain
	brand.SetMinSize(fyne.NewSize(22, 22))
	title := widget.NewLabelWithStyle("Pagedeck", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	side := container.NewBorder(
		container.NewVBox(container.NewHBox(brand, title), widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), connectBtn, tokenBtn, settingsBtn),
		nil, nil, w.sidebar)

	w.status = widget.NewLabel("")
	w.status.Truncation = fyne.TextTruncateEllipsis
	w.status.Importance = widget.LowImportance
	w.bar = widget.NewProgressBarInfinite()
	w.bar.Stop()
	w.bar.Hide()

	w.bannerText = widget.NewLabel("")
	w.bannerText.Wrapping = fyne.TextWrapWord
	reconnect := widget.NewButtonWithIcon("Reconnect", theme.LoginIcon(), func() { w.startConnect() })
	reconnect.Importance = widget.HighImportance
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameWarning))
	bg.FillColor = withAlpha(theme.Color(theme.ColorNameWarning), 0x30)
	bg.CornerRadius = 8
	w.banner = container.NewStack(bg, container.NewPadded(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), reconnect, w.bannerText)))
	w.banner.Hide()

	demo := widget.NewLabelWithStyle("Demo data: these workspaces live in a built-in Notion emulator. Nothing is saved.", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	demo.Importance = widget.LowImportance
	w.demoBanner = demo
	if !w.deps.Demo {
		demo.Hide()
	}

	w.emptyBox = container.NewVBox()
	w.body = container.NewStack(w.list)

	top := container.NewVBox(
		w.demoBanner,
		w.banner,
		w.search,
		container.NewBorder(nil, nil, container.NewHBox(kindRow...), w.refreshBtn),
	)
	bottom := container.NewVBox(w.bar, w.status)
	main := container.NewBorder(top, bottom, nil, nil, w.body)

	split := container.NewHSplit(side, container.NewPadded(main))
	split.Offset = 0.26
	w.win.SetContent(split)
	w.win.Resize(fyne.NewSize(980, 660))
	w.win.Canvas().Focus(w.search)
	w.installShortcuts()
}

func withAlpha(c color.Color, a uint8) color.NRGBA {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// ---- Shortcuts ----

func (w *Window) installShortcuts() {
	mod := fyne.KeyModifierShortcutDefault
	w.shortcuts = map[string]func(){}
	add := func(key fyne.KeyName, fn func()) {
		sc := &desktop.CustomShortcut{KeyName: key, Modifier: mod}
		w.shortcuts[sc.ShortcutName()] = fn
		w.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { fn() })
	}
	focus := func() { w.win.Canvas().Focus(w.search) }
	add(fyne.KeyF, focus)
	add(fyne.KeyK, focus)
	add(fyne.KeyR, func() { w.refresh(false) })
	add(fyne.KeyN, func() { w.startConnect() })
	add(fyne.Key0, func() { w.selectWorkspace("") })
	for i, key := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9} {
		add(key, func() {
			if i < len(w.workspaces) {
				w.selectWorkspace(w.workspaces[i].ID)
			}
		})
	}
}

// handleShortcut runs an app shortcut typed while a widget (the search
// entry) has focus: Fyne gives such shortcuts to the focused widget only.
func (w *Window) handleShortcut(s fyne.Shortcut) bool {
	if fn, ok := w.shortcuts[s.ShortcutName()]; ok {
		fn()
		return true
	}
	return false
}

// ---- Selection, search, kind ----

func (w *Window) selectWorkspace(id string) {
	w.selected = id
	w.selectSidebarRow()
	w.runSearch(true)
	w.updateBanner()
	w.updateStatus()
	sel := id
	w.goBackground(func() { _ = w.core.SetPref("workspace", sel) })
}

func (w *Window) selectSidebarRow() {
	row := 0
	for i, ws := range w.workspaces {
		if ws.ID == w.selected {
			row = i + 1
		}
	}
	w.sidebar.Select(row)
}

func (w *Window) setKind(k app.Kind) {
	w.kind = k
	w.updateKindButtons()
	w.runSearch(true)
}

func (w *Window) updateKindButtons() {
	for k, b := range w.kindBtns {
		if k == w.kind {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
}

// runSearch filters the list; in memory, fast enough for every keystroke.
// A new query, kind or workspace starts at the top (reset); a background
// change keeps the highlighted item and the scroll position.
func (w *Window) runSearch(reset bool) {
	if !w.indexReady {
		w.updateBody()
		w.updateStatus()
		return
	}
	keep := ""
	if !reset && w.cursor >= 0 && w.cursor < len(w.results) {
		keep = w.results[w.cursor].ID
	}
	offset := w.list.GetScrollOffset()
	hits, err := w.core.Search(w.query, w.selected, w.kind, 0)
	if err != nil {
		w.setStatus(app.Explain(err))
		return
	}
	w.results = hits
	cursor := 0
	if keep != "" {
		for i, h := range hits {
			if h.ID == keep {
				cursor = i
				break
			}
		}
	}
	w.cursor = cursor
	w.list.UnselectAll()
	w.list.Refresh()
	if len(hits) > 0 {
		if reset {
			w.list.ScrollToTop()
		} else {
			w.list.ScrollToOffset(offset)
		}
		w.list.Select(cursor)
	}
	w.updateBody()
	w.updateStatus()
}

// ---- Status, banner, empty states ----

func (w *Window) setStatus(s string) { w.status.SetText(s) }

func (w *Window) updateStatus() {
	var syncing []app.Progress
	for id, p := range w.progress {
		if w.selected == "" || w.selected == id {
			syncing = append(syncing, p)
		}
	}
	if len(syncing) > 0 {
		w.bar.Show()
		w.bar.Start()
		items := 0
		names := make([]string, 0, len(syncing))
		for _, p := range syncing {
			items += p.Items
			names = append(names, p.Workspace)
		}
		w.setStatus(fmt.Sprintf("Syncing %s… %s items", strings.Join(names, ", "), app.Thousands(items)))
		return
	}
	w.bar.Stop()
	w.bar.Hide()
	if !w.loaded {
		w.setStatus("Loading…")
		return
	}
	var synced time.Time
	count := 0
	for _, ws := range w.workspaces {
		if w.selected != "" && ws.ID != w.selected {
			continue
		}
		if ws.LastError != "" {
			w.setStatus(ws.LastError)
			return
		}
		count += ws.Items
		if ws.Synced.After(synced) {
			synced = ws.Synced
		}
	}
	if len(w.workspaces) == 0 {
		w.setStatus("No workspaces connected")
		return
	}
	text := app.Thousands(count) + " items"
	if w.query != "" || w.kind != "" {
		text = app.Thousands(len(w.results)) + " of " + text
	}
	if !synced.IsZero() {
		text += " · synced " + app.Ago(w.now().Sub(synced))
	}
	w.setStatus(text)
}

func (w *Window) updateBanner() {
	var lost *app.WorkspaceInfo
	for i := range w.workspaces {
		ws := &w.workspaces[i]
		if ws.Status == app.StatusNeedsReconnect && (w.selected == "" || w.selected == ws.ID) {
			lost = ws
			break
		}
	}
	if lost == nil {
		w.banner.Hide()
		return
	}
	w.bannerText.SetText("Access to " + lost.Name + " was revoked or has expired")
	w.banner.Show()
}

// updateBody shows the list, or the welcome card, or "no results".
func (w *Window) updateBody() {
	var empty fyne.CanvasObject
	switch {
	case !w.loaded:
	case len(w.workspaces) == 0:
		empty = w.welcomeCard()
	case w.indexReady && len(w.results) == 0 && w.query != "":
		empty = w.noResults()
	case w.indexReady && len(w.results) == 0 && len(w.progress) == 0:
		empty = w.nothingShared()
	}
	if empty == nil {
		if len(w.body.Objects) != 1 || w.body.Objects[0] != w.list {
			w.body.Objects = []fyne.CanvasObject{w.list}
			w.body.Refresh()
		}
		return
	}
	w.emptyBox.Objects = []fyne.CanvasObject{layout.NewSpacer(), empty, layout.NewSpacer()}
	w.body.Objects = []fyne.CanvasObject{w.emptyBox}
	w.body.Refresh()
}

func (w *Window) welcomeCard() fyne.CanvasObject {
	lead := widget.NewLabelWithStyle("Welcome to Pagedeck", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	text := widget.NewLabel("Pagedeck lists every page and database your Notion workspaces share with it, " +
		"searchable as you type. Connect as many workspaces as you like; Enter opens a page in your browser or the Notion app.")
	text.Wrapping = fyne.TextWrapWord
	text.Alignment = fyne.TextAlignCenter
	objs := []fyne.CanvasObject{lead, text}
	if w.configured {
		b := widget.NewButtonWithIcon("Connect a Notion workspace", theme.ContentAddIcon(), func() { w.startConnect() })
		b.Importance = widget.HighImportance
		objs = append(objs, container.NewCenter(b))
	} else {
		how := widget.NewLabel("To connect, Pagedeck needs a Notion connection: register a public connection in Notion's " +
			"developer portal, then enter its client ID and secret in Settings (or set a token broker).")
		how.Wrapping = fyne.TextWrapWord
		how.Alignment = fyne.TextAlignCenter
		u, _ := url.Parse(ReadmeConnectionURL)
		link := widget.NewHyperlink("How to register a Notion connection", u)
		link.OnTapped = func() { w.openExternal(ReadmeConnectionURL) }
		settings := widget.NewButtonWithIcon("Open Settings", theme.SettingsIcon(), func() { w.showSettings() })
		settings.Importance = widget.HighImportance
		objs = append(objs, how, container.NewCenter(link), container.NewCenter(settings))
	}
	token := widget.NewButton("Or add an internal connection's token…", func() { w.showAddToken() })
	token.Importance = widget.LowImportance
	objs = append(objs, container.NewCenter(token))
	return container.NewPadded(widget.NewCard("", "", container.NewVBox(objs...)))
}

func (w *Window) noResults() fyne.CanvasObject {
	head := widget.NewLabelWithStyle(fmt.Sprintf("No pages match \"%s\".", w.query), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	hint := widget.NewLabel("Missing a page? Share it with Pagedeck in Notion, or")
	hint.Alignment = fyne.TextAlignCenter
	more := widget.NewButton("choose more pages", func() { w.startConnect() })
	more.Importance = widget.LowImportance
	return container.NewVBox(head, container.NewCenter(container.NewHBox(hint, more)))
}

func (w *Window) nothingShared() fyne.CanvasObject {
	head := widget.NewLabelWithStyle("Nothing shared yet", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	hint := widget.NewLabel("This workspace shares no pages with Pagedeck. Share pages with it in Notion, or")
	hint.Alignment = fyne.TextAlignCenter
	more := widget.NewButton("choose pages", func() { w.startConnect() })
	more.Importance = widget.LowImportance
	return container.NewVBox(head, container.NewCenter(container.NewHBox(hint, more)))
}

// ---- Refresh ----

// refresh syncs the selected workspace, or all of them.
func (w *Window) refresh(full bool) {
	sel := w.selected
	if len(w.workspaces) == 0 {
		return
	}
	// A refresh already under way covers this one.
	if _, busy := w.progress[sel]; busy || (sel == "" && len(w.progress) > 0) {
		return
	}
	w.goBackground(func() {
		var err error
		if sel == "" {
			_, err = w.core.SyncAll(w.ctx, full, nil)
		} else {
			_, err = w.core.Sync(w.ctx, sel, full, nil)
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			w.do(func() { w.handleSyncError(err) })
		}
	})
}

func (w *Window) handleSyncError(err error) {
	if errors.Is(err, app.ErrKeychainUnavailable) {
		w.showKeychainHelp(err)
	}
	// Other failures show in the status line and the sidebar marks.
}

// scheduleRefresh runs the background refresh every interval, replacing
// the schedule before it.
func (w *Window) scheduleRefresh() {
	if w.stopRefresh != nil {
		w.stopRefresh()
		w.stopRefresh = nil
	}
	every := w.settings.RefreshInterval
	if every <= 0 {
		return
	}
	ctx, stop := context.WithCancel(w.ctx)
	w.stopRefresh = stop
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				_ = w.core.AutoSync(ctx)
			}
		}
	}()
}

// ---- Opening ----

func (w *Window) openItem(h *app.Hit, mode app.OpenMode) {
	id := h.ID
	w.goBackground(func() {
		if err := w.core.Open(id, mode, w.deps.Opener); err != nil {
			w.do(func() { w.showError("Could not open the page", err) })
		}
	})
}

func (w *Window) openExternal(u string) {
	w.goBackground(func() { _ = w.deps.Opener.OpenURL(u) })
}

func (w *Window) copy(text string) {
	w.a.Clipboard().SetContent(text)
}

// sleep waits ms milliseconds or until ctx ends.
func sleep(ctx context.Context, ms int) {
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
