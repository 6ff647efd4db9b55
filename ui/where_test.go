package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// A small tree: Engineering › Roadmaps › Q3 roadmap, and a page under an
// ancestor the connection cannot see.
func whereFixture(t *testing.T) (*fixture, string, map[string]string) {
	f := newFixture(t, nil)
	ws := f.addWorkspace("Acme", "🚀", 0, 0)
	now := time.Now()
	ids := map[string]string{}
	ids["eng"] = f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Engineering", URL: "https://www.notion.so/eng", LastEdited: now.Add(-3 * time.Hour)})
	ids["maps"] = f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Roadmaps", URL: "https://www.notion.so/maps", ParentType: "page_id", ParentID: ids["eng"], LastEdited: now.Add(-2 * time.Hour)})
	ids["q3"] = f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Q3 roadmap", URL: "https://www.notion.so/q3", ParentType: "page_id", ParentID: ids["maps"], LastEdited: now.Add(-time.Hour)})
	hidden := f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Private", URL: "https://www.notion.so/private", LastEdited: now.Add(-4 * time.Hour)})
	f.Emu.Unshare(hidden)
	ids["orphan"] = f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Draft", URL: "https://www.notion.so/draft", ParentType: "page_id", ParentID: hidden, LastEdited: now.Add(-5 * time.Hour)})
	f.connectNoSync(ws)
	f.sync(ws)
	return f, ws, ids
}

func (f *fixture) row(title string) *itemRow {
	f.t.Helper()
	for _, r := range f.visibleRows() {
		if r.title.Text == title {
			return r
		}
	}
	f.t.Fatalf("no row %q among %v", title, f.visibleTitles())
	return nil
}

// Rows say where each page lives: its visible ancestors, with the
// workspace first in All workspaces, and "…" for ancestors out of view.
func TestRowsShowWhereItemsLive(t *testing.T) {
	f, _, _ := whereFixture(t)
	f.open()
	if got := f.row("Q3 roadmap").place.String(); !strings.HasPrefix(got, "Acme › Engineering › Roadmaps · edited") {
		t.Errorf("in All workspaces: %q", got)
	}
	if got := f.row("Draft").place.String(); !strings.HasPrefix(got, "Acme › … · edited") {
		t.Errorf("under an unseen ancestor, in All: %q", got)
	}
	f.clickOn(f.sidebarRow("Acme").TapRow)
	if got := f.row("Q3 roadmap").place.String(); !strings.HasPrefix(got, "Engineering › Roadmaps · edited") {
		t.Errorf("in Acme: %q", got)
	}
	if got := f.row("Draft").place.String(); !strings.HasPrefix(got, "… · edited") {
		t.Errorf("under an unseen ancestor: %q", got)
	}
	if got := f.row("Engineering").place.String(); !strings.HasPrefix(got, "edited") {
		t.Errorf("at the top: %q", got)
	}
	// Path search: "eng roadmap" finds the page under Engineering.
	f.typeText("eng roadmap")
	if got := f.visibleTitles(); len(got) == 0 || got[0] != "Q3 roadmap" {
		t.Errorf("eng roadmap: %v", got)
	}
}

// Pin from the row menu or with Ctrl+D: the star shows, and the item comes
// first for an empty query.
func TestPinning(t *testing.T) {
	f, _, ids := whereFixture(t)
	f.open()
	f.rightClick(f.centre(f.row("Roadmaps")))
	f.clickMenuItem("Pin")
	f.pump("the pin", func() bool { return f.w.views.results.hits[0].ID == ids["maps"] })
	if r := f.row("Roadmaps"); r.star.Hidden {
		t.Error("a pinned row shows no star")
	}
	if !strings.Contains(f.w.views.status.current(), "Pinned “Roadmaps”") {
		t.Errorf("status %q", f.w.views.status.current())
	}
	// Ctrl+D on the highlighted (top, pinned) row unpins it.
	f.shortcut(fyne.KeyD, 0)
	f.pump("the unpin", func() bool { return f.w.views.results.hits[0].ID != ids["maps"] })
	if !f.row("Roadmaps").star.Hidden {
		t.Error("the star stayed")
	}
	// Ctrl+D pins the highlighted row.
	f.key(fyne.KeyEnd)
	last := f.w.views.results.current().ID
	f.shortcut(fyne.KeyD, 0)
	f.pump("the pin by keyboard", func() bool { return f.w.views.results.hits[0].ID == last })
}

// Opening an item often brings it first for an empty query (frecency);
// the rows do not jump while the person clicks.
func TestWhatYouOpenComesFirst(t *testing.T) {
	f, _, ids := whereFixture(t)
	f.open()
	f.typeText("draft")
	for range 3 {
		f.key(fyne.KeyReturn)
	}
	f.pump("three opens", func() bool { return len(f.op.opened()) == 3 })
	f.pump("three opens recorded", func() bool { h, err := f.core.Item(ids["orphan"]); return err == nil && h.Opened == 3 })
	f.key(fyne.KeyEscape)
	if h := f.w.views.results.current(); h == nil || h.ID != ids["orphan"] {
		t.Errorf("after three opens, the first row is %v", f.w.views.results.current())
	}
}

