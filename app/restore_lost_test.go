package app_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pagedeck/pagedeck/app/content"
	"github.com/pagedeck/pagedeck/app/store"
)

// TestRestoreKeepsWorkspacesAddedAfterTheCopy: the database is restored
// from a last good copy taken before workspace B was connected. B's
// keychain entry and content are still there: it is offered back, and
// restoring brings it back with its items; a content folder of a
// workspace with no keychain entry is deleted, not left behind.
func TestRestoreKeepsWorkspacesAddedAfterTheCopy(t *testing.T) {
	h, _, a, _ := contentHarness(t, 20, nil)
	h.crawl(a)
	h.core.KeepBackupForTest()
	b := h.AddWorkspace("Later", 9, 20)
	h.connect(b)
	h.crawl(b)
	orphan := filepath.Join(h.Dir, content.PagesDir, "0f0e0d0c-0b0a-0908-0706-050403020100")
	if err := os.MkdirAll(orphan, 0o700); err != nil {
		t.Fatal(err)
	}
	// The database is damaged; the next start restores the copy.
	if err := os.WriteFile(filepath.Join(h.Dir, store.FileName), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := h.Core()
	if c.Recovered() == nil {
		t.Fatal("the copy was not restored")
	}
	if _, err := c.Resolve(b); err == nil {
		t.Fatal("the copy should predate workspace B")
	}
	lost, err := c.LostWorkspaces(context.Background())
	if err != nil || len(lost) != 1 || lost[0] != b {
		t.Fatalf("lost %v, %v; want [%s]", lost, err, b)
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Errorf("the content folder of an unknown workspace is still there: %v", err)
	}
	restored, err := c.RestoreLost(context.Background())
	if err != nil || len(restored) != 1 || restored[0].Name != "Later" {
		t.Fatalf("restored %+v, %v", restored, err)
	}
	if items, err := c.Store().Items(b); err != nil || len(items) == 0 {
		t.Errorf("B's items after the restore: %d, %v", len(items), err)
	}
	if c.ContentStored(b) == 0 {
		t.Error("B's stored content was lost")
	}
}
