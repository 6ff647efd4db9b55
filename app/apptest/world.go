package apptest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/auth/broker/redistest"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// World is one user's machine for a test: the Notion emulator on loopback,
// a keychain in memory, a data directory, the configuration every Pagedeck
// process there reads and, with WithBroker, the token broker in front of
// Notion. It makes Cores, each a process of its own on the same data.
// Everything it starts is closed when the test ends, Cores first.
type World struct {
	T      testing.TB
	Emu    *notiontest.Server
	Vault  *auth.Memory
	Dir    string
	Config app.Config
	// Broker is the token broker the desktop signs in through; nil
	// without WithBroker.
	Broker *Broker
	// Redis is the brokers' shared store; nil without WithRedis.
	Redis *redistest.Server

	emu      []func(*notiontest.Options)
	core     []func(*app.Options)
	broker   bool
	webhooks bool
}

// Option shapes a World.
type Option func(*World)

// WithBroker signs the desktop in through a token broker: the Core holds
// no client id or secret, only the broker's URL.
func WithBroker() Option { return func(w *World) { w.broker = true } }

// WithWebhooks has Notion deliver its webhooks to the broker, which
// streams them to the desktop (live updates). It implies WithBroker.
func WithWebhooks() Option { return func(w *World) { w.broker, w.webhooks = true, true } }

// WithRedis starts a real redis-server that the broker instances share,
// as they do in production. It implies WithBroker.
func WithRedis() Option {
	return func(w *World) {
		w.broker = true
		w.Redis = redistest.Start(w.T)
	}
}

// WithEmulator tunes the emulator's options (its clock, limits, delays),
// after the tweaks given before it.
func WithEmulator(tweak func(*notiontest.Options)) Option {
	return func(w *World) { w.emu = append(w.emu, tweak) }
}

// WithClock has Notion keep time by c: its edit times and its Date header
// follow c.
func WithClock(c *notiontest.Clock) Option {
	return WithEmulator(func(o *notiontest.Options) { o.Clock = c.Now })
}

// WithCoreOptions tunes the options of every Core the World makes, after
// the tweaks given before it.
func WithCoreOptions(tweak func(*app.Options)) Option {
	return func(w *World) { w.core = append(w.core, tweak) }
}

// WebhookToken is the verification token Notion signs its webhooks with.
const WebhookToken = "secret_apptest_webhook_verification_token"

// New makes a World; opts are applied in order.
func New(t testing.TB, opts ...Option) *World {
	t.Helper()
	w := &World{T: t, Vault: auth.NewMemory(), Dir: t.TempDir()}
	for _, o := range opts {
		o(w)
	}
	redirect := notiontest.RedirectURI(t)
	eo := notiontest.Options{RedirectURIs: []string{redirect}, RateLimit: -1}
	if w.broker {
		// The broker's public URL must be known before the emulator
		// (its registered callback) and the brokers (their config).
		w.Broker = newBroker(w)
		eo.RedirectURIs = []string{w.Broker.URL() + "/callback"}
		if w.webhooks {
			eo.Webhook = notiontest.WebhookOptions{URL: w.Broker.URL() + "/webhooks/notion", Token: WebhookToken, RetryDelay: 10 * time.Millisecond}
		}
	}
	for _, tweak := range w.emu {
		tweak(&eo)
	}
	w.Emu = notiontest.NewServer(eo)
	t.Cleanup(w.Emu.Close)
	w.Config = app.Config{RedirectURI: redirect, NotionURL: w.Emu.URL(), DataDir: w.Dir, KeyringService: "test"}
	if w.broker {
		w.Config.BrokerURL = w.Broker.URL()
		w.Broker.RouteAll(w.Broker.Instance("one", w.Broker.Key, nil))
	} else {
		w.Config.ClientID, w.Config.ClientSecret = w.Emu.ClientID(), notion.Secret(w.Emu.ClientSecret())
	}
	return w
}

