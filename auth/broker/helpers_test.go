package broker

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// testRedirect is the desktop's loopback URI; tests never follow it.
const testRedirect = "http://localhost:47219/callback"

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func newClock() *notiontest.Clock {
	return notiontest.NewClock(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
}

// logLines decodes the JSON log lines in b.
func logLines(t testing.TB, b *notiontest.LockedBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", l)
		}
		out = append(out, m)
	}
	return out
}

// swapHandler lets a test server exist before the handler it serves (the
// emulator needs the broker's URL, the broker the emulator's).
type swapHandler struct{ h atomic.Pointer[http.Handler] }

func (s *swapHandler) set(h http.Handler) { s.h.Store(&h) }

func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}

// fixture is a broker on loopback in front of the emulator, with a settable
// clock and its log in a buffer.
type fixture struct {
	t     testing.TB
	emu   *notiontest.Server
	srv   *Server
	ts    *httptest.Server
	cfg   Config
	clock *notiontest.Clock
	logs  *notiontest.LockedBuffer
	ws    string
	// requests counts what reached the broker.
	requests atomic.Int64
}

func newFixture(t testing.TB, tweak func(*Config)) *fixture {
	t.Helper()
	return newFixtureWith(t, nil, tweak)
}

// newFixtureWith also lets the test set the emulator's options (its
// webhooks, say) once the broker's URL is known.
func newFixtureWith(t testing.TB, emuTweak func(brokerURL string, o *notiontest.Options), tweak func(*Config)) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: newClock(), logs: &notiontest.LockedBuffer{}}
	sw := &swapHandler{}
	f.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		sw.ServeHTTP(w, r)
	}))
	t.Cleanup(f.ts.Close)
	eo := notiontest.Options{RedirectURIs: []string{f.ts.URL + "/callback"}, RateLimit: -1}
	if emuTweak != nil {
		emuTweak(f.ts.URL, &eo)
	}
	f.emu = notiontest.NewServer(eo)
	t.Cleanup(f.emu.Close)
	f.ws = f.emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme", Icon: "🏢", OwnerName: "Ada", OwnerEmail: "ada@example.com"})
	f.emu.SetAutoApprove(f.ws)
	f.cfg = Config{
		ClientID:     f.emu.ClientID(),
		ClientSecret: notion.Secret(f.emu.ClientSecret()),
		NotionURL:    f.emu.URL(),
		PublicURL:    f.ts.URL,
		Key:          testKey(7),
		Now:          f.clock.Now,
		Logger:       slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Notion: notion.Options{
			RateLimit: rate.Inf,
			Sleep:     func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		},
		AuthorizeLimit: Limit{Rate: rate.Inf},
		TokenLimit:     Limit{Rate: rate.Inf},
	}
	if tweak != nil {
		tweak(&f.cfg)
	}
	srv, err := New(f.cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	f.srv = srv
	sw.set(srv.Handler())
	return f
}

// noRedirects is a client that shows each redirect instead of following it.
var noRedirects = &http.Client{
	Timeout:       20 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// pkce is a verifier and its S256 challenge.
type pkce struct{ verifier, challenge string }

func newPKCE(seed string) pkce {
	sum := sha256.Sum256([]byte(seed))
	v := base64.RawURLEncoding.EncodeToString(sum[:]) // 43 characters
	c := sha256.Sum256([]byte(v))
	return pkce{verifier: v, challenge: base64.RawURLEncoding.EncodeToString(c[:])}
}

func authorizeQuery(state string, p pkce) url.Values {
	return url.Values{
		"client_id":             {auth.BrokerClientID},
		"response_type":         {"code"},
		"redirect_uri":          {testRedirect},
		"state":                 {state},
		"code_challenge":        {p.challenge},
		"code_challenge_method": {"S256"},
	}
}

func (f *fixture) get(u string) *http.Response {
	f.t.Helper()
	resp, err := noRedirects.Get(u)
	if err != nil {
		f.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// toNotion runs /authorize and returns the emulator URL it redirects to.
func (f *fixture) toNotion(q url.Values) *url.URL {
	f.t.Helper()
	resp := f.get(f.ts.URL + "/authorize?" + q.Encode())
	if resp.StatusCode != http.StatusFound {
		f.t.Fatalf("/authorize: %d", resp.StatusCode)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// toCallback lets the emulator consent and returns the broker /callback URL
// it sends the browser to.
func (f *fixture) toCallback(notionURL *url.URL) *url.URL {
	f.t.Helper()
	resp := f.get(notionURL.String())
	if resp.StatusCode != http.StatusFound {
		f.t.Fatalf("emulator authorize: %d", resp.StatusCode)
	}
	u, _ := url.Parse(resp.Header.Get("Location"))
	return u
}

// toDesktop visits /callback and returns where the broker sends the browser.
func (f *fixture) toDesktop(callback *url.URL) *url.URL {
	f.t.Helper()
	resp := f.get(callback.String())
	if resp.StatusCode != http.StatusFound {
		f.t.Fatalf("/callback: %d", resp.StatusCode)
	}
	u, _ := url.Parse(resp.Header.Get("Location"))
	return u
}

// flow is one desktop authorization up to the sealed code.
type flow struct {
	state    string
	pkce     pkce
	notion   *url.URL // the broker's redirect to Notion
	callback *url.URL // Notion's redirect to the broker
	desktop  *url.URL // the broker's redirect to the desktop
	code     string   // sealed
}

func (f *fixture) runFlow(name string) *flow {
	f.t.Helper()
	fl := &flow{state: "desktop-state-" + name, pkce: newPKCE(name)}
	fl.notion = f.toNotion(authorizeQuery(fl.state, fl.pkce))
	fl.callback = f.toCallback(fl.notion)
	fl.desktop = f.toDesktop(fl.callback)
	fl.code = fl.desktop.Query().Get("code")
	if fl.code == "" || fl.desktop.Query().Get("state") != fl.state {
		f.t.Fatalf("the desktop got %s", fl.desktop.Redacted())
	}
	return fl
}

func (fl *flow) exchangeForm() url.Values {
	return url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {fl.code},
		"code_verifier": {fl.pkce.verifier},
		"redirect_uri":  {testRedirect},
		"client_id":     {auth.BrokerClientID},
	}
}

// tokenResp is an answer of /token or /revoke.
type tokenResp struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

func (r tokenResp) str(k string) string {
	s, _ := r.body[k].(string)
	return s
}

func (f *fixture) post(path string, form url.Values) tokenResp {
	f.t.Helper()
	return f.postRaw(path, "application/x-www-form-urlencoded", form.Encode())
}

func (f *fixture) postRaw(path, contentType, body string) tokenResp {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	resp, err := noRedirects.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := tokenResp{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	_ = json.Unmarshal(b, &out.body)
	return out
}

// wantOAuthError checks an RFC 6749 error answer.
func wantOAuthError(t testing.TB, r tokenResp, status int, code string) {
	t.Helper()
	if r.status != status || r.str("error") != code {
		t.Errorf("got %d %s, want %d %s", r.status, r.raw, status, code)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", r.header.Get("Cache-Control"))
	}
}
