package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func TestWelcomeCard(t *testing.T) {
	f := newFixture(t, nil)
	f.open()
	txt := f.texts()
	if !strings.Contains(txt, "Welcome to Pagedeck") || !strings.Contains(txt, "[Connect a Notion workspace]") {
		t.Errorf("welcome card:\n%s", txt)
	}
	if f.w.views.status.current() != "No workspaces connected" {
		t.Errorf("status = %q", f.w.views.status.current())
	}
	// The card's button connects, and the new workspace is shown.
	ws := f.addWorkspace("Fresh", "🌱", 7, 30)
	f.Emu.SetAutoApprove(ws)
	f.op.follow = true
	f.clickOn(f.button("Connect a Notion workspace"))
	f.pump("the new workspace", func() bool {
		return f.w.st.Selected == ws && len(f.w.st.Workspaces) == 1 && len(f.w.views.results.hits) > 0
	})
	if strings.Contains(f.texts(), "Welcome to Pagedeck") {
		t.Error("the welcome card stayed")
	}
	if f.w.Window().Title() != "Fresh — Pagedeck" {
		t.Errorf("title %q", f.w.Window().Title())
	}
}

func TestWelcomeCardWithoutAConnection(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.Config.ClientID, f.Config.ClientSecret = "", "" })
	f.open()
	txt := f.texts() + f.labels()
	for _, want := range []string{"Welcome to Pagedeck", "client ID and secret in Settings", "[How to register a Notion connection]", "[Open Settings]"} {
		if !strings.Contains(txt, want) {
			t.Errorf("missing %q in:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "[Connect a Notion workspace]") {
		t.Error("offers to connect without a connection")
	}
	f.clickOn(f.button("How to register a Notion connection"))
	f.pump("the guide", func() bool { return len(f.op.opened()) == 1 })
	if got := f.op.opened()[0]; got != ReadmeConnectionURL {
		t.Errorf("opened %q", got)
	}
	f.clickOn(f.button("Open Settings"))
	f.pump("the settings dialog", func() bool { return f.dialogOpen() })
}

func TestNoResults(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 8, 40)
	f.open()
	f.typeText("qwxzv")
	if txt := f.labels(); !strings.Contains(txt, "No pages match “qwxzv”") || !strings.Contains(txt, "Missing a page?") {
		t.Fatalf("no-results state:\n%s", txt)
	}
	// "Choose more pages" runs the consent flow again.
	f.Emu.SetAutoApprove(ws)
	f.clickOn(f.button("Choose more pages"))
	f.pump("the consent URL", func() bool { return len(f.op.opened()) == 1 })
	if u := f.op.opened()[0]; !strings.HasPrefix(u, f.Emu.AuthorizeURL()) {
		t.Errorf("opened %q", u)
	}
	f.key(fyne.KeyEscape)
	f.pump("the end of the flow", func() bool { return f.w.connect == nil })
}

// While a first sync runs the body says it is loading, never "Nothing
// shared"; that appears only after a sync that found nothing.
func TestFirstSyncShowsLoadingNotNothingShared(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.addWorkspace("Acme", "🚀", 9, 300)
	f.connectNoSync(ws)
	f.Emu.FailNext("/v1/search", 1, notiontest.FaultSlow)
	f.open()
	f.clickOn(f.sidebarRow("Acme").TapRow)
	f.shortcut(fyne.KeyR, 0)
	f.pump("the sync to start", func() bool { return len(f.w.st.Progress) > 0 })
	txt := f.labels()
	if strings.Contains(txt, "Nothing shared") || !strings.Contains(txt, "Loading pages from Acme") {
		t.Fatalf("during the first sync:\n%s", txt)
	}
	f.pump("the items", func() bool { return len(f.w.views.results.hits) > 0 })
	if strings.Contains(f.labels(), "Loading pages") {
		t.Error("the loading state stayed")
	}

	empty := f.addWorkspace("Empty", "📭", 0, 0)
	f.connectNoSync(empty)
	f.pump("Empty in the sidebar", func() bool { return len(f.w.st.Workspaces) == 2 })
	f.clickOn(f.sidebarRow("Empty").TapRow)
	if strings.Contains(f.labels(), "Nothing shared") {
		t.Error("Nothing shared before any sync")
	}
	f.shortcut(fyne.KeyR, 0)
	f.pump("the empty state", func() bool { return strings.Contains(f.labels(), "Nothing shared yet") })
}

// A first sync that failed says why, with a way to try again.
func TestFirstSyncFailure(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.addWorkspace("Acme", "🚀", 9, 30)
	f.connectNoSync(ws)
	f.open()
	f.clickOn(f.sidebarRow("Acme").TapRow)
	f.Emu.FailNext("/v1/search", 1, notiontest.FaultMalformedJSON)
	f.shortcut(fyne.KeyR, 0)
	f.pump("the failure", func() bool { return strings.Contains(f.labels(), "Could not load the pages of Acme") })
	f.clickOn(f.button("Try again"))
	f.pump("the items", func() bool { return len(f.w.views.results.hits) > 0 })
}

