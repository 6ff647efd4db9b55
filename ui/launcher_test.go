package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/hotkey"
	"github.com/pagedeck/pagedeck/ui/dialogs"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// The hotkey shows Quick Open, with its box focused; a query and Enter
// open the command line's first result and hide it; Esc hides it; Tab
// walks the workspaces.
func TestQuickOpen(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.hotkeys = &fakeHotkeys{} })
	f.seedConnected("Acme", 31, 60)
	home := f.seedConnected("Home", 32, 40)
	f.open()
	f.pump("the hotkey", func() bool { keys, _ := f.hotkeys.registered(); return len(keys) == 1 && f.w.launch.hotkeyLabel != "" })
	if keys, _ := f.hotkeys.registered(); keys[0] != hotkey.Default() {
		t.Fatalf("registered %v", keys)
	}
	f.hotkeys.press()
	f.q.drain()
	q := f.w.launch.quick
	if q == nil || !q.shown || q.win.Title() != QuickOpenTitle {
		t.Fatal("the hotkey did not show Quick Open")
	}
	f.cv = q.win.Canvas()
	if f.canvas().Focused() != q.entry {
		t.Fatal("Quick Open's box does not have the focus")
	}
	if n := len(q.results.hits); n != quickRows {
		t.Errorf("%d results, want the top %d", n, quickRows)
	}
	f.typeText("plan")
	want, _ := apptest.SearchHits(f.core, "plan", "", "", 1)
	f.key(fyne.KeyReturn)
	f.pump("the open", func() bool { return len(f.op.opened()) == 1 })
	if got := f.op.opened()[0]; got != want[0].URL || q.shown {
		t.Errorf("opened %s (want %s); still shown %v", got, want[0].URL, q.shown)
	}
	// Again: empty, on All workspaces; Tab walks the scope; Esc hides.
	f.hotkeys.press()
	f.q.drain()
	if !q.shown || q.entry.Text != "" || q.ws != "" {
		t.Fatalf("shown again: %v, %q, scope %q", q.shown, q.entry.Text, q.ws)
	}
	f.key(fyne.KeyTab)
	f.key(fyne.KeyTab)
	if q.ws != home || q.scope.Text != "Home" {
		t.Errorf("two Tabs: scope %q (%s)", q.ws, q.scope.Text)
	}
	for _, h := range q.results.hits {
		if h.WorkspaceID != home {
			t.Fatal("Home's scope lists another workspace")
		}
	}
	f.key(fyne.KeyTab)
	if q.ws != "" || q.scope.Text != "All workspaces" {
		t.Errorf("a third Tab: scope %q", q.ws)
	}
	f.key(fyne.KeyDown)
	second := q.results.current()
	f.shortcut(fyne.KeyReturn, 0)
	f.pump("open in the app", func() bool { return len(f.op.opened()) == 2 })
	if got := f.op.opened()[1]; !strings.HasPrefix(got, "notion://") || !strings.HasSuffix(got, strings.TrimPrefix(second.URL, "https://")) {
		t.Errorf("Ctrl+Enter opened %s for %s", got, second.URL)
	}
	f.hotkeys.press()
	f.q.drain()
	f.key(fyne.KeyEscape)
	if q.shown {
		t.Error("Esc left Quick Open up")
	}
}

// A hotkey another program holds is said in the window, with the way
// around it.
func TestHotkeyTaken(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.hotkeys = &fakeHotkeys{err: hotkey.ErrTaken} })
	f.open()
	f.pump("the notice", func() bool { return f.w.views.banners.notice.Visible() })
	if txt := f.w.views.banners.noticeText.Text; !strings.Contains(txt, "taken by another program") || !strings.Contains(txt, "pagedeck quick") {
		t.Errorf("notice %q", txt)
	}
	f.fits("the hotkey notice")
	f.shortcut(fyne.KeyComma, 0)
	f.pump("settings", f.dialogOpen)
	if !strings.Contains(f.texts()+f.labels(), "taken by another program") {
		t.Error("Settings does not say the hotkey is taken")
	}
}

// Settings: the hotkey is checked as it is typed, saved, and grabbed again.
func TestHotkeyInSettings(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	f := newFixture(t, func(f *fixture) { f.hotkeys = &fakeHotkeys{} })
	f.open()
	f.pump("the hotkey", func() bool { keys, _ := f.hotkeys.registered(); return len(keys) == 1 })
	f.shortcut(fyne.KeyComma, 0)
	f.pump("settings", f.dialogOpen)
	save := f.button("Save").(*dialogs.Button)
	f.tabTo(func(o fyne.Focusable) bool {
		e, ok := o.(*dialogs.Entry)
		return ok && strings.Contains(e.PlaceHolder, "the default")
	})
	f.typeText("ctrl+banana")
	if !save.Disabled() || !strings.Contains(f.labels(), "banana") {
		t.Errorf("a bad hotkey: Save disabled %v\n%s", save.Disabled(), f.labels())
	}
	f.shortcut(fyne.KeyA, 0)
	f.typeText("ctrl+shift+k")
	if save.Disabled() {
		t.Fatalf("Save is off for ctrl+shift+k:\n%s", f.labels())
	}
	f.key(fyne.KeyReturn)
	f.pump("the new hotkey", func() bool { keys, _ := f.hotkeys.registered(); return len(keys) == 2 })
	if keys, freed := f.hotkeys.registered(); keys[1].String() != "ctrl+shift+k" || freed != 1 {
		t.Errorf("registered %v, freed %d", keys, freed)
	}
}

