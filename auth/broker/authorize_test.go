package broker

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAuthorizeValidation(t *testing.T) {
	f := newFixture(t, nil)
	p := newPKCE("v")
	cases := []struct {
		name  string
		edit  func(q url.Values)
		ok    bool
		words string // the page says this
	}{
		{"good", func(url.Values) {}, true, ""},
		{"127.0.0.1", func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.1:5000/cb") }, true, ""},
		{"[::1]", func(q url.Values) { q.Set("redirect_uri", "http://[::1]:5000/cb") }, true, ""},
		{"no port", func(q url.Values) { q.Set("redirect_uri", "http://localhost/cb") }, true, ""},
		{"no path", func(q url.Values) { q.Set("redirect_uri", "http://localhost:5000") }, true, ""},
		{"missing client_id", func(q url.Values) { q.Del("client_id") }, false, "client_id"},
		{"other client_id", func(q url.Values) { q.Set("client_id", "someone-else") }, false, "client_id"},
		{"missing response_type", func(q url.Values) { q.Del("response_type") }, false, "response_type"},
		{"response_type token", func(q url.Values) { q.Set("response_type", "token") }, false, "response_type"},
		{"missing redirect_uri", func(q url.Values) { q.Del("redirect_uri") }, false, "redirect_uri"},
		{"https loopback", func(q url.Values) { q.Set("redirect_uri", "https://localhost:5000/cb") }, false, "redirect_uri"},
		{"remote host", func(q url.Values) { q.Set("redirect_uri", "http://evil.example.com:5000/cb") }, false, "redirect_uri"},
		{"lookalike host", func(q url.Values) { q.Set("redirect_uri", "http://localhost.evil.example.com/cb") }, false, "redirect_uri"},
		{"trailing dot", func(q url.Values) { q.Set("redirect_uri", "http://localhost.:5000/cb") }, false, "redirect_uri"},
		{"other loopback", func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.2:5000/cb") }, false, "redirect_uri"},
		{"all interfaces", func(q url.Values) { q.Set("redirect_uri", "http://0.0.0.0:5000/cb") }, false, "redirect_uri"},
		{"user info", func(q url.Values) { q.Set("redirect_uri", "http://evil.example.com@localhost:5000/cb") }, false, "redirect_uri"},
		{"fragment", func(q url.Values) { q.Set("redirect_uri", "http://localhost:5000/cb#x") }, false, "redirect_uri"},
		{"custom scheme", func(q url.Values) { q.Set("redirect_uri", "pagedeck://callback") }, false, "redirect_uri"},
		{"relative", func(q url.Values) { q.Set("redirect_uri", "/callback") }, false, "redirect_uri"},
		{"bad port", func(q url.Values) { q.Set("redirect_uri", "http://localhost:99999/cb") }, false, "port"},
		{"two redirect_uris", func(q url.Values) { q.Add("redirect_uri", "http://localhost:1/x") }, false, "more than once"},
		{"missing state", func(q url.Values) { q.Del("state") }, false, "state"},
		{"huge state", func(q url.Values) { q.Set("state", strings.Repeat("s", maxStateLen+1)) }, false, "state"},
		{"missing challenge", func(q url.Values) { q.Del("code_challenge") }, false, "code_challenge"},
		{"short challenge", func(q url.Values) { q.Set("code_challenge", "abc") }, false, "code_challenge"},
		{"challenge not base64url", func(q url.Values) { q.Set("code_challenge", strings.Repeat("+", 43)) }, false, "code_challenge"},
		{"missing method", func(q url.Values) { q.Del("code_challenge_method") }, false, "S256"},
		{"plain method", func(q url.Values) { q.Set("code_challenge_method", "plain") }, false, "S256"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := authorizeQuery("st", p)
			c.edit(q)
			resp, err := noRedirects.Get(f.ts.URL + "/authorize?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if c.ok {
				if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), f.emu.AuthorizeURL()+"?") {
					t.Fatalf("%d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
				}
				return
			}
			if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
				t.Fatalf("%d, Location %q: want a 400 page and no redirect", resp.StatusCode, resp.Header.Get("Location"))
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), c.words) {
				t.Errorf("the page does not mention %q: %s", c.words, body)
			}
			if bad := q.Get("redirect_uri"); bad != "" && strings.Contains(string(body), bad) {
				t.Errorf("the page repeats the redirect URI")
			}
		})
	}
	if n := f.emu.Count(http.MethodGet, "/v1/oauth/authorize"); n != 0 {
		t.Errorf("the emulator was called %d times", n)
	}
}

