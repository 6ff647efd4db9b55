package index

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/app/store"
)

func page(id, title string, pt store.ParentType, parent string) store.Item {
	return store.Item{ID: id, Title: title, Kind: store.KindPage, ParentType: pt, ParentID: parent, LastEdited: t0}
}

// source is a data source: its parent is its database container, whose
// own place is dbType/dbParent.
func source(id, title, db string, dbType store.ParentType, dbParent string) store.Item {
	return store.Item{ID: id, Title: title, Kind: store.KindDatabase, ParentType: store.ParentDatabase, ParentID: db,
		DatabaseID: db, DatabaseParentType: dbType, DatabaseParentID: dbParent, LastEdited: t0}
}

func pathOf(t *testing.T, ix *Index, id string) string {
	t.Helper()
	e, ok := ix.Get(id)
	if !ok {
		t.Fatalf("no entry %s", id)
	}
	s := strings.Join(e.Path, " › ")
	if e.PathCut {
		s = "… " + s
	}
	return s
}

// TestPaths: paths through pages, data sources and their databases (via
// database_parent), stopping at what the connection cannot see.
func TestPaths(t *testing.T) {
	ix := New()
	ix.Replace("w", []store.Item{
		page("eng", "Engineering", store.ParentWorkspace, ""),
		page("maps", "Roadmaps", store.ParentPage, "eng"),
		page("q3", "Q3 roadmap", store.ParentPage, "maps"),
		source("tasks", "Tasks", "db1", store.ParentPage, "eng"),
		{ID: "row", Title: "Fix login", Kind: store.KindPage, ParentType: store.ParentDataSource, ParentID: "tasks", DatabaseID: "db1"},
		page("row-child", "Notes", store.ParentPage, "row"),
		// A database with two data sources, at the top.
		source("bugs", "Bugs", "db2", store.ParentWorkspace, ""),
		source("feats", "Features", "db2", store.ParentWorkspace, ""),
		{ID: "bug", Title: "Crash", Kind: store.KindPage, ParentType: store.ParentDataSource, ParentID: "bugs", DatabaseID: "db2"},
		// A row of a database, as versions before data sources name it:
		// the container's id, resolved through its only data source.
		page("old-row", "Old row", store.ParentDatabase, "db1"),
		// The same, where the database holds two data sources: unknown.
		page("vague-row", "Vague row", store.ParentDatabase, "db2"),
		// A database object from an older API version, and its row.
		{ID: "olddb", Title: "Reading list", Kind: store.KindDatabase, ParentType: store.ParentPage, ParentID: "eng"},
		page("book", "Shape Up", store.ParentDatabase, "olddb"),
		// Ancestors the connection cannot see.
		page("orphan", "Orphan", store.ParentPage, "not-shared"),
		page("orphan-child", "Child", store.ParentPage, "orphan"),
		source("lost", "Lost DB", "db3", store.ParentPage, "not-shared"),
		page("in-block", "In a toggle", store.ParentBlock, "b1"),
		{ID: "agent", Title: "Agent page", Kind: store.KindPage, ParentType: store.ParentUnknown},
		// A data source without its database's place (a hostile answer).
		source("nowhere", "Nowhere", "db4", store.ParentNone, ""),
		page("untitled", "", store.ParentPage, "eng"),
		page("under-untitled", "Deep", store.ParentPage, "untitled"),
	})
	want := map[string]string{
		"eng":            "",
		"maps":           "Engineering",
		"q3":             "Engineering › Roadmaps",
		"tasks":          "Engineering",
		"row":            "Engineering › Tasks",
		"row-child":      "Engineering › Tasks › Fix login",
		"bugs":           "",
		"bug":            "Bugs",
		"old-row":        "Engineering › Tasks",
		"vague-row":      "… ",
		"olddb":          "Engineering",
		"book":           "Engineering › Reading list",
		"orphan":         "… ",
		"orphan-child":   "… Orphan",
		"lost":           "… ",
		"in-block":       "… ",
		"agent":          "… ",
		"nowhere":        "… ",
		"under-untitled": "Engineering › Untitled",
	}
	for id, w := range want {
		if got := pathOf(t, ix, id); got != w {
			t.Errorf("path of %s = %q, want %q", id, got, w)
		}
	}
}

// TestPathsOfOldRecords: items cached before parent types were kept still
// get their paths, by looking the id up.
func TestPathsOfOldRecords(t *testing.T) {
	ix := New()
	ix.Replace("w", []store.Item{
		{ID: "eng", Title: "Engineering", Kind: store.KindPage},
		{ID: "q3", Title: "Q3 roadmap", Kind: store.KindPage, ParentID: "eng"},
		// A data source's parent was its container: its place is unknown.
		{ID: "tasks", Title: "Tasks", Kind: store.KindDatabase, ParentID: "db1"},
		{ID: "row", Title: "Fix login", Kind: store.KindPage, ParentID: "tasks"},
		{ID: "old-row", Title: "Old row", Kind: store.KindPage, ParentID: "db1"},
		{ID: "gone", Title: "Gone", Kind: store.KindPage, ParentID: "not-cached"},
	})
	for id, w := range map[string]string{"eng": "", "q3": "Engineering", "tasks": "… ", "row": "… Tasks", "old-row": "… Tasks", "gone": "… "} {
		if got := pathOf(t, ix, id); got != w {
			t.Errorf("path of %s = %q, want %q", id, got, w)
		}
	}
}