// The progress line keeps its place: a sync does not push the list.
func TestSyncDoesNotMoveTheList(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 10, 60)
	f.open()
	top := f.abs(f.w.views.results.list).Y
	height := f.w.views.results.list.Size().Height
	f.Emu.FailNext("/v1/search", 1, notiontest.FaultSlow)
	f.shortcut(fyne.KeyR, 0)
	f.pump("the sync to start", func() bool { return len(f.w.st.Progress) > 0 && f.w.views.status.line.animating() })
	f.settle()
	if y, h := f.abs(f.w.views.results.list).Y, f.w.views.results.list.Size().Height; y != top || h != height {
		t.Errorf("during a sync the list moved from y=%.0f h=%.0f to y=%.0f h=%.0f", top, height, y, h)
	}
	if h := f.w.views.status.line.Size().Height; h > 4 {
		t.Errorf("the progress line is %.0f px tall", h)
	}
	f.pump("the sync to end", func() bool { return len(f.w.st.Progress) == 0 })
	_ = ws
}

// A link that cannot be opened says why in plain words and offers the link.
func TestOpenFailureOffersTheLink(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 9, 0)
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Alpha", URL: "https://www.notion.so/acme/Alpha-1", LastEdited: time.Now()})
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Evil", URL: "javascript:alert(1)", LastEdited: time.Now().Add(-time.Hour)})
	f.sync(ws)
	f.open()
	f.op.err = app.ErrNoOpener
	f.key(fyne.KeyReturn)
	f.pump("the dialog", func() bool { return f.dialogOpen() })
	txt := f.labels()
	if !strings.Contains(txt, "No program is set up to open web links") || strings.Contains(txt, "exec:") ||
		!strings.Contains(txt, "https://www.notion.so/acme/Alpha-1") {
		t.Errorf("the dialog:\n%s", txt)
	}
	f.clickOn(f.button("Copy link"))
	if got := fyne.CurrentApp().Clipboard().Content(); got != "https://www.notion.so/acme/Alpha-1" || f.dialogOpen() {
		t.Errorf("Copy link put %q", got)
	}
	// An unsafe link is refused, and not offered either.
	f.op.err = nil
	f.key(fyne.KeyDown)
	f.key(fyne.KeyReturn)
	f.pump("the refusal", func() bool {
		return strings.Contains(f.labels(), "refusing to open") || strings.Contains(f.labels(), "Refusing to open")
	})
	if len(f.op.opened()) != 1 {
		t.Errorf("opened %v", f.op.opened())
	}
	if strings.Contains(f.texts(), "[Copy link]") {
		t.Error("an unsafe link is offered for copying")
	}
}

func TestQuitAndCloseShortcuts(t *testing.T) {
	f := newFixture(t, nil)
	f.open()
	f.shortcut(fyne.KeyQ, 0)
	if f.quits != 1 || !f.w.closed {
		t.Errorf("Ctrl+Q: quits %d, closed %v", f.quits, f.w.closed)
	}
	// Ctrl+W closes the window as its close button does: with no tray
	// there is nothing left to reach Pagedeck by, so it quits; with a tray
	// it hides there.
	g := newFixture(t, nil)
	g.open()
	g.shortcut(fyne.KeyW, 0)
	if !g.w.closed || g.quits != 1 {
		t.Errorf("Ctrl+W without a tray: closed %v, quits %d", g.w.closed, g.quits)
	}
	h := newFixture(t, func(f *fixture) { f.tray = true })
	h.open()
	h.shortcut(fyne.KeyW, 0)
	h.settle()
	if h.w.closed || h.quits != 0 || !h.w.launch.hidden {
		t.Errorf("Ctrl+W with a tray: closed %v, quits %d, hidden %v", h.w.closed, h.quits, h.w.launch.hidden)
	}
}

// The refresh button says what it does when the pointer rests on it, and
// a workspace's row its whole name (the sidebar cuts a long one).
func TestIconButtonsHaveTooltips(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 10, 10)
	long := "The Northern Hemisphere Regional Planning Office"
	f.seedConnected(long, 11, 10)
	f.open()
	for _, c := range []struct {
		o    fyne.CanvasObject
		want string
	}{
		{f.w.views.bar.refresh, "Refresh (" + shortcutLabel("R") + ")"},
		{f.sidebarRow("Acme").more, "Workspace menu"},
		{f.sidebarRow(long).TapRow, long + ": synced"},
	} {
		hover(f, f.centre(c.o))
		f.pump("the tip "+c.want, func() bool { return f.w.views.tips.Shown == c.want })
		if !f.w.views.tips.Box.Visible() {
			t.Errorf("%q is not drawn", c.want)
		}
		hover(f, fyne.NewPos(600, 400))
		if f.w.views.tips.Shown != "" {
			t.Errorf("the tip %q stayed after the pointer left", c.want)
		}
	}
}