func TestAuthorizeRedirectsToNotion(t *testing.T) {
	f := newFixture(t, nil)
	p := newPKCE("v")
	u := f.toNotion(authorizeQuery("desktop-state", p))
	q := u.Query()
	if u.Scheme+"://"+u.Host+u.Path != f.emu.AuthorizeURL() || q.Get("client_id") != f.emu.ClientID() ||
		q.Get("response_type") != "code" || q.Get("owner") != "user" || q.Get("redirect_uri") != f.ts.URL+"/callback" {
		t.Fatalf("to Notion: %s", u)
	}
	for _, k := range []string{"code_challenge", "code_challenge_method", "scope"} {
		if q.Has(k) {
			t.Errorf("Notion gets %s", k)
		}
	}
	if s := q.Get("state"); s == "desktop-state" || strings.Contains(s, p.challenge) {
		t.Errorf("the state is not sealed: %s", s)
	}
	var st statePayload
	if err := f.srv.seal.open(purposeState, q.Get("state"), f.clock.Now(), &st); err != nil ||
		st != (statePayload{RedirectURI: testRedirect, State: "desktop-state", Challenge: p.challenge}) {
		t.Errorf("sealed state = %+v, %v", st, err)
	}
	// It is good for ten minutes.
	f.clock.Advance(StateTTL)
	if err := f.srv.seal.open(purposeState, q.Get("state"), f.clock.Now(), &st); err == nil {
		t.Error("the state outlived its ten minutes")
	}
}

