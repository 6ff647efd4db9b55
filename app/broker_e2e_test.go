package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/auth/broker"
	"github.com/pagedeck/pagedeck/auth/broker/brokertest"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// The desktop Core (BrokerURL, no client id or secret) → a front server that
// stands for the broker's public URL (a load balancer routing to one or more
// broker instances) → the emulator. The browser is the harness's.

// brokerClock is the brokers' settable clock.
type brokerClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *brokerClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *brokerClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// lockedBuffer collects the brokers' log lines from their goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// brokerInstance is one broker process; it counts what it served.
type brokerInstance struct {
	name string
	srv  *broker.Server
	mu   sync.Mutex
	hits map[string]int
}

func (i *brokerInstance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i.mu.Lock()
	i.hits[r.URL.Path]++
	i.mu.Unlock()
	i.srv.Handler().ServeHTTP(w, r)
}

func (i *brokerInstance) served(path string) int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.hits[path]
}

// desktopCall is a form the desktop posted to the broker, as it arrived.
type desktopCall struct {
	path   string
	form   url.Values
	header http.Header
}

type brokerHarness struct {
	t        *testing.T
	emu      *notiontest.Server
	front    *httptest.Server
	clock    *brokerClock
	logs     *lockedBuffer
	key      []byte
	redirect string // the desktop's loopback redirect URI
	vault    *auth.Memory
	cfg      app.Config
	core     *app.Core

	route atomic.Pointer[func(path string) *brokerInstance]

	mu    sync.Mutex
	calls []desktopCall
}

func newKey() []byte { return brokertest.NewKey() }

func newBrokerHarness(t *testing.T) *brokerHarness {
	t.Helper()
	h := &brokerHarness{
		t:        t,
		clock:    &brokerClock{t: time.Now()},
		logs:     &lockedBuffer{},
		key:      newKey(),
		redirect: notiontest.RedirectURI(t),
		vault:    auth.NewMemory(),
	}
	h.front = httptest.NewServer(http.HandlerFunc(h.serveFront))
	t.Cleanup(h.front.Close)
	h.emu = notiontest.NewServer(notiontest.Options{RedirectURIs: []string{h.front.URL + "/callback"}, RateLimit: -1})
	t.Cleanup(h.emu.Close)
	one := h.instance("one", h.key, nil)
	h.routeAll(one)

	h.cfg = app.Config{BrokerURL: h.front.URL, RedirectURI: h.redirect, NotionURL: h.emu.URL(), DataDir: t.TempDir(), KeyringService: "test"}
	c, err := app.New(app.Options{
		Config: h.cfg, Vault: h.vault, RateLimit: rate.Inf, ConnectTimeout: 20 * time.Second,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	h.core = c
	return h
}

// instance starts a broker process whose public URL is the front's.
func (h *brokerHarness) instance(name string, key, previous []byte) *brokerInstance {
	h.t.Helper()
	srv, err := broker.New(broker.Config{
		ClientID:       h.emu.ClientID(),
		ClientSecret:   notion.Secret(h.emu.ClientSecret()),
		NotionURL:      h.emu.URL(),
		PublicURL:      h.front.URL,
		Key:            key,
		PreviousKey:    previous,
		Now:            h.clock.Now,
		Logger:         slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})).With("instance", name),
		Notion:         notion.Options{RateLimit: rate.Inf},
		AuthorizeLimit: broker.Limit{Rate: rate.Inf},
		TokenLimit:     broker.Limit{Rate: rate.Inf},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return &brokerInstance{name: name, srv: srv, hits: map[string]int{}}
}

func (h *brokerHarness) routeAll(i *brokerInstance) {
	h.setRoute(func(string) *brokerInstance { return i })
}

func (h *brokerHarness) setRoute(f func(path string) *brokerInstance) { h.route.Store(&f) }

// serveFront records what the desktop posts, then hands the request to the
// instance the route picks.
func (h *brokerHarness) serveFront(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		h.mu.Lock()
		h.calls = append(h.calls, desktopCall{path: r.URL.Path, form: form, header: r.Header.Clone()})
		h.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	(*h.route.Load())(r.URL.Path).ServeHTTP(w, r)
}

func (h *brokerHarness) desktopCalls() []desktopCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]desktopCall(nil), h.calls...)
}

