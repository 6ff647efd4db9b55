package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/hotkey"
	"github.com/pagedeck/pagedeck/app/icons"
	"github.com/pagedeck/pagedeck/notion/notiontest"
	"github.com/pagedeck/pagedeck/ui/dialogs"
	_ "github.com/pagedeck/pagedeck/ui/localefix" // quiet Fyne's locale noise in test logs
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// The one fixture every UI test shares: a real Core on a real bbolt file,
// the Notion emulator on loopback, the in-memory vault, and a window whose
// background work comes back through a queue the test goroutine drains.
// Input goes in the way Fyne's desktop driver delivers it (see click, key,
// shortcut): tests click and type, they never call OnSelected and friends.

// uiQueue stands in for fyne.Do: background work queues UI changes and the
// test goroutine, which owns the widgets, runs them. Deterministic and
// race-free.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *uiQueue) push(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
}

func (q *uiQueue) drain() int {
	q.mu.Lock()
	fns := q.fns
	q.fns = nil
	q.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
	return len(fns)
}

// opener records what the window asked to open; it can also play the
// browser on the consent page, or fail like a system with no browser.
type opener struct {
	mu     sync.Mutex
	urls   []string
	follow bool  // load the URL, following redirects, like a browser
	err    error // what OpenURL answers
	// loads are the browser's loads under way: the window may ask from
	// the goroutine that drains its queue, so the browser loads on its
	// own, and the test's end waits for it.
	loads sync.WaitGroup
}

func (o *opener) OpenURL(u string) error {
	o.mu.Lock()
	o.urls = append(o.urls, u)
	follow, err := o.follow, o.err
	o.mu.Unlock()
	if follow {
		o.loads.Go(func() { _ = (&apptest.Browser{}).OpenURL(u) })
	}
	return err
}

func (o *opener) opened() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.urls...)
}

type fixture struct {
	*apptest.World
	t       *testing.T
	tray    bool         // the desktop has a tray
	hotkeys *fakeHotkeys // the global hotkey; nil: none
	icons   *icons.Cache // image icons; nil: emoji and fallbacks only
	cv      fyne.Canvas  // where input goes; nil: the main window
	core    *app.Core
	q       *uiQueue
	op      *opener
	w       *Window
	demo    bool
	quits   int
}

// newFixture is an apptest.World shaped by opts, then by configure (the
// desktop's tray and hotkeys, the configuration), and the Core the window
// runs on.
func newFixture(t *testing.T, configure func(f *fixture), opts ...apptest.Option) *fixture {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(widgets.NewTheme())
	opts = append([]apptest.Option{
		apptest.WithEmulator(func(o *notiontest.Options) { o.SlowDelay = 3 * time.Second }),
		// The window keeps its index open between keystrokes, as in use.
		apptest.WithCoreOptions(func(o *app.Options) { o.Content.IndexIdle = 0 }),
	}, opts...)
	f := &fixture{World: apptest.New(t, opts...), t: t, q: &uiQueue{}, op: &opener{}}
	t.Cleanup(f.op.loads.Wait)
	if configure != nil {
		configure(f)
	}
	f.core = f.Core()
	return f
}

// addWorkspace adds a workspace with n generated items to the emulator.
func (f *fixture) addWorkspace(name, icon string, seed int64, n int) string {
	return f.AddWorkspaceSpec(notiontest.WorkspaceSpec{Name: name, Icon: icon}, seed, n)
}

// connectNoSync connects a workspace without its first sync, as if the
// app had quit right after connecting.
func (f *fixture) connectNoSync(ws string) {
	f.t.Helper()
	f.ConnectWith(f.core, ws, app.ConnectOptions{NoSync: true})
}

// seedConnected adds a workspace with items, connects and syncs it, as a
// previous session would have.
func (f *fixture) seedConnected(name string, seed int64, n int) string {
	f.t.Helper()
	ws := f.addWorkspace(name, "🚀", seed, n)
	f.connectNoSync(ws)
	f.sync(ws)
	return ws
}