func TestCallback(t *testing.T) {
	f := newFixture(t, nil)
	p := newPKCE("v")

	// The normal way: a sealed code and the desktop's own state.
	fl := f.runFlow("normal")
	if fl.desktop.Scheme+"://"+fl.desktop.Host+fl.desktop.Path != testRedirect {
		t.Fatalf("sent to %s", fl.desktop.Redacted())
	}
	var cp codePayload
	if err := f.srv.seal.open(purposeCode, fl.code, f.clock.Now(), &cp); err != nil ||
		cp.RedirectURI != testRedirect || cp.Challenge != fl.pkce.challenge || cp.Code != fl.callback.Query().Get("code") {
		t.Errorf("sealed code = %+v, %v", cp, err)
	}
	if strings.Contains(fl.desktop.String(), fl.callback.Query().Get("code")) {
		t.Error("the desktop sees Notion's code")
	}

	badPage := func(t *testing.T, u string) {
		t.Helper()
		resp, err := noRedirects.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(string(body), "Start again from Pagedeck") {
			t.Errorf("%d %q: %s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
	}
	withState := func(cb *url.URL, state string) string {
		q := cb.Query()
		q.Set("state", state)
		u := *cb
		u.RawQuery = q.Encode()
		return u.String()
	}

	t.Run("tampered state", func(t *testing.T) {
		cb := f.toCallback(f.toNotion(authorizeQuery("s1", p)))
		raw, _ := base64.RawURLEncoding.DecodeString(cb.Query().Get("state"))
		raw[len(raw)/2] ^= 1
		badPage(t, withState(cb, base64.RawURLEncoding.EncodeToString(raw)))
	})
	t.Run("missing state", func(t *testing.T) {
		badPage(t, f.ts.URL+"/callback?code=abc")
	})
	t.Run("a code as the state", func(t *testing.T) {
		cb := f.toCallback(f.toNotion(authorizeQuery("s2", p)))
		badPage(t, withState(cb, fl.code))
	})
	t.Run("expired state", func(t *testing.T) {
		cb := f.toCallback(f.toNotion(authorizeQuery("s3", p)))
		f.clock.Advance(StateTTL + time.Second)
		badPage(t, cb.String())
	})
	t.Run("denied", func(t *testing.T) {
		f.emu.SetAutoDeny(true)
		defer f.emu.SetAutoDeny(false)
		cb := f.toCallback(f.toNotion(authorizeQuery("s4", p)))
		if cb.Query().Get("error") != "access_denied" {
			t.Fatalf("the emulator sent %s", cb.Redacted())
		}
		back := f.toDesktop(cb).Query()
		if back.Get("error") != "access_denied" || back.Get("state") != "s4" || back.Has("code") {
			t.Errorf("the desktop got %v", back)
		}
	})
	t.Run("error with description", func(t *testing.T) {
		cb := f.toCallback(f.toNotion(authorizeQuery("s5", p)))
		q := url.Values{"state": {cb.Query().Get("state")}, "error": {"temporarily_unavailable"}, "error_description": {"Try\nlater"}}
		back := f.toDesktop(&url.URL{Scheme: "http", Host: cb.Host, Path: "/callback", RawQuery: q.Encode()}).Query()
		if back.Get("error") != "temporarily_unavailable" || back.Get("error_description") != "Trylater" || back.Get("state") != "s5" {
			t.Errorf("the desktop got %v", back)
		}
	})
	t.Run("odd error code", func(t *testing.T) {
		cb := f.toCallback(f.toNotion(authorizeQuery("s6", p)))
		q := url.Values{"state": {cb.Query().Get("state")}, "error": {"<script>"}}
		back := f.toDesktop(&url.URL{Scheme: "http", Host: cb.Host, Path: "/callback", RawQuery: q.Encode()}).Query()
		if back.Get("error") != "server_error" {
			t.Errorf("the desktop got %v", back)
		}
	})
	t.Run("neither code nor error", func(t *testing.T) {
		cb := f.toCallback(f.toNotion(authorizeQuery("s7", p)))
		q := url.Values{"state": {cb.Query().Get("state")}}
		back := f.toDesktop(&url.URL{Scheme: "http", Host: cb.Host, Path: "/callback", RawQuery: q.Encode()}).Query()
		if back.Get("error") != "server_error" || back.Get("state") != "s7" {
			t.Errorf("the desktop got %v", back)
		}
	})
}

func TestCallbackKeepsTheRedirectQuery(t *testing.T) {
	f := newFixture(t, nil)
	q := authorizeQuery("st", newPKCE("v"))
	q.Set("redirect_uri", "http://127.0.0.1:5000/cb?profile=work")
	back := f.toDesktop(f.toCallback(f.toNotion(q)))
	if back.Host != "127.0.0.1:5000" || back.Path != "/cb" || back.Query().Get("profile") != "work" || back.Query().Get("code") == "" {
		t.Errorf("sent to %s", back.Redacted())
	}
}

// TestLongestRequestsRoundTrip: whatever /authorize accepts, /callback can
// open; what would not fit is refused up front.
func TestLongestRequestsRoundTrip(t *testing.T) {
	f := newFixture(t, nil)
	longRedirect := "http://localhost:5000/" + strings.Repeat("p", maxRedirectLen-len("http://localhost:5000/"))
	for _, c := range []struct {
		name, state string
	}{
		{"printable", strings.Repeat("~", maxStateLen)},
		{"escaped", strings.Repeat("<\"\x01", maxStateLen/3)},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := authorizeQuery(c.state, newPKCE("v"))
			q.Set("redirect_uri", longRedirect)
			resp := f.get(f.ts.URL + "/authorize?" + q.Encode())
			if resp.StatusCode == http.StatusBadRequest {
				return
			}
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("/authorize: %d", resp.StatusCode)
			}
			u, _ := url.Parse(resp.Header.Get("Location"))
			back := f.toDesktop(f.toCallback(u))
			if back.Query().Get("state") != c.state || back.Query().Get("code") == "" {
				t.Errorf("state came back as %q", back.Query().Get("state"))
			}
		})
	}
}
