package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// tableHeadings are the table's column headings as drawn.
func (f *fixture) tableHeadings() []string {
	var out []string
	walk(f.w.views.table.table, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text != "" {
			out = append(out, b.Text)
		}
	})
	return out
}

// Enter on a database whose rows are stored shows them as a table: the
// search box narrows it (words of a title, status:blocked), a heading
// sorts it, Enter opens a row and Esc goes back to the results.
func TestDatabaseShowsItsRowsAsATable(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.addWorkspace("Acme", "🚀", 46, 10)
	ds := f.Emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	ids := map[string]string{}
	for _, title := range []string{"Write the launch post", "Review launch budget", "Plan the offsite"} {
		ids[title] = f.Emu.AddItem(ws, notiontest.ItemSpec{Title: title, ParentType: "data_source_id", ParentID: ds})
	}
	f.Emu.SetRowValue(ids["Review launch budget"], "Status", "Blocked")
	f.connectNoSync(ws)
	f.sync(ws)
	if _, err := f.core.Databases().Sync(t.Context(), ws, false); err != nil {
		t.Fatal(err)
	}
	f.open()
	f.typeText("Tasks")
	f.pump("the database on top", func() bool { return len(f.visibleTitles()) > 0 && f.visibleTitles()[0] == "Tasks" })
	f.key(fyne.KeyReturn)
	f.pump("the table", func() bool { return f.w.views.table != nil && f.w.views.table.head.Text == "Tasks · 3 rows" })
	if len(f.op.opened()) != 0 {
		t.Errorf("Enter on a database with stored rows opened %v", f.op.opened())
	}
	if h := f.tableHeadings(); len(h) < 2 || h[0] != "Name" || h[1] != "Status" {
		t.Errorf("headings %q: the title, then the most telling properties", h)
	}
	if f.w.views.bar.entry.Text != "" || !strings.Contains(f.w.views.bar.entry.PlaceHolder, "Filter “Tasks”") {
		t.Errorf("the search box: %q / %q", f.w.views.bar.entry.Text, f.w.views.bar.entry.PlaceHolder)
	}

	tbl := f.w.views.table
	f.typeText("launch")
	f.pump("two rows", func() bool { return tbl.head.Text == "Tasks · 2 of 3 rows" })
	f.typeText(" status:blocked")
	f.pump("one row", func() bool { return tbl.head.Text == "Tasks · 1 of 3 rows" })
	f.key(fyne.KeyReturn)
	f.pump("the row opened", func() bool { return len(f.op.opened()) == 1 })
	if got := f.op.opened()[0]; !strings.Contains(got, strings.ReplaceAll(ids["Review launch budget"], "-", "")) {
		t.Errorf("opened %s, want the row %s", got, ids["Review launch budget"])
	}

	f.shortcut(fyne.KeyA, 0)
	f.key(fyne.KeyBackspace)
	f.pump("all rows", func() bool { return tbl.head.Text == "Tasks · 3 rows" })
	titles := func() []string {
		var out []string
		for i := range tbl.ans.Rows.Len() {
			out = append(out, tbl.value(i, 0))
		}
		return out
	}
	f.clickOn(f.button("Name"))
	f.pump("sorted by name", func() bool {
		return slices.Equal(titles(), []string{"Plan the offsite", "Review launch budget", "Write the launch post"})
	})
	f.clickOn(f.button("Name ↑"))
	f.pump("sorted by name, descending", func() bool {
		return slices.Equal(titles(), []string{"Write the launch post", "Review launch budget", "Plan the offsite"})
	})

	f.key(fyne.KeyEscape)
	f.pump("the results again", func() bool {
		return f.w.views.table == nil && f.w.views.listArea.Objects[0] == f.w.views.results.object() && len(f.visibleTitles()) > 1
	})
}

// A database row's line among the results says its status first.
func TestResultsShowARowsValues(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.addWorkspace("Acme", "🚀", 48, 10)
	ds := f.Emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	row := f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Review launch budget", ParentType: "data_source_id", ParentID: ds})
	f.Emu.SetRowValue(row, "Status", "Blocked")
	f.connectNoSync(ws)
	f.sync(ws)
	if _, err := f.core.Databases().Sync(t.Context(), ws, false); err != nil {
		t.Fatal(err)
	}
	f.open()
	f.typeText("launch budget")
	f.pump("the row with its status", func() bool {
		rows := f.visibleRows()
		return len(rows) > 0 && rows[0].hit.ID == row && strings.Contains(rows[0].place.String(), "Tasks · Blocked")
	})
}