// A word only in a page's body finds it, with the words in context, and
// the preview reads the page offline.
func TestContentMatchesAndThePreview(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.addWorkspace("Acme", "🚀", 3, 30)
	page := f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Offsite plan", URL: "https://www.notion.so/offsite"})
	f.Emu.SetContent(page, "# Offsite\n\nWe bring **marzipan** for everyone.\n\n- [x] book the train\n\n[Agenda](https://example.com/agenda) and [evil](javascript:alert(1))\n")
	f.connectNoSync(ws)
	f.sync(ws)
	if _, err := f.core.CrawlContent(t.Context(), ws, nil); err != nil {
		t.Fatal(err)
	}
	f.open()
	f.typeText("marzip")
	f.pump("the content match", func() bool { return len(f.w.views.results.hits) > 0 })
	r := f.visibleRows()[0]
	if r.hit.ID != page || r.hit.Match != app.MatchContent || !r.snippet.Visible() {
		t.Fatalf("first row %q, match %q", r.title.Text, r.hit.Match)
	}
	if got := r.snippet.String(); !strings.Contains(got, "marzipan") {
		t.Errorf("snippet %q", got)
	}
	var bold []string
	for _, s := range r.snippet.Segments {
		if ts, ok := s.(*widget.TextSegment); ok && ts.Style.TextStyle.Bold {
			bold = append(bold, ts.Text)
		}
	}
	if strings.Join(bold, "|") != "marzipan" {
		t.Errorf("highlighted in the snippet: %v", bold)
	}
	if !r.inPlace.Visible() || r.place.Visible() {
		t.Error("a content match does not show its place beside the title")
	}
	// Ctrl+Y reads it offline: stop the emulator first.
	f.Emu.Close()
	f.shortcut(fyne.KeyY, 0) // delivered as Redo, as the driver does
	f.pump("the preview", func() bool {
		return f.w.views.preview.visible() && slices.Contains(f.readerTexts(), "marzipan")
	})
	if f.canvas().Focused() != f.w.views.bar.entry {
		t.Error("the preview took the focus from the search box")
	}
	// The link to example.com opens in the browser; the javascript: one is
	// text only.
	f.clickOn(f.readerText(" and evil"))
	f.clickOn(f.readerText("Agenda"))
	f.pump("the link", func() bool { return len(f.op.opened()) == 1 })
	if got := f.op.opened(); got[0] != "https://example.com/agenda" {
		t.Errorf("opened %v", got)
	}
	f.w.openPreviewLink("javascript:alert(1)")
	f.pump("the refusal", func() bool { return f.dialogOpen() })
	f.key(fyne.KeyEscape)
	// A link to this computer is refused the same way, and says why.
	f.w.openPreviewLink("https://169.254.169.254/latest/meta-data/")
	f.pump("the refusal of a local link", func() bool { return f.dialogOpen() && strings.Contains(f.texts()+f.labels(), "local network") })
	f.key(fyne.KeyEscape)
	if n := len(f.op.opened()); n != 1 {
		t.Errorf("%d links opened, want only the first", n)
	}
	// Esc in the empty box closes the preview; Ctrl+Y toggles it.
	f.shortcut(fyne.KeyL, 0)
	f.key(fyne.KeyBackspace)
	f.key(fyne.KeyEscape)
	if f.w.views.preview.visible() {
		t.Error("Esc left the preview open")
	}
}

// TestTurningContentOffStopsTheCrawl: content turned off from the
// workspace's menu while its pages are being fetched stops the crawl: the
// counter goes, and once the crawl has ended (the fetches under way came
// back and were refused) nothing of the workspace's pages is kept or found.
func TestTurningContentOffStopsTheCrawl(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.addWorkspace("Acme", "🚀", 31, 120)
	f.connectNoSync(ws)
	if _, err := f.core.Sync(t.Context(), ws, true, nil); err != nil {
		t.Fatal(err)
	}
	// Every page's content is slow to come: the crawl is surely under way
	// when the person turns it off.
	f.Emu.FailNext("/v1/pages/", 10_000, notiontest.FaultSlow)
	f.open()
	f.pump("the crawl under way", func() bool {
		_, ok := f.w.st.Indexing[ws]
		return ok && strings.Contains(f.w.views.status.current(), "Indexing")
	})
	f.rightClick(f.centre(f.sidebarRow("Acme").TapRow))
	f.clickMenuItem("Search page content")
	f.clickOn(f.button("Delete and turn off"))
	// The counter goes when the crawl has ended (EventContentDone).
	f.pump("the crawl to stop", func() bool {
		w := f.w.workspace(ws)
		_, indexing := f.w.st.Indexing[ws]
		return !indexing && w != nil && w.Content == app.ContentOff
	})
	if s := f.w.views.status.current(); strings.Contains(s, "Indexing") {
		t.Errorf("the status still counts: %q", s)
	}
	if n := f.core.Content(ws).Pages; n != 0 {
		t.Errorf("%d pages stored after content was turned off", n)
	}
	r, err := f.core.Search(app.SearchQuery{Text: "the", In: app.ScopeContent})
	if err != nil || len(r.Hits) != 0 {
		t.Errorf("content search after off: %d hits, %v", len(r.Hits), err)
	}
}
