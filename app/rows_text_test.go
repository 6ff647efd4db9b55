package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// What a person types over a table: property words filter, the other
// words must occur in the title; Columns put the title first.
func TestRowsText(t *testing.T) {
	h := newHarness(t)
	ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	ds := h.Emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	ids := map[string]string{}
	for _, title := range []string{"Write the launch post", "Review launch budget", "Plan the offsite"} {
		ids[title] = h.Emu.AddItem(ws, notiontest.ItemSpec{Title: title, ParentType: "data_source_id", ParentID: ds})
	}
	h.Emu.SetRowValue(ids["Review launch budget"], "Status", "Blocked")
	h.connect(ws)
	if _, err := h.core.Databases().Sync(context.Background(), ws, false); err != nil {
		t.Fatal(err)
	}
	titles := func(text string) []string {
		t.Helper()
		ans, err := h.core.Databases().Rows(app.RowsQuery{DB: ds, Text: text, Sort: "Name:asc"})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		var out []string
		for i := range ans.Rows.Len() {
			tt, _ := ans.Rows.Title(i)
			out = append(out, tt)
		}
		return out
	}
	if got := titles("LAUNCH"); !slices.Equal(got, []string{"Review launch budget", "Write the launch post"}) {
		t.Errorf("launch: %q", got)
	}
	if got := titles("launch status:blocked"); !slices.Equal(got, []string{"Review launch budget"}) {
		t.Errorf("launch status:blocked: %q", got)
	}
	if got := titles("10:30"); len(got) != 0 {
		t.Errorf("a word that names no property is title text: %q", got)
	}
	ans, err := h.core.Databases().Rows(app.RowsQuery{DB: ds})
	if err != nil {
		t.Fatal(err)
	}
	cols := ans.Columns(6)
	if len(cols) == 0 || len(cols) > 7 || cols[0] != "Name" || !slices.Contains(cols, "Status") {
		t.Errorf("columns %q", cols)
	}
}

// A row's line among the results shows its most telling values.
func TestRowsGlance(t *testing.T) {
	h := newHarness(t)
	ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	ds := h.Emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	row := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Review launch budget", ParentType: "data_source_id", ParentID: ds})
	h.Emu.SetRowValue(row, "Status", "Blocked")
	h.connect(ws)
	hit, err := h.core.Item(row)
	if err != nil {
		t.Fatal(err)
	}
	if g := h.core.Databases().Glance(hit); g != nil {
		t.Errorf("a glance before the rows are stored: %q", g)
	}
	if _, err := h.core.Databases().Sync(context.Background(), ws, false); err != nil {
		t.Fatal(err)
	}
	if g := h.core.Databases().Glance(hit); len(g) == 0 || g[0] != "Blocked" || len(g) > 3 {
		t.Errorf("glance %q: the status first, at most three", g)
	}
	dbHit, err := h.core.Item(ds)
	if err != nil {
		t.Fatal(err)
	}
	if g := h.core.Databases().Glance(dbHit); g != nil {
		t.Errorf("a database has no glance: %q", g)
	}
}
