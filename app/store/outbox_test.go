package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
)

func TestOutboxKeepsOrderAndSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	var ids []string
	for _, title := range []string{"a", "b", "c"} {
		it, err := s.AddOutbox(store.OutboxItem{Kind: store.OutboxNew, Workspace: "w", Parent: "p", Title: title, CreatedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		if it.State != store.OutboxWaiting || it.ID == "" {
			t.Fatalf("added %+v", it)
		}
		ids = append(ids, it.ID)
	}
	if _, err := s.UpdateOutbox(ids[1], func(m *store.OutboxItem) { m.InFlight, m.Attempts = true, 2 }); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishOutbox(ids[0], []string{"page-a"}, at); err != nil {
		t.Fatal(err)
	}
	// Another process opening the file sees the same.
	s2, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s2.Outbox()
	if err != nil || len(got) != 2 || got[0].Title != "b" || !got[0].InFlight || got[0].Attempts != 2 || got[1].Title != "c" {
		t.Fatalf("outbox = %+v, %v", got, err)
	}
	made, _ := s2.OutboxMade()
	if !made["page-a"] || len(made) != 1 {
		t.Errorf("made = %v", made)
	}
	// What was made long ago is forgotten when another capture finishes.
	if err := s2.FinishOutbox(ids[1], []string{"page-b"}, at.Add(40*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if made, _ := s2.OutboxMade(); made["page-a"] || !made["page-b"] {
		t.Errorf("made = %v", made)
	}
	if err := s2.DeleteOutbox(ids[2]); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{ids[2], "0", "x"} {
		if err := s2.DeleteOutbox(id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete %q: %v", id, err)
		}
	}
	if _, err := s2.UpdateOutbox(ids[0], func(*store.OutboxItem) {}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update of a sent capture: %v", err)
	}
	// Ids are never reused.
	it, _ := s2.AddOutbox(store.OutboxItem{Kind: store.OutboxAppend, Workspace: "w", Parent: "p", Body: "x", CreatedAt: at})
	if it.ID == ids[2] || it.ID == ids[0] {
		t.Errorf("id %s reused", it.ID)
	}
}
