package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/notion/notiontest"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// A click on a workspace selects it on the first click, and the window's
// title names it. (A row that took only right clicks once swallowed every
// left click: the fixture's click delivers input as the driver does.)
func TestClickingASidebarRowSelectsIt(t *testing.T) {
	f := newFixture(t, nil)
	a := f.seedConnected("Acme", 4, 60)
	b := f.seedConnected("Home", 5, 40)
	f.open()
	if got := f.w.Window().Title(); got != "Pagedeck" {
		t.Errorf("title = %q at start", got)
	}
	f.clickOn(f.sidebarRow("Home").TapRow)
	if f.w.st.Selected != b || f.w.Window().Title() != "Home — Pagedeck" {
		t.Fatalf("after a click on Home: selected %q, title %q", f.w.st.Selected, f.w.Window().Title())
	}
	for _, h := range f.w.views.results.hits {
		if h.WorkspaceID != b {
			t.Fatal("Home's view lists another workspace's item")
		}
	}
	if !f.sidebarRow("Home").Selected() || f.sidebarRow("All workspaces").Selected() {
		t.Error("the sidebar does not show Home as selected")
	}
	if f.canvas().Focused() != f.w.views.bar.entry {
		t.Error("a click in the sidebar took the focus from the search box")
	}
	f.clickOn(f.sidebarRow("Acme").TapRow)
	if f.w.st.Selected != a || f.w.Window().Title() != "Acme — Pagedeck" {
		t.Errorf("after a click on Acme: selected %q, title %q", f.w.st.Selected, f.w.Window().Title())
	}
	f.clickOn(f.sidebarRow("All workspaces").TapRow)
	if f.w.st.Selected != "" || f.w.Window().Title() != "Pagedeck" {
		t.Errorf("after a click on All: selected %q, title %q", f.w.st.Selected, f.w.Window().Title())
	}
	// The All view names each row's workspace.
	if sub := f.visibleRows()[0].place.String(); !strings.Contains(sub, "Acme") && !strings.Contains(sub, "Home") {
		t.Errorf("All view row subtitle %q lacks the workspace", sub)
	}
	// The choice is remembered for the next start.
	f.clickOn(f.sidebarRow("Home").TapRow)
	f.pump("the preference", func() bool { return f.core.Pref("workspace") == b })
}

func TestCtrlNumberSelectsWorkspaces(t *testing.T) {
	f := newFixture(t, nil)
	a := f.seedConnected("Acme", 4, 30)
	b := f.seedConnected("Home", 5, 30)
	f.open()
	for _, c := range []struct {
		key  fyne.KeyName
		want string
	}{{fyne.Key1, a}, {fyne.Key2, b}, {fyne.Key0, ""}, {fyne.Key9, ""}} {
		f.shortcut(c.key, 0)
		if f.w.st.Selected != c.want {
			t.Errorf("Ctrl+%s selected %q, want %q", c.key, f.w.st.Selected, c.want)
		}
	}
	// With nothing focused, the canvas takes the shortcut.
	f.canvas().Unfocus()
	f.shortcut(fyne.Key2, 0)
	if f.w.st.Selected != b {
		t.Errorf("Ctrl+2 with nothing focused selected %q", f.w.st.Selected)
	}
}

// Tab reaches the sidebar rows, the focused row shows a ring, Up and Down
// walk the rows, and Enter selects.
func TestKeyboardReachesTheSidebar(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 4, 30)
	b := f.seedConnected("Home", 5, 30)
	f.open()
	var row *widgets.TapRow
	for range 20 {
		f.key(fyne.KeyTab)
		if r, ok := f.canvas().Focused().(*widgets.TapRow); ok {
			row = r
			break
		}
	}
	if row == nil {
		t.Fatal("Tab never reached a sidebar row")
	}
	if !ringVisible(row) {
		t.Error("the focused row shows no focus ring")
	}
	// Walk down to Home and select it with Enter.
	for range 5 {
		if f.canvas().Focused() == f.sidebarRow("Home").TapRow {
			break
		}
		f.key(fyne.KeyDown)
	}
	if f.canvas().Focused() != f.sidebarRow("Home").TapRow {
		t.Fatal("Down did not reach Home")
	}
	if ringVisible(row) && row != f.sidebarRow("Home").TapRow {
		t.Error("the ring stayed on the row the focus left")
	}
	f.key(fyne.KeyReturn)
	if f.w.st.Selected != b {
		t.Errorf("Enter on Home selected %q", f.w.st.Selected)
	}
}

