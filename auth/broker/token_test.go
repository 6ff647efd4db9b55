package broker

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func TestTokenExchange(t *testing.T) {
	f := newFixture(t, nil)
	fl := f.runFlow("exchange")
	r := f.post("/token", fl.exchangeForm())
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if r.header.Get("Cache-Control") != "no-store" || r.header.Get("Pragma") != "no-cache" || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("headers %v", r.header)
	}
	owner, _ := r.body["owner"].(map[string]any)
	user, _ := owner["user"].(map[string]any)
	person, _ := user["person"].(map[string]any)
	if !strings.HasPrefix(r.str("access_token"), "ntn_") || !strings.HasPrefix(r.str("refresh_token"), "nrt_") ||
		r.str("token_type") != "bearer" || r.str("workspace_id") != f.ws || r.str("workspace_name") != "Acme" ||
		r.str("workspace_icon") != "🏢" || r.str("bot_id") == "" || owner["type"] != "user" ||
		user["name"] != "Ada" || user["id"] == "" || person["email"] != "ada@example.com" {
		t.Errorf("answer %s", r.raw)
	}
	if v, ok := r.body["duplicated_template_id"]; !ok || v != nil {
		t.Errorf("duplicated_template_id = %v (present %v), want null", v, ok)
	}
	if _, ok := r.body["expires_in"]; ok {
		t.Error("expires_in invented")
	}
	if f.emu.ActiveGrants(f.ws) != 1 {
		t.Errorf("%d grants", f.emu.ActiveGrants(f.ws))
	}
	// Notion was asked with the broker's redirect URI and credentials.
	var tokenCalls int
	for _, req := range f.emu.Requests() {
		if req.Path != "/v1/oauth/token" {
			continue
		}
		tokenCalls++
		id, secret, ok := (&http.Request{Header: req.Header}).BasicAuth()
		if !ok || id != f.emu.ClientID() || secret != f.emu.ClientSecret() || !strings.Contains(string(req.Body), `"redirect_uri":"`+f.ts.URL+`/callback"`) {
			t.Errorf("Notion got %s with %q", req.Body, req.Header.Get("Authorization"))
		}
	}

	// The same code again: refused by the broker's replay cache, so Notion
	// never sees it (nor revokes the first grant over it).
	again := f.post("/token", fl.exchangeForm())
	wantOAuthError(t, again, http.StatusBadRequest, "invalid_grant")
	if f.emu.Count(http.MethodPost, "/v1/oauth/token") != tokenCalls || f.emu.ActiveGrants(f.ws) != 1 {
		t.Error("a replayed code reached Notion")
	}
}

