package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func TestTypingFiltersInTheCommandLinesOrder(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 2, 150)
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Crème brûlée tasting at Zoë's café", URL: "https://www.notion.so/cafe"})
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Q3 Roadmap", URL: "https://www.notion.so/q3"})
	f.sync(ws)
	f.open()
	if f.canvas().Focused() != f.w.views.bar.entry {
		t.Fatal("the search box is not focused at start")
	}
	f.typeText("zoes brulee")
	if got := f.visibleTitles(); len(got) != 1 || got[0] != "Crème brûlée tasting at Zoë's café" {
		t.Errorf("after typing: %v", got)
	}
	if !strings.HasPrefix(f.w.views.status.current(), "1 of ") {
		t.Errorf("status = %q", f.w.views.status.current())
	}
	f.key(fyne.KeyEscape)
	if f.w.views.bar.entry.Text != "" || len(f.visibleTitles()) < 5 {
		t.Errorf("Esc did not clear: %q, %d rows", f.w.views.bar.entry.Text, len(f.visibleTitles()))
	}
	// Every query and scope lists exactly what `pagedeck search` lists.
	for _, q := range []string{"", "roadmap q3", "e", "plan"} {
		f.shortcut(fyne.KeyL, 0)
		f.typeText(q)
		want, _ := apptest.SearchHits(f.core, q, "", "", 50)
		got := f.w.views.results.hits
		for i := range want {
			if i >= len(got) || got[i].ID != want[i].ID {
				t.Fatalf("query %q: row %d differs from the command line's order", q, i)
			}
		}
	}
}

// The highlight stays on the top row until the person moves it, even when
// another workspace's newer items arrive above it; Enter opens the top row.
func TestEnterAfterStartOpensTheTopRow(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 3, 80)
	home := f.addWorkspace("Home", "🏡", 0, 0)
	for i := range 5 {
		f.Emu.AddItem(home, notiontest.ItemSpec{Title: "Fresh " + string(rune('A'+i)), URL: "https://www.notion.so/fresh-" + string(rune('a'+i)),
			LastEdited: time.Now().Add(time.Duration(i) * time.Minute)})
	}
	f.open()
	first := f.w.views.results.hits[0].ID
	// Home connects and syncs while the window is open: its items are newer.
	f.connectNoSync(home)
	f.sync(home)
	f.pump("Home's items", func() bool { return f.w.views.results.hits[0].ID != first })
	f.settle()
	top, _ := apptest.SearchHits(f.core, "", "", "", 1)
	if h := f.highlighted(); h == nil || h.hit.ID != top[0].ID {
		t.Fatalf("the highlight is not on the top row after new items arrived")
	}
	f.key(fyne.KeyReturn)
	f.pump("the open", func() bool { return len(f.op.opened()) == 1 })
	if got := f.op.opened()[0]; got != top[0].URL {
		t.Errorf("Enter opened %s, want the top row %s", got, top[0].URL)
	}
}

// Once the person moves the highlight, a background sync keeps it on the
// item they chose.
func TestBackgroundSyncKeepsYourPlace(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 14, 200)
	f.open()
	for range 5 {
		f.key(fyne.KeyDown)
	}
	picked := f.w.views.results.hits[5].ID
	if h := f.highlighted(); h == nil || h.hit.ID != picked {
		t.Fatal("five Downs did not highlight the sixth row")
	}
	calls := f.Emu.Count("POST", "/v1/search")
	f.shortcut(fyne.KeyR, fyne.KeyModifierShift)
	f.pump("the sync", func() bool {
		return f.Emu.Count("POST", "/v1/search") > calls && len(f.w.st.Progress) == 0 && strings.Contains(f.w.views.status.current(), "synced just now")
	})
	f.settle()
	if h := f.w.views.results.current(); h == nil || h.ID != picked {
		t.Errorf("a background sync moved the highlight off %s", picked)
	}
}

