package notiontest

import (
	"reflect"
	"testing"
	"time"
)

// TestGeneratedHierarchy: the seeded generator has every kind of place a
// path must go through or stop at.
func TestGeneratedHierarchy(t *testing.T) {
	now := time.Date(2026, 5, 4, 10, 30, 0, 0, time.UTC)
	items := GenerateItems(42, 1500, now)
	byID := map[string]ItemSpec{}
	dbPlace := map[string][2]string{}
	var rows, underPages, underBlocks, top, dsInPages, dsAtTop, sharedDB, hiddenAncestor int
	for _, it := range items {
		byID[it.ID] = it
	}
	for _, it := range items {
		switch it.ParentType {
		case "data_source_id", "database_id":
			rows++
		case "page_id":
			if it.Kind == KindDataSource {
				dsInPages++
			} else {
				underPages++
			}
		case "block_id":
			underBlocks++
		case "workspace":
			if it.Kind == KindDataSource {
				dsAtTop++
			} else {
				top++
			}
		}
		if it.Kind == KindDataSource {
			place := [2]string{it.ParentType, it.ParentID}
			if p, ok := dbPlace[it.DatabaseID]; ok {
				sharedDB++
				if p != place {
					t.Fatalf("two data sources of database %s live apart: %v and %v", it.DatabaseID, p, place)
				}
			}
			dbPlace[it.DatabaseID] = place
		}
		// A shared item under an ancestor the connection cannot see.
		if !it.Unshared && !it.InTrash {
			for p, ok := byID[it.ParentID]; ok; p, ok = byID[p.ParentID] {
				if p.Unshared {
					hiddenAncestor++
					break
				}
			}
		}
	}
	counts := map[string]int{"rows": rows, "pages under pages": underPages, "pages under blocks": underBlocks, "top-level pages": top,
		"databases in pages": dsInPages, "databases at the top": dsAtTop, "databases with two data sources": sharedDB,
		"shared items below a hidden ancestor": hiddenAncestor}
	for what, n := range counts {
		if n == 0 {
			t.Errorf("no %s: %v", what, counts)
		}
	}
	// The hierarchy draws from its own stream: older choices are unchanged.
	if a, b := GenerateItems(42, 300, now), GenerateItems(42, 300, now); !reflect.DeepEqual(a, b) {
		t.Error("not deterministic")
	}
}

// TestParentsOnTheWire: what search sends for each kind of place, as raw
// JSON: a row's data_source_id with its database_id, a data source whose
// parent is its container and whose database_parent is the container's
// place, blocks, the workspace, and a type clients may not know.
func TestParentsOnTheWire(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	eng := s.AddItem(ws, ItemSpec{Title: "Engineering"})
	tasks := s.AddItem(ws, ItemSpec{Kind: KindDataSource, Title: "Tasks", ParentType: "page_id", ParentID: eng, DatabaseID: "db000000-0000-4000-8000-000000000001"})
	bugs := s.AddItem(ws, ItemSpec{Kind: KindDataSource, Title: "Bugs", ParentType: "page_id", ParentID: eng, DatabaseID: "db000000-0000-4000-8000-000000000001"})
	row := s.AddItem(ws, ItemSpec{Title: "Fix login", ParentType: "data_source_id", ParentID: tasks})
	inBlock := s.AddItem(ws, ItemSpec{Title: "In a toggle", ParentType: "block_id", ParentID: "b0000000-0000-4000-8000-000000000001"})
	byAgent := s.AddItem(ws, ItemSpec{Title: "Agent notes", ParentType: "agent_id", ParentID: "a0000000-0000-4000-8000-000000000001"})
	all, _ := searchAll(t, s, s.IssueGrant(ws).AccessToken, map[string]any{})
	got := map[string]map[string]any{}
	for _, r := range all {
		got[r["id"].(string)] = r
	}
	want := map[string]map[string]any{
		eng:     {"parent": map[string]any{"type": "workspace", "workspace": true}},
		row:     {"parent": map[string]any{"type": "data_source_id", "data_source_id": tasks, "database_id": "db000000-0000-4000-8000-000000000001"}},
		inBlock: {"parent": map[string]any{"type": "block_id", "block_id": "b0000000-0000-4000-8000-000000000001"}},
		byAgent: {"parent": map[string]any{"type": "agent_id", "agent_id": "a0000000-0000-4000-8000-000000000001"}},
		tasks: {"parent": map[string]any{"type": "database_id", "database_id": "db000000-0000-4000-8000-000000000001"},
			"database_parent": map[string]any{"type": "page_id", "page_id": eng}},
		bugs: {"parent": map[string]any{"type": "database_id", "database_id": "db000000-0000-4000-8000-000000000001"},
			"database_parent": map[string]any{"type": "page_id", "page_id": eng}},
	}
	for id, fields := range want {
		for k, v := range fields {
			if !reflect.DeepEqual(got[id][k], v) {
				t.Errorf("%s %s = %v, want %v", titleOf(t, got[id]), k, got[id][k], v)
			}
		}
	}
	if _, ok := got[row]["database_parent"]; ok {
		t.Error("a page has a database_parent")
	}
}

