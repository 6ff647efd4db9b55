package notiontest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestConsentAllowHappyPath(t *testing.T) {
	s := newTestServer(t, Options{})
	first := s.AddWorkspace(WorkspaceSpec{Name: "Personal", Icon: "🏠"})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme <Corp>", Icon: "🚀", OwnerName: "Dana Ruiz", OwnerEmail: "dana@acme.test"})
	s.AddItem(ws, ItemSpec{Title: "Q3 <roadmap> & plans", Icon: IconSpec{Type: "emoji", Emoji: "🗺️"}})
	s.AddItem(first, ItemSpec{Title: "Garden plan"})

	state := "s t&a=te/é?#"
	form, page := consentForm(t, s, authorizeParams(s, state))
	for _, want := range []string{"Pagedeck", "Allow access", "Cancel", "Acme &lt;Corp&gt;", "Personal",
		"Q3 &lt;roadmap&gt; &amp; plans", "Garden plan", `action="/v1/oauth/authorize"`, "<select"} {
		if !strings.Contains(page, want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	if strings.Contains(page, "<Corp>") {
		t.Error("workspace name not escaped")
	}
	if form.Get("workspace_id") != first {
		t.Fatalf("first option %q, want the first workspace", form.Get("workspace_id"))
	}
	form.Set("workspace_id", ws)
	form.Set("decision", "allow")
	loc := location(t, submit(t, s, form))
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != testRedirect {
		t.Fatalf("redirected to %q", got)
	}
	if loc.Query().Get("state") != state {
		t.Fatalf("state %q, want %q", loc.Query().Get("state"), state)
	}
	code := loc.Query().Get("code")

	r := exchange(t, s, code, testRedirect)
	if r.status != http.StatusOK {
		t.Fatalf("exchange: %d %s", r.status, r.body)
	}
	m := r.json(t)
	for _, k := range []string{"access_token", "refresh_token", "bot_id", "request_id"} {
		if v, _ := m[k].(string); v == "" {
			t.Errorf("%s missing: %v", k, m)
		}
	}
	if m["token_type"] != "bearer" || m["workspace_id"] != ws || m["workspace_name"] != "Acme <Corp>" || m["workspace_icon"] != "🚀" {
		t.Errorf("token response %v", m)
	}
	if _, ok := m["expires_in"]; ok {
		t.Error("Notion sends no expires_in")
	}
	if v, ok := m["duplicated_template_id"]; !ok || v != nil {
		t.Error("duplicated_template_id should be null")
	}
	owner := m["owner"].(map[string]any)
	user := owner["user"].(map[string]any)
	if owner["type"] != "user" || user["name"] != "Dana Ruiz" || user["person"].(map[string]any)["email"] != "dana@acme.test" {
		t.Errorf("owner %v", owner)
	}
	if s.ActiveGrants(ws) != 1 || s.ActiveGrants(first) != 0 {
		t.Errorf("active grants %d/%d", s.ActiveGrants(ws), s.ActiveGrants(first))
	}
	me := api(t, s, m["access_token"].(string), "GET", "/v1/users/me", nil)
	if me.status != http.StatusOK || me.json(t)["id"] != m["bot_id"] {
		t.Fatalf("users/me: %d %s", me.status, me.body)
	}
}

func TestConsentCancel(t *testing.T) {
	s := newTestServer(t, Options{})
	s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	form, _ := consentForm(t, s, authorizeParams(s, "xyz 1"))
	form.Set("decision", "cancel")
	loc := location(t, submit(t, s, form))
	q := loc.Query()
	if q.Get("error") != "access_denied" || q.Get("state") != "xyz 1" || q.Has("code") {
		t.Fatalf("cancel redirect %s", loc)
	}
}

func TestAuthorizeRefusesWithoutRedirect(t *testing.T) {
	s := newTestServer(t, Options{})
	s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	cases := []struct {
		name string
		edit func(url.Values)
	}{
		{"unknown client", func(v url.Values) { v.Set("client_id", "someone-else") }},
		{"no client", func(v url.Values) { v.Del("client_id") }},
		{"response_type token", func(v url.Values) { v.Set("response_type", "token") }},
		{"unregistered host", func(v url.Values) { v.Set("redirect_uri", "http://127.0.0.1:47219/callback") }},
		{"other port", func(v url.Values) { v.Set("redirect_uri", "http://localhost:47220/callback") }},
		{"trailing slash", func(v url.Values) { v.Set("redirect_uri", testRedirect+"/") }},
		{"evil", func(v url.Values) { v.Set("redirect_uri", "https://evil.example/cb") }},
		{"no redirect", func(v url.Values) { v.Del("redirect_uri") }},
		{"no owner", func(v url.Values) { v.Del("owner") }},
		{"owner workspace", func(v url.Values) { v.Set("owner", "workspace") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := authorizeParams(s, "st")
			tc.edit(v)
			r := send(t, s, req{method: "GET", path: "/v1/oauth/authorize?" + v.Encode()})
			if r.status != http.StatusBadRequest || r.header.Get("Location") != "" {
				t.Fatalf("status %d location %q", r.status, r.header.Get("Location"))
			}
			if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Fatalf("content type %q", r.header.Get("Content-Type"))
			}
			// Auto modes must not bypass the checks either.
			s.SetAutoDeny(true)
			r = send(t, s, req{method: "GET", path: "/v1/oauth/authorize?" + v.Encode()})
			s.SetAutoDeny(false)
			if r.status != http.StatusBadRequest || r.header.Get("Location") != "" {
				t.Fatalf("auto-deny: status %d location %q", r.status, r.header.Get("Location"))
			}
		})
	}
}

func TestConsentFormTampering(t *testing.T) {
	s := newTestServer(t, Options{RedirectURIs: []string{testRedirect, "http://localhost:47220/callback"}})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	cases := []struct {
		name string
		edit func(url.Values)
	}{
		{"unregistered redirect", func(v url.Values) { v.Set("redirect_uri", "https://evil.example/cb") }},
		{"other registered redirect", func(v url.Values) { v.Set("redirect_uri", "http://localhost:47220/callback") }},
		{"state", func(v url.Values) { v.Set("state", "forged") }},
		{"signature", func(v url.Values) { v.Set("sig", strings.Repeat("0", 64)) }},
		{"client", func(v url.Values) { v.Set("client_id", "other") }},
		{"workspace", func(v url.Values) { v.Set("workspace_id", "nope") }},
		{"decision", func(v url.Values) { v.Set("decision", "maybe") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form, _ := consentForm(t, s, authorizeParams(s, "st"))
			form.Set("workspace_id", ws)
			form.Set("decision", "allow")
			tc.edit(form)
			r := submit(t, s, form)
			if r.status != http.StatusBadRequest || r.header.Get("Location") != "" {
				t.Fatalf("status %d location %q", r.status, r.header.Get("Location"))
			}
		})
	}
}

func TestAutoApproveAndDeny(t *testing.T) {
	reg := "http://localhost:47219/callback?app=pagedeck"
	s := newTestServer(t, Options{RedirectURIs: []string{reg}})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	v := authorizeParams(s, "a+b c")
	v.Set("redirect_uri", reg)
	get := func() *url.URL {
		return location(t, send(t, s, req{method: "GET", path: "/v1/oauth/authorize?" + v.Encode()}))
	}

	s.SetAutoApprove(ws)
	q := get().Query()
	if q.Get("code") == "" || q.Get("state") != "a+b c" || q.Get("app") != "pagedeck" {
		t.Fatalf("auto-approve redirect %v", q)
	}
	if r := exchange(t, s, q.Get("code"), reg); r.status != http.StatusOK || r.json(t)["workspace_id"] != ws {
		t.Fatalf("exchange: %d %s", r.status, r.body)
	}

	s.SetAutoDeny(true)
	q = get().Query()
	if q.Get("error") != "access_denied" || q.Get("state") != "a+b c" || q.Has("code") {
		t.Fatalf("auto-deny redirect %v", q)
	}

	s.SetAutoDeny(false)
	s.SetAutoApprove("")
	if r := send(t, s, req{method: "GET", path: "/v1/oauth/authorize?" + v.Encode()}); r.status != http.StatusOK {
		t.Fatalf("consent page back: %d", r.status)
	}
	// No state in, no state out.
	v.Del("state")
	s.SetAutoDeny(true)
	if q := get().Query(); q.Has("state") {
		t.Fatalf("state invented: %v", q)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	clock := newFakeClock()
	s := newTestServer(t, Options{Clock: clock.Now, RedirectURIs: []string{testRedirect, "http://localhost:47220/callback"}})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	good := func() []byte {
		return mustJSON(t, map[string]any{"grant_type": "authorization_code", "code": getCode(t, s, ws), "redirect_uri": testRedirect})
	}
	basic := []string{s.ClientID(), s.ClientSecret()}
	cases := []struct {
		name   string
		q      func() req
		status int
		code   string
		notion bool // Notion's error object rather than RFC 6749's
	}{
		{"no basic auth", func() req {
			return req{method: "POST", path: "/v1/oauth/token", version: testVersion, contentType: "application/json", body: good()}
		}, 401, "invalid_client", false},
		{"wrong secret", func() req {
			return req{method: "POST", path: "/v1/oauth/token", basic: []string{s.ClientID(), "nope"}, version: testVersion, contentType: "application/json", body: good()}
		}, 401, "invalid_client", false},
		{"secret in body only", func() req {
			return req{method: "POST", path: "/v1/oauth/token", version: testVersion, contentType: "application/json",
				body: mustJSON(t, map[string]any{"grant_type": "authorization_code", "code": "x", "redirect_uri": testRedirect,
					"client_id": s.ClientID(), "client_secret": s.ClientSecret()})}
		}, 401, "invalid_client", false},
		{"form body", func() req {
			v := url.Values{"grant_type": {"authorization_code"}, "code": {getCode(t, s, ws)}, "redirect_uri": {testRedirect}}
			return req{method: "POST", path: "/v1/oauth/token", basic: basic, version: testVersion,
				contentType: "application/x-www-form-urlencoded", body: []byte(v.Encode())}
		}, 400, "invalid_request", false},
		{"no version", func() req {
			return req{method: "POST", path: "/v1/oauth/token", basic: basic, contentType: "application/json", body: good()}
		}, 400, "missing_version", true},
		{"bad json", func() req {
			return req{method: "POST", path: "/v1/oauth/token", basic: basic, version: testVersion, contentType: "application/json", body: []byte(`{"grant_type":`)}
		}, 400, "invalid_json", true},
		{"unknown grant type", func() req {
			return req{method: "POST", path: "/v1/oauth/token", basic: basic, version: testVersion, contentType: "application/json",
				body: mustJSON(t, map[string]any{"grant_type": "client_credentials"})}
		}, 400, "unsupported_grant_type", false},
		{"unknown code", func() req {
			return req{method: "POST", path: "/v1/oauth/token", basic: basic, version: testVersion, contentType: "application/json",
				body: mustJSON(t, map[string]any{"grant_type": "authorization_code", "code": "made-up", "redirect_uri": testRedirect})}
		}, 400, "invalid_grant", false},
		{"redirect mismatch", func() req {
			return req{method: "POST", path: "/v1/oauth/token", basic: basic, version: testVersion, contentType: "application/json",
				body: mustJSON(t, map[string]any{"grant_type": "authorization_code", "code": getCode(t, s, ws), "redirect_uri": "http://localhost:47220/callback"})}
		}, 400, "invalid_grant", false},
		{"redirect missing", func() req {
			return req{method: "POST", path: "/v1/oauth/token", basic: basic, version: testVersion, contentType: "application/json",
				body: mustJSON(t, map[string]any{"grant_type": "authorization_code", "code": getCode(t, s, ws)})}
		}, 400, "invalid_grant", false},
		{"expired code", func() req {
			b := good()
			clock.Advance(10*time.Minute + time.Second)
			return req{method: "POST", path: "/v1/oauth/token", basic: basic, version: testVersion, contentType: "application/json", body: b}
		}, 400, "invalid_grant", false},
		{"wrong method", func() req {
			return req{method: "GET", path: "/v1/oauth/token", basic: basic, version: testVersion}
		}, 400, "invalid_request_url", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, s, tc.q())
			if tc.notion {
				wantError(t, r, tc.status, tc.code)
			} else {
				wantOAuthError(t, r, tc.status, tc.code)
			}
			if tc.status == 401 && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Basic") {
				t.Error("401 without WWW-Authenticate: Basic")
			}
		})
	}
	if n := s.ActiveGrants(ws); n != 0 {
		t.Fatalf("failed exchanges left %d grants", n)
	}
	// A code just within its lifetime still works.
	code := getCode(t, s, ws)
	clock.Advance(10 * time.Minute)
	if r := exchange(t, s, code, testRedirect); r.status != http.StatusOK {
		t.Fatalf("code at its TTL: %d %s", r.status, r.body)
	}
}

