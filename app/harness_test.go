package app_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/content"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// harness is a Core wired to an emulator, an in-memory vault and a real
// bbolt file in a temp dir.
type harness struct {
	t     testing.TB
	emu   *notiontest.Server
	core  *app.Core
	vault *auth.Memory
	dir   string
	cfg   app.Config
}

func newHarness(t testing.TB) *harness { return newHarnessWith(t, nil) }

func newHarnessWith(t testing.TB, tweak func(*notiontest.Options)) *harness {
	t.Helper()
	redirect := notiontest.RedirectURI(t)
	o := notiontest.Options{RedirectURIs: []string{redirect}, RateLimit: -1}
	if tweak != nil {
		tweak(&o)
	}
	emu := notiontest.NewServer(o)
	t.Cleanup(emu.Close)
	h := &harness{t: t, emu: emu, vault: auth.NewMemory(), dir: t.TempDir()}
	h.cfg = app.Config{
		ClientID: emu.ClientID(), ClientSecret: notion.Secret(emu.ClientSecret()),
		RedirectURI: redirect, NotionURL: emu.URL(), DataDir: h.dir, KeyringService: "test",
	}
	h.core = h.newCore()
	return h
}

// newCore is another Core on the same data and vault: another process.
func (h *harness) newCore() *app.Core { return h.coreWith(h.vault) }

// coreWith is another process whose view of the keychain is v.
func (h *harness) coreWith(v auth.Vault) *app.Core {
	c, err := app.New(app.Options{
		Config: h.cfg, Vault: v, RateLimit: rate.Inf, ConnectTimeout: 20 * time.Second,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		// Another Core is another process: let go of the index at once.
		Content: content.Options{IndexIdle: time.Millisecond},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	// Like a process at exit: nothing touches the data dir afterwards.
	h.t.Cleanup(func() { _ = c.Close() })
	return c
}

// browser follows the consent URL like a browser would, and remembers the
// last page it landed on.
type browser struct {
	mu   sync.Mutex
	urls []string
	body string
	err  error
}

func (b *browser) OpenURL(u string) error {
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Get(u)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.urls = append(b.urls, u)
	if err != nil {
		b.err = err
		return nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.body = string(body)
	return nil
}

func (b *browser) page() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.body
}

// addWorkspace creates a workspace in the emulator with n generated items.
func (h *harness) addWorkspace(name string, seed int64, n int) string {
	id := h.emu.AddWorkspace(notiontest.WorkspaceSpec{Name: name, Icon: "🏢", OwnerName: "Ada", OwnerEmail: "ada@example.com"})
	if n > 0 {
		h.emu.Seed(id, seed, n)
	}
	return id
}

// connect runs the real flow, approving in the emulator's consent page.
func (h *harness) connect(ws string) {
	h.t.Helper()
	h.emu.SetAutoApprove(ws)
	b := &browser{}
	w, err := h.core.Connect(context.Background(), app.ConnectOptions{Opener: b})
	if err != nil {
		h.t.Fatalf("connect: %v", err)
	}
	if w.ID != ws || !strings.Contains(b.page(), "Pagedeck is connected to") {
		h.t.Fatalf("connected %+v, page %q", w, b.page())
	}
}

// sharedLive counts the emulator's items the connection should list.
func (h *harness) sharedLive(ws string) int {
	n := 0
	for _, it := range h.emu.Items(ws) {
		if !it.Unshared && !it.InTrash {
			n++
		}
	}
	return n
}

func (h *harness) searchCalls() int { return h.emu.Count(http.MethodPost, "/v1/search") }

// clock is a settable time: for frecency, and for the emulator (edit
// times and the Date header follow it).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
