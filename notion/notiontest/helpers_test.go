package notiontest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The tests talk to the emulator with net/http and encoding/json only, as a
// raw client would, so they check the wire format and not Go helpers.

const testVersion = "2026-03-11"

const testRedirect = "http://localhost:47219/callback"

func newFakeClock() *Clock { return NewClock(time.Date(2026, 5, 4, 10, 30, 15, 0, time.UTC)) }

func newTestServer(t *testing.T, opts Options) *Server {
	t.Helper()
	s := NewServer(opts)
	t.Cleanup(s.Close)
	return s
}

// noRedirects is a client that shows redirects instead of following them.
var noRedirects = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// req describes one raw request.
type req struct {
	method, path string
	bearer       string
	basic        []string // client id and secret, nil for none
	version      string   // Notion-Version; "" sends none
	contentType  string
	body         []byte
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object (status %d): %v\n%.300s", r.status, err, r.body)
	}
	return m
}

func send(t *testing.T, s *Server, q req) resp {
	t.Helper()
	var body io.Reader
	if q.body != nil {
		body = bytes.NewReader(q.body)
	}
	hr, err := http.NewRequest(q.method, s.URL()+q.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if q.bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+q.bearer)
	}
	if q.basic != nil {
		hr.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(q.basic[0]+":"+q.basic[1])))
	}
	if q.version != "" {
		hr.Header.Set("Notion-Version", q.version)
	}
	if q.contentType != "" {
		hr.Header.Set("Content-Type", q.contentType)
	}
	res, err := noRedirects.Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", q.method, q.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// oauth calls a token-endpoint path the documented way: Basic auth, JSON.
func oauth(t *testing.T, s *Server, path string, body any) resp {
	t.Helper()
	return send(t, s, req{method: "POST", path: path, basic: []string{s.ClientID(), s.ClientSecret()},
		version: testVersion, contentType: "application/json", body: mustJSON(t, body)})
}

// api calls an API endpoint with a bearer token and the current version.
func api(t *testing.T, s *Server, token, method, path string, body any) resp {
	t.Helper()
	q := req{method: method, path: path, bearer: token, version: testVersion}
	if body != nil {
		q.body = mustJSON(t, body)
		q.contentType = "application/json"
	}
	return send(t, s, q)
}

// wantError checks Notion's error object.
func wantError(t *testing.T, r resp, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %.300s", r.status, status, r.body)
	}
	m := r.json(t)
	if m["object"] != "error" || m["code"] != code || m["status"] != float64(status) {
		t.Fatalf("error body %v, want object=error code=%s status=%d", m, code, status)
	}
	if rid, _ := m["request_id"].(string); rid == "" || rid != r.header.Get("X-Request-Id") {
		t.Fatalf("request_id %q vs header %q", m["request_id"], r.header.Get("X-Request-Id"))
	}
	if msg, _ := m["message"].(string); msg == "" {
		t.Fatalf("error without message: %v", m)
	}
}

// wantOAuthError checks the RFC 6749 error shape.
func wantOAuthError(t *testing.T, r resp, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %.300s", r.status, status, r.body)
	}
	m := r.json(t)
	if m["error"] != code {
		t.Fatalf("error %v, want %s (%v)", m["error"], code, m)
	}
	if d, _ := m["error_description"].(string); d == "" {
		t.Fatalf("no error_description: %v", m)
	}
}

var (
	hiddenRe = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)
	optionRe = regexp.MustCompile(`<option value="([^"]*)">`)
)

// consentForm GETs the consent page and returns the form a browser would
// submit (hidden fields, first workspace picked) and the page itself.
func consentForm(t *testing.T, s *Server, params url.Values) (url.Values, string) {
	t.Helper()
	r := send(t, s, req{method: "GET", path: "/v1/oauth/authorize?" + params.Encode()})
	if r.status != http.StatusOK {
		t.Fatalf("consent page: status %d: %.300s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("consent page content type %q", ct)
	}
	page := string(r.body)
	form := url.Values{}
	for _, m := range hiddenRe.FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	if opts := optionRe.FindAllStringSubmatch(page, -1); len(opts) > 0 {
		form.Set("workspace_id", html.UnescapeString(opts[0][1]))
	}
	return form, page
}

func authorizeParams(s *Server, state string) url.Values {
	return url.Values{
		"client_id":     {s.ClientID()},
		"response_type": {"code"},
		"owner":         {"user"},
		"redirect_uri":  {testRedirect},
		"state":         {state},
	}
}

// submit posts the consent form like a browser.
func submit(t *testing.T, s *Server, form url.Values) resp {
	t.Helper()
	return send(t, s, req{method: "POST", path: "/v1/oauth/authorize",
		contentType: "application/x-www-form-urlencoded", body: []byte(form.Encode())})
}

// location parses the redirect of a 302.
func location(t *testing.T, r resp) *url.URL {
	t.Helper()
	if r.status != http.StatusFound {
		t.Fatalf("status %d, want 302: %.300s", r.status, r.body)
	}
	u, err := url.Parse(r.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// getCode runs the consent flow for a workspace and returns the code.
func getCode(t *testing.T, s *Server, wsID string) string {
	t.Helper()
	form, _ := consentForm(t, s, authorizeParams(s, "st"))
	form.Set("workspace_id", wsID)
	form.Set("decision", "allow")
	code := location(t, submit(t, s, form)).Query().Get("code")
	if code == "" {
		t.Fatal("no code")
	}
	return code
}

func exchange(t *testing.T, s *Server, code, redirect string) resp {
	t.Helper()
	return oauth(t, s, "/v1/oauth/token", map[string]any{
		"grant_type": "authorization_code", "code": code, "redirect_uri": redirect})
}

// searchPage runs one search call and fails on anything but 200.
func searchPage(t *testing.T, s *Server, token string, body map[string]any) map[string]any {
	t.Helper()
	r := api(t, s, token, "POST", "/v1/search", body)
	if r.status != http.StatusOK {
		t.Fatalf("search: status %d: %.300s", r.status, r.body)
	}
	return r.json(t)
}

// searchAll follows cursors and returns every result and the page count.
func searchAll(t *testing.T, s *Server, token string, body map[string]any) ([]map[string]any, int) {
	t.Helper()
	var all []map[string]any
	pages := 0
	for {
		m := searchPage(t, s, token, body)
		pages++
		for _, r := range m["results"].([]any) {
			all = append(all, r.(map[string]any))
		}
		if m["has_more"] != true {
			if m["next_cursor"] != nil {
				t.Fatalf("last page has next_cursor %v", m["next_cursor"])
			}
			return all, pages
		}
		cur, _ := m["next_cursor"].(string)
		if cur == "" {
			t.Fatal("has_more without next_cursor")
		}
		next := map[string]any{}
		for k, v := range body {
			next[k] = v
		}
		next["start_cursor"] = cur
		body = next
		if pages > 50 {
			t.Fatal("cursor loop")
		}
	}
}

// titleOf joins the plain_text of a result's title.
func titleOf(t *testing.T, r map[string]any) string {
	t.Helper()
	var parts []any
	if r["object"] == "page" {
		for _, p := range r["properties"].(map[string]any) {
			prop := p.(map[string]any)
			if prop["type"] == "title" {
				parts = prop["title"].([]any)
			}
		}
	} else {
		parts = r["title"].([]any)
	}
	var sb strings.Builder
	for _, p := range parts {
		sb.WriteString(p.(map[string]any)["plain_text"].(string))
	}
	return sb.String()
}

func ids(rs []map[string]any) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i], _ = r["id"].(string)
	}
	return out
}