// Options are what a Core of this World is made with: its configuration
// and keychain, no pacing and no waits between retries.
func (w *World) Options() app.Options {
	o := app.Options{
		Config: w.Config, Vault: w.Vault, RateLimit: rate.Inf, ConnectTimeout: 20 * time.Second,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	}
	// Another Core is another process: let go of the index at once.
	o.Content.IndexIdle = time.Millisecond
	for _, tweak := range w.core {
		tweak(&o)
	}
	return o
}

// Open makes a Core with o, closed when the test ends (like a process at
// exit: nothing touches the data dir afterwards).
func (w *World) Open(o app.Options) *app.Core {
	w.T.Helper()
	c, err := w.NewCoreWith(o)
	if err != nil {
		w.T.Fatal(err)
	}
	return c
}

// NewCoreWith is Open for a factory: the error is the caller's to judge.
// The Core is closed when the test ends, whoever else closes it.
func (w *World) NewCoreWith(o app.Options) (*app.Core, error) {
	c, err := app.New(o)
	if err != nil {
		return nil, err
	}
	w.T.Cleanup(func() { _ = c.Close() })
	return c, nil
}

// Core is another process on the World's data and keychain.
func (w *World) Core() *app.Core {
	w.T.Helper()
	return w.Open(w.Options())
}

// CoreWith is another process whose view of the keychain is v.
func (w *World) CoreWith(v auth.Vault) *app.Core {
	w.T.Helper()
	o := w.Options()
	o.Vault = v
	return w.Open(o)
}

// NewCore is Core as the command line's factory wants it (cli.Env).
func (w *World) NewCore(context.Context) (*app.Core, error) { return w.NewCoreWith(w.Options()) }

// NewReadOnlyCore is a process that only reads: the commands that list.
func (w *World) NewReadOnlyCore(context.Context) (*app.Core, error) {
	o := w.Options()
	o.ReadOnly = true
	return w.NewCoreWith(o)
}

// AddWorkspace creates a workspace named name in the emulator, owned by
// Ada, with n generated items.
func (w *World) AddWorkspace(name string, seed int64, n int) string {
	return w.AddWorkspaceSpec(notiontest.WorkspaceSpec{Name: name, Icon: "🏢", OwnerName: "Ada", OwnerEmail: "ada@example.com"}, seed, n)
}

// AddWorkspaceSpec creates the workspace spec with n generated items.
func (w *World) AddWorkspaceSpec(spec notiontest.WorkspaceSpec, seed int64, n int) string {
	id := w.Emu.AddWorkspace(spec)
	if n > 0 {
		w.Emu.Seed(id, seed, n)
	}
	return id
}

// Connect runs the real flow on c, approving ws in the emulator's consent
// page with a browser, and fails the test unless ws is connected.
func (w *World) Connect(c *app.Core, ws string) store.Workspace {
	w.T.Helper()
	return w.ConnectWith(c, ws, app.ConnectOptions{})
}

// ConnectWith is Connect with o (its Opener is the World's browser).
func (w *World) ConnectWith(c *app.Core, ws string, o app.ConnectOptions) store.Workspace {
	w.T.Helper()
	w.Emu.SetAutoApprove(ws)
	b := &Browser{}
	o.Opener = b
	got, err := c.Connect(context.Background(), o)
	if err != nil {
		w.T.Fatalf("connect: %v (page %q)", err, b.Page())
	}
	if got.ID != ws || !strings.Contains(b.Page(), "Pagedeck is connected to") {
		w.T.Fatalf("connected %+v, page %q", got, b.Page())
	}
	return got
}

// SharedLive counts the emulator's items of ws that a connection lists:
// shared and not in the trash.
func (w *World) SharedLive(ws string) int {
	n := 0
	for _, it := range w.Emu.Items(ws) {
		if !it.Unshared && !it.InTrash {
			n++
		}
	}
	return n
}

// SearchCalls is how many times Notion's search was called.
func (w *World) SearchCalls() int { return w.Emu.Count(http.MethodPost, "/v1/search") }
