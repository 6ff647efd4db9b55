package app_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/store"
)

// TestRestoredWorkspacesSyncAtOnce: a sync keeps the last good copy; when
// the database is later found damaged, the next start restores it and says
// so, and the restored workspace syncs at once (its token is in the
// keychain).
func TestRestoredWorkspacesSyncAtOnce(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 31, 120)
	h.connect(ws)
	backup := filepath.Join(h.Dir, store.BackupName)
	if _, err := os.Stat(backup); err != nil {
		t.Fatalf("no last good copy after a sync: %v", err)
	}
	// Both of the file's headers are wiped.
	path := filepath.Join(h.Dir, store.FileName)
	apptest.WipeHeaders(t, path)
	c := h.Core()
	r := c.Recovered()
	if r == nil {
		t.Fatal("the damaged file was not restored")
	}
	if _, err := os.Stat(r.MovedTo); err != nil {
		t.Errorf("the damaged file was not kept: %v", err)
	}
	wss, err := c.Workspaces()
	if err != nil || len(wss) != 1 || wss[0].ID != ws {
		t.Fatalf("after the restore: %v %v", wss, err)
	}
	if _, err := c.Sync(context.Background(), ws, true, nil); err != nil {
		t.Fatalf("syncing the restored workspace: %v", err)
	}
	if n := apptest.ItemCount(c, ws); n != h.SharedLive(ws) {
		t.Errorf("%d items after the sync, want %d", n, h.SharedLive(ws))
	}
}