// TestMove: a move is an edit of the moved item only, minute-rounded; a
// database moves with all its data sources; loops are refused.
func TestMove(t *testing.T) {
	clock := newFakeClock()
	s := newTestServer(t, Options{RateLimit: -1, Clock: clock.Now})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	old := clock.Now().Add(-48 * time.Hour)
	a := s.AddItem(ws, ItemSpec{Title: "A", LastEdited: old})
	b := s.AddItem(ws, ItemSpec{Title: "B", LastEdited: old})
	child := s.AddItem(ws, ItemSpec{Title: "Child", ParentType: "page_id", ParentID: a, LastEdited: old})
	tasks := s.AddItem(ws, ItemSpec{Kind: KindDataSource, Title: "Tasks", TitleProperty: "Task", ParentType: "page_id", ParentID: a, LastEdited: old})
	db := s.Items(ws)[3].DatabaseID
	bugs := s.AddItem(ws, ItemSpec{Kind: KindDataSource, Title: "Bugs", ParentType: "page_id", ParentID: a, DatabaseID: db, LastEdited: old})
	clock.Advance(90 * time.Second) // 10:31:45: the edit is stamped 10:31
	stamp := clock.Now().UTC().Truncate(time.Minute)

	s.Move(a, "page_id", b)
	spec := func(id string) ItemSpec {
		for _, it := range s.Items(ws) {
			if it.ID == id {
				return it
			}
		}
		t.Fatalf("no item %s", id)
		return ItemSpec{}
	}
	if got := spec(a); got.ParentType != "page_id" || got.ParentID != b || !got.LastEdited.Equal(stamp) {
		t.Errorf("moved page: %s %s at %v, want under %s at %v", got.ParentType, got.ParentID, got.LastEdited, b, stamp)
	}
	if got := spec(child); !got.LastEdited.Equal(old.Truncate(time.Minute)) || got.ParentID != a {
		t.Errorf("the child was edited by its parent's move: %+v", got)
	}

	s.Move(tasks, "workspace", "")
	for _, id := range []string{tasks, bugs} {
		if got := spec(id); got.ParentType != "workspace" || got.ParentID != "" || !got.LastEdited.Equal(stamp) {
			t.Errorf("data source %s did not move with its database: %+v", got.Title, got)
		}
	}

	s.Move(child, "data_source_id", tasks)
	if got := spec(child); got.TitleProperty != "Task" {
		t.Errorf("a page moved into a data source keeps title property %q", got.TitleProperty)
	}
	s.Move(child, "page_id", b)
	if got := spec(child); got.TitleProperty != "title" {
		t.Errorf("a page moved out of a data source keeps title property %q", got.TitleProperty)
	}

	mustPanic := func(what string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", what)
			}
		}()
		f()
	}
	mustPanic("moving a page under its own child", func() { s.Move(b, "page_id", child) })
	mustPanic("moving a page under itself", func() { s.Move(b, "page_id", b) })
	mustPanic("moving a database into a data source", func() { s.Move(tasks, "data_source_id", bugs) })
	mustPanic("an unknown parent type", func() { s.Move(b, "team_id", "x") })
	mustPanic("a data source joining a database that lives elsewhere", func() {
		s.AddItem(ws, ItemSpec{Kind: KindDataSource, Title: "Stray", ParentType: "page_id", ParentID: b, DatabaseID: db})
	})
}
