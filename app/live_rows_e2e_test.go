package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// TestLiveRefreshesRows: a row's edit and a schema change, relayed by the
// broker, refresh just that data source's stored rows, with no sync run.
func TestLiveRefreshesRows(t *testing.T) {
	h := newLiveHarness(t)
	ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	ds := h.Emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	var rows []string
	for i := range 5 {
		rows = append(rows, h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Task " + string(rune('A'+i)), ParentType: "data_source_id", ParentID: ds}))
	}
	h.connect(ws)
	if res, err := h.core.Databases().Sync(context.Background(), ws, false); err != nil || res.Rows != 5 {
		t.Fatalf("rows sync: %+v, %v", res, err)
	}
	h.runLive(app.LiveOptions{Debounce: 10 * time.Millisecond})
	h.waitLive(ws, true)
	queries := h.Emu.Count(http.MethodPost, "/v1/data_sources/"+ds+"/query")

	h.Emu.SetRowValue(rows[2], "Status", "Blocked")
	until(t, "the edited row", 10*time.Second, func() bool {
		ans, err := h.core.Databases().Rows(app.RowsQuery{DB: ds, Where: []string{"Status=Blocked"}})
		return err == nil && ans.Rows.Len() == 1 && ans.Rows.ID(0) == rows[2]
	})
	if n := h.Emu.Count(http.MethodPost, "/v1/data_sources/"+ds+"/query") - queries; n < 1 || n > 2 {
		t.Errorf("%d queries for one edit", n)
	}

	h.Emu.RenameProperty(ds, "Status", "State")
	until(t, "the renamed property", 10*time.Second, func() bool {
		ans, err := h.core.Databases().Rows(app.RowsQuery{DB: ds, Where: []string{"State=Blocked"}})
		return err == nil && ans.Rows.Len() == 1
	})
}

// TestAutoSyncKeepsRows: the window's background refresh keeps the
// databases' rows too, with no command run.
func TestAutoSyncKeepsRows(t *testing.T) {
	h := newHarness(t)
	ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	ds := h.Emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	row := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Write update", ParentType: "data_source_id", ParentID: ds})
	h.connect(ws)
	if err := h.core.AutoSync(t.Context()); err != nil {
		t.Fatal(err)
	}
	// The rows sync runs in the background.
	until(t, "the rows stored", 10*time.Second, func() bool { return h.core.Databases().Count(ws) == 1 })
	c := h.Core()
	ans, err := c.Databases().Rows(app.RowsQuery{DB: "tasks"})
	if err != nil || ans.Rows.Len() != 1 {
		t.Fatalf("rows after AutoSync: %d, %v", ans.Rows.Len(), err)
	}
	if r, err := ans.Rows.Row(0); err != nil || r.ID != row || r.Properties["Status"].Text == "" || c.Databases().Count(ws) != 1 {
		t.Fatalf("rows after AutoSync: %+v, %v", r, err)
	}
}