func (h *brokerHarness) addWorkspace(name string, seed int64, n int) string {
	id := h.emu.AddWorkspace(notiontest.WorkspaceSpec{Name: name, Icon: "🏢", OwnerName: "Ada", OwnerEmail: "ada@example.com"})
	if n > 0 {
		h.emu.Seed(id, seed, n)
	}
	return id
}

func (h *brokerHarness) connect(ws string) store.Workspace {
	h.t.Helper()
	h.emu.SetAutoApprove(ws)
	b := &browser{}
	w, err := h.core.Connect(context.Background(), app.ConnectOptions{Opener: b})
	if err != nil {
		h.t.Fatalf("connect through the broker: %v (page %q)", err, b.page())
	}
	if w.ID != ws || !strings.Contains(b.page(), "Pagedeck is connected to") {
		h.t.Fatalf("connected %+v, page %q", w, b.page())
	}
	return w
}

// ---- The flow by hand: a desktop that does not follow redirects ----

var noFollow = &http.Client{
	Timeout:       20 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

type handFlow struct {
	state, verifier string
	toNotion        *url.URL // broker → Notion
	callback        *url.URL // Notion → broker
	code            string   // the sealed code the desktop gets
}

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hop GETs u and returns the redirect, failing on anything else.
func hop(t *testing.T, u string) *url.URL {
	t.Helper()
	resp, err := noFollow.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("GET %s: %d %s", strings.SplitN(u, "?", 2)[0], resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func (h *brokerHarness) authorizeURL(state, verifier, redirect string) string {
	q := url.Values{
		"client_id":             {auth.BrokerClientID},
		"response_type":         {"code"},
		"redirect_uri":          {redirect},
		"state":                 {state},
		"code_challenge":        {s256(verifier)},
		"code_challenge_method": {"S256"},
	}
	return h.front.URL + "/authorize?" + q.Encode()
}

// toCallback runs /authorize and the consent page, up to the URL Notion
// sends the browser back to.
func (h *brokerHarness) toCallback(ws string) *handFlow {
	h.t.Helper()
	h.emu.SetAutoApprove(ws)
	f := &handFlow{state: randomString(), verifier: randomString()}
	f.toNotion = hop(h.t, h.authorizeURL(f.state, f.verifier, h.redirect))
	f.callback = hop(h.t, f.toNotion.String())
	if f.callback.Query().Get("code") == "" {
		h.t.Fatalf("Notion sent back no code")
	}
	return f
}

// finish visits /callback and keeps the sealed code the desktop would get.
func (h *brokerHarness) finish(f *handFlow) *handFlow {
	h.t.Helper()
	back := hop(h.t, f.callback.String())
	if got := back.Scheme + "://" + back.Host + back.Path; got != h.redirect || back.Query().Get("state") != f.state {
		h.t.Fatalf("the broker sent the browser to %s", back.Redacted())
	}
	f.code = back.Query().Get("code")
	if f.code == "" {
		h.t.Fatalf("no code: %s", back.Redacted())
	}
	return f
}

type tokenAnswer struct {
	Status      int
	Error       string `json:"error"`
	Description string `json:"error_description"`
	AccessToken string `json:"access_token"`
	WorkspaceID string `json:"workspace_id"`
}

// exchange posts the code as golang.org/x/oauth2 would.
func (h *brokerHarness) exchange(code, verifier string) tokenAnswer {
	h.t.Helper()
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"code_verifier": {verifier},
		"redirect_uri":  {h.redirect},
		"client_id":     {auth.BrokerClientID},
	}
	resp, err := http.PostForm(h.front.URL+"/token", form)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var a tokenAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		h.t.Fatalf("/token answered %d without JSON", resp.StatusCode)
	}
	a.Status = resp.StatusCode
	return a
}

func wantInvalidGrant(t *testing.T, a tokenAnswer) {
	t.Helper()
	if a.Status != http.StatusBadRequest || a.Error != "invalid_grant" || a.AccessToken != "" {
		t.Errorf("got %d %q (%s), want 400 invalid_grant", a.Status, a.Error, a.Description)
	}
}

// flipByte changes one byte inside a sealed value's ciphertext.
func flipByte(t *testing.T, sealed string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil {
		t.Fatalf("a sealed value is not base64url: %v", err)
	}
	raw[len(raw)/2] ^= 0x01
	return base64.RawURLEncoding.EncodeToString(raw)
}

// ---- Tests ----

func TestBrokerConnectSyncSearch(t *testing.T) {
	h := newBrokerHarness(t)
	ws := h.addWorkspace("Acme", 31, 400)
	h.connect(ws)
	ctx := context.Background()

	w, err := h.core.Store().Workspace(ws)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, it := range h.emu.Items(ws) {
		if !it.Unshared && !it.InTrash {
			want++
		}
	}
	if w.Auth != "broker" || w.Name != "Acme" || w.Icon != "🏢" || w.Status != store.StatusOK || w.Items != want ||
		w.OwnerName != "Ada" || w.OwnerEmail != "ada@example.com" || w.BotID == "" || w.Synced.IsZero() {
		t.Errorf("workspace = %+v, want %d items", w, want)
	}
	toks, err := h.vault.Load(ctx, ws)
	if err != nil || toks.Kind != auth.KindBroker || toks.Access == "" || toks.Refresh == "" {
		t.Fatalf("vault = %+v, %v", toks, err)
	}
	all, _ := apptest.SearchHits(h.core, "", ws, "", 0)
	if len(all) != want {
		t.Fatalf("search lists %d of %d", len(all), want)
	}
	target := all[len(all)/3]
	for _, it := range all {
		if len(it.Title) > 8 {
			target = it
			break
		}
	}
	if hits, _ := apptest.SearchHits(h.core, target.Title, ws, "", 5); len(hits) == 0 || app.DisplayTitle(hits[0].Title) != app.DisplayTitle(target.Title) {
		t.Errorf("searching %q: %v", target.Title, hits)
	}

	// The desktop never had the client secret: it is not configured, not in
	// the vault, and the desktop's calls to the broker carried none.
	secret := h.emu.ClientSecret()
	eff, err := h.core.Effective(ctx)
	if err != nil || eff.ClientSecret != "" || eff.ClientID != "" || eff.BrokerURL != h.front.URL {
		t.Errorf("effective config %+v, %v", eff, err)
	}
	if _, err := h.vault.ClientSecret(ctx); !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("the vault holds a client secret: %v", err)
	}
	if s, _ := h.core.Settings(ctx); s.HasClientSecret {
		t.Error("settings report a client secret")
	}
	calls := h.desktopCalls()
	if len(calls) != 1 || calls[0].path != "/token" || calls[0].form.Get("grant_type") != "authorization_code" {
		t.Fatalf("the desktop posted %+v", calls)
	}
	if f := calls[0].form; f.Get("client_id") != auth.BrokerClientID || f.Has("client_secret") || f.Get("code_verifier") == "" ||
		f.Get("redirect_uri") != h.redirect || calls[0].header.Get("Authorization") != "" {
		t.Errorf("the desktop's token request: %v %v", f, calls[0].header)
	}
	// Every call to Notion's token endpoint came from the broker, with Basic auth.
	tokenCalls := 0
	for _, r := range h.emu.Requests() {
		if !strings.HasPrefix(r.Path, "/v1/oauth/") || r.Path == "/v1/oauth/authorize" {
			continue
		}
		tokenCalls++
		id, sec, ok := (&http.Request{Header: r.Header}).BasicAuth()
		if !ok || id != h.emu.ClientID() || sec != secret || r.Header.Get("User-Agent") != "pagedeck-broker" {
			t.Errorf("%s came with %q from %q", r.Path, r.Header.Get("Authorization"), r.Header.Get("User-Agent"))
		}
	}
	if tokenCalls != 1 {
		t.Errorf("%d OAuth calls at Notion, want 1", tokenCalls)
	}
	// Notion's consent page was asked for the broker's connection and callback.
	for _, r := range h.emu.Requests() {
		if r.Path == "/v1/oauth/authorize" && (r.Query.Get("client_id") != h.emu.ClientID() || r.Query.Get("redirect_uri") != h.front.URL+"/callback") {
			t.Errorf("consent asked with %v", r.Query)
		}
	}
	if log := h.logs.String(); strings.Contains(log, secret) || strings.Contains(log, toks.Access.Reveal()) || strings.Contains(log, toks.Refresh.Reveal()) {
		t.Error("the broker's log shows a secret or a token")
	}
}