// sync runs a full sync of ws and then the crawl of its changed pages, to
// the end. The window crawls what a sync changed in the background; having
// done it first, a test compares the window with a settled state: the
// window's own crawl finds nothing new, so no content match can arrive
// between what the window shows and what the test asks the Core.
func (f *fixture) sync(ws string) {
	f.t.Helper()
	if _, err := f.core.Sync(context.Background(), ws, true, nil); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.core.CrawlContent(context.Background(), ws, nil); err != nil {
		f.t.Fatal(err)
	}
}

// open shows the window at 980×660 and waits for its first load.
func (f *fixture) open() *Window {
	f.t.Helper()
	deps := Deps{Opener: f.op, Do: f.q.push, Demo: f.demo, Quit: func() { f.quits++ }, Tray: f.tray, Icons: f.icons}
	if f.hotkeys != nil {
		deps.Hotkeys = f.hotkeys
	}
	f.w = New(fyne.CurrentApp(), f.core, deps)
	f.w.views.tips.Delay = 10 * time.Millisecond
	f.w.Window().Resize(fyne.NewSize(980, 660))
	f.w.Window().Show()
	f.t.Cleanup(f.w.Close)
	f.pump("the first load", func() bool { return f.w.st.Loaded && f.w.st.IndexReady })
	f.w.Window().Resize(fyne.NewSize(980, 660))
	f.settle()
	return f.w
}

// pump runs queued UI work until cond holds.
func (f *fixture) pump(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		f.q.drain()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("timed out waiting for %s; status %q; on screen:\n%s", what, f.w.views.status.current(), f.texts())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// settle runs queued UI work until none comes for a moment.
func (f *fixture) settle() {
	quiet := 0
	for quiet < 10 {
		if f.q.drain() == 0 {
			quiet++
		} else {
			quiet = 0
		}
		time.Sleep(3 * time.Millisecond)
	}
}

// ---- Reading the screen ----

// walk visits visible objects depth first.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walk(c, fn)
		}
	}
}

func (f *fixture) canvas() fyne.Canvas {
	if f.cv != nil {
		return f.cv
	}
	return f.w.Window().Canvas()
}

func (f *fixture) roots() []fyne.CanvasObject {
	c := f.canvas()
	return append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...)
}

// visibleRows are the result rows on screen, top to bottom.
func (f *fixture) visibleRows() []*itemRow {
	var rows []*itemRow
	walk(f.w.views.results.list, func(o fyne.CanvasObject) {
		if r, ok := o.(*itemRow); ok && r.hit != nil {
			rows = append(rows, r)
		}
	})
	// The list reuses rows; order them by their item index.
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && rows[j].id < rows[j-1].id; j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
	return rows
}

func (f *fixture) visibleTitles() []string {
	var out []string
	for _, r := range f.visibleRows() {
		out = append(out, r.title.Text)
	}
	return out
}

// highlighted is the row drawn highlighted, or nil.
func (f *fixture) highlighted() *itemRow {
	for _, r := range f.visibleRows() {
		if r.on {
			return r
		}
	}
	return nil
}

// texts is every text on screen, dialogs included.
func (f *fixture) texts() string {
	var b strings.Builder
	for _, root := range f.roots() {
		walk(root, func(o fyne.CanvasObject) {
			switch x := o.(type) {
			case *widget.Button:
				b.WriteString("[" + x.Text + "]\n")
			case *dialogs.Button:
				b.WriteString("[" + x.Text + "]\n")
			case *widget.Hyperlink:
				b.WriteString("<" + x.Text + ">\n")
			case *canvas.Text:
				b.WriteString(x.Text + "\n")
			}
		})
	}
	return b.String()
}

// label is the full text of every label on screen (a cut label draws a
// shorter text; this is what it was given).
func (f *fixture) labels() string {
	var b strings.Builder
	for _, root := range f.roots() {
		walk(root, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok {
				b.WriteString(l.Text + "\n")
			}
		})
	}
	return b.String()
}

