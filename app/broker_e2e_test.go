package app_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/auth/broker"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// The desktop Core (BrokerURL, no client id or secret) → a front server that
// stands for the broker's public URL (a load balancer routing to one or more
// broker instances) → the emulator: apptest.WithBroker. The browser is
// apptest's.

func newBrokerHarness(t *testing.T) *harness { return newHarness(t, apptest.WithBroker()) }

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
func hop(t testing.TB, u string) *url.URL {
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

func (h *harness) authorizeURL(state, verifier, redirect string) string {
	q := url.Values{
		"client_id":             {auth.BrokerClientID},
		"response_type":         {"code"},
		"redirect_uri":          {redirect},
		"state":                 {state},
		"code_challenge":        {s256(verifier)},
		"code_challenge_method": {"S256"},
	}
	return h.Broker.URL() + "/authorize?" + q.Encode()
}

// toCallback runs /authorize and the consent page, up to the URL Notion
// sends the browser back to.
func (h *harness) toCallback(ws string) *handFlow {
	h.T.Helper()
	h.Emu.SetAutoApprove(ws)
	f := &handFlow{state: randomString(), verifier: randomString()}
	f.toNotion = hop(h.T, h.authorizeURL(f.state, f.verifier, h.Config.RedirectURI))
	f.callback = hop(h.T, f.toNotion.String())
	if f.callback.Query().Get("code") == "" {
		h.T.Fatalf("Notion sent back no code")
	}
	return f
}

// finish visits /callback and keeps the sealed code the desktop would get.
func (h *harness) finish(f *handFlow) *handFlow {
	h.T.Helper()
	back := hop(h.T, f.callback.String())
	if got := back.Scheme + "://" + back.Host + back.Path; got != h.Config.RedirectURI || back.Query().Get("state") != f.state {
		h.T.Fatalf("the broker sent the browser to %s", back.Redacted())
	}
	f.code = back.Query().Get("code")
	if f.code == "" {
		h.T.Fatalf("no code: %s", back.Redacted())
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
func (h *harness) exchange(code, verifier string) tokenAnswer {
	h.T.Helper()
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"code_verifier": {verifier},
		"redirect_uri":  {h.Config.RedirectURI},
		"client_id":     {auth.BrokerClientID},
	}
	resp, err := http.PostForm(h.Broker.URL()+"/token", form)
	if err != nil {
		h.T.Fatal(err)
	}
	defer resp.Body.Close()
	var a tokenAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		h.T.Fatalf("/token answered %d without JSON", resp.StatusCode)
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
	ws := h.AddWorkspace("Acme", 31, 400)
	h.connect(ws)
	ctx := context.Background()

	w, err := h.core.Store().Workspace(ws)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, it := range h.Emu.Items(ws) {
		if !it.Unshared && !it.InTrash {
			want++
		}
	}
	if w.Auth != "broker" || w.Name != "Acme" || w.Icon != "🏢" || w.Status != store.StatusOK || w.Items != want ||
		w.OwnerName != "Ada" || w.OwnerEmail != "ada@example.com" || w.BotID == "" || w.Synced.IsZero() {
		t.Errorf("workspace = %+v, want %d items", w, want)
	}
	toks, err := h.Vault.Load(ctx, ws)
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
	secret := h.Emu.ClientSecret()
	eff, err := h.core.Effective(ctx)
	if err != nil || eff.ClientSecret != "" || eff.ClientID != "" || eff.BrokerURL != h.Broker.URL() {
		t.Errorf("effective config %+v, %v", eff, err)
	}
	if _, err := h.Vault.ClientSecret(ctx); !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("the vault holds a client secret: %v", err)
	}
	if s, _ := h.core.Settings(ctx); s.HasClientSecret {
		t.Error("settings report a client secret")
	}
	calls := h.Broker.DesktopCalls()
	if len(calls) != 1 || calls[0].Path != "/token" || calls[0].Form.Get("grant_type") != "authorization_code" {
		t.Fatalf("the desktop posted %+v", calls)
	}
	if f := calls[0].Form; f.Get("client_id") != auth.BrokerClientID || f.Has("client_secret") || f.Get("code_verifier") == "" ||
		f.Get("redirect_uri") != h.Config.RedirectURI || calls[0].Header.Get("Authorization") != "" {
		t.Errorf("the desktop's token request: %v %v", f, calls[0].Header)
	}
	// Every call to Notion's token endpoint came from the broker, with Basic auth.
	tokenCalls := 0
	for _, r := range h.Emu.Requests() {
		if !strings.HasPrefix(r.Path, "/v1/oauth/") || r.Path == "/v1/oauth/authorize" {
			continue
		}
		tokenCalls++
		id, sec, ok := (&http.Request{Header: r.Header}).BasicAuth()
		if !ok || id != h.Emu.ClientID() || sec != secret || r.Header.Get("User-Agent") != "pagedeck-broker" {
			t.Errorf("%s came with %q from %q", r.Path, r.Header.Get("Authorization"), r.Header.Get("User-Agent"))
		}
	}
	if tokenCalls != 1 {
		t.Errorf("%d OAuth calls at Notion, want 1", tokenCalls)
	}
	// Notion's consent page was asked for the broker's connection and callback.
	for _, r := range h.Emu.Requests() {
		if r.Path == "/v1/oauth/authorize" && (r.Query.Get("client_id") != h.Emu.ClientID() || r.Query.Get("redirect_uri") != h.Broker.URL()+"/callback") {
			t.Errorf("consent asked with %v", r.Query)
		}
	}
	if log := h.Broker.Logs(); strings.Contains(log, secret) || strings.Contains(log, toks.Access.Reveal()) || strings.Contains(log, toks.Refresh.Reveal()) {
		t.Error("the broker's log shows a secret or a token")
	}
}

func TestBrokerWrongVerifier(t *testing.T) {
	h := newBrokerHarness(t)
	ws := h.AddWorkspace("Acme", 32, 5)
	f := h.finish(h.toCallback(ws))
	wantInvalidGrant(t, h.exchange(f.code, randomString()))
	if n := h.Emu.Count(http.MethodPost, "/v1/oauth/token"); n != 0 {
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
	ws := h.AddWorkspace("Acme", 33, 5)
	f := h.finish(h.toCallback(ws))
	h.Broker.Advance(broker.CodeTTL + time.Second)
	a := h.exchange(f.code, f.verifier)
	wantInvalidGrant(t, a)
	if !strings.Contains(a.Description, "expired") {
		t.Errorf("description %q", a.Description)
	}
	if n := h.Emu.Count(http.MethodPost, "/v1/oauth/token"); n != 0 {
		t.Errorf("an expired code reached Notion")
	}
}

func TestBrokerTamperedValues(t *testing.T) {
	h := newBrokerHarness(t)
	ws := h.AddWorkspace("Acme", 34, 5)

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
	if n := h.Emu.Count(http.MethodGet, "/v1/oauth/authorize"); n != 0 {
		t.Errorf("Notion was asked %d times", n)
	}
}

func TestBrokerDenied(t *testing.T) {
	h := newBrokerHarness(t)
	h.AddWorkspace("Acme", 35, 5)
	h.Emu.SetAutoDeny(true)
	b := &apptest.Browser{}
	_, err := h.core.Connect(context.Background(), app.ConnectOptions{Opener: b})
	if !errors.Is(err, app.ErrDenied) {
		t.Fatalf("err = %v, want ErrDenied", err)
	}
	if ws, _ := h.core.Workspaces(); len(ws) != 0 {
		t.Errorf("a denied connect stored %v", ws)
	}
	if n := h.Emu.Count(http.MethodPost, "/v1/oauth/token"); n != 0 {
		t.Errorf("a denied connect called the token endpoint")
	}
}

func TestBrokerRefreshAndRevoke(t *testing.T) {
	h := newBrokerHarness(t)
	ws := h.AddWorkspace("Acme", 36, 60)
	h.connect(ws)
	ctx := context.Background()
	old, _ := h.Vault.Load(ctx, ws)
	h.Emu.ExpireAccessToken(old.Access.Reveal())
	if _, err := h.core.Sync(ctx, ws, true, nil); err != nil {
		t.Fatalf("sync after expiry: %v", err)
	}
	fresh, _ := h.Vault.Load(ctx, ws)
	if fresh.Access == old.Access || fresh.Refresh == old.Refresh || fresh.Refresh == "" || fresh.Kind != auth.KindBroker {
		t.Errorf("the new pair was not stored: %+v", fresh)
	}
	if w, _ := h.core.Store().Workspace(ws); w.Status != store.StatusOK {
		t.Errorf("status %s", w.Status)
	}
	var grants []string
	for _, c := range h.Broker.DesktopCalls() {
		grants = append(grants, c.Path+" "+c.Form.Get("grant_type"))
	}
	if strings.Join(grants, ",") != "/token authorization_code,/token refresh_token" {
		t.Errorf("the desktop posted %v", grants)
	}

	// The old refresh token is dead; the broker says so as invalid_grant,
	// which the desktop reads as "reconnect" rather than "try later".
	p, _ := auth.NewBroker(h.Broker.URL(), nil)
	if _, err := p.Refresh(ctx, old.Refresh); !errors.Is(err, notion.ErrInvalidGrant) || notion.IsTransient(err) {
		t.Errorf("refresh with a rotated token: %v", err)
	}

	if err := h.core.Disconnect(ctx, ws, true); err != nil {
		t.Fatal(err)
	}
	if n := h.Emu.ActiveGrants(ws); n != 0 {
		t.Errorf("%d grants live after disconnect", n)
	}
	if n := h.Emu.Count(http.MethodPost, "/v1/oauth/revoke"); n != 1 {
		t.Errorf("%d revoke calls at Notion", n)
	}
	if _, err := h.Vault.Load(ctx, ws); !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("the vault still holds the pair: %v", err)
	}
}

// TestBrokerNotionDown: Notion failing behind the broker is passing trouble
// for the desktop, not a reason to reconnect.
func TestBrokerNotionDown(t *testing.T) {
	h := newBrokerHarness(t)
	ws := h.AddWorkspace("Acme", 37, 20)
	h.connect(ws)
	ctx := context.Background()
	old, _ := h.Vault.Load(ctx, ws)
	h.Emu.ExpireAccessToken(old.Access.Reveal())
	h.Emu.FailNext("/v1/oauth/token", 1, notiontest.FaultUnavailable)
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
	a := h.Broker.Instance("a", h.Broker.Key, nil)
	b := h.Broker.Instance("b", h.Broker.Key, nil)
	h.Broker.Route(func(path string) *apptest.Instance {
		if path == "/authorize" || path == "/callback" {
			return a
		}
		return b
	})
	ws := h.AddWorkspace("Acme", 38, 30)
	h.connect(ws)
	if a.Served("/authorize") != 1 || a.Served("/callback") != 1 || a.Served("/token") != 0 || b.Served("/token") != 1 || b.Served("/callback") != 0 {
		t.Errorf("a served %v, b served %v", a.Hits(), b.Hits())
	}
	if w, _ := h.core.Store().Workspace(ws); w.Auth != "broker" || w.Items == 0 {
		t.Errorf("workspace %+v", w)
	}

	// By hand too: /authorize and /callback on a, /token on b.
	h.Broker.RouteAll(a)
	f := h.finish(h.toCallback(ws))
	h.Broker.RouteAll(b)
	if r := h.exchange(f.code, f.verifier); r.Status != http.StatusOK || r.WorkspaceID != ws {
		t.Errorf("exchange on the other instance: %+v", r)
	}
}

// TestBrokerReplayAcrossInstances pins down what the package documents:
// each instance's replay cache is its own, so a replay on another instance
// is forwarded, and Notion's single-use code refuses it.
func TestBrokerReplayAcrossInstances(t *testing.T) {
	h := newBrokerHarness(t)
	a := h.Broker.Instance("a", h.Broker.Key, nil)
	b := h.Broker.Instance("b", h.Broker.Key, nil)
	ws := h.AddWorkspace("Acme", 39, 5)
	h.Broker.RouteAll(a)
	f := h.finish(h.toCallback(ws))
	if r := h.exchange(f.code, f.verifier); r.Status != http.StatusOK {
		t.Fatalf("first exchange: %+v", r)
	}
	before := h.Emu.Count(http.MethodPost, "/v1/oauth/token")
	wantInvalidGrant(t, h.exchange(f.code, f.verifier)) // same instance: its cache
	if h.Emu.Count(http.MethodPost, "/v1/oauth/token") != before {
		t.Error("a replay on the same instance reached Notion")
	}
	h.Broker.RouteAll(b)
	wantInvalidGrant(t, h.exchange(f.code, f.verifier)) // other instance: Notion
	if h.Emu.Count(http.MethodPost, "/v1/oauth/token") != before+1 {
		t.Error("a replay on another instance did not reach Notion")
	}
}

func TestBrokerKeyRotation(t *testing.T) {
	h := newBrokerHarness(t)
	oldKey, newKey := h.Broker.Key, apptest.NewKey()
	before := h.Broker.Instance("before", oldKey, nil)
	after := h.Broker.Instance("after", newKey, oldKey) // restarted with PREVIOUS_KEY
	ws := h.AddWorkspace("Acme", 40, 30)

	// The flow starts before the restart and ends after it.
	h.Broker.Route(func(path string) *apptest.Instance {
		if path == "/authorize" {
			return before
		}
		return after
	})
	h.connect(ws)
	if before.Served("/authorize") != 1 || after.Served("/callback") != 1 || after.Served("/token") != 1 {
		t.Errorf("before served %v, after served %v", before.Hits(), after.Hits())
	}

	// By hand: a state sealed under the old key, opened after the restart...
	h.Broker.RouteAll(before)
	f := h.toCallback(ws)
	h.Broker.RouteAll(after)
	if r := h.exchange(h.finish(f).code, f.verifier); r.Status != http.StatusOK {
		t.Errorf("state from before the rotation: %+v", r)
	}
	// ...and a code sealed under the old key, exchanged after it.
	h.Broker.RouteAll(before)
	g := h.finish(h.toCallback(ws))
	h.Broker.RouteAll(after)
	if r := h.exchange(g.code, g.verifier); r.Status != http.StatusOK {
		t.Errorf("code from before the rotation: %+v", r)
	}
	// Once the previous key is dropped, old states no longer open.
	h.Broker.RouteAll(before)
	old := h.toCallback(ws)
	h.Broker.RouteAll(h.Broker.Instance("later", newKey, nil))
	resp, err := noFollow.Get(old.callback.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a state of a dropped key: %d", resp.StatusCode)
	}
}
