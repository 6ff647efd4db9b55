package broker

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// visit GETs a /callback URL without following the redirect.
func (f *fixture) visit(u string) (*http.Response, string) {
	f.t.Helper()
	resp, err := noRedirects.Get(u)
	if err != nil {
		f.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

func withQuery(u *url.URL, k, v string) string {
	q := u.Query()
	q.Set(k, v)
	c := *u
	c.RawQuery = q.Encode()
	return c.String()
}

// TestStateIsSingleUse: a sealed state ends one sign-in. Visiting /callback
// again with it, with Notion's code or any other, seals nothing.
func TestStateIsSingleUse(t *testing.T) {
	f := newFixture(t, nil)
	fl := f.runFlow("once")
	for name, u := range map[string]string{
		"the same callback":     fl.callback.String(),
		"another code":          withQuery(fl.callback, "code", "someone-elses-code"),
		"an error instead":      withQuery(fl.callback, "error", "access_denied"),
		"the state, re-encoded": withQuery(fl.callback, "state", respell(t, fl.callback.Query().Get("state"))),
	} {
		t.Run(name, func(t *testing.T) {
			resp, body := f.visit(u)
			if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(body, "already used") {
				t.Errorf("%d, Location %q: %s", resp.StatusCode, resp.Header.Get("Location"), body)
			}
		})
	}
	if !strings.Contains(f.logs.String(), `"reason":"state_replayed"`) {
		t.Error("the log does not say why")
	}
	// The first sign-in's code still works.
	if r := f.post("/token", fl.exchangeForm()); r.status != http.StatusOK {
		t.Errorf("exchange: %d %s", r.status, r.raw)
	}
	// And a state is remembered for as long as it could be opened.
	g := f.runFlow("later")
	f.clock.Advance(StateTTL - time.Second)
	if resp, _ := f.visit(g.callback.String()); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("just before expiry: %d", resp.StatusCode)
	}
}

// respell writes sealed's bytes with another base64 spelling: the last
// character's unused low bits set differently, which a lenient decoder
// reads as the same bytes.
func respell(t *testing.T, sealed string) string {
	t.Helper()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	if len(sealed)%4 == 0 {
		t.Fatal("this state's length leaves no spare bits to respell: give the flow another name")
	}
	last := strings.IndexByte(alphabet, sealed[len(sealed)-1])
	other := sealed[:len(sealed)-1] + string(alphabet[last^1])
	a, _ := base64.RawURLEncoding.DecodeString(sealed)
	b, err := base64.RawURLEncoding.DecodeString(other)
	if err != nil || string(a) != string(b) {
		t.Fatalf("the respelling decodes differently: %v", err)
	}
	return other
}

// TestCallbackRateLimit: /callback has its own per-client bucket.
func TestCallbackRateLimit(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.CallbackLimit = Limit{Rate: 1.0 / 60, Burst: 2} })
	h := f.srv.Handler()
	get := func(peer string) *httptest.ResponseRecorder {
		return serve(h, httptest.NewRequest(http.MethodGet, "/callback?state=x&code=y", nil), peer)
	}
	for i := range 2 {
		if w := get("192.0.2.1:1000"); w.Code != http.StatusBadRequest {
			t.Fatalf("request %d: %d", i, w.Code)
		}
	}
	w := get("192.0.2.1:1001")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Location") != "" {
		t.Fatalf("third: %d, Location %q", w.Code, w.Header().Get("Location"))
	}
	if ra, _ := strconv.Atoi(w.Header().Get("Retry-After")); ra < 55 || ra > 60 {
		t.Errorf("Retry-After %q", w.Header().Get("Retry-After"))
	}
	if w := get("192.0.2.2:1000"); w.Code != http.StatusBadRequest {
		t.Errorf("another address: %d", w.Code)
	}
	// /authorize keeps its own bucket.
	if w := serve(h, httptest.NewRequest(http.MethodGet, "/authorize?"+authorizeQuery("s", newPKCE("v")).Encode(), nil), "192.0.2.1:1000"); w.Code != http.StatusFound {
		t.Errorf("/authorize after /callback's limit: %d", w.Code)
	}
	f.clock.Advance(61 * time.Second)
	if w := get("192.0.2.1:1000"); w.Code != http.StatusBadRequest {
		t.Errorf("after a minute: %d", w.Code)
	}
}