// button finds a button on screen by its label, or an icon button by its
// tip (in dialogs first).
func (f *fixture) button(text string) fyne.CanvasObject {
	f.t.Helper()
	roots := f.roots()
	for i := len(roots) - 1; i >= 0; i-- {
		var found fyne.CanvasObject
		walk(roots[i], func(o fyne.CanvasObject) {
			switch b := o.(type) {
			case *widget.Button:
				if b.Text == text && found == nil {
					found = b
				}
			case *dialogs.Button:
				if b.Text == text && found == nil {
					found = b
				}
			case *widgets.TipButton: // an icon button, by its tip
				if b.Tip == text && found == nil {
					found = b
				}
			}
		})
		if found != nil {
			return found
		}
	}
	f.t.Fatalf("no button %q on screen:\n%s", text, f.texts())
	return nil
}

// sidebarRow finds the sidebar row named name.
func (f *fixture) sidebarRow(name string) *wsRow {
	f.t.Helper()
	for _, r := range append([]*wsRow{f.w.views.side.all}, f.w.views.side.rows...) {
		if r.name.Text == name {
			return r
		}
	}
	f.t.Fatalf("no sidebar row %q", name)
	return nil
}

// abs is where o is on the fixture's canvas. (The test driver's own
// answer uses the window made last, which is Quick Open once it exists.)
func (f *fixture) abs(o fyne.CanvasObject) fyne.Position {
	f.t.Helper()
	for _, root := range f.roots() {
		if p, ok := positionIn(root, o, root.Position()); ok {
			return p
		}
	}
	f.t.Fatalf("%T is not on the canvas", o)
	return fyne.Position{}
}

// positionIn finds target under cur, which is at at on the canvas.
func positionIn(cur, target fyne.CanvasObject, at fyne.Position) (fyne.Position, bool) {
	if cur == target {
		return at, true
	}
	var kids []fyne.CanvasObject
	switch x := cur.(type) {
	case *fyne.Container:
		kids = x.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(x).Objects()
	}
	for _, k := range kids {
		if p, ok := positionIn(k, target, at.Add(k.Position())); ok {
			return p, true
		}
	}
	return fyne.Position{}, false
}

// centre is the middle of o on the canvas.
func (f *fixture) centre(o fyne.CanvasObject) fyne.Position {
	return f.abs(o).Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2))
}

// ---- Input, delivered the way Fyne's desktop driver delivers it ----

// target is what the driver hands a click at pos: the topmost object there
// that takes any tap, focus or mouse button, in the top overlay if one is
// open. It does not skip an object that takes only right clicks; that is
// how a row once swallowed every left click, and the tests must see it.
func (f *fixture) target(pos fyne.Position) (fyne.CanvasObject, fyne.Position) {
	return f.topmost(pos, func(o fyne.CanvasObject) bool {
		switch o.(type) {
		case fyne.Tappable, fyne.SecondaryTappable, fyne.DoubleTappable, fyne.Focusable, desktop.Mouseable:
			return true
		}
		return false
	})
}