func TestKeysMoveTheHighlight(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 15, 120)
	f.open()
	n := len(f.w.views.results.hits)
	at := func() int { return f.w.views.results.cursor }
	f.key(fyne.KeyDown)
	f.key(fyne.KeyDown)
	if at() != 2 {
		t.Errorf("two Downs: row %d", at())
	}
	f.key(fyne.KeyUp)
	if at() != 1 {
		t.Errorf("Up: row %d", at())
	}
	f.key(fyne.KeyEnd)
	if at() != n-1 {
		t.Errorf("End: row %d of %d", at(), n)
	}
	if h := f.highlighted(); h == nil || h.id != n-1 {
		t.Error("End did not scroll the last row into view, highlighted")
	}
	f.key(fyne.KeyHome)
	if at() != 0 {
		t.Errorf("Home: row %d", at())
	}
	f.key(fyne.KeyPageDown)
	page := at()
	if page < 3 {
		t.Errorf("Page Down moved %d rows", page)
	}
	f.key(fyne.KeyPageUp)
	if at() != 0 {
		t.Errorf("Page Up: row %d", at())
	}
	// Ctrl+L, Ctrl+F and Ctrl+K come back to the box with its text selected.
	f.typeText("plan")
	for _, k := range []fyne.KeyName{fyne.KeyL, fyne.KeyF, fyne.KeyK} {
		f.canvas().Unfocus()
		f.shortcut(k, 0)
		if f.canvas().Focused() != f.w.views.bar.entry || f.w.views.bar.entry.SelectedText() != "plan" {
			t.Errorf("Ctrl+%s: focus %T, selection %q", k, f.canvas().Focused(), f.w.views.bar.entry.SelectedText())
		}
	}
	f.typeText("x")
	if f.w.views.bar.entry.Text != "x" {
		t.Errorf("typing after Ctrl+K gave %q, want the selection replaced", f.w.views.bar.entry.Text)
	}
}

// After the wheel scrolls the highlight away, Down starts from the rows on
// screen instead of jumping back to the top.
func TestKeysAfterTheWheelStartFromWhatIsVisible(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 16, 300)
	f.open()
	list := f.w.views.results.list
	test.Scroll(f.canvas(), f.centre(list), 0, -2000)
	f.settle()
	first, _ := f.w.views.results.visible()
	if first < 10 {
		t.Fatalf("the wheel did not scroll: first visible row %d", first)
	}
	f.key(fyne.KeyDown)
	if c := f.w.views.results.cursor; c < first || c > first+1 {
		t.Errorf("Down after scrolling highlighted row %d; rows %d… are on screen", c, first)
	}
	if h := f.highlighted(); h == nil {
		t.Error("the highlighted row is not on screen")
	}
}

func TestClicksOpenAtOnce(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 9, 0)
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Alpha", URL: "https://www.notion.so/acme/Alpha-1", LastEdited: time.Now().Add(-time.Hour)})
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Beta", URL: "https://www.notion.so/acme/Beta-2", LastEdited: time.Now().Add(-2 * time.Hour)})
	f.sync(ws)
	f.open()
	// One click on the second row opens it, with no double-click wait (the
	// fixture fails a click that a row holds back for a double click).
	f.clickOn(f.visibleRows()[1])
	f.pump("the click", func() bool { return len(f.op.opened()) == 1 })
	if got := f.op.opened()[0]; got != "https://www.notion.so/acme/Beta-2" {
		t.Errorf("the click opened %s", got)
	}
	if f.w.views.results.cursor != 1 || f.canvas().Focused() != f.w.views.bar.entry {
		t.Errorf("after the click: highlight %d, focus %T", f.w.views.results.cursor, f.canvas().Focused())
	}
	// Down, then Enter, from the clicked row; Ctrl+Enter opens in the app.
	f.key(fyne.KeyUp)
	f.key(fyne.KeyReturn)
	f.pump("Enter", func() bool { return len(f.op.opened()) == 2 })
	f.shortcut(fyne.KeyReturn, 0)
	f.pump("Ctrl+Enter", func() bool { return len(f.op.opened()) == 3 })
	want := []string{"https://www.notion.so/acme/Beta-2", "https://www.notion.so/acme/Alpha-1", "notion://www.notion.so/acme/Alpha-1"}
	if got := f.op.opened(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("opened %v, want %v", got, want)
	}
}

