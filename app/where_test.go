package app_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// coreAt is another process on the harness's data, with its clock.
func (h *harness) coreAt(c *notiontest.Clock) *app.Core {
	o := h.Options()
	o.Now = c.Now
	return h.Open(o)
}

func pathString(h *app.Hit) string {
	s := strings.Join(h.Path, " › ")
	if h.PathCut {
		s = "… " + s
	}
	return s
}

func itemPath(t *testing.T, c *app.Core, id string) string {
	t.Helper()
	h, err := c.Item(id)
	if err != nil {
		t.Fatalf("item %s: %v", id, err)
	}
	return pathString(h)
}

// acme is a workspace laid out as Notion lays one out.
type acme struct {
	ws, eng, maps, q3, product, tasks, bugs, fix, crash, secret, leaked, toggle, agent string
}

func addAcme(h *harness) acme {
	e := h.Emu
	a := acme{ws: e.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})}
	a.eng = e.AddItem(a.ws, notiontest.ItemSpec{Title: "Engineering", Icon: notiontest.IconSpec{Type: "emoji", Emoji: "🛠️"}})
	a.maps = e.AddItem(a.ws, notiontest.ItemSpec{Title: "Roadmaps", ParentType: "page_id", ParentID: a.eng})
	a.q3 = e.AddItem(a.ws, notiontest.ItemSpec{Title: "Q3 roadmap", ParentType: "page_id", ParentID: a.maps})
	a.product = e.AddItem(a.ws, notiontest.ItemSpec{Title: "Product"})
	// A database with two data sources, inside Engineering.
	a.tasks = e.AddItem(a.ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks", ParentType: "page_id", ParentID: a.eng,
		DatabaseID: "d0000000-0000-4000-8000-000000000001"})
	a.bugs = e.AddItem(a.ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Bugs", ParentType: "page_id", ParentID: a.eng,
		DatabaseID: "d0000000-0000-4000-8000-000000000001"})
	a.fix = e.AddItem(a.ws, notiontest.ItemSpec{Title: "Fix login", ParentType: "data_source_id", ParentID: a.tasks})
	a.crash = e.AddItem(a.ws, notiontest.ItemSpec{Title: "Crash on start", ParentType: "data_source_id", ParentID: a.bugs})
	// The connection was given a page inside one it cannot see.
	a.secret = e.AddItem(a.ws, notiontest.ItemSpec{Title: "Board", Unshared: true})
	a.leaked = e.AddItem(a.ws, notiontest.ItemSpec{Title: "Minutes", ParentType: "page_id", ParentID: a.secret})
	a.toggle = e.AddItem(a.ws, notiontest.ItemSpec{Title: "In a toggle", ParentType: "block_id", ParentID: "b0000000-0000-4000-8000-000000000001"})
	a.agent = e.AddItem(a.ws, notiontest.ItemSpec{Title: "Agent notes", ParentType: "agent_id", ParentID: "a0000000-0000-4000-8000-000000000001"})
	return a
}

// TestPathsThroughASync: paths through pages, data sources and their
// databases (database_parent), and unseen ancestors, as a real sync from
// the emulator stores them and a fresh process reads them back.
func TestPathsThroughASync(t *testing.T) {
	h := newHarness(t)
	a := addAcme(h)
	h.connect(a.ws)
	want := map[string]string{
		a.eng:    "",
		a.maps:   "Engineering",
		a.q3:     "Engineering › Roadmaps",
		a.tasks:  "Engineering",
		a.bugs:   "Engineering",
		a.fix:    "Engineering › Tasks",
		a.crash:  "Engineering › Bugs",
		a.leaked: "… ",
		a.toggle: "… ",
		a.agent:  "… ",
	}
	for _, c := range []*app.Core{h.core, h.Core()} {
		for id, w := range want {
			if got := itemPath(t, c, id); got != w {
				t.Errorf("path of %s = %q, want %q", id, got, w)
			}
		}
	}
	items, _ := h.core.Store().Items(a.ws)
	for _, it := range items {
		if it.ID == a.tasks && (it.ParentType != store.ParentDatabase || it.DatabaseID != "d0000000-0000-4000-8000-000000000001" ||
			it.DatabaseParentType != store.ParentPage || it.DatabaseParentID != a.eng) {
			t.Errorf("stored data source: %+v", it)
		}
		if it.ID == a.fix && (it.ParentType != store.ParentDataSource || it.ParentID != a.tasks) {
			t.Errorf("stored row: %+v", it)
		}
	}
}