// A damaged database restored from its last good copy is said once, and
// the restored workspaces are there.
func TestRestoredDatabaseIsSaid(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 10, 40)
	path := apptest.DatabasePath(f.Config.DataDir)
	if _, err := os.Stat(path + ".last-good"); err != nil {
		t.Fatalf("the sync kept no last good copy: %v", err)
	}
	apptest.WipeHeaders(t, path)
	f.core = f.Core()
	f.open()
	if !f.w.views.banners.notice.Visible() || !strings.Contains(f.w.views.banners.noticeText.Text, "was damaged") {
		t.Fatalf("no word on the restore: %q", f.w.views.banners.noticeText.Text)
	}
	if len(f.w.st.Workspaces) != 1 || len(f.w.views.results.hits) == 0 {
		t.Errorf("after the restore: %d workspaces, %d items", len(f.w.st.Workspaces), len(f.w.views.results.hits))
	}
	f.fits("the notice")
	f.clickOn(f.button("Dismiss"))
	if f.w.views.banners.notice.Visible() {
		t.Error("Dismiss left the notice")
	}
}

// TestDamagedContentIsSaidInTheWindow: the content index went missing
// since the last session. The window says in one line that it is being
// rebuilt from the stored pages, and content search finds the pages again
// without asking Notion.
func TestDamagedContentIsSaidInTheWindow(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 7, 40)
	_ = f.core.Close() // the last session ends
	if err := os.RemoveAll(filepath.Join(f.Config.DataDir, "content-index")); err != nil {
		t.Fatal(err)
	}
	f.core = f.Core()
	f.open()
	pageFetches := func() int {
		n := 0
		for _, r := range f.Emu.Requests() {
			if r.Method == "GET" && strings.HasSuffix(r.Path, "/markdown") {
				n++
			}
		}
		return n
	}
	fetches := pageFetches()
	if fetches == 0 {
		t.Fatal("the first session fetched no page content")
	}
	f.typeText("the")
	f.pump("the notice", func() bool { return strings.Contains(f.texts(), "content index was missing") })
	f.pump("content matches again", func() bool {
		f.typeText(" ")
		for _, h := range f.w.views.results.hits {
			if h.Match == app.MatchContent {
				return true
			}
		}
		return false
	})
	if n := pageFetches(); n != fetches {
		t.Errorf("the rebuild fetched %d pages from Notion", n-fetches)
	}
}

// TestACrawlAloneDoesNotAnimate: while only page content is fetched (a
// crawl lasts minutes to hours), the progress line stands still and shows
// the share done; it moves only while items sync.
func TestACrawlAloneDoesNotAnimate(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.addWorkspace("Acme", "🚀", 32, 80)
	f.connectNoSync(ws)
	if _, err := f.core.Sync(t.Context(), ws, true, nil); err != nil {
		t.Fatal(err)
	}
	f.Emu.FailNext("/v1/pages/", 10_000, notiontest.FaultSlow)
	f.open()
	f.pump("the crawl under way", func() bool { _, ok := f.w.st.Indexing[ws]; return ok })
	line := f.w.views.status.line
	if line.animating() || line.amount <= 0 || line.bar.Size().Width <= 0 {
		t.Errorf("during a crawl: animating %v, share %.2f, bar %.0f px", line.animating(), line.amount, line.bar.Size().Width)
	}
	f.Emu.ClearFaults()
	f.Emu.FailNext("/v1/search", 1, notiontest.FaultSlow)
	f.shortcut(fyne.KeyR, 0)
	f.pump("a sync under way", func() bool { return len(f.w.st.Progress) > 0 })
	if !line.animating() {
		t.Error("the line stands still while items sync")
	}
}

// TestDamagedPagesDoNotStopTheWindow: a workspace's stored pages were
// damaged between sessions (both file headers wiped). The window opens
// and stays usable, says in one line what it did, and titles are found.
func TestDamagedPagesDoNotStopTheWindow(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 8, 40)
	_ = f.core.Close()
	apptest.WipeHeaders(t, filepath.Join(f.Config.DataDir, "content", ws, "pages.db"))
	f.core = f.Core()
	f.open()
	f.typeText("the")
	f.pump("the notice", func() bool { return strings.Contains(f.texts(), "was damaged") })
	if len(f.w.views.results.hits) == 0 {
		t.Error("no titles are found after the damage")
	}
}