// TestHostileHierarchies: loops and absurd depths end, cut.
func TestHostileHierarchies(t *testing.T) {
	items := []store.Item{
		page("a", "A", store.ParentPage, "b"),
		page("b", "B", store.ParentPage, "a"),
		page("self", "Self", store.ParentPage, "self"),
		source("ds-self", "Loop DB", "db", store.ParentDataSource, "ds-self"),
	}
	for i := range 200 {
		parent, pt := fmt.Sprint("deep-", i-1), store.ParentPage
		if i == 0 {
			parent, pt = "", store.ParentWorkspace
		}
		items = append(items, page(fmt.Sprint("deep-", i), fmt.Sprint("Level ", i), pt, parent))
	}
	ix := New()
	ix.Replace("w", items)
	for _, id := range []string{"a", "b", "self", "ds-self"} {
		if e, _ := ix.Get(id); !e.PathCut || len(e.Path) > 1 {
			t.Errorf("%s in a loop: path %q cut %v", id, e.Path, e.PathCut)
		}
	}
	e, _ := ix.Get("deep-199")
	if len(e.Path) != maxDepth || !e.PathCut || e.Path[len(e.Path)-1] != "Level 198" || e.Path[0] != "Level 167" {
		t.Errorf("200 levels deep: %d segments, cut %v, last %q", len(e.Path), e.PathCut, e.Path[len(e.Path)-1])
	}
	if e, _ := ix.Get("deep-10"); e.PathCut || len(e.Path) != 10 || e.Path[0] != "Level 0" {
		t.Errorf("10 levels deep: %q cut %v", e.Path, e.PathCut)
	}
	if got := ids(ix.Search(Query{Text: "level 150"})); len(got) == 0 || got[0] != "deep-150" {
		t.Errorf("searching deep items: %v", got)
	}
	// A chain 20,000 deep: no recursion to overflow, bounded paths.
	var chain []store.Item
	for i := range 20_000 {
		chain = append(chain, page(fmt.Sprint("c", i), fmt.Sprint("C", i), store.ParentPage, fmt.Sprint("c", i-1)))
	}
	ix.Replace("chain", chain)
	if e, _ := ix.Get("c19999"); len(e.Path) != maxDepth || !e.PathCut {
		t.Errorf("20,000 deep: %d segments, cut %v", len(e.Path), e.PathCut)
	}
	if got := ids(ix.Search(Query{Text: "c19999", Workspace: "chain", Limit: 3})); len(got) == 0 || got[0] != "c19999" {
		t.Errorf("searching the deepest: %.200v", got)
	}
}

// TestPathsFollowRenamesAndMoves: a quick refresh that brings only the
// renamed or moved ancestor updates every descendant, and the entries
// handed out before keep what they said.
func TestPathsFollowRenamesAndMoves(t *testing.T) {
	ix := New()
	eng := page("eng", "Engineering", store.ParentWorkspace, "")
	ix.Replace("w", []store.Item{
		eng,
		page("maps", "Roadmaps", store.ParentPage, "eng"),
		page("q3", "Q3 roadmap", store.ParentPage, "maps"),
		source("tasks", "Tasks", "db1", store.ParentPage, "maps"),
		{ID: "row", Title: "Fix login", Kind: store.KindPage, ParentType: store.ParentDataSource, ParentID: "tasks"},
		page("other", "Other", store.ParentWorkspace, ""),
	})
	before, _ := ix.Get("q3")

	eng.Title = "Product & Engineering"
	ix.Apply("w", []store.Item{eng}, nil)
	if got := pathOf(t, ix, "q3"); got != "Product & Engineering › Roadmaps" {
		t.Errorf("after the rename: %q", got)
	}
	if got := pathOf(t, ix, "row"); got != "Product & Engineering › Roadmaps › Tasks" {
		t.Errorf("row after the rename: %q", got)
	}
	if strings.Join(before.Path, "/") != "Engineering/Roadmaps" {
		t.Errorf("an entry handed out before changed under its holder: %q", before.Path)
	}
	if got := ids(ix.Search(Query{Text: "product q3"})); fmt.Sprint(got) != "[q3]" {
		t.Errorf("the new ancestor title is not searchable: %v", got)
	}
	if got := ids(ix.Search(Query{Text: "engineering q3"})); fmt.Sprint(got) != "[q3]" {
		t.Errorf("the renamed ancestor's other words: %v", got)
	}

	// Roadmaps moves under Other: its subtree follows.
	ix.Apply("w", []store.Item{page("maps", "Roadmaps", store.ParentPage, "other")}, nil)
	for id, w := range map[string]string{"q3": "Other › Roadmaps", "row": "Other › Roadmaps › Tasks", "maps": "Other"} {
		if got := pathOf(t, ix, id); got != w {
			t.Errorf("after the move, %s: %q, want %q", id, got, w)
		}
	}
	if got := ids(ix.Search(Query{Text: "engineering q3"})); len(got) != 0 {
		t.Errorf("the old ancestor still finds it: %v", got)
	}
	// The ancestor goes (trashed): the path is cut there.
	ix.Apply("w", nil, []string{"other"})
	if got := pathOf(t, ix, "row"); got != "… Roadmaps › Tasks" {
		t.Errorf("after the ancestor went: %q", got)
	}
}