// ringVisible says whether the row draws its focus ring: a shown outline
// in the theme's focus colour.
func ringVisible(r *widgets.TapRow) bool {
	for _, o := range test.WidgetRenderer(r).Objects() {
		if rect, ok := o.(*canvas.Rectangle); ok && rect.Visible() && rect.StrokeWidth > 0 && rect.StrokeColor == widgets.ThemeColor(theme.ColorNameFocus) {
			return true
		}
	}
	return false
}

// Refresh and Full sync from a workspace's menu sync it without changing
// what the window shows.
func TestWorkspaceMenuRefreshKeepsTheView(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 4, 30)
	b := f.seedConnected("Home", 5, 30)
	f.open()
	f.rightClick(f.centre(f.sidebarRow("Home").TapRow))
	calls := f.Emu.Count("POST", "/v1/search")
	f.clickMenuItem("Full sync")
	f.pump("the sync", func() bool { return f.Emu.Count("POST", "/v1/search") > calls && len(f.w.st.Progress) == 0 })
	if f.w.st.Selected != "" || f.w.Window().Title() != "Pagedeck" {
		t.Errorf("a refresh from Home's menu switched the view to %q", f.w.st.Selected)
	}
	w, _ := f.core.Resolve(b)
	if w.FullSynced.IsZero() {
		t.Error("Full sync did not run a full sync of Home")
	}
	// The ⋮ button opens the same menu.
	f.clickOn(f.sidebarRow("Home").more)
	if !strings.Contains(f.texts(), "Disconnect…") {
		t.Errorf("the ⋮ button shows no menu:\n%s", f.texts())
	}
}

func TestSidebarMarksSyncState(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 6, 50)
	f.open()
	if r := f.sidebarRow("Acme"); r.status != "synced" {
		t.Fatalf("mark = %q", r.status)
	}
	toks, _ := f.Vault.Load(t.Context(), ws)
	f.Emu.RevokeToken(toks.Access.Reveal())
	f.shortcut(fyne.KeyR, 0)
	f.pump("the mark", func() bool { return f.sidebarRow("Acme").status == "needs reconnect" })
	if !f.w.views.banners.reconnect.Visible() || !strings.Contains(f.w.views.banners.lostText.Text, "Access to Acme was revoked") {
		t.Errorf("no reconnect banner: %q", f.w.views.banners.lostText.Text)
	}
	if n := apptest.ItemCount(f.core, ws); len(f.w.views.results.hits) != n || n == 0 {
		t.Errorf("the cached items went: %d shown of %d", len(f.w.views.results.hits), n)
	}
	// Reconnect runs the flow: the consent URL goes to the browser.
	f.Emu.SetAutoApprove(ws)
	f.op.follow = true
	f.clickOn(f.button("Reconnect"))
	f.pump("the reconnection", func() bool { return f.w.connect == nil && !f.w.views.banners.reconnect.Visible() })
	if w, _ := f.core.Resolve(ws); w.Status != app.StatusOK {
		t.Errorf("status after reconnect = %s", w.Status)
	}
}

// A refresh the person asked for says when it is done, and what changed.
func TestRefreshSaysWhenDone(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 11, 30)
	f.open()
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Brand new page", URL: "https://www.notion.so/brand-new", LastEdited: time.Now()})
	f.shortcut(fyne.KeyR, 0)
	f.pump("the confirmation", func() bool { return f.w.views.status.current() == "Refreshed Acme: 1 item changed" })
}
