package broker

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/auth"
)

// TestNoSecretsInLogs runs every kind of flow with a debug-level logger and
// checks that no token, code, verifier, state or client secret reaches the
// log, and that each request has exactly one line.
func TestNoSecretsInLogs(t *testing.T) {
	f := newFixture(t, nil)
	var secrets []string
	keep := func(s ...string) {
		for _, v := range s {
			if v == "" {
				t.Fatal("an empty secret to look for")
			}
			secrets = append(secrets, v)
		}
	}
	keep(f.emu.ClientSecret())

	// A successful connect, then a replay and a wrong verifier.
	fl := f.runFlow("logged")
	keep(fl.state, fl.pkce.verifier, fl.pkce.challenge, fl.notion.Query().Get("state"), fl.callback.Query().Get("code"), fl.code)
	ok := f.post("/token", fl.exchangeForm())
	if ok.status != http.StatusOK {
		t.Fatalf("exchange: %d %s", ok.status, ok.raw)
	}
	keep(ok.str("access_token"), ok.str("refresh_token"))
	f.post("/token", fl.exchangeForm())
	fl2 := f.runFlow("wrong-verifier")
	keep(fl2.state, fl2.pkce.verifier, fl2.notion.Query().Get("state"), fl2.callback.Query().Get("code"), fl2.code)
	bad := fl2.exchangeForm()
	bad.Set("code_verifier", newPKCE("guess").verifier)
	keep(bad.Get("code_verifier"))
	f.post("/token", bad)
	// Parameters in the URL are refused, and the log shows no query.
	f.postRaw("/token?code="+url.QueryEscape(fl2.code)+"&code_verifier="+fl2.pkce.verifier, "application/x-www-form-urlencoded", "client_id="+auth.BrokerClientID)

	// An expired code.
	fl3 := f.runFlow("expired")
	keep(fl3.state, fl3.pkce.verifier, fl3.notion.Query().Get("state"), fl3.callback.Query().Get("code"), fl3.code)
	f.clock.Advance(CodeTTL)
	f.post("/token", fl3.exchangeForm())

	// A tampered and a forged state at /callback, and a denial.
	cb := *fl3.callback
	q := cb.Query()
	q.Set("state", q.Get("state")[:len(q.Get("state"))-2]+"AA")
	cb.RawQuery = q.Encode()
	f.get(cb.String())
	f.emu.SetAutoDeny(true)
	den := f.toDesktop(f.toCallback(f.toNotion(authorizeQuery("denied-state-value", newPKCE("denied")))))
	keep("denied-state-value", newPKCE("denied").verifier)
	f.emu.SetAutoDeny(false)
	if den.Query().Get("error") != "access_denied" {
		t.Fatalf("denial: %s", den.Redacted())
	}
	// A refused /authorize.
	aq := authorizeQuery("refused-state-value", newPKCE("r"))
	aq.Set("redirect_uri", "http://evil.example.com/cb")
	f.get(f.ts.URL + "/authorize?" + aq.Encode())
	keep("refused-state-value")

	// Refresh, a dead refresh token, revoke, and a wrong client.
	ref := f.post("/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {ok.str("refresh_token")}, "client_id": {auth.BrokerClientID}})
	if ref.status != http.StatusOK {
		t.Fatalf("refresh: %d %s", ref.status, ref.raw)
	}
	keep(ref.str("access_token"), ref.str("refresh_token"))
	f.post("/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {ok.str("refresh_token")}, "client_id": {auth.BrokerClientID}})
	f.post("/revoke", url.Values{"token": {ref.str("access_token")}, "client_id": {auth.BrokerClientID}})
	f.post("/revoke", url.Values{"token": {ref.str("refresh_token")}, "client_id": {"stranger"}})
	f.get(f.ts.URL + "/healthz")
	f.get(f.ts.URL + "/nowhere?token=" + ref.str("refresh_token"))

	log := f.logs.String()
	for _, s := range secrets {
		if strings.Contains(log, s) || strings.Contains(log, url.QueryEscape(s)) {
			t.Errorf("the log contains a secret (%d characters, starting %.6q)", len(s), s)
		}
	}
	// Exactly one line per request, with the fields operators need.
	var requestLines int
	for _, l := range logLines(t, f.logs) {
		if l["msg"] != "request" {
			continue
		}
		requestLines++
		for _, k := range []string{"method", "path", "status", "duration_ms", "remote"} {
			if _, ok := l[k]; !ok {
				t.Errorf("line without %s: %v", k, l)
			}
		}
		if p, _ := l["path"].(string); strings.ContainsAny(p, "?&=") {
			t.Errorf("path with a query: %q", p)
		}
	}
	if int64(requestLines) != f.requests.Load() {
		t.Errorf("%d request lines for %d requests", requestLines, f.requests.Load())
	}
	if !strings.Contains(log, `"reason":"pkce_mismatch"`) || !strings.Contains(log, `"reason":"code_replayed"`) ||
		!strings.Contains(log, `"reason":"code_expired"`) || !strings.Contains(log, `"reason":"state_invalid"`) {
		t.Errorf("the log does not say why requests failed:\n%s", log)
	}
}

func TestHealthzPrivacyTerms(t *testing.T) {
	dir := t.TempDir()
	privacy := filepath.Join(dir, "privacy.html")
	terms := filepath.Join(dir, "terms.txt")
	if err := os.WriteFile(privacy, []byte("<h1>Privacy</h1>"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(terms, []byte("Terms of use"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, func(c *Config) { c.PrivacyFile, c.TermsFile = privacy, terms })
	bare := newFixture(t, nil)
	for _, c := range []struct {
		base, path  string
		status      int
		ctype, body string
	}{
		{f.ts.URL, "/healthz", 200, "text/plain", "ok"},
		{f.ts.URL, "/privacy", 200, "text/html", "<h1>Privacy</h1>"},
		{f.ts.URL, "/terms", 200, "text/plain", "Terms of use"},
		{bare.ts.URL, "/privacy", 404, "text/plain", ""},
		{bare.ts.URL, "/terms", 404, "text/plain", ""},
		{bare.ts.URL, "/", 404, "text/plain", ""},
	} {
		resp, err := http.Get(c.base + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), c.ctype) || (c.body != "" && string(body) != c.body) {
			t.Errorf("%s: %d %q %q", c.path, resp.StatusCode, resp.Header.Get("Content-Type"), string(body))
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", c.path)
		}
	}
}