func TestTokenErrors(t *testing.T) {
	f := newFixture(t, nil)
	fl := f.runFlow("errors")
	other := newPKCE("someone else")
	flip := func(s string) string {
		raw, _ := base64.RawURLEncoding.DecodeString(s)
		raw[len(raw)-5] ^= 0x20
		return base64.RawURLEncoding.EncodeToString(raw)
	}
	stateFromNotion := fl.callback.Query().Get("state")
	cases := []struct {
		name   string
		edit   func(url.Values)
		status int
		code   string
	}{
		{"no client_id", func(v url.Values) { v.Del("client_id") }, 401, "invalid_client"},
		{"other client_id", func(v url.Values) { v.Set("client_id", "x") }, 401, "invalid_client"},
		{"no grant_type", func(v url.Values) { v.Del("grant_type") }, 400, "invalid_request"},
		{"password grant", func(v url.Values) { v.Set("grant_type", "password") }, 400, "unsupported_grant_type"},
		{"client_credentials", func(v url.Values) { v.Set("grant_type", "client_credentials") }, 400, "unsupported_grant_type"},
		{"no code", func(v url.Values) { v.Del("code") }, 400, "invalid_request"},
		{"no verifier", func(v url.Values) { v.Del("code_verifier") }, 400, "invalid_request"},
		{"wrong verifier", func(v url.Values) { v.Set("code_verifier", other.verifier) }, 400, "invalid_grant"},
		{"the challenge as verifier", func(v url.Values) { v.Set("code_verifier", fl.pkce.challenge) }, 400, "invalid_grant"},
		{"short verifier", func(v url.Values) { v.Set("code_verifier", "abc") }, 400, "invalid_grant"},
		{"other redirect_uri", func(v url.Values) { v.Set("redirect_uri", "http://localhost:47220/callback") }, 400, "invalid_grant"},
		{"no redirect_uri", func(v url.Values) { v.Del("redirect_uri") }, 400, "invalid_grant"},
		{"tampered code", func(v url.Values) { v.Set("code", flip(fl.code)) }, 400, "invalid_grant"},
		{"Notion's own code", func(v url.Values) { v.Set("code", fl.callback.Query().Get("code")) }, 400, "invalid_grant"},
		{"a state as the code", func(v url.Values) { v.Set("code", stateFromNotion) }, 400, "invalid_grant"},
		{"two codes", func(v url.Values) { v.Add("code", fl.code) }, 400, "invalid_request"},
		{"refresh without token", func(v url.Values) { v.Set("grant_type", "refresh_token") }, 400, "invalid_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			form := fl.exchangeForm()
			c.edit(form)
			wantOAuthError(t, f.post("/token", form), c.status, c.code)
		})
	}
	if n := f.emu.Count(http.MethodPost, "/v1/oauth/token"); n != 0 {
		t.Fatalf("%d bad requests reached Notion", n)
	}
	// None of that spent the code: with the right verifier it still works.
	if r := f.post("/token", fl.exchangeForm()); r.status != http.StatusOK {
		t.Errorf("the right verifier after wrong ones: %d %s", r.status, r.raw)
	}

	t.Run("GET", func(t *testing.T) {
		resp, err := http.Get(f.ts.URL + "/token")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
			t.Errorf("%d %v", resp.StatusCode, resp.Header)
		}
	})
	t.Run("JSON body", func(t *testing.T) {
		wantOAuthError(t, f.postRaw("/token", "application/json", `{"grant_type":"refresh_token"}`), 400, "invalid_request")
	})
	t.Run("parameters in the URL", func(t *testing.T) {
		wantOAuthError(t, f.postRaw("/token?grant_type=refresh_token&refresh_token=x", "application/x-www-form-urlencoded", "client_id="+auth.BrokerClientID), 400, "invalid_request")
	})
	t.Run("body too large", func(t *testing.T) {
		body := "client_id=" + auth.BrokerClientID + "&grant_type=refresh_token&refresh_token=" + strings.Repeat("x", MaxBodyBytes)
		wantOAuthError(t, f.postRaw("/token", "application/x-www-form-urlencoded", body), http.StatusRequestEntityTooLarge, "invalid_request")
		body = "client_id=" + auth.BrokerClientID + "&token=" + strings.Repeat("x", 2*MaxBodyBytes)
		wantOAuthError(t, f.postRaw("/revoke", "application/x-www-form-urlencoded", body), http.StatusRequestEntityTooLarge, "invalid_request")
	})
}

func TestTokenExpiredCode(t *testing.T) {
	f := newFixture(t, nil)
	fl := f.runFlow("late")
	f.clock.Advance(CodeTTL)
	r := f.post("/token", fl.exchangeForm())
	wantOAuthError(t, r, http.StatusBadRequest, "invalid_grant")
	if !strings.Contains(r.str("error_description"), "expired") {
		t.Errorf("description %q", r.str("error_description"))
	}
}

