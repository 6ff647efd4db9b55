package ui

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion/notiontest"
	_ "github.com/pagedeck/pagedeck/ui/localefix" // quiet Fyne's locale noise in test logs
)

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
// browser on the consent page.
type opener struct {
	mu     sync.Mutex
	urls   []string
	follow bool // GET the URL, following redirects, like a browser
}

func (o *opener) OpenURL(u string) error {
	o.mu.Lock()
	o.urls = append(o.urls, u)
	follow := o.follow
	o.mu.Unlock()
	if follow {
		go func() {
			if resp, err := http.Get(u); err == nil {
				resp.Body.Close()
			}
		}()
	}
	return nil
}

func (o *opener) opened() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.urls...)
}

type fixture struct {
	t     *testing.T
	emu   *notiontest.Server
	core  *app.Core
	vault *auth.Memory
	q     *uiQueue
	op    *opener
	w     *Window
	cfg   app.Config
}

func newFixture(t *testing.T, configure func(f *fixture)) *fixture {
	t.Helper()
	test.NewTempApp(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	redirect := fmt.Sprintf("http://localhost:%d/callback", port)
	emu := notiontest.NewServer(notiontest.Options{RedirectURIs: []string{redirect}, RateLimit: -1})
	t.Cleanup(emu.Close)
	f := &fixture{t: t, emu: emu, vault: auth.NewMemory(), q: &uiQueue{}, op: &opener{}}
	f.cfg = app.Config{ClientID: emu.ClientID(), ClientSecret: app.Secret(emu.ClientSecret()), RedirectURI: redirect,
		NotionURL: emu.URL(), DataDir: t.TempDir(), KeyringService: "test"}
	if configure != nil {
		configure(f)
	}
	core, err := app.New(app.Options{Config: f.cfg, Vault: f.vault, RateLimit: rate.Inf, ConnectTimeout: 20 * time.Second,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	f.core = core
	return f
}

// seedConnected adds a workspace with items and connects it without a
// browser, as a previous session would have.
func (f *fixture) seedConnected(name string, seed int64, n int) string {
	f.t.Helper()
	ws := f.emu.AddWorkspace(notiontest.WorkspaceSpec{Name: name, Icon: "🚀"})
	if n > 0 {
		f.emu.Seed(ws, seed, n)
	}
	f.emu.SetAutoApprove(ws)
	b := &opener{follow: true}
	if _, err := f.core.Connect(context.Background(), b); err != nil {
		f.t.Fatal(err)
	}
	return ws
}

func (f *fixture) open() *Window {
	f.t.Helper()
	f.w = New(fyne.CurrentApp(), f.core, Deps{Opener: f.op, Do: f.q.push})
	f.w.Window().Resize(fyne.NewSize(980, 660))
	f.t.Cleanup(f.w.Close)
	f.pump("the first load", func() bool { return f.w.loaded && f.w.indexReady })
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
			f.t.Fatalf("timed out waiting for %s; status %q", what, f.w.status.Text)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

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

func (f *fixture) roots() []fyne.CanvasObject {
	c := f.w.Window().Canvas()
	roots := []fyne.CanvasObject{c.Content()}
	roots = append(roots, c.Overlays().List()...)
	return roots
}

// visibleRows are the result rows on screen, top to bottom.
func (f *fixture) visibleRows() []*itemRow {
	var rows []*itemRow
	walk(f.w.list, func(o fyne.CanvasObject) {
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

// texts is every label and button text on screen, dialogs included.
func (f *fixture) texts() string {
	var b strings.Builder
	for _, root := range f.roots() {
		walk(root, func(o fyne.CanvasObject) {
			switch x := o.(type) {
			case *widget.Label:
				b.WriteString(x.Text + "\n")
			case *widget.Button:
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

func (f *fixture) button(text string) *widget.Button {
	f.t.Helper()
	var found *widget.Button
	for _, root := range f.roots() {
		walk(root, func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.Button); ok && b.Text == text && found == nil {
				found = b
			}
		})
	}
	if found == nil {
		f.t.Fatalf("no button %q on screen:\n%s", text, f.texts())
	}
	return found
}

func (f *fixture) workspaceRows() []*workspaceRow {
	var rows []*workspaceRow
	walk(f.w.sidebar, func(o fyne.CanvasObject) {
		if r, ok := o.(*workspaceRow); ok && (r.isAll || r.ws != nil) {
			rows = append(rows, r)
		}
	})
	return rows
}

func shortcut(key fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
}

func TestWindowBasics(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 1, 200)
	w := f.open()
	if w.Window().Title() != "Pagedeck" {
		t.Errorf("title = %q", w.Window().Title())
	}
	if w.Window().Canvas().Focused() != w.search {
		t.Error("the search entry is not focused at start")
	}
	hits, _ := f.core.Search("", "", "", 0)
	titles := f.visibleTitles()
	if len(titles) < 5 || titles[0] != app.DisplayTitle(hits[0].Title) {
		t.Fatalf("visible rows %v, want the newest items first (%q)", titles, hits[0].Title)
	}
	status := w.status.Text
	if !strings.HasPrefix(status, app.Thousands(len(hits))+" items · synced ") {
		t.Errorf("status line = %q", status)
	}
}

func TestTypingFilters(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 2, 150)
	f.emu.AddItem(ws, notiontest.ItemSpec{Title: "Crème brûlée tasting at Zoë's café", URL: "https://www.notion.so/cafe"})
	f.emu.AddItem(ws, notiontest.ItemSpec{Title: "Q3 Roadmap", URL: "https://www.notion.so/q3"})
	if _, err := f.core.Sync(context.Background(), ws, true, nil); err != nil {
		t.Fatal(err)
	}
	f.open()
	test.Type(f.w.search, "zoes brulee")
	if got := f.visibleTitles(); len(got) != 1 || got[0] != "Crème brûlée tasting at Zoë's café" {
		t.Errorf("after typing: %v", got)
	}
	if !strings.HasPrefix(f.w.status.Text, "1 of ") {
		t.Errorf("status = %q", f.w.status.Text)
	}
	f.w.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.w.search.Text != "" || len(f.visibleTitles()) < 5 {
		t.Errorf("Esc did not clear: %q, %d rows", f.w.search.Text, len(f.visibleTitles()))
	}
	test.Type(f.w.search, "roadmap q3")
	if got := f.visibleTitles(); len(got) == 0 || got[0] != "Q3 Roadmap" {
		t.Errorf("word order: %v", got)
	}
}

func TestKindSwitch(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 3, 200)
	f.open()
	test.Tap(f.w.kindBtns[app.KindDatabase])
	rows := f.visibleRows()
	if len(rows) == 0 {
		t.Fatal("no databases shown")
	}
	for _, r := range rows {
		if r.badge.Text != "DATABASE" {
			t.Errorf("%q is a %s in the Databases view", r.title.Text, r.badge.Text)
		}
	}
	test.Tap(f.w.kindBtns[app.KindPage])
	for _, r := range f.visibleRows() {
		if r.badge.Text != "PAGE" {
			t.Errorf("%q is a %s in the Pages view", r.title.Text, r.badge.Text)
		}
	}
	test.Tap(f.w.kindBtns[""])
	kinds := map[string]bool{}
	all, _ := f.core.Search("", "", "", 0)
	if len(f.w.results) != len(all) {
		t.Errorf("All shows %d of %d", len(f.w.results), len(all))
	}
	for _, r := range f.visibleRows() {
		kinds[r.badge.Text] = true
	}
	if !kinds["PAGE"] {
		t.Error("All shows no pages")
	}
}

func TestSwitchWorkspace(t *testing.T) {
	f := newFixture(t, nil)
	a := f.seedConnected("Acme", 4, 60)
	b := f.seedConnected("Home", 5, 40)
	f.open()
	rows := f.workspaceRows()
	if len(rows) != 3 || rows[0].name.Text != "All workspaces" || rows[1].name.Text != "Acme" || rows[2].name.Text != "Home" {
		t.Fatalf("sidebar rows: %d", len(rows))
	}
	for _, r := range rows[1:] {
		if r.status != "synced" {
			t.Errorf("%s mark = %q", r.name.Text, r.status)
		}
	}
	// The All view names each row's workspace.
	if sub := f.visibleRows()[0].sub.Text; !strings.Contains(sub, "Acme") && !strings.Contains(sub, "Home") {
		t.Errorf("All view row subtitle %q lacks the workspace", sub)
	}

	// By click: tap the Home row.
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(rows[2])
	test.TapCanvas(f.w.Window().Canvas(), pos.Add(fyne.NewPos(30, 10)))
	if f.w.selected != b {
		t.Fatalf("clicking Home selected %q", f.w.selected)
	}
	for _, r := range f.w.results {
		if r.WorkspaceID != b {
			t.Fatal("Home's view lists another workspace's item")
		}
	}
	if want := app.Thousands(f.core.Count(b)) + " items"; !strings.HasPrefix(f.w.status.Text, want) {
		t.Errorf("status %q, want %q…", f.w.status.Text, want)
	}

	// By Ctrl+number, with the search entry focused (the usual case).
	f.w.search.TypedShortcut(shortcut(fyne.Key1))
	if f.w.selected != a {
		t.Errorf("Ctrl+1 selected %q", f.w.selected)
	}
	f.w.Window().Canvas().(fyne.Shortcutable).TypedShortcut(shortcut(fyne.Key2))
	if f.w.selected != b {
		t.Errorf("Ctrl+2 selected %q", f.w.selected)
	}
	f.w.search.TypedShortcut(shortcut(fyne.Key0))
	if f.w.selected != "" {
		t.Errorf("Ctrl+0 selected %q", f.w.selected)
	}
	f.w.search.TypedShortcut(shortcut(fyne.Key9))
	if f.w.selected != "" {
		t.Error("Ctrl+9 with two workspaces changed the selection")
	}
	// The last workspace is remembered.
	f.w.selectWorkspace(b)
	f.pump("the preference", func() bool { return f.core.Pref("workspace") == b })
}

func TestNeedsReconnectBanner(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 6, 50)
	f.open()
	if f.w.banner.Visible() {
		t.Fatal("banner shown for a healthy workspace")
	}
	before := len(f.w.results)
	toks, _ := f.vault.Load(context.Background(), ws)
	f.emu.RevokeToken(toks.Access.Reveal())
	f.w.search.TypedShortcut(shortcut(fyne.KeyR))
	f.pump("the banner", func() bool { return f.w.banner.Visible() })
	if f.w.bannerText.Text != "Access to Acme was revoked or has expired" {
		t.Errorf("banner = %q", f.w.bannerText.Text)
	}
	f.pump("the mark", func() bool {
		rows := f.workspaceRows()
		return len(rows) == 2 && rows[1].status == "needs reconnect"
	})
	if len(f.w.results) != before {
		t.Errorf("the cached items went: %d → %d", before, len(f.w.results))
	}
	// Reconnect runs the flow: the consent URL goes to the browser.
	f.emu.SetAutoApprove(ws)
	f.op.follow = true
	test.Tap(f.button("Reconnect"))
	f.pump("the reconnection", func() bool { return f.w.connect == nil && !f.w.banner.Visible() })
	if urls := f.op.opened(); len(urls) != 1 || !strings.HasPrefix(urls[0], f.emu.AuthorizeURL()+"?") {
		t.Errorf("opened %v", urls)
	}
	w, _ := f.core.Store().Workspace(ws)
	if w.Status != app.StatusOK {
		t.Errorf("status after reconnect = %s", w.Status)
	}
}

func TestWelcomeCard(t *testing.T) {
	f := newFixture(t, nil)
	f.open()
	txt := f.texts()
	if !strings.Contains(txt, "Welcome to Pagedeck") || !strings.Contains(txt, "[Connect a Notion workspace]") {
		t.Errorf("welcome card:\n%s", txt)
	}
	if f.w.status.Text != "No workspaces connected" {
		t.Errorf("status = %q", f.w.status.Text)
	}
	// The card's button connects.
	ws := f.emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Fresh"})
	f.emu.Seed(ws, 7, 30)
	f.emu.SetAutoApprove(ws)
	f.op.follow = true
	test.Tap(f.button("Connect a Notion workspace"))
	f.pump("the new workspace", func() bool { return f.w.selected == ws && len(f.w.workspaces) == 1 && len(f.w.results) > 0 })
	if strings.Contains(f.texts(), "Welcome to Pagedeck") {
		t.Error("the welcome card stayed")
	}
}

func TestWelcomeCardWithoutAConnection(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.cfg.ClientID, f.cfg.ClientSecret = "", "" })
	f.open()
	txt := f.texts()
	for _, want := range []string{"Welcome to Pagedeck", "client ID and secret in Settings", "<How to register a Notion connection>", "[Open Settings]"} {
		if !strings.Contains(txt, want) {
			t.Errorf("missing %q in:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "[Connect a Notion workspace]") {
		t.Error("offers to connect without a connection")
	}
	test.Tap(f.button("Open Settings"))
	f.pump("the settings dialog", func() bool { return strings.Contains(f.texts(), "Client secret") })
}

func TestNoResults(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 8, 40)
	f.open()
	test.Type(f.w.search, "qwxzv")
	txt := f.texts()
	if !strings.Contains(txt, `No pages match "qwxzv".`) || !strings.Contains(txt, "Missing a page? Share it with Pagedeck in Notion, or") {
		t.Fatalf("no-results state:\n%s", txt)
	}
	// "choose more pages" re-runs consent.
	f.emu.SetAutoApprove(ws)
	test.Tap(f.button("choose more pages"))
	f.pump("the consent URL", func() bool { return len(f.op.opened()) == 1 })
	if u := f.op.opened()[0]; !strings.HasPrefix(u, f.emu.AuthorizeURL()) {
		t.Errorf("opened %q", u)
	}
	test.Tap(f.button("Cancel"))
	f.pump("the end of the flow", func() bool { return f.w.connect == nil })
}

func TestOpening(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 9, 0)
	f.emu.AddItem(ws, notiontest.ItemSpec{Title: "Alpha", URL: "https://www.notion.so/acme/Alpha-1", LastEdited: time.Now().Add(-time.Hour)})
	f.emu.AddItem(ws, notiontest.ItemSpec{Title: "Beta", URL: "https://www.notion.so/acme/Beta-2", LastEdited: time.Now().Add(-2 * time.Hour)})
	if _, err := f.core.Sync(context.Background(), ws, true, nil); err != nil {
		t.Fatal(err)
	}
	f.open()
	// Enter opens the first match.
	f.w.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	f.pump("the first open", func() bool { return len(f.op.opened()) == 1 })
	// Down, then Enter, opens the second.
	f.w.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	f.w.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	f.pump("the second open", func() bool { return len(f.op.opened()) == 2 })
	f.w.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	// A tap opens too.
	test.Tap(f.visibleRows()[1])
	f.pump("the tap", func() bool { return len(f.op.opened()) == 3 })
	want := []string{"https://www.notion.so/acme/Alpha-1", "https://www.notion.so/acme/Beta-2", "https://www.notion.so/acme/Beta-2"}
	if got := f.op.opened(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("opened %v, want %v", got, want)
	}
	// The secondary menu: the Notion app, and the clipboard.
	row := f.visibleRows()[0]
	menu := f.w.itemMenu(row.hit)
	menu.Items[1].Action()
	f.pump("open in app", func() bool { return len(f.op.opened()) == 4 })
	if got := f.op.opened()[3]; got != "notion://www.notion.so/acme/Alpha-1" {
		t.Errorf("open in app: %q", got)
	}
	menu.Items[3].Action()
	if got := fyne.CurrentApp().Clipboard().Content(); got != "https://www.notion.so/acme/Alpha-1" {
		t.Errorf("copy link: %q", got)
	}
	menu.Items[4].Action()
	if got := fyne.CurrentApp().Clipboard().Content(); got != "Alpha" {
		t.Errorf("copy title: %q", got)
	}
}

func TestOpenRefusesUnsafeLinks(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 10, 0)
	f.emu.AddItem(ws, notiontest.ItemSpec{Title: "Evil", URL: "javascript:alert(1)"})
	_, _ = f.core.Sync(context.Background(), ws, true, nil)
	f.open()
	f.w.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	f.pump("the error dialog", func() bool { return strings.Contains(f.texts(), "Could not open the page") })
	if len(f.op.opened()) != 0 {
		t.Errorf("opened %v", f.op.opened())
	}
}

func TestCancelConnect(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 11, 10)
	f.open()
	f.w.search.TypedShortcut(shortcut(fyne.KeyN))
	f.pump("the consent URL", func() bool { return len(f.op.opened()) == 1 })
	txt := f.texts()
	if !strings.Contains(txt, "Finish in your browser") || !strings.Contains(txt, "[Copy link]") || !strings.Contains(txt, "[Cancel]") {
		t.Fatalf("connect dialog:\n%s", txt)
	}
	f.pump("Copy link enabled", func() bool { return !f.button("Copy link").Disabled() })
	test.Tap(f.button("Copy link"))
	if got := fyne.CurrentApp().Clipboard().Content(); got != f.op.opened()[0] {
		t.Errorf("Copy link put %q", got)
	}
	test.Tap(f.button("Cancel"))
	f.pump("the flow to end", func() bool { return f.w.connect == nil })
	if strings.Contains(f.texts(), "Finish in your browser") {
		t.Error("the dialog stayed")
	}
	// The listener is gone: the browser finds nothing.
	if resp, err := http.Get(f.cfg.RedirectURI + "?code=x&state=y"); err == nil {
		resp.Body.Close()
		t.Error("the callback still answers after Cancel")
	}
	// And a new flow can start.
	f.w.startConnect()
	f.pump("a second flow", func() bool { return len(f.op.opened()) == 2 })
	test.Tap(f.button("Cancel"))
	f.pump("the second flow to end", func() bool { return f.w.connect == nil })
}

func TestConnectDeniedDialog(t *testing.T) {
	f := newFixture(t, nil)
	f.emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	f.emu.SetAutoDeny(true)
	f.op.follow = true
	f.open()
	f.w.startConnect()
	f.pump("the denial", func() bool { return strings.Contains(f.texts(), "You cancelled on Notion's page") })
}

func TestStatusLineAfterSync(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 12, 120)
	f.open()
	f.emu.AddItem(ws, notiontest.ItemSpec{Title: "Brand new page", URL: "https://www.notion.so/new", LastEdited: time.Now().Add(time.Minute)})
	n := f.core.Count(ws) + 1
	f.w.refresh(false)
	want := app.Thousands(n) + " items · synced just now"
	f.pump("the status line", func() bool { return f.w.status.Text == want })
	if got := f.visibleTitles(); len(got) == 0 || got[0] != "Brand new page" {
		t.Errorf("the new page is not on top: %v", got)
	}
	// A failure shows in plain words, and the cache stays.
	f.emu.FailNext("/v1/search", 1, notiontest.FaultMalformedJSON)
	f.w.refresh(false)
	f.pump("the error", func() bool { return strings.Contains(f.w.status.Text, "could not read") })
	f.pump("the mark", func() bool { rows := f.workspaceRows(); return len(rows) == 2 && rows[1].status == "error" })
	if len(f.w.results) != n {
		t.Errorf("%d results after a failed sync, want %d", len(f.w.results), n)
	}
}

func TestKeychainUnavailableDialog(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 13, 20)
	f.open()
	f.vault.SetErr(fmt.Errorf("org.freedesktop.DBus.Error.ServiceUnknown"))
	f.w.refresh(false)
	f.pump("the keychain dialog", func() bool { return strings.Contains(f.texts(), "The keychain is unavailable") })
	if !strings.Contains(f.texts(), app.KeychainHint(nil)) {
		t.Errorf("the dialog does not say how to fix it:\n%s", f.texts())
	}
}