// Closing the window with a tray keeps Pagedeck running there, and says
// so the first time only; without a tray it quits.
func TestClosingTheWindow(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.tray = true })
	f.seedConnected("Acme", 33, 20)
	f.open()
	want := fyne.NewNotification("Pagedeck is still running", "It stays in the tray. Quit it from the tray's menu.")
	test.AssertNotificationSent(t, want, func() {
		f.w.closeWindow()
		f.pump("the note", func() bool { return f.core.Pref(prefTrayTold) != "" })
		f.settle()
	})
	if f.quits != 0 || !f.w.launch.hidden {
		t.Errorf("with a tray: quits %d, hidden %v", f.quits, f.w.launch.hidden)
	}
	test.AssertNotificationSent(t, nil, func() {
		f.w.showMain()
		f.w.closeWindow()
		f.settle()
	})
	if f.w.launch.trayShown == nil || !strings.Contains(menuText(f.w.launch.trayShown), "Quick Open") || !strings.Contains(menuText(f.w.launch.trayShown), "Quit") {
		t.Errorf("tray menu:\n%s", menuText(f.w.launch.trayShown))
	}

	g := newFixture(t, nil)
	g.open()
	g.w.closeWindow()
	if g.quits != 1 {
		t.Errorf("without a tray: quits %d", g.quits)
	}
}

// The tray lists the pinned and most used pages, first, up to ten.
func TestTrayMenuItems(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.tray = true })
	ws := f.seedConnected("Acme", 34, 60)
	f.open()
	hits, _ := apptest.SearchHits(f.core, "", ws, "", 0)
	if err := f.core.SetPinned(hits[30].ID, true); err != nil {
		t.Fatal(err)
	}
	f.w.updateTray()
	items := f.w.launch.trayShown.Items
	if items[3].Label != "★ "+widgets.Ellipsize(app.DisplayTitle(hits[30].Title), 48) {
		t.Errorf("first page in the tray: %q", items[3].Label)
	}
	pages := 0
	for _, it := range items {
		if !it.IsSeparator && it.Label != "" && it.Label != "Open Pagedeck" && !strings.HasPrefix(it.Label, "Quick Open") && it.Label != "Refresh all" && it.Label != "Quit" {
			pages++
		}
	}
	if pages != trayItems {
		t.Errorf("%d pages in the tray, want %d:\n%s", pages, trayItems, menuText(f.w.launch.trayShown))
	}
	items[3].Action()
	f.pump("the open", func() bool { return len(f.op.opened()) == 1 })
	if f.op.opened()[0] != hits[30].URL {
		t.Errorf("the tray opened %s", f.op.opened()[0])
	}
}

func menuText(m *fyne.Menu) string {
	if m == nil {
		return ""
	}
	var b strings.Builder
	for _, it := range m.Items {
		b.WriteString(it.Label + "\n")
	}
	return b.String()
}

// A bad PAGEDECK_HOTKEY is a notice in the window, which grabs the hotkey
// it would have used without it.
func TestHotkeyFromEnvIgnored(t *testing.T) {
	cfg, err := app.ConfigFromEnv(func(k string) string {
		if k == app.EnvHotkey {
			return "alt+tab"
		}
		return ""
	})
	if err != nil {
		t.Fatalf("ConfigFromEnv with a bad hotkey: %v", err)
	}
	f := newFixture(t, func(f *fixture) {
		f.hotkeys = &fakeHotkeys{}
		f.Config.Hotkey, f.Config.HotkeyProblem = cfg.Hotkey, cfg.HotkeyProblem
	})
	f.open()
	f.pump("the hotkey", func() bool { keys, _ := f.hotkeys.registered(); return len(keys) == 1 && f.w.launch.hotkeyLabel != "" })
	if keys, _ := f.hotkeys.registered(); keys[0] != hotkey.Default() {
		t.Errorf("registered %v, want the default", keys[0])
	}
	f.pump("the notice", func() bool { return f.w.views.banners.notice.Visible() })
	if txt := f.w.views.banners.noticeText.Text; !strings.Contains(txt, "PAGEDECK_HOTKEY") || !strings.Contains(txt, "switches windows") || !strings.Contains(txt, f.w.launch.hotkeyLabel) {
		t.Errorf("notice %q", txt)
	}
	f.fits("the hotkey notice")
}
