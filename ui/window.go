package ui

import (
	"context"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/hotkey"
	"github.com/pagedeck/pagedeck/app/icons"
	"github.com/pagedeck/pagedeck/ui/dialogs"
	"github.com/pagedeck/pagedeck/ui/view"
	"github.com/pagedeck/pagedeck/ui/widgets"
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
	// Quit ends the app (Ctrl+Q); default: the Fyne app's Quit.
	Quit func()
	// Tray: the desktop shows tray icons, so Pagedeck puts one there and
	// closing the window keeps it running.
	Tray bool
	// Hotkeys registers the global Quick Open hotkey; nil: no hotkey.
	Hotkeys hotkey.Registrar
}

// Window is Pagedeck's main window. It owns the state every view shows and
// is the only one that calls the Core; views and dialogs report what the
// person did through callbacks.
type Window struct {
	a    fyne.App
	win  fyne.Window
	core *app.Core
	deps Deps

	ctx         context.Context
	cancel      context.CancelFunc
	unsubscribe func()
	bg          sync.WaitGroup // background work, which Close waits for

	// What the window shows, as plain data; touched only on the UI
	// goroutine. The views are drawn from it.
	st          view.State
	connect     *dialogs.Connect
	stopRefresh context.CancelFunc
	closed      bool
	// crawlPacer: a crawl's progress redraws at most once per crawlPaint.
	crawlPacer  struct{ scheduled, dirty bool }
	rowsAsked   int // the newest table query; an older answer is dropped
	outboxAsked int // the newest read of the outbox; an older one is dropped
	glanceCache glances

	launch launcher // Quick Open, the hotkey and the tray

	views views // the widgets, drawn from st
}

// views are the window's widgets, one per view; the window draws them from
// its state and wires their callbacks.
type views struct {
	icons    *iconStore
	tips     *widgets.Tooltips
	side     *sidebar
	bar      *searchBar
	results  *resultsView
	status   *statusBar
	banners  *banners
	body     *fyne.Container // the list area and the preview
	listArea *fyne.Container // the results, or an empty state
	preview  *previewPane
	table    *rowsTable // a database's rows, shown in place of the results; nil when none
	outbox   *outboxPanel
	main     *fyne.Container // banners, search bar, body, status
	modals   *dialogs.Stack  // open dialogs
	keys     *shortcuts
}

func (w *Window) do(fn func())   { w.deps.Do(fn) }
func (w *Window) now() time.Time { return w.deps.Now() }

