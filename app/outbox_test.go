package app_test

import (
	"context"
	"errors"
	"net/http"
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
	it, err := h.core.Outbox().Capture(store.OutboxNew, inbox, "From the window", "")
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

// TestCaptureRefusesADatabase: databases are not capture targets here.
func TestCaptureRefusesADatabase(t *testing.T) {
	h := newHarness(t)
	ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	ds := h.Emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	h.connect(ws)
	if _, err := h.core.Outbox().Capture(store.OutboxNew, ds, "Row", ""); !errors.Is(err, app.ErrNotAPage) {
		t.Errorf("capture into a database: %v", err)
	}
	if _, err := h.core.Outbox().Capture(store.OutboxNew, "no-such-id", "x", ""); !errors.Is(err, app.ErrUnknownItem) {
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
