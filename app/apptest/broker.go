package apptest

import (
	"bytes"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/auth/broker"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// Broker is the token broker as the desktop sees it: one public URL (a
// front standing for a load balancer) routing each request to one of
// several broker instances, all started on the World's emulator. It
// records what the desktop posts.
type Broker struct {
	w     *World
	front *httptest.Server
	logs  notiontest.LockedBuffer
	// Key is the sealing key the first instance was started with.
	Key []byte

	mu    sync.Mutex
	skew  time.Duration
	calls []DesktopCall

	route atomic.Pointer[func(path string) *Instance]
}

// DesktopCall is a form the desktop posted to the broker, as it arrived.
type DesktopCall struct {
	Path   string
	Form   url.Values
	Header http.Header
}

func newBroker(w *World) *Broker {
	b := &Broker{w: w, Key: NewKey()}
	b.front = httptest.NewServer(http.HandlerFunc(b.serveFront))
	w.T.Cleanup(b.front.Close)
	return b
}

// URL is the broker's public URL.
func (b *Broker) URL() string { return b.front.URL }

// Logs is what every instance logged, as JSON lines.
func (b *Broker) Logs() string { return b.logs.String() }

// Advance moves the brokers' clock forward by d (it runs with real time
// otherwise, as the event log's ids come from it).
func (b *Broker) Advance(d time.Duration) {
	b.mu.Lock()
	b.skew += d
	b.mu.Unlock()
}

func (b *Broker) now() time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	return time.Now().Add(b.skew)
}

// Instance starts a broker process whose public URL is the front's,
// sealing with key and still opening what previous sealed. It is closed
// when the test ends.
func (b *Broker) Instance(name string, key, previous []byte) *Instance {
	t, w := b.w.T, b.w
	t.Helper()
	cfg := unlimited(broker.Config{
		ClientID: w.Emu.ClientID(), ClientSecret: notion.Secret(w.Emu.ClientSecret()), NotionURL: w.Emu.URL(),
		PublicURL: b.URL(), Key: key, PreviousKey: previous, Now: b.now,
		Logger: slog.New(slog.NewJSONHandler(&b.logs, &slog.HandlerOptions{Level: slog.LevelDebug})).With("instance", name),
		Live:   broker.LiveOptions{Heartbeat: 200 * time.Millisecond},
	})
	if w.Redis != nil {
		cfg.RedisURL = w.Redis.URL()
	}
	if w.webhooks {
		cfg.WebhookToken = WebhookToken
	}
	srv, err := broker.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return &Instance{Name: name, srv: srv, hits: map[string]int{}}
}

// RouteAll sends every request to i.
func (b *Broker) RouteAll(i *Instance) { b.Route(func(string) *Instance { return i }) }

// Route sends each request to the instance f picks by its path.
func (b *Broker) Route(f func(path string) *Instance) { b.route.Store(&f) }

// serveFront records what the desktop posts, then hands the request to the
// instance the route picks.
func (b *Broker) serveFront(w http.ResponseWriter, r *http.Request) {
	// Notion's webhooks are not the desktop's calls.
	if r.Method == http.MethodPost && !strings.HasPrefix(r.URL.Path, "/webhooks/") {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		b.mu.Lock()
		b.calls = append(b.calls, DesktopCall{Path: r.URL.Path, Form: form, Header: r.Header.Clone()})
		b.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	(*b.route.Load())(r.URL.Path).ServeHTTP(w, r)
}

// DesktopCalls are the forms the desktop posted, in order.
func (b *Broker) DesktopCalls() []DesktopCall {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]DesktopCall(nil), b.calls...)
}

// Instance is one broker process; it counts what it served.
type Instance struct {
	Name string
	srv  *broker.Server
	mu   sync.Mutex
	hits map[string]int
}

func (i *Instance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i.mu.Lock()
	i.hits[r.URL.Path]++
	i.mu.Unlock()
	i.srv.Handler().ServeHTTP(w, r)
}

// Served is how many requests for path the instance served.
func (i *Instance) Served(path string) int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.hits[path]
}

// Hits is the count of requests served, by path.
func (i *Instance) Hits() map[string]int {
	i.mu.Lock()
	defer i.mu.Unlock()
	m := make(map[string]int, len(i.hits))
	for k, v := range i.hits {
		m[k] = v
	}
	return m
}

// NewKey is a fresh key for sealing states and codes.
func NewKey() []byte {
	k := make([]byte, broker.KeySize)
	_, _ = rand.Read(k)
	return k
}

// unlimited returns c with every request limit turned off: the broker's
// per-client limits and its own pacing towards Notion, so tests pace
// nothing.
func unlimited(c broker.Config) broker.Config {
	off := broker.Limit{Rate: rate.Inf}
	c.AuthorizeLimit, c.CallbackLimit, c.TokenLimit, c.EventsLimit, c.WebhookLimit = off, off, off, off, off
	c.Notion = notion.Options{RateLimit: rate.Inf}
	return c
}
