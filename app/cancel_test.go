package app_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
)

// recordingOpener takes the consent URL and does not follow it.
type recordingOpener struct{ urls chan string }

func (o recordingOpener) OpenURL(u string) error { o.urls <- u; return nil }

// TestWaitsCancelWhileASyncRuns: while a sync of a workspace is stuck
// (Notion does not answer), a reconnect of the same workspace, a disconnect
// and another sync each give up as soon as their context ends, and a new
// connect is not refused meanwhile. The stuck sync goes on undisturbed.
func TestWaitsCancelWhileASyncRuns(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 44, 20)
	h.connect(ws)
	tr := newTransport()
	c := h.coreVia(tr, h.Vault)
	bg := context.Background()

	held, release := tr.holdNext("/v1/search")
	defer release()
	stuck := make(chan error, 1)
	go func() { _, err := c.Sync(bg, ws, true, nil); stuck <- err }()
	<-held

	// Reconnect: the browser comes back, the code is exchanged, then the
	// grant waits for the workspace; the user cancels.
	h.Emu.SetAutoApprove(ws)
	ctx, cancel := context.WithCancel(bg)
	tr.onAnswer("/v1/oauth/token", func() { time.AfterFunc(100*time.Millisecond, cancel) })
	done := make(chan error, 1)
	go func() { _, err := c.Connect(ctx, app.ConnectOptions{Opener: &apptest.Browser{}}); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the cancelled connect: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the cancelled connect still waits for the sync")
	}

	// A new connect starts at once (it is not "already waiting for the
	// browser"); cancelled while it waits for the browser.
	urls := make(chan string, 1)
	ctx2, cancel2 := context.WithCancel(bg)
	go func() { <-urls; cancel2() }()
	if _, err := c.Connect(ctx2, app.ConnectOptions{Opener: recordingOpener{urls}}); !errors.Is(err, context.Canceled) || errors.Is(err, app.ErrFlowInProgress) {
		t.Errorf("a new connect: %v", err)
	}

	for name, call := range map[string]func(context.Context) error{
		"disconnect": func(ctx context.Context) error { return c.Disconnect(ctx, ws, true) },
		"sync":       func(ctx context.Context) error { _, err := c.Sync(ctx, ws, false, nil); return err },
	} {
		ctx, cancel := context.WithTimeout(bg, 100*time.Millisecond)
		err := call(ctx)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s while the sync runs: %v", name, err)
		}
	}
	select {
	case err := <-stuck:
		t.Fatalf("the stuck sync ended early: %v", err)
	default:
	}
	release()
	if err := <-stuck; err != nil {
		t.Errorf("the sync, once Notion answered: %v", err)
	}
	if n := apptest.ItemCount(c, ws); n != h.SharedLive(ws) {
		t.Errorf("%d items, want %d: the disconnect went through?", n, h.SharedLive(ws))
	}
	if got := h.Emu.Count(http.MethodPost, "/v1/oauth/revoke"); got != 0 {
		t.Errorf("the cancelled disconnect revoked the grant")
	}
}