// A right click highlights the row and opens its menu there.
func TestRightClickShowsTheRowsMenu(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 9, 0)
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Alpha", URL: "https://www.notion.so/acme/Alpha-1", LastEdited: time.Now().Add(-time.Hour)})
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Beta", URL: "https://www.notion.so/acme/Beta-2", LastEdited: time.Now().Add(-2 * time.Hour)})
	f.sync(ws)
	f.open()
	f.rightClick(f.centre(f.visibleRows()[1]))
	if f.w.views.results.cursor != 1 {
		t.Errorf("a right click highlighted row %d", f.w.views.results.cursor)
	}
	f.clickMenuItem("Open in Notion app")
	f.pump("open in app", func() bool { return len(f.op.opened()) == 1 })
	if got := f.op.opened()[0]; got != "notion://www.notion.so/acme/Beta-2" {
		t.Errorf("open in app: %q", got)
	}
	f.rightClick(f.centre(f.visibleRows()[0]))
	f.clickMenuItem("Copy link")
	if got := fyne.CurrentApp().Clipboard().Content(); got != "https://www.notion.so/acme/Alpha-1" {
		t.Errorf("Copy link put %q", got)
	}
	if !strings.Contains(f.w.views.status.current(), "Copied the link") {
		t.Errorf("no confirmation: status %q", f.w.views.status.current())
	}
}

// Ctrl+Shift+C copies the highlighted row's link and says so.
func TestCopyLinkShortcut(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 17, 30)
	f.open()
	f.key(fyne.KeyDown)
	want := f.w.views.results.hits[1]
	f.shortcut(fyne.KeyC, fyne.KeyModifierShift)
	if got := fyne.CurrentApp().Clipboard().Content(); got != want.URL {
		t.Errorf("clipboard %q, want %q", got, want.URL)
	}
	if s := f.w.views.status.current(); !strings.Contains(s, "Copied the link to “"+app.DisplayTitle(want.Title)+"”") {
		t.Errorf("status %q", s)
	}
	f.pump("the count to come back", func() bool { return strings.Contains(f.w.views.status.current(), " items") })
}

func TestKindSwitch(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 3, 200)
	f.open()
	f.clickOn(f.w.views.bar.kinds[app.KindDatabase])
	rows := f.visibleRows()
	if len(rows) == 0 {
		t.Fatal("no databases shown")
	}
	for _, r := range rows {
		if r.badge.Text != "DATABASE" {
			t.Errorf("%q is a %s in the Databases view", r.title.Text, r.badge.Text)
		}
	}
	f.clickOn(f.w.views.bar.kinds[app.KindPage])
	for _, r := range f.visibleRows() {
		if r.badge.Text != "PAGE" {
			t.Errorf("%q is a %s in the Pages view", r.title.Text, r.badge.Text)
		}
	}
	f.clickOn(f.w.views.bar.kinds[""])
	all, _ := apptest.SearchHits(f.core, "", "", "", 0)
	if len(f.w.views.results.hits) != len(all) {
		t.Errorf("All shows %d of %d", len(f.w.views.results.hits), len(all))
	}
}

func TestStatusLineAfterSync(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 12, 120)
	f.open()
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Brand new page", URL: "https://www.notion.so/new", LastEdited: time.Now().Add(time.Minute)})
	n := apptest.ItemCount(f.core, ws) + 1
	f.clickOn(f.w.views.bar.refresh)
	want := app.Thousands(n) + " items · synced just now"
	f.pump("the status line", func() bool { return f.w.views.status.current() == want })
	if got := f.visibleTitles(); len(got) == 0 || got[0] != "Brand new page" {
		t.Errorf("the new page is not on top: %v", got)
	}
	// A failure shows in plain words, and the cache stays.
	f.Emu.FailNext("/v1/search", 1, notiontest.FaultMalformedJSON)
	f.shortcut(fyne.KeyR, 0)
	f.pump("the error", func() bool { return strings.Contains(f.w.views.status.current(), "could not read") })
	if strings.Contains(f.w.views.status.current(), "try again") {
		t.Errorf("the status promises a retry nothing makes: %q", f.w.views.status.current())
	}
	f.pump("the mark", func() bool { return f.sidebarRow("Acme").status == "error" })
	if len(f.w.views.results.hits) != n {
		t.Errorf("%d results after a failed sync, want %d", len(f.w.views.results.hits), n)
	}
}