func TestBackgroundSyncKeepsYourPlace(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 14, 200)
	f.open()
	for range 5 {
		f.w.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	}
	if f.w.cursor != 5 {
		t.Fatalf("cursor = %d after five Downs", f.w.cursor)
	}
	picked := f.w.results[5].ID
	calls := f.emu.Count("POST", "/v1/search")
	f.w.refresh(true)
	f.pump("the sync", func() bool {
		return f.emu.Count("POST", "/v1/search") > calls && len(f.w.progress) == 0 && strings.Contains(f.w.status.Text, "synced just now")
	})
	f.pump("the reload", func() bool { return f.q.drain() == 0 })
	if f.w.results[f.w.cursor].ID != picked {
		t.Errorf("a background sync moved the highlight from %s to %s", picked, f.w.results[f.w.cursor].ID)
	}
}

func TestDisconnectFromTheWindow(t *testing.T) {
	f := newFixture(t, nil)
	a := f.seedConnected("Acme", 15, 40)
	b := f.seedConnected("Home", 16, 30)
	f.open()
	f.w.confirmDisconnect(a)
	test.Tap(f.button("Yes"))
	f.pump("Acme to go", func() bool { return len(f.w.workspaces) == 1 })
	f.pump("its items to go", func() bool {
		for _, r := range f.w.results {
			if r.WorkspaceID == a {
				return false
			}
		}
		return len(f.w.results) > 0
	})
	if f.emu.ActiveGrants(a) != 0 {
		t.Error("Acme's grant is still active")
	}
	// Revoking fails: the window offers to forget the workspace anyway.
	f.emu.FailNext("/v1/oauth/revoke", 20, notiontest.FaultServerError)
	f.w.confirmDisconnect(b)
	test.Tap(f.button("Yes"))
	f.pump("the offer", func() bool { return strings.Contains(f.texts(), "Could not revoke access to Home") })
	test.Tap(f.button("Yes"))
	f.pump("Home to go", func() bool { return len(f.w.workspaces) == 0 })
	if _, err := f.vault.Load(context.Background(), b); err == nil {
		t.Error("Home's token is still in the keychain")
	}
}
