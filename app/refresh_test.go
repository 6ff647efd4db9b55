package app_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/store"
)

// TestCancelBetweenRefreshAndSave: the user cancels the sync the moment
// Notion has answered the refresh, before the pair is read or saved.
// Notion has already retired the old refresh token, so the new pair must
// still reach the keychain, and the next sync works without reconnecting.
func TestCancelBetweenRefreshAndSave(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 41, 30)
	h.connect(ws)
	bg := context.Background()
	old, _ := h.Vault.Load(bg, ws)
	h.Emu.ExpireAccessToken(old.Access.Reveal())

	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	tr := newTransport()
	tr.onAnswer("/v1/oauth/token", cancel)
	c := h.coreVia(tr, newKeychainVault(h.Vault))
	if _, err := c.Sync(ctx, ws, false, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("the cancelled sync: %v", err)
	}
	fresh, _ := h.Vault.Load(bg, ws)
	if fresh.Refresh == old.Refresh || fresh.Access == old.Access {
		t.Fatal("the rotated pair was lost")
	}
	if _, err := h.Core().Sync(bg, ws, false, nil); err != nil {
		t.Fatalf("the next sync: %v", err)
	}
	if w, _ := h.core.Store().Workspace(ws); w.Status != store.StatusOK {
		t.Errorf("status = %s", w.Status)
	}
	if n := h.Emu.Count(http.MethodPost, "/v1/oauth/token"); n != 2 {
		t.Errorf("%d token calls, want the exchange and one refresh", n)
	}
}

// TestWaitForAnotherProcessRefresh: two processes on one data dir meet an
// expired token. The first refreshes and is slow to save; the second must
// wait for it and use its pair, not refresh with the retired token and
// report the workspace revoked.
func TestWaitForAnotherProcessRefresh(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 42, 30)
	h.connect(ws)
	bg := context.Background()
	old, _ := h.Vault.Load(bg, ws)
	h.Emu.ExpireAccessToken(old.Access.Reveal())

	slow := newKeychainVault(h.Vault)
	slow.slow.Store(true)
	window := h.coreVia(newTransport(), slow)
	command := h.Core()
	searches := h.SearchCalls()

	first := make(chan error, 1)
	go func() { _, err := window.Sync(bg, ws, false, nil); first <- err }()
	<-slow.saving // Notion has rotated the pair; the keychain is slow
	second := make(chan error, 1)
	go func() { _, err := command.Sync(bg, ws, false, nil); second <- err }()
	// The command met the 401 too; give it time to do something about it.
	for h.SearchCalls() < searches+2 {
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case err := <-second:
		t.Fatalf("the command did not wait for the window's refresh: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(slow.release)
	if err := <-first; err != nil {
		t.Fatalf("the window: %v", err)
	}
	if err := <-second; err != nil {
		t.Fatalf("the command: %v", err)
	}
	if w, _ := command.Store().Workspace(ws); w.Status != store.StatusOK {
		t.Errorf("status = %s", w.Status)
	}
	if n := h.Emu.Count(http.MethodPost, "/v1/oauth/token"); n != 2 {
		t.Errorf("%d token calls, want the exchange and one refresh", n)
	}
}

// TestRefreshLockHonoursTheContext: a process waiting for another's
// refresh gives up when its context ends, and nothing is marked.
func TestRefreshLockHonoursTheContext(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 43, 10)
	h.connect(ws)
	bg := context.Background()
	old, _ := h.Vault.Load(bg, ws)
	h.Emu.ExpireAccessToken(old.Access.Reveal())
	slow := newKeychainVault(h.Vault)
	slow.slow.Store(true)
	window := h.coreVia(newTransport(), slow)
	first := make(chan error, 1)
	go func() { _, err := window.Sync(bg, ws, false, nil); first <- err }()
	<-slow.saving
	ctx, cancel := context.WithTimeout(bg, 200*time.Millisecond)
	defer cancel()
	if _, err := h.Core().Sync(ctx, ws, false, nil); !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, app.ErrNeedsReconnect) {
		t.Errorf("the waiting command: %v", err)
	}
	close(slow.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
}