// TestPathsFollowRenamesAndMoves: a quick refresh, which brings only the
// renamed or moved item, updates its descendants' paths.
func TestPathsFollowRenamesAndMoves(t *testing.T) {
	h := newHarness(t)
	a := addAcme(h)
	h.connect(a.ws)
	ctx := context.Background()
	quick := func(what string, wantChanged int) {
		t.Helper()
		before := h.SearchCalls()
		res, err := h.core.Sync(ctx, a.ws, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Full || res.Changed != wantChanged || h.SearchCalls()-before > 2 {
			t.Errorf("%s: full %v, %d changed, %d calls", what, res.Full, res.Changed, h.SearchCalls()-before)
		}
	}

	h.Emu.Rename(a.eng, "Platform Engineering")
	quick("rename", 1)
	for id, w := range map[string]string{a.q3: "Platform Engineering › Roadmaps", a.fix: "Platform Engineering › Tasks", a.crash: "Platform Engineering › Bugs"} {
		if got := itemPath(t, h.core, id); got != w {
			t.Errorf("after the rename, %s: %q, want %q", id, got, w)
		}
	}
	hits, _ := apptest.SearchHits(h.core, "platform q3", "", "", 0)
	if len(hits) != 1 || hits[0].ID != a.q3 || hits[0].Match != app.MatchPath {
		t.Errorf("platform q3 = %v", hits)
	}

	h.Emu.Move(a.maps, "page_id", a.product)
	quick("move a page", 1)
	if got := itemPath(t, h.core, a.q3); got != "Product › Roadmaps" {
		t.Errorf("after the move: %q", got)
	}
	// A database moves with both its data sources.
	h.Emu.Move(a.tasks, "workspace", "")
	quick("move a database", 2)
	for id, w := range map[string]string{a.fix: "Tasks", a.crash: "Bugs", a.tasks: ""} {
		if got := itemPath(t, h.core, id); got != w {
			t.Errorf("after moving the database, %s: %q, want %q", id, got, w)
		}
	}
	// The window's index and another process agree.
	if got := itemPath(t, h.Core(), a.q3); got != "Product › Roadmaps" {
		t.Errorf("another process: %q", got)
	}
}

// TestPathSearchThroughCore: `eng roadmap` finds "Q3 roadmap" under
// Engineering, below a page titled "Eng roadmap".
func TestPathSearchThroughCore(t *testing.T) {
	h := newHarness(t)
	a := addAcme(h)
	title := h.Emu.AddItem(a.ws, notiontest.ItemSpec{Title: "Eng roadmap", LastEdited: time.Now().Add(-72 * time.Hour)})
	h.connect(a.ws)
	hits, err := apptest.SearchHits(h.core, "eng roadmap", "", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, hit := range hits {
		got = append(got, fmt.Sprintf("%s:%s", hit.Title, hit.Match))
	}
	// Roadmaps and Q3 roadmap were made in the same minute: either order.
	slices.Sort(got[1:])
	if strings.Join(got, ", ") != "Eng roadmap:title, Q3 roadmap:path, Roadmaps:path" || hits[0].ID != title {
		t.Errorf("eng roadmap = %v", got)
	}
}

// TestFrecencyThroughCore: opens recorded by Core.Open rank items, with a
// fixed clock; the empty query lists pins, then frecency, then recency.
func TestFrecencyThroughCore(t *testing.T) {
	h := newHarness(t)
	a := addAcme(h)
	h.connect(a.ws)
	clk := notiontest.NewClock(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	core := h.coreAt(clk)
	op := &fakeOpener{}
	open := func(id string, times int) {
		t.Helper()
		for range times {
			if err := core.Open(id, app.OpenInBrowser, op); err != nil {
				t.Fatal(err)
			}
		}
	}
	open(a.crash, 2) // 2 × 100 = 200 today
	clk.Advance(-40 * 24 * time.Hour)
	open(a.fix, 5) // 5 × 30 = 150, forty days before "today"
	clk.Advance(40 * 24 * time.Hour)
	if err := core.SetPinned(a.toggle, true); err != nil {
		t.Fatal(err)
	}
	hits, _ := apptest.SearchHits(core, "", a.ws, "", 3)
	if len(hits) != 3 || hits[0].ID != a.toggle || !hits[0].Pinned || hits[1].ID != a.crash || hits[1].Opened != 2 || hits[2].ID != a.fix {
		t.Errorf("empty query: %v", titles(hits))
	}
	// Ten days on, the crash's opens weigh 70 each (140) and the fix's 30
	// (150): the fix comes first.
	clk.Advance(10 * 24 * time.Hour)
	if hits, _ := apptest.SearchHits(core, "", a.ws, "", 3); hits[1].ID != a.fix || hits[2].ID != a.crash {
		t.Errorf("ten days on: %v", titles(hits))
	}
	// Within a match tier too, and an exact title stays first.
	if hits, _ := apptest.SearchHits(core, "engineering", "", "", 0); hits[0].ID != a.eng || hits[1].ID != a.fix || hits[2].ID != a.crash {
		t.Errorf("engineering: %v", titles(hits))
	}
	// The opens are in the store: another process ranks the same.
	if hits, _ := apptest.SearchHits(h.coreAt(clk), "", a.ws, "", 3); hits[0].ID != a.toggle || hits[1].ID != a.fix {
		t.Errorf("another process: %v", titles(hits))
	}
	// A failed open is not an open.
	failing := &fakeOpener{fail: func(string) bool { return true }}
	if err := core.Open(a.q3, app.OpenInBrowser, failing); err == nil {
		t.Fatal("a failing opener opened")
	}
	if h, _ := core.Item(a.q3); h.Opened != 0 {
		t.Errorf("a failed open was counted: %d", h.Opened)
	}
}

func titles(hits []*app.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Title)
	}
	return out
}

// TestPinsAcrossAFullSync: a pin survives a full sync, and goes when its
// item goes (trashed, or no longer shared).
func TestPinsAcrossAFullSync(t *testing.T) {
	h := newHarness(t)
	a := addAcme(h)
	h.connect(a.ws)
	ctx := context.Background()
	var events []app.Event
	var mu sync.Mutex
	h.core.Subscribe(func(e app.Event) { mu.Lock(); events = append(events, e); mu.Unlock() })
	for _, id := range []string{a.q3, a.fix, a.crash} {
		if err := h.core.SetPinned(id, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.core.SetPinned("no-such-id", true); !errors.Is(err, app.ErrUnknownItem) {
		t.Errorf("pinning an unknown id: %v", err)
	}
	mu.Lock()
	if !saw[app.UsageChanged](events) {
		t.Error("no usage event for the window")
	}
	mu.Unlock()
	pinned := func(c *app.Core) []string {
		hits, _ := apptest.SearchHits(c, "", a.ws, "", 0)
		var out []string
		for _, hit := range hits {
			if hit.Pinned {
				out = append(out, hit.Title)
			}
		}
		return out
	}
	if _, err := h.core.Sync(ctx, a.ws, true, nil); err != nil {
		t.Fatal(err)
	}
	if got := pinned(h.core); len(got) != 3 {
		t.Fatalf("after a full sync: %v", got)
	}
	if got := pinned(h.Core()); len(got) != 3 {
		t.Errorf("another process after a full sync: %v", got)
	}
	// Trashed: a quick refresh sees it go, and its pin with it.
	h.Emu.Trash(a.fix)
	if _, err := h.core.Sync(ctx, a.ws, false, nil); err != nil {
		t.Fatal(err)
	}
	// No longer shared: only a full sync can tell.
	h.Emu.Unshare(a.crash)
	if _, err := h.core.Sync(ctx, a.ws, true, nil); err != nil {
		t.Fatal(err)
	}
	if got := pinned(h.core); strings.Join(got, ",") != "Q3 roadmap" {
		t.Errorf("after trash and unshare: %v", got)
	}
	pins, _ := h.core.Store().AllPins()
	if len(pins[a.ws]) != 1 {
		t.Errorf("stored pins: %v", pins)
	}
	// Shared again, it comes back unpinned.
	h.Emu.Share(a.crash)
	if _, err := h.core.Sync(ctx, a.ws, true, nil); err != nil {
		t.Fatal(err)
	}
	if hit, _ := h.core.Item(a.crash); hit.Pinned {
		t.Error("a pin came back with its item")
	}
	if err := h.core.SetPinned(a.q3, false); err != nil {
		t.Fatal(err)
	}
	if got := pinned(h.Core()); len(got) != 0 {
		t.Errorf("after unpin: %v", got)
	}
}

// TestEmojiAndTypoSearchThroughCore: the examples, on synced items.
func TestEmojiAndTypoSearchThroughCore(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 0, 0)
	rocket := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "🚀 Launch plan", LastEdited: time.Now().Add(-48 * time.Hour)})
	h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Launch 523"})
	h.connect(ws)
	if hits, _ := apptest.SearchHits(h.core, "launch 🚀", "", "", 0); len(hits) != 1 || hits[0].ID != rocket {
		t.Errorf("launch 🚀 = %v", titles(hits))
	}
	if hits, _ := apptest.SearchHits(h.core, "lanuch pln", "", "", 0); len(hits) != 0 {
		t.Errorf("a typo in a four-letter word matched: %v", titles(hits))
	}
	if hits, _ := apptest.SearchHits(h.core, "lanuch", "", "", 0); len(hits) != 2 || hits[0].Title != "Launch 523" || hits[0].Match != app.MatchTitle {
		t.Errorf("lanuch = %v", titles(hits))
	}
}