func TestBrokerWrongVerifier(t *testing.T) {
	h := newBrokerHarness(t)
	ws := h.addWorkspace("Acme", 32, 5)
	f := h.finish(h.toCallback(ws))
	wantInvalidGrant(t, h.exchange(f.code, randomString()))
	if n := h.emu.Count(http.MethodPost, "/v1/oauth/token"); n != 0 {
		t.Errorf("a wrong verifier reached Notion (%d calls)", n)
	}
	// The right one still works: a guess does not burn the code.
	if a := h.exchange(f.code, f.verifier); a.Status != http.StatusOK || a.WorkspaceID != ws {
		t.Errorf("the right verifier: %+v", a)
	}
	// And only once.
	wantInvalidGrant(t, h.exchange(f.code, f.verifier))
}

func TestBrokerExpiredCode(t *testing.T) {
	h := newBrokerHarness(t)
	ws := h.addWorkspace("Acme", 33, 5)
	f := h.finish(h.toCallback(ws))
	h.clock.Add(broker.CodeTTL + time.Second)
	a := h.exchange(f.code, f.verifier)
	wantInvalidGrant(t, a)
	if !strings.Contains(a.Description, "expired") {
		t.Errorf("description %q", a.Description)
	}
	if n := h.emu.Count(http.MethodPost, "/v1/oauth/token"); n != 0 {
		t.Errorf("an expired code reached Notion")
	}
}

