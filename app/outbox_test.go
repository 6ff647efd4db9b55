package app_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// TestAutoSyncSendsTheOutboxFirst: the window's background refresh sends
// what waits before it refreshes, so the refresh lists the new page.
func TestAutoSyncSendsTheOutboxFirst(t *testing.T) {
	h := newHarness(t)
	ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	inbox := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Inbox"})
	h.connect(ws)
	ctx := context.Background()
	it, err := h.core.Outbox().Capture(ctx, app.Capture{Kind: store.OutboxNew, Parent: inbox, Title: "From the window"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := h.core.Outbox().List(); len(got) != 1 || got[0].ID != it.ID || h.Emu.Count(http.MethodPost, "/v1/pages") != 0 {
		t.Fatalf("capture alone sent or lost it: %+v", got)
	}
	if err := h.core.AutoSync(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.core.Outbox().List(); len(got) != 0 {
		t.Errorf("outbox after AutoSync = %+v", got)
	}
	w := h.Emu.Written(inbox)
	if len(w) != 1 || w[0].Text != "From the window" {
		t.Errorf("Notion has %+v", w)
	}
	hit, err := h.core.Item(w[0].ID)
	if err != nil || hit.Title != "From the window" || hit.ParentID != inbox {
		t.Errorf("local list: %+v, %v", hit, err)
	}
}

// TestCaptureTargets: a note goes to a page, never a database; a page
// under a page takes no properties; an unknown id is refused. Nothing is
// kept of a refused capture.
func TestCaptureTargets(t *testing.T) {
	h := newHarness(t)
	ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	ds := h.Emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	inbox := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Inbox"})
	h.connect(ws)
	ctx := context.Background()
	if _, err := h.core.Outbox().Capture(ctx, app.Capture{Kind: store.OutboxAppend, Parent: ds, Body: "note"}); !errors.Is(err, app.ErrNotAPage) {
		t.Errorf("append to a database: %v", err)
	}
	if _, err := h.core.Outbox().Capture(ctx, app.Capture{Kind: store.OutboxNew, Parent: inbox, Title: "x",
		Props: map[string]string{"Status": "Done"}}); !errors.Is(err, app.ErrPropsOnPage) {
		t.Errorf("properties under a page: %v", err)
	}
	if _, err := h.core.Outbox().Capture(ctx, app.Capture{Kind: store.OutboxNew, Parent: "no-such-id", Title: "x"}); !errors.Is(err, app.ErrUnknownItem) {
		t.Errorf("capture under an unknown id: %v", err)
	}
	if got, _ := h.core.Outbox().List(); len(got) != 0 {
		t.Errorf("outbox = %+v", got)
	}
}

// The default capture target is a page, kept in the settings; a target
// no longer listed reads as none.
func TestCaptureTarget(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 51, 30)
	h.connect(ws)
	var page, db *app.Hit
	r, err := h.core.Search(app.SearchQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, hit := range r.Hits {
		switch {
		case hit.Kind == app.KindPage && page == nil:
			page = hit
		case hit.Kind == app.KindDatabase && db == nil:
			db = hit
		}
	}
	if page == nil || db == nil {
		t.Fatal("the seed has no page or no database")
	}
	if got, err := h.core.Outbox().Target(); got != nil || err != nil {
		t.Fatalf("a target before any was set: %v, %v", got, err)
	}
	if err := h.core.Outbox().SetTarget(db.ID); !errors.Is(err, app.ErrNotAPage) {
		t.Errorf("a database as the target: %v", err)
	}
	if err := h.core.Outbox().SetTarget(page.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := h.Core().Outbox().Target(); err != nil || got == nil || got.ID != page.ID {
		t.Fatalf("another process reads %v, %v", got, err)
	}
	if err := h.core.Outbox().SetTarget(""); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.core.Outbox().Target(); got != nil {
		t.Errorf("cleared, but the target is %v", got.Title)
	}
}

// TestCaptureFormOfADatabase: the window's form asks for a data source's
// settable properties, the title first, with their options; the strings it
// gives back make a row with those values.
func TestCaptureFormOfADatabase(t *testing.T) {
	h := newHarness(t)
	ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	ds := h.Emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	h.connect(ws)
	ctx := context.Background()
	form, err := h.core.Outbox().Form(ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]app.FormField{}
	for _, f := range form {
		byName[f.Name] = f
	}
	if len(form) == 0 || form[0].Name != "Name" || form[0].Type != "title" {
		t.Errorf("form starts with %+v", form)
	}
	if f := byName["Priority"]; f.Type != "select" || strings.Join(f.Options, ",") != "High,Medium,Low" {
		t.Errorf("Priority = %+v", f)
	}
	for _, computed := range []string{"Score", "Created", "ID", "Owner"} {
		if _, ok := byName[computed]; ok {
			t.Errorf("the form asks for %s, which Notion fills", computed)
		}
	}
	vals := map[string]string{}
	for _, f := range form {
		vals[f.Name] = ""
	}
	vals["Name"], vals["Priority"], vals["Estimate"] = "Write the form", "high", "3"
	it, err := h.core.Outbox().Capture(ctx, app.Capture{Kind: store.OutboxNew, Parent: ds, Props: vals})
	if err != nil {
		t.Fatal(err)
	}
	if it.Title != "Write the form" || !it.DataSource {
		t.Errorf("capture = %+v", it)
	}
	sent, err := h.core.Outbox().Send(ctx, app.SendOptions{})
	if err != nil || len(sent) != 1 || !sent[0].Done {
		t.Fatalf("send: %+v %v", sent, err)
	}
	row := sent[0].Page.ID
	if got := h.Emu.RowValue(row, "Priority"); got != "High" {
		t.Errorf("Priority at Notion = %q", got)
	}
	if got := h.Emu.RowValue(row, "Estimate"); got != "3" {
		t.Errorf("Estimate at Notion = %q", got)
	}
	if got := h.Emu.RowValue(row, "Notes"); got != "" {
		t.Errorf("Notes at Notion = %q, want empty", got)
	}
}