// launcher is the launcher side's state: Quick Open, the global hotkey
// and the tray.
type launcher struct {
	quick        *quickOpen
	hasTray      bool
	hidden       bool // the main window is hidden (in the tray, or --hidden)
	keepInTray   bool
	hotkeyLabel  string // "Ctrl+Alt+Space", "" while none is registered
	hotkeyErr    error  // why the hotkey could not be registered
	unregisterHK func()
	trayShown    *fyne.Menu
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
	if deps.Quit == nil {
		deps.Quit = a.Quit
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &Window{
		a: a, core: core, deps: deps, ctx: ctx, cancel: cancel,
		st: view.New(),
	}
	w.st.Settings = app.Settings{OpenIn: app.OpenInBrowser, RefreshInterval: app.DefaultRefreshInterval}
	w.win = a.NewWindow("Pagedeck")
	w.launch.hasTray = deps.Tray
	w.views.icons = newIconStore(ctx, deps.Icons, w.do, w.background, func() {
		w.views.results.refresh()
		w.drawSidebar()
	})
	w.views.icons.warm()
	w.build()
	w.unsubscribe = core.Subscribe(func(e app.Event) { w.do(func() { w.onEvent(e) }) })
	w.win.SetCloseIntercept(w.closeWindow)
	w.start()
	return w
}

// Window is the Fyne window.
func (w *Window) Window() fyne.Window { return w.win }

// Close saves the window's place, stops background work and closes it.
func (w *Window) Close() {
	if w.closed {
		return
	}
	w.closed = true
	w.savePrefs()
	w.unsubscribe()
	w.cancel()
	if w.launch.unregisterHK != nil {
		w.launch.unregisterHK()
	}
	if w.launch.quick != nil {
		w.launch.quick.win.Close()
	}
	w.win.Close()
	// Syncs see the cancel and stop; nothing may touch the data directory
	// once the window is gone.
	w.bg.Wait()
}

// background runs fn off the UI goroutine; Close waits for it.
func (w *Window) background(fn func()) {
	w.bg.Add(1)
	go func() {
		defer w.bg.Done()
		fn()
	}()
}

// build assembles the views into the window.
func (w *Window) build() {
	w.views.tips = widgets.NewTooltips(w.do)
	w.views.modals = dialogs.NewStack(w.win)
	w.views.keys = newShortcuts(w.views.modals, w.shortcutActions())
	w.views.side = newSidebar(w.views.icons, w.views.tips, sidebarActions{
		selectWorkspace: w.selectWorkspace,
		menu:            w.workspaceMenu,
		connect:         w.startConnect,
		addToken:        w.showAddToken,
		settings:        w.showSettings,
	})
	w.views.bar = newSearchBar(w.views.tips, w.views.keys, searchActions{
		query:   w.setQuery,
		kind:    w.setKind,
		refresh: func() { w.refresh(w.st.Selected, false) },
		escape: func() {
			switch {
			case w.views.preview.visible():
				w.togglePreview()
			case w.views.table != nil:
				w.closeRows()
			}
		},
	})
	w.views.results = newResultsView(w.views.icons, w.now, resultActions{
		open:          w.openResult,
		menu:          w.itemMenu,
		workspaceName: w.rowWorkspaceName,
		moved:         func() { w.previewFollows() },
		glance:        w.glance,
	})
	w.views.bar.drive(w.views.results)
	w.views.status = newStatusBar(w.ctx, w.do, w.background)
	w.views.banners = newBanners(w.deps.Demo, w.startConnect, w.views.tips, func() { w.views.main.Refresh() })
	w.views.listArea = container.NewStack(w.views.results.object())
	w.views.preview = w.newPreview()
	w.views.body = container.New(widgets.PreviewLayout{}, w.views.listArea, w.views.preview.object())

	top := container.NewVBox(w.views.banners.object(), w.views.bar.object())
	w.views.outbox = w.newOutboxPanel()
	main := container.NewBorder(top, container.NewVBox(w.views.outbox.object(), w.views.status.object()), nil, nil, w.views.body)
	w.views.main = main
	content := widgets.NewSplit(w.views.side.object(), container.NewPadded(main))
	w.win.SetContent(container.NewStack(content, w.views.tips.Layer))
	w.views.keys.install(w.win.Canvas())
	w.win.Canvas().Focus(w.views.bar.entry)
	// The window's last size and workspace, read before it shows so it
	// never jumps (a small read; the keychain waits for start).
	w.win.Resize(fyne.NewSize(prefFloat(w.core.Pref("window.width"), 980), prefFloat(w.core.Pref("window.height"), 660)))
	w.st.Selected = w.core.Pref("workspace")
	w.launch.keepInTray = w.core.Pref(prefKeepInTray) != "off"
	if r := w.core.Recovered(); r != nil {
		w.views.banners.showNotice(r.String())
		w.views.main.Refresh()
	}
}

// shortcutActions are what the window's keys do.
func (w *Window) shortcutActions() shortcutActions {
	return shortcutActions{
		focusSearch: func() { w.views.bar.entry.focusAndSelect() },
		search:      func(k *fyne.KeyEvent) { w.views.bar.entry.TypedKey(k) },
		typeRune: func(r rune) {
			w.views.bar.entry.focusAndSelect()
			w.views.bar.entry.TypedRune(r)
		},
		refresh:       func(full bool) { w.refresh(w.st.Selected, full) },
		connect:       w.startConnect,
		settings:      w.showSettings,
		quit:          w.quit,
		close:         w.closeWindow,
		copyLink:      w.copyCurrentLink,
		togglePin:     w.togglePin,
		togglePreview: w.togglePreview,
		capture:       w.captureCurrent,
		openCurrent:   func(mode app.OpenMode) { w.views.results.openCurrent(mode) },
		selectWorkspace: func(i int) {
			switch {
			case i < 0:
				w.selectWorkspace("")
			case i < len(w.st.Workspaces):
				w.selectWorkspace(w.st.Workspaces[i].ID)
			}
		},
	}
}

// start loads what the window shows, off the UI goroutine.
func (w *Window) start() {
	w.background(func() {
		// One read of the settings (and of the keychain, which may prompt).
		settings, _ := w.core.Settings(w.ctx)
		w.do(func() {
			w.st.Configured = settings.Configured
			if settings.OpenIn != "" {
				w.st.Settings = settings
			}
			w.scheduleRefresh()
		})
		w.reloadWorkspaces()
		w.loadIndex()
		w.reloadOutbox() // what an earlier run or the command line left waiting
		w.reloadCaptureTarget()
		w.do(w.updateTray)
		// A crawl cut short by a quit goes on where it stopped.
		if ws, err := w.core.Workspaces(); err == nil {
			for _, x := range ws {
				w.crawl(x.ID)
			}
		}
	})
	// In broker mode, changes arrive as Notion sends them.
	w.background(func() { w.core.RunLive(w.ctx, app.LiveOptions{}) })
	w.registerHotkey()
	// Keep "synced 2 min ago" and "edited 3 h ago" true.
	w.background(func() {
		tick := time.NewTicker(30 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-w.ctx.Done():
				return
			case <-tick.C:
				w.do(func() {
					w.updateStatus()
					w.views.results.refresh()
				})
			}
		}
	})
}

// loadIndex reads the cached items into memory, off the UI goroutine; when
// the file is busy it says so and tries again, so no keystroke ever waits
// on the disk.
func (w *Window) loadIndex() {
	for {
		err := w.core.LoadIndex()
		if err == nil {
			w.do(func() {
				w.st.IndexReady = true
				w.runSearch(false)
			})
			return
		}
		w.do(func() {
			w.views.status.set("Could not read the cached pages: " + app.Explain(err) + " Trying again…")
		})
		if !sleep(w.ctx, 3*time.Second) {
			return
		}
	}
}

func prefFloat(s string, def float32) float32 {
	f, err := strconv.ParseFloat(s, 32)
	if err != nil || f < 200 || f > 20000 {
		return def
	}
	return float32(f)
}

func (w *Window) savePrefs() {
	size := w.win.Canvas().Size()
	if size.Width < 200 || size.Height < 200 {
		return // never shown
	}
	_ = w.core.SetPrefs(map[string]string{
		"window.width":  strconv.Itoa(int(size.Width)),
		"window.height": strconv.Itoa(int(size.Height)),
		"workspace":     w.st.Selected,
	})
}

// sleep waits d or until ctx ends, and reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
