package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"github.com/pagedeck/pagedeck/notion/notiontest"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// fits checks that, at the window's current size, the sidebar and the main
// area each get at least their minimum size: nothing is pushed over
// anything else, and nothing asks the window to grow.
func (f *fixture) fits(what string) {
	f.t.Helper()
	f.settle()
	content := f.canvas().Content()
	if m := content.MinSize(); m.Width > widgets.MinWindowWidth || m.Height > widgets.MinWindowHeight {
		f.t.Errorf("%s: the window's minimum grew to %v", what, m)
	}
	split := f.w.views.side.object()
	size := f.canvas().Size()
	side := widgets.SidebarWidthFor(size.Width)
	if m := split.MinSize(); m.Width > side+1 || m.Height > size.Height {
		f.t.Errorf("%s at %v: the sidebar needs %v but has %.0f wide", what, size, m, side)
	}
	main := f.w.views.main
	if m, got := main.MinSize(), main.Size(); m.Width > got.Width+1 || m.Height > got.Height+1 {
		f.t.Errorf("%s at %v: the main area needs %v but has %v", what, size, m, got)
	}
}

// Long queries, titles, names and messages are cut or wrapped; the window
// never grows because of them, and it stays usable at 480×360.
func TestLongTextNeverGrowsTheWindow(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.demo = true })
	long := strings.Repeat("Quarterly planning and retrospective notes ", 20)
	ws := f.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "A workspace with a very long name " + long, Icon: "🏢"})
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: long, URL: "https://www.notion.so/long"})
	f.Emu.Seed(ws, 3, 40)
	f.connectNoSync(ws)
	f.sync(ws)
	f.open()
	before := f.canvas().Size()
	f.fits("a long title and name")

	f.paste(strings.Repeat("x", 3000))
	f.fits("a 3,000-character paste")
	if !strings.Contains(f.labels(), "No pages match") {
		t.Errorf("the no-results state is not shown:\n%s", f.labels())
	}
	if got := f.canvas().Size(); got != before {
		t.Errorf("the paste resized the window from %v to %v", before, got)
	}
	f.status(long)
	f.fits("a long status line")

	for _, size := range []fyne.Size{{Width: 480, Height: 360}, {Width: 2560, Height: 1440}} {
		f.w.Window().Resize(size)
		f.fits("the no-results state")
		f.key(fyne.KeyEscape)
		f.fits("the list")
		// Access lost: the reconnect banner joins the demo banner.
		toks, _ := f.Vault.Load(t.Context(), ws)
		f.Emu.RevokeToken(toks.Access.Reveal())
		f.shortcut(fyne.KeyR, 0)
		f.pump("the banner", func() bool { return f.w.views.banners.reconnect.Visible() })
		f.fits("two banners")
		f.Emu.SetAutoApprove(ws)
		f.op.follow = true
		f.clickOn(f.button("Reconnect"))
		f.pump("the reconnection", func() bool { return f.w.connect == nil && !f.w.views.banners.reconnect.Visible() })
		f.paste(long)
	}
}

func (f *fixture) status(s string) { f.w.views.status.set(s) }

// The welcome card fits a small window too.
func TestWelcomeFitsASmallWindow(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.Config.ClientID, f.Config.ClientSecret = "", "" })
	f.open()
	f.w.Window().Resize(fyne.NewSize(480, 360))
	f.fits("the welcome card")
}

// On a wide screen the badge stays beside its title, and the sidebar keeps
// its width.
func TestWideWindowKeepsThingsTogether(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 8, 40)
	f.open()
	f.w.Window().Resize(fyne.NewSize(2560, 1440))
	f.settle()
	if w := f.w.views.side.object().Size().Width; w != widgets.SidebarWidth {
		t.Errorf("the sidebar is %.0f wide on a wide screen, want %d", w, widgets.SidebarWidth)
	}
	for _, r := range f.visibleRows() {
		natural := fyne.MeasureText(r.title.Text, 14, r.title.TextStyle).Width
		gap := r.badge.Position().X - (r.title.Position().X + natural)
		if gap > 40 || gap < 0 {
			t.Errorf("%q: its badge is %.0f px from the end of the title", r.title.Text, gap)
		}
	}
}

// A title or a place too long for its row ends in an ellipsis within the
// row; one that fits is drawn whole. (Only the long ones are cut by Fyne:
// its cutting shapes the text anew at every refresh.)
func TestLongTitlesAndPlacesAreCutShortOnesWhole(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.addWorkspace("Acme", "🏢", 3, 30)
	long := strings.Repeat("Quarterly planning and retrospective notes ", 6)
	parent := f.Emu.AddItem(ws, notiontest.ItemSpec{Title: strings.Repeat("A parent page with a long name ", 5)})
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: long, ParentType: "page_id", ParentID: parent})
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Zebra crossing"})
	f.connectNoSync(ws)
	f.sync(ws)
	f.open()
	drawn := func(o fyne.CanvasObject) string {
		var b strings.Builder
		walk(o, func(o fyne.CanvasObject) {
			if t, ok := o.(*canvas.Text); ok {
				b.WriteString(t.Text)
			}
		})
		return b.String()
	}
	for query, whole := range map[string]bool{"zebra crossing": true, "quarterly planning retrospective": false} {
		f.shortcut(fyne.KeyA, 0)
		f.typeText(query)
		f.settle()
		rows := f.visibleRows()
		if len(rows) == 0 {
			t.Fatalf("%q: no rows", query)
		}
		r := rows[0]
		title, place := drawn(r.title), drawn(r.place)
		rowRight := f.abs(r).X + r.Size().Width
		switch {
		case whole && (title != r.title.Text || strings.HasSuffix(place, "…")):
			t.Errorf("%q: a row that fits is drawn as %q, %q", query, title, place)
		case !whole && (!strings.HasSuffix(title, "…") || len(title) >= len(r.title.Text)):
			t.Errorf("%q: the long title is drawn as %q", query, title)
		case !whole && !strings.HasSuffix(place, "…") && !strings.Contains(place, "…"):
			t.Errorf("%q: the long place is drawn whole: %q", query, place)
		}
		if right := f.abs(r.badge).X + r.badge.Size().Width; right > rowRight {
			t.Errorf("%q: the badge ends at %.0f, past the row's %.0f", query, right, rowRight)
		}
	}
}