func TestRefreshAndRevoke(t *testing.T) {
	f := newFixture(t, nil)
	g := f.emu.IssueGrant(f.ws)
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {g.RefreshToken}, "client_id": {auth.BrokerClientID}}
	r := f.post("/token", form)
	if r.status != http.StatusOK || r.str("access_token") == "" || r.str("access_token") == g.AccessToken ||
		r.str("refresh_token") == "" || r.str("refresh_token") == g.RefreshToken || r.str("workspace_id") != f.ws {
		t.Fatalf("refresh: %d %s", r.status, r.raw)
	}
	// The old refresh token died with the rotation.
	wantOAuthError(t, f.post("/token", form), http.StatusBadRequest, "invalid_grant")

	rv := f.post("/revoke", url.Values{"token": {r.str("access_token")}, "client_id": {auth.BrokerClientID}})
	if rv.status != http.StatusOK || strings.TrimSpace(rv.raw) != "{}" {
		t.Fatalf("revoke: %d %s", rv.status, rv.raw)
	}
	if n := f.emu.ActiveGrants(f.ws); n != 0 {
		t.Errorf("%d grants live after revoke", n)
	}
	// Revoking again, or a token Notion never issued, is not an error (RFC 7009).
	if rv := f.post("/revoke", url.Values{"token": {"ntn_unknown"}, "client_id": {auth.BrokerClientID}}); rv.status != http.StatusOK {
		t.Errorf("unknown token: %d %s", rv.status, rv.raw)
	}
	wantOAuthError(t, f.post("/revoke", url.Values{"token": {"x"}, "client_id": {"other"}}), 401, "invalid_client")
	wantOAuthError(t, f.post("/revoke", url.Values{"client_id": {auth.BrokerClientID}}), 400, "invalid_request")
}

func TestNotionFailures(t *testing.T) {
	f := newFixture(t, nil)
	refresh := func() tokenResp {
		g := f.emu.IssueGrant(f.ws)
		return f.post("/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {g.RefreshToken}, "client_id": {auth.BrokerClientID}})
	}
	for _, c := range []struct {
		fault  notiontest.Fault
		n      int
		status int
		code   string
	}{
		{notiontest.FaultServerError, 1, 503, "temporarily_unavailable"},
		{notiontest.FaultUnavailable, 1, 503, "temporarily_unavailable"},
		{notiontest.FaultBadGateway, 1, 503, "temporarily_unavailable"},
		{notiontest.FaultRateLimit, 2, 503, "temporarily_unavailable"},
		{notiontest.FaultOverload, 2, 503, "temporarily_unavailable"},
		{notiontest.FaultMalformedJSON, 1, 502, "server_error"},
	} {
		t.Run(c.fault.String(), func(t *testing.T) {
			f.emu.FailNext("/v1/oauth/token", c.n, c.fault)
			r := refresh()
			wantOAuthError(t, r, c.status, c.code)
			if c.fault == notiontest.FaultRateLimit && r.header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			// The desktop reads this as passing trouble.
			if err := (&notion.APIError{Status: r.status, Code: r.str("error")}); !notion.IsTransient(err) {
				t.Errorf("%d is not transient for the desktop", r.status)
			}
		})
	}
	t.Run("one rate limit is waited out", func(t *testing.T) {
		f.emu.FailNext("/v1/oauth/token", 1, notiontest.FaultRateLimit)
		if r := refresh(); r.status != http.StatusOK {
			t.Errorf("%d %s", r.status, r.raw)
		}
	})
	t.Run("wrong client secret", func(t *testing.T) {
		bad := newFixture(t, func(c *Config) { c.ClientSecret = "not-the-secret" })
		g := bad.emu.IssueGrant(bad.ws)
		r := bad.post("/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {g.RefreshToken}, "client_id": {auth.BrokerClientID}})
		wantOAuthError(t, r, http.StatusBadGateway, "server_error")
		if strings.Contains(r.raw, "not-the-secret") {
			t.Error("the answer shows the secret")
		}
	})
	t.Run("Notion unreachable", func(t *testing.T) {
		dead := fmt.Sprintf("http://127.0.0.1:%d", notiontest.Port(t)) // reserved, and nothing listens
		gone := newFixture(t, func(c *Config) { c.NotionURL = dead })
		r := gone.post("/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"nrt_x"}, "client_id": {auth.BrokerClientID}})
		wantOAuthError(t, r, http.StatusBadGateway, "server_error")
		rv := gone.post("/revoke", url.Values{"token": {"ntn_x"}, "client_id": {auth.BrokerClientID}})
		wantOAuthError(t, rv, http.StatusBadGateway, "server_error")
	})
}