func TestBrokerTamperedValues(t *testing.T) {
	h := newBrokerHarness(t)
	ws := h.addWorkspace("Acme", 34, 5)

	// A flipped byte in the sealed code.
	f := h.finish(h.toCallback(ws))
	wantInvalidGrant(t, h.exchange(flipByte(t, f.code), f.verifier))

	// A flipped byte in the sealed state Notion hands back.
	g := h.toCallback(ws)
	q := g.callback.Query()
	q.Set("state", flipByte(t, q.Get("state")))
	u := *g.callback
	u.RawQuery = q.Encode()
	resp, err := noFollow.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(string(body), "Start again from Pagedeck") {
		t.Errorf("tampered state: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	// The untouched state still works, and its code too.
	if a := h.exchange(h.finish(g).code, g.verifier); a.Status != http.StatusOK {
		t.Errorf("the genuine flow after the tampered ones: %+v", a)
	}
	if a := h.exchange(f.code, f.verifier); a.Status != http.StatusOK {
		t.Errorf("the genuine code after its tampered copy: %+v", a)
	}
}

func TestBrokerRejectsNonLoopbackRedirect(t *testing.T) {
	h := newBrokerHarness(t)
	for _, ru := range []string{"http://example.com:47219/callback", "https://localhost:47219/callback", "http://192.168.1.5:47219/callback"} {
		resp, err := noFollow.Get(h.authorizeURL("st", randomString(), ru))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Errorf("%s: %d, Location %q", ru, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if n := h.emu.Count(http.MethodGet, "/v1/oauth/authorize"); n != 0 {
		t.Errorf("Notion was asked %d times", n)
	}
}

func TestBrokerDenied(t *testing.T) {
	h := newBrokerHarness(t)
	h.addWorkspace("Acme", 35, 5)
	h.emu.SetAutoDeny(true)
	b := &browser{}
	_, err := h.core.Connect(context.Background(), app.ConnectOptions{Opener: b})
	if !errors.Is(err, app.ErrDenied) {
		t.Fatalf("err = %v, want ErrDenied", err)
	}
	if ws, _ := h.core.Workspaces(); len(ws) != 0 {
		t.Errorf("a denied connect stored %v", ws)
	}
	if n := h.emu.Count(http.MethodPost, "/v1/oauth/token"); n != 0 {
		t.Errorf("a denied connect called the token endpoint")
	}
}

func TestBrokerRefreshAndRevoke(t *testing.T) {
	h := newBrokerHarness(t)
	ws := h.addWorkspace("Acme", 36, 60)
	h.connect(ws)
	ctx := context.Background()
	old, _ := h.vault.Load(ctx, ws)
	h.emu.ExpireAccessToken(old.Access.Reveal())
	if _, err := h.core.Sync(ctx, ws, true, nil); err != nil {
		t.Fatalf("sync after expiry: %v", err)
	}
	fresh, _ := h.vault.Load(ctx, ws)
	if fresh.Access == old.Access || fresh.Refresh == old.Refresh || fresh.Refresh == "" || fresh.Kind != auth.KindBroker {
		t.Errorf("the new pair was not stored: %+v", fresh)
	}
	if w, _ := h.core.Store().Workspace(ws); w.Status != store.StatusOK {
		t.Errorf("status %s", w.Status)
	}
	var grants []string
	for _, c := range h.desktopCalls() {
		grants = append(grants, c.path+" "+c.form.Get("grant_type"))
	}
	if strings.Join(grants, ",") != "/token authorization_code,/token refresh_token" {
		t.Errorf("the desktop posted %v", grants)
	}

	// The old refresh token is dead; the broker says so as invalid_grant,
	// which the desktop reads as "reconnect" rather than "try later".
	p, _ := auth.NewBroker(h.front.URL, nil)
	if _, err := p.Refresh(ctx, old.Refresh); !errors.Is(err, notion.ErrInvalidGrant) || notion.IsTransient(err) {
		t.Errorf("refresh with a rotated token: %v", err)
	}

	if err := h.core.Disconnect(ctx, ws, true); err != nil {
		t.Fatal(err)
	}
	if n := h.emu.ActiveGrants(ws); n != 0 {
		t.Errorf("%d grants live after disconnect", n)
	}
	if n := h.emu.Count(http.MethodPost, "/v1/oauth/revoke"); n != 1 {
		t.Errorf("%d revoke calls at Notion", n)
	}
	if _, err := h.vault.Load(ctx, ws); !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("the vault still holds the pair: %v", err)
	}
}

// TestBrokerNotionDown: Notion failing behind the broker is passing trouble
// for the desktop, not a reason to reconnect.
func TestBrokerNotionDown(t *testing.T) {
	h := newBrokerHarness(t)
	ws := h.addWorkspace("Acme", 37, 20)
	h.connect(ws)
	ctx := context.Background()
	old, _ := h.vault.Load(ctx, ws)
	h.emu.ExpireAccessToken(old.Access.Reveal())
	h.emu.FailNext("/v1/oauth/token", 1, notiontest.FaultUnavailable)
	_, err := h.core.Sync(ctx, ws, false, nil)
	if err == nil || errors.Is(err, app.ErrNeedsReconnect) || !notion.IsTransient(err) {
		t.Fatalf("err = %v, want a transient error", err)
	}
	if w, _ := h.core.Store().Workspace(ws); w.Status != store.StatusOK {
		t.Errorf("status %s", w.Status)
	}
	// Next time it works, with the same refresh token.
	if _, err := h.core.Sync(ctx, ws, false, nil); err != nil {
		t.Errorf("after Notion came back: %v", err)
	}
}

func TestBrokerTwoInstances(t *testing.T) {
	h := newBrokerHarness(t)
	a := h.instance("a", h.key, nil)
	b := h.instance("b", h.key, nil)
	h.setRoute(func(path string) *brokerInstance {
		if path == "/authorize" || path == "/callback" {
			return a
		}
		return b
	})
	ws := h.addWorkspace("Acme", 38, 30)
	h.connect(ws)
	if a.served("/authorize") != 1 || a.served("/callback") != 1 || a.served("/token") != 0 || b.served("/token") != 1 || b.served("/callback") != 0 {
		t.Errorf("a served %v, b served %v", a.hits, b.hits)
	}
	if w, _ := h.core.Store().Workspace(ws); w.Auth != "broker" || w.Items == 0 {
		t.Errorf("workspace %+v", w)
	}

	// By hand too: /authorize and /callback on a, /token on b.
	h.routeAll(a)
	f := h.finish(h.toCallback(ws))
	h.routeAll(b)
	if r := h.exchange(f.code, f.verifier); r.Status != http.StatusOK || r.WorkspaceID != ws {
		t.Errorf("exchange on the other instance: %+v", r)
	}
}

// TestBrokerReplayAcrossInstances pins down what the package documents:
// each instance's replay cache is its own, so a replay on another instance
// is forwarded, and Notion's single-use code refuses it.
func TestBrokerReplayAcrossInstances(t *testing.T) {
	h := newBrokerHarness(t)
	a := h.instance("a", h.key, nil)
	b := h.instance("b", h.key, nil)
	ws := h.addWorkspace("Acme", 39, 5)
	h.routeAll(a)
	f := h.finish(h.toCallback(ws))
	if r := h.exchange(f.code, f.verifier); r.Status != http.StatusOK {
		t.Fatalf("first exchange: %+v", r)
	}
	before := h.emu.Count(http.MethodPost, "/v1/oauth/token")
	wantInvalidGrant(t, h.exchange(f.code, f.verifier)) // same instance: its cache
	if h.emu.Count(http.MethodPost, "/v1/oauth/token") != before {
		t.Error("a replay on the same instance reached Notion")
	}
	h.routeAll(b)
	wantInvalidGrant(t, h.exchange(f.code, f.verifier)) // other instance: Notion
	if h.emu.Count(http.MethodPost, "/v1/oauth/token") != before+1 {
		t.Error("a replay on another instance did not reach Notion")
	}
}

func TestBrokerKeyRotation(t *testing.T) {
	h := newBrokerHarness(t)
	oldKey, newKey := h.key, newKey()
	before := h.instance("before", oldKey, nil)
	after := h.instance("after", newKey, oldKey) // restarted with PREVIOUS_KEY
	ws := h.addWorkspace("Acme", 40, 30)

	// The flow starts before the restart and ends after it.
	h.setRoute(func(path string) *brokerInstance {
		if path == "/authorize" {
			return before
		}
		return after
	})
	h.connect(ws)
	if before.served("/authorize") != 1 || after.served("/callback") != 1 || after.served("/token") != 1 {
		t.Errorf("before served %v, after served %v", before.hits, after.hits)
	}

	// By hand: a state sealed under the old key, opened after the restart...
	h.routeAll(before)
	f := h.toCallback(ws)
	h.routeAll(after)
	if r := h.exchange(h.finish(f).code, f.verifier); r.Status != http.StatusOK {
		t.Errorf("state from before the rotation: %+v", r)
	}
	// ...and a code sealed under the old key, exchanged after it.
	h.routeAll(before)
	g := h.finish(h.toCallback(ws))
	h.routeAll(after)
	if r := h.exchange(g.code, g.verifier); r.Status != http.StatusOK {
		t.Errorf("code from before the rotation: %+v", r)
	}
	// Once the previous key is dropped, old states no longer open.
	h.routeAll(before)
	old := h.toCallback(ws)
	h.routeAll(h.instance("later", newKey, nil))
	resp, err := noFollow.Get(old.callback.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a state of a dropped key: %d", resp.StatusCode)
	}
}