// topmost is the last object drawn at pos that matches, as the driver
// finds it.
func (f *fixture) topmost(pos fyne.Position, matches func(fyne.CanvasObject) bool) (fyne.CanvasObject, fyne.Position) {
	root := f.canvas().Content()
	if top := f.canvas().Overlays().Top(); top != nil {
		root = top
	}
	var found fyne.CanvasObject
	var at fyne.Position
	var visit func(o fyne.CanvasObject, off fyne.Position, clipPos fyne.Position, clipSize fyne.Size)
	visit = func(o fyne.CanvasObject, off fyne.Position, clipPos fyne.Position, clipSize fyne.Size) {
		if !o.Visible() {
			return
		}
		p := off.Add(o.Position())
		inside := func(pos, tl fyne.Position, s fyne.Size) bool {
			return pos.X >= tl.X && pos.Y >= tl.Y && pos.X < tl.X+s.Width && pos.Y < tl.Y+s.Height
		}
		// As the driver does: an object outside its parent's bounds (a
		// table's headers sit in a container of no size) is still found,
		// so the walk goes on into children whatever the parent's size.
		if inside(pos, clipPos, clipSize) && inside(pos, p, o.Size()) && matches(o) {
			found, at = o, pos.Subtract(p)
		}
		var kids []fyne.CanvasObject
		switch x := o.(type) {
		case *fyne.Container:
			kids = x.Objects
		case fyne.Widget:
			kids = test.WidgetRenderer(x).Objects()
		}
		if _, scroll := o.(fyne.Scrollable); scroll {
			clipPos, clipSize = p, o.Size()
		}
		for _, k := range kids {
			visit(k, p, clipPos, clipSize)
		}
	}
	visit(root, fyne.NewPos(0, 0), fyne.NewPos(-1e6, -1e6), fyne.NewSize(2e6, 2e6))
	return found, at
}

// click is a left click at pos. Like the driver, an object that also takes
// double taps gets the click only after the double-tap delay; the fixture
// counts that as a click that did not arrive at once.
func (f *fixture) click(pos fyne.Position) {
	f.t.Helper()
	o, at := f.target(pos)
	if o == nil {
		return
	}
	if _, dbl := o.(fyne.DoubleTappable); dbl {
		f.t.Errorf("a click on %T waits for a possible double click", o)
		return
	}
	// The driver keeps the focus when the click lands on a focusable
	// object or inside one (the list under a row), else it unfocuses.
	c := f.canvas()
	if fo, ok := o.(fyne.Focusable); !ok || fo != c.Focused() {
		inside, _ := f.topmost(pos, func(o fyne.CanvasObject) bool { _, ok := o.(fyne.Focusable); return ok })
		if inside == nil {
			c.Unfocus()
		}
	}
	if t, ok := o.(fyne.Tappable); ok {
		t.Tapped(&fyne.PointEvent{Position: at, AbsolutePosition: pos})
	}
	f.q.drain()
}

// clickOn clicks the middle of o.
func (f *fixture) clickOn(o fyne.CanvasObject) { f.t.Helper(); f.click(f.centre(o)) }

// sideAction is the sidebar's action row that reads label.
func (f *fixture) sideAction(label string) fyne.CanvasObject {
	f.t.Helper()
	for _, a := range f.w.views.side.actions {
		found := false
		walk(a.Content, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok && l.Text == label {
				found = true
			}
		})
		if found {
			return a
		}
	}
	f.t.Fatalf("no sidebar action reads %q", label)
	return nil
}

// rightClick is a right click at pos.
func (f *fixture) rightClick(pos fyne.Position) {
	o, at := f.target(pos)
	if t, ok := o.(fyne.SecondaryTappable); ok {
		t.TappedSecondary(&fyne.PointEvent{Position: at, AbsolutePosition: pos})
	}
	f.q.drain()
}

// key presses a key: Tab walks the focus, anything else goes to the focused
// widget, or to the canvas when nothing has the focus.
func (f *fixture) key(name fyne.KeyName) {
	c := f.canvas()
	ev := &fyne.KeyEvent{Name: name}
	switch {
	case name == fyne.KeyTab:
		if tb, ok := c.Focused().(fyne.Tabbable); ok && tb.AcceptsTab() {
			c.Focused().TypedKey(ev)
		} else {
			c.FocusNext()
		}
	case c.Focused() != nil:
		c.Focused().TypedKey(ev)
	case c.OnTypedKey() != nil:
		c.OnTypedKey()(ev)
	}
	f.q.drain()
}

