package app_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/auth"
)

// Test fixtures for faults around the token and the workspace lock.

// transport lets a test act on the HTTP traffic of a Core: hold a request
// until released, or run a hook when an answer arrives.
type transport struct {
	base http.RoundTripper

	mu       sync.Mutex
	hold     string        // path whose next request waits for release
	held     chan struct{} // closed when that request arrived
	release  chan struct{}
	answered map[string]func() // path: run once its answer has arrived
}

func newTransport() *transport {
	return &transport{base: http.DefaultTransport, answered: map[string]func(){}}
}

// holdNext makes the next request to path wait until the returned func is
// called; <-held tells when it arrived.
func (t *transport) holdNext(path string) (held <-chan struct{}, release func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.hold, t.held, t.release = path, make(chan struct{}), make(chan struct{})
	rel := t.release
	var once sync.Once
	return t.held, func() { once.Do(func() { close(rel) }) }
}

// onAnswer runs fn once, when the next answer from path has arrived (its
// body not yet read).
func (t *transport) onAnswer(path string, fn func()) {
	t.mu.Lock()
	t.answered[path] = fn
	t.mu.Unlock()
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	var wait chan struct{}
	if t.hold != "" && r.URL.Path == t.hold {
		t.hold = ""
		close(t.held)
		wait = t.release
	}
	t.mu.Unlock()
	if wait != nil {
		select {
		case <-wait:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	resp, err := t.base.RoundTrip(r)
	t.mu.Lock()
	fn := t.answered[r.URL.Path]
	delete(t.answered, r.URL.Path)
	t.mu.Unlock()
	if fn != nil && err == nil {
		fn()
	}
	return resp, err
}

// coreVia is another process on the harness's data dir, talking through tr
// to Notion and through v to the keychain.
func (h *harness) coreVia(tr *transport, v auth.Vault) *app.Core {
	o := h.Options()
	o.Vault, o.HTTPClient = v, &http.Client{Transport: tr}
	return h.Open(o)
}

// keychainVault behaves as the OS keychain does towards a cancelled
// context: the call is refused. Save can be made slow: it then waits for
// release after telling saving.
type keychainVault struct {
	auth.Vault
	slow    atomic.Bool
	saving  chan struct{}
	release chan struct{}
}

func newKeychainVault(v auth.Vault) *keychainVault {
	return &keychainVault{Vault: v, saving: make(chan struct{}, 1), release: make(chan struct{})}
}

func (v *keychainVault) Save(ctx context.Context, ws string, t auth.Tokens) error {
	if v.slow.Load() {
		v.saving <- struct{}{}
		<-v.release
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return v.Vault.Save(ctx, ws, t)
}

func (v *keychainVault) Load(ctx context.Context, ws string) (auth.Tokens, error) {
	if err := ctx.Err(); err != nil {
		return auth.Tokens{}, err
	}
	return v.Vault.Load(ctx, ws)
}

// TestFirstSyncListsItemsAsTheyArrive: a workspace's first sync lists each
// page of items as soon as it arrives, searchable, while Notion is still
// answering the rest; the end of the sync then lists them all.
func TestFirstSyncListsItemsAsTheyArrive(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Big", 61, 450)
	h.Emu.SetAutoApprove(ws)
	if _, err := h.core.Connect(context.Background(), app.ConnectOptions{Opener: &apptest.Browser{}, NoSync: true}); err != nil {
		t.Fatal(err)
	}
	tr := newTransport()
	c := h.coreVia(tr, h.Vault)
	var held <-chan struct{}
	var release func()
	asked := make(chan struct{})
	tr.onAnswer("/v1/search", func() {
		held, release = tr.holdNext("/v1/search")
		close(asked)
	})
	changed := make(chan struct{}, 16)
	defer c.Subscribe(func(e app.Event) {
		if _, ok := e.(app.ItemsChanged); ok {
			select {
			case changed <- struct{}{}:
			default:
			}
		}
	})()
	done := make(chan error, 1)
	go func() { _, err := c.Sync(context.Background(), ws, true, nil); done <- err }()
	<-asked
	<-held // the second page is asked for, and Notion has not answered yet
	defer release()
	<-changed
	// The first page holds 100 results, a few of them in the trash.
	if n := apptest.ItemCount(c, ws); n < 90 || n > 100 {
		t.Errorf("%d items listed after the first page of 100", n)
	}
	if w, _ := c.Store().Workspace(ws); !w.Synced.IsZero() {
		t.Error("the workspace reads as synced before its first sync ended")
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := apptest.ItemCount(c, ws); n != h.SharedLive(ws) {
		t.Errorf("%d items after the sync, want %d", n, h.SharedLive(ws))
	}
}