func TestCodeSingleUse(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	code := getCode(t, s, ws)
	r := exchange(t, s, code, testRedirect)
	if r.status != http.StatusOK {
		t.Fatalf("first use: %d %s", r.status, r.body)
	}
	access := r.json(t)["access_token"].(string)
	wantOAuthError(t, exchange(t, s, code, testRedirect), 400, "invalid_grant")
	// The replay revoked what the first use issued.
	wantError(t, api(t, s, access, "GET", "/v1/users/me", nil), 401, "unauthorized")
	if n := s.ActiveGrants(ws); n != 0 {
		t.Fatalf("active grants after replay: %d", n)
	}
}

func TestRefreshRotation(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme", Icon: "https://example.com/acme.png"})
	g := s.IssueGrant(ws)
	refresh := func(tok string) resp {
		return oauth(t, s, "/v1/oauth/token", map[string]any{"grant_type": "refresh_token", "refresh_token": tok})
	}
	r := refresh(g.RefreshToken)
	if r.status != http.StatusOK {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	m := r.json(t)
	newAccess, newRefresh := m["access_token"].(string), m["refresh_token"].(string)
	if newAccess == g.AccessToken || newRefresh == g.RefreshToken || newAccess == "" || newRefresh == "" {
		t.Fatal("refresh did not rotate both tokens")
	}
	if m["workspace_id"] != ws || m["bot_id"] != g.BotID || m["workspace_icon"] != "https://example.com/acme.png" || m["token_type"] != "bearer" {
		t.Fatalf("refresh response %v", m)
	}
	wantOAuthError(t, refresh(g.RefreshToken), 400, "invalid_grant")
	wantError(t, api(t, s, g.AccessToken, "GET", "/v1/users/me", nil), 401, "unauthorized")
	if r := api(t, s, newAccess, "GET", "/v1/users/me", nil); r.status != http.StatusOK {
		t.Fatalf("new access token: %d", r.status)
	}
	if r := refresh(newRefresh); r.status != http.StatusOK {
		t.Fatalf("second refresh: %d %s", r.status, r.body)
	}
	if s.ActiveGrants(ws) != 1 {
		t.Fatalf("active grants %d", s.ActiveGrants(ws))
	}
	wantOAuthError(t, oauth(t, s, "/v1/oauth/token", map[string]any{"grant_type": "refresh_token"}), 400, "invalid_request")
}

func TestExpireAccessToken(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	g := s.IssueGrant(ws)
	s.ExpireAccessToken(g.AccessToken)
	wantError(t, api(t, s, g.AccessToken, "GET", "/v1/users/me", nil), 401, "unauthorized")
	r := oauth(t, s, "/v1/oauth/token", map[string]any{"grant_type": "refresh_token", "refresh_token": g.RefreshToken})
	if r.status != http.StatusOK {
		t.Fatalf("refresh after expiry: %d %s", r.status, r.body)
	}
	if r := api(t, s, r.json(t)["access_token"].(string), "GET", "/v1/users/me", nil); r.status != http.StatusOK {
		t.Fatalf("refreshed token: %d", r.status)
	}
}

func TestRevokeAndIntrospect(t *testing.T) {
	clock := newFakeClock()
	s := newTestServer(t, Options{RateLimit: -1, Clock: clock.Now})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	introspect := func(tok string) map[string]any {
		r := oauth(t, s, "/v1/oauth/introspect", map[string]any{"token": tok})
		if r.status != http.StatusOK {
			t.Fatalf("introspect: %d %s", r.status, r.body)
		}
		return r.json(t)
	}
	for _, by := range []string{"access", "refresh", "method"} {
		t.Run(by, func(t *testing.T) {
			g := s.IssueGrant(ws)
			before := s.ActiveGrants(ws)
			for _, tok := range []string{g.AccessToken, g.RefreshToken} {
				m := introspect(tok)
				if m["active"] != true || m["scope"] != "read_content" || m["iat"] != float64(clock.Now().Unix()) || m["request_id"] == nil {
					t.Fatalf("introspect live token: %v", m)
				}
			}
			switch by {
			case "access", "refresh":
				tok := map[string]string{"access": g.AccessToken, "refresh": g.RefreshToken}[by]
				r := oauth(t, s, "/v1/oauth/revoke", map[string]any{"token": tok})
				if r.status != http.StatusOK || r.json(t)["request_id"] == nil {
					t.Fatalf("revoke: %d %s", r.status, r.body)
				}
			default:
				s.RevokeToken(g.RefreshToken)
			}
			if s.ActiveGrants(ws) != before-1 {
				t.Fatalf("active grants %d, want %d", s.ActiveGrants(ws), before-1)
			}
			wantError(t, api(t, s, g.AccessToken, "GET", "/v1/users/me", nil), 401, "unauthorized")
			wantOAuthError(t, oauth(t, s, "/v1/oauth/token", map[string]any{"grant_type": "refresh_token", "refresh_token": g.RefreshToken}), 400, "invalid_grant")
			for _, tok := range []string{g.AccessToken, g.RefreshToken} {
				if m := introspect(tok); m["active"] != false {
					t.Fatalf("introspect dead token: %v", m)
				}
			}
		})
	}
	// Revoking nonsense is not an error (RFC 7009); the endpoints still
	// demand client authentication and a token field.
	if r := oauth(t, s, "/v1/oauth/revoke", map[string]any{"token": "nonsense"}); r.status != http.StatusOK {
		t.Fatalf("revoke unknown: %d", r.status)
	}
	wantOAuthError(t, oauth(t, s, "/v1/oauth/revoke", map[string]any{}), 400, "invalid_request")
	wantOAuthError(t, send(t, s, req{method: "POST", path: "/v1/oauth/introspect", version: testVersion,
		contentType: "application/json", body: []byte(`{"token":"x"}`)}), 401, "invalid_client")
	wantError(t, send(t, s, req{method: "POST", path: "/v1/oauth/revoke", basic: []string{s.ClientID(), s.ClientSecret()},
		contentType: "application/json", body: []byte(`{"token":"x"}`)}), 400, "missing_version")
}

func TestAccessors(t *testing.T) {
	s := newTestServer(t, Options{})
	if s.ClientID() != "pagedeck-test-client" || s.ClientSecret() != "pagedeck-test-secret" ||
		s.AuthorizeURL() != s.URL()+"/v1/oauth/authorize" || !strings.HasPrefix(s.URL(), "http://127.0.0.1:") ||
		strings.HasSuffix(s.URL(), "/") || len(s.RedirectURIs()) != 1 || s.RedirectURIs()[0] != testRedirect {
		t.Fatalf("defaults: %s %s %s %v", s.ClientID(), s.URL(), s.AuthorizeURL(), s.RedirectURIs())
	}
	id := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	if w := s.Workspaces(); len(w) != 1 || w[0].ID != id || len(id) != 36 || w[0].OwnerEmail == "" {
		t.Fatalf("workspaces %v", w)
	}
	// Expiring an internal secret is revoking it: it has no refresh token.
	tok := s.AddInternalToken(id)
	s.ExpireAccessToken(tok)
	if s.ActiveGrants(id) != 0 {
		t.Fatal("expired internal token still counted")
	}
	wantError(t, api(t, s, tok, "GET", "/v1/users/me", nil), 401, "unauthorized")
}