// shortcut presses Ctrl (Cmd on macOS) with key and mods, as the driver
// turns it into a shortcut: to the focused widget if it takes shortcuts,
// else to the canvas.
func (f *fixture) shortcut(key fyne.KeyName, mods fyne.KeyModifier) {
	c := f.canvas()
	var sc fyne.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault | mods}
	if mods == 0 {
		switch key {
		case fyne.KeyA:
			sc = &fyne.ShortcutSelectAll{}
		case fyne.KeyC:
			sc = &fyne.ShortcutCopy{Clipboard: fyne.CurrentApp().Clipboard()}
		case fyne.KeyV:
			sc = &fyne.ShortcutPaste{Clipboard: fyne.CurrentApp().Clipboard()}
		case fyne.KeyX:
			sc = &fyne.ShortcutCut{Clipboard: fyne.CurrentApp().Clipboard()}
		case fyne.KeyZ:
			sc = &fyne.ShortcutUndo{}
		case fyne.KeyY:
			sc = &fyne.ShortcutRedo{}
		}
	}
	if s, ok := c.Focused().(fyne.Shortcutable); ok {
		s.TypedShortcut(sc)
	} else {
		c.(fyne.Shortcutable).TypedShortcut(sc)
	}
	f.q.drain()
}

// typeText types runes into whatever has the focus.
func (f *fixture) typeText(s string) {
	c := f.canvas()
	for _, r := range s {
		if fo := c.Focused(); fo != nil {
			fo.TypedRune(r)
		} else if c.OnTypedRune() != nil {
			c.OnTypedRune()(r)
		}
	}
	f.q.drain()
}

// paste puts s on the clipboard and pastes it with Ctrl+V.
func (f *fixture) paste(s string) {
	fyne.CurrentApp().Clipboard().SetContent(s)
	f.shortcut(fyne.KeyV, 0)
}

// clickMenuItem clicks the item labelled label in the open pop-up menu.
func (f *fixture) clickMenuItem(label string) {
	f.t.Helper()
	top := f.canvas().Overlays().Top()
	if top == nil {
		f.t.Fatalf("no menu is open")
	}
	var at fyne.CanvasObject
	walk(top, func(o fyne.CanvasObject) {
		if tx, ok := o.(*canvas.Text); ok && tx.Text == label && at == nil {
			at = tx
		}
	})
	if at == nil {
		f.t.Fatalf("no menu item %q:\n%s", label, f.texts())
	}
	f.click(f.centre(at))
}

// tabTo presses Tab until the focus is on what match accepts.
func (f *fixture) tabTo(match func(fyne.Focusable) bool) {
	f.t.Helper()
	for range 30 {
		if fo := f.canvas().Focused(); fo != nil && match(fo) {
			return
		}
		f.key(fyne.KeyTab)
	}
	f.t.Fatalf("Tab never reached it; the focus is on %T", f.canvas().Focused())
}

// hover moves the pointer to pos.
func hover(f *fixture, pos fyne.Position) {
	test.MoveMouse(f.canvas(), pos)
	f.q.drain()
}

// fakeHotkeys stands for the system's global hotkeys (app/hotkey tests the
// real X11 grab; .ci/gui presses it with xdotool): it records what was
// registered, and press plays the key.
type fakeHotkeys struct {
	mu    sync.Mutex
	keys  []hotkey.Hotkey
	fn    func()
	err   error
	freed int
}

func (r *fakeHotkeys) Register(_ context.Context, h hotkey.Hotkey, fn func()) (func(), error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return nil, r.err
	}
	r.keys = append(r.keys, h)
	r.fn = fn
	return func() { r.mu.Lock(); r.freed++; r.fn = nil; r.mu.Unlock() }, nil
}

// registered is every hotkey registered so far, and how many were freed.
func (r *fakeHotkeys) registered() ([]hotkey.Hotkey, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hotkey.Hotkey(nil), r.keys...), r.freed
}

func (r *fakeHotkeys) press() {
	r.mu.Lock()
	fn := r.fn
	r.mu.Unlock()
	if fn != nil {
		fn()
	}
}
