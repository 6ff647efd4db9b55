package notiontest

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1, SlowDelay: 150 * time.Millisecond})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	s.AddItem(ws, ItemSpec{Title: "Hello"})
	s.AddItem(ws, ItemSpec{Title: "World"})
	tok := s.IssueGrant(ws).AccessToken
	cases := []struct {
		fault      Fault
		status     int
		code       string // Notion error code, "" when the body is not Notion's error
		retryAfter bool
		check      func(t *testing.T, r resp)
	}{
		{FaultRateLimit, 429, "rate_limited", true, nil},
		{FaultOverload, 529, "service_overload", true, nil},
		{FaultServerError, 500, "internal_server_error", false, nil},
		{FaultUnavailable, 503, "service_unavailable", false, nil},
		{FaultGatewayTimeout, 504, "gateway_timeout", false, nil},
		{FaultBadGateway, 502, "", false, func(t *testing.T, r resp) {
			if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || json.Valid(r.body) ||
				!bytes.Contains(r.body, []byte("502 Bad Gateway")) {
				t.Fatalf("502 body %q (%s)", r.body, r.header.Get("Content-Type"))
			}
		}},
		{FaultMalformedJSON, 200, "", false, func(t *testing.T, r resp) {
			var v any
			if err := json.Unmarshal(r.body, &v); err == nil || !bytes.HasPrefix(r.body, []byte("{")) {
				t.Fatalf("body should be truncated JSON: %q", r.body)
			}
		}},
		{FaultHugeBody, 200, "", false, func(t *testing.T, r resp) {
			if len(r.body) != 11<<20 || r.header.Get("Content-Length") != "11534336" {
				t.Fatalf("huge body is %d bytes", len(r.body))
			}
		}},
		{FaultIncomplete, 200, "", false, func(t *testing.T, r resp) {
			j := r.json(t)
			if len(j["results"].([]any)) != 1 || j["request_status"].(map[string]any)["type"] != "incomplete" {
				t.Fatalf("incomplete answer: %s", r.body)
			}
		}},
		{FaultSlow, 200, "", false, func(t *testing.T, r resp) {
			if len(r.json(t)["results"].([]any)) != 2 {
				t.Fatalf("slow answer is not the normal one: %s", r.body)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.fault.String(), func(t *testing.T) {
			s.FailNext("/v1/search", 1, tc.fault)
			start := time.Now()
			r := api(t, s, tok, "POST", "/v1/search", map[string]any{})
			if tc.fault == FaultSlow && time.Since(start) < 150*time.Millisecond {
				t.Fatalf("slow fault answered after %v", time.Since(start))
			}
			if tc.code != "" {
				wantError(t, r, tc.status, tc.code)
			} else if r.status != tc.status {
				t.Fatalf("status %d, want %d", r.status, tc.status)
			}
			if got := r.header.Get("Retry-After"); tc.retryAfter != (got == "1") {
				t.Fatalf("Retry-After %q", got)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
			// One request only: the next is served normally.
			if r := api(t, s, tok, "POST", "/v1/search", map[string]any{}); r.status != http.StatusOK {
				t.Fatalf("after the fault: %d", r.status)
			}
		})
	}
}

func TestFaultsStackAndMatchPrefix(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	g := s.IssueGrant(ws)
	s.SetRetryAfter(3)
	s.FailNext("/v1/search", 2, FaultRateLimit)
	s.FailNext("/v1/", 1, FaultOverload)
	s.FailNext("/v1/search", 1, FaultServerError)

	// users/me only matches the "/v1/" rule.
	if r := api(t, s, g.AccessToken, "GET", "/v1/users/me", nil); r.status != 529 || r.header.Get("Retry-After") != "3" {
		t.Fatalf("users/me: %d", r.status)
	}
	var got []int
	for range 5 {
		got = append(got, api(t, s, g.AccessToken, "POST", "/v1/search", map[string]any{}).status)
	}
	if want := []int{429, 429, 500, 200, 200}; !slices.Equal(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	// Faults come before authentication, and reach the OAuth endpoints.
	s.FailNext("/v1/oauth/token", 1, FaultUnavailable)
	wantError(t, send(t, s, req{method: "POST", path: "/v1/oauth/token"}), 503, "service_unavailable")
	wantOAuthError(t, send(t, s, req{method: "POST", path: "/v1/oauth/token"}), 401, "invalid_client")
}

func TestFaultSlowGivesWayToTheClient(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1, SlowDelay: time.Minute})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	tok := s.IssueGrant(ws).AccessToken
	s.FailNext("/v1/users/me", 1, FaultSlow)
	hr, _ := http.NewRequest("GET", s.URL()+"/v1/users/me", nil)
	hr.Header.Set("Authorization", "Bearer "+tok)
	hr.Header.Set("Notion-Version", testVersion)
	c := &http.Client{Timeout: 100 * time.Millisecond}
	start := time.Now()
	_, err := c.Do(hr)
	var ne interface{ Timeout() bool }
	if err == nil || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("want a client timeout, got %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("slow fault ignored the client's timeout")
	}
	// Close must not wait for the held request either.
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung on a slow request")
	}
}

func TestRequestLog(t *testing.T) {
	var sink LockedBuffer
	logger := slog.New(slog.NewTextHandler(&sink, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := newTestServer(t, Options{RateLimit: -1, Logger: logger})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	tok := s.IssueGrant(ws).AccessToken
	send(t, s, req{method: "GET", path: "/v1/oauth/authorize?" + authorizeParams(s, "st").Encode()})
	api(t, s, tok, "POST", "/v1/search", map[string]any{"query": "x"})
	api(t, s, tok, "GET", "/v1/users/me", nil)
	s.FailNext("/v1/search", 1, FaultServerError)
	api(t, s, tok, "POST", "/v1/search", map[string]any{})

	log := s.Requests()
	if len(log) != 4 {
		t.Fatalf("%d requests logged", len(log))
	}
	want := []struct {
		method, path string
		status       int
	}{
		{"GET", "/v1/oauth/authorize", 200},
		{"POST", "/v1/search", 200},
		{"GET", "/v1/users/me", 200},
		{"POST", "/v1/search", 500},
	}
	for i, w := range want {
		if log[i].Method != w.method || log[i].Path != w.path || log[i].Status != w.status || log[i].At.IsZero() {
			t.Errorf("log[%d] = %s %s %d", i, log[i].Method, log[i].Path, log[i].Status)
		}
	}
	if log[0].Query.Get("state") != "st" || log[0].Query.Get("owner") != "user" {
		t.Errorf("query not logged: %v", log[0].Query)
	}
	if string(log[1].Body) != `{"query":"x"}` || log[1].Header.Get("Notion-Version") != testVersion ||
		log[1].Header.Get("Authorization") != "Bearer "+tok {
		t.Errorf("body/header not logged: %q %v", log[1].Body, log[1].Header)
	}
	// Copies: changing them leaves the log alone.
	log[1].Body[0] = 'X'
	log[1].Header.Set("Notion-Version", "x")
	if again := s.Requests(); string(again[1].Body) != `{"query":"x"}` || again[1].Header.Get("Notion-Version") != testVersion {
		t.Error("Requests returned shared memory")
	}
	if s.Count("POST", "/v1/search") != 2 || s.Count("GET", "/v1/users/me") != 1 || s.Count("GET", "/v1/search") != 0 {
		t.Error("Count is wrong")
	}
	// The slog lines name requests but never a token, code or secret.
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(sink.String(), "notiontest request") < 4 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if out := sink.String(); strings.Count(out, "notiontest request") != 4 || !strings.Contains(out, "/v1/users/me") ||
		strings.Contains(out, tok) || strings.Contains(out, "state=") || strings.Contains(out, s.ClientSecret()) {
		t.Errorf("slog output:\n%s", out)
	}
	s.ResetLog()
	if len(s.Requests()) != 0 || s.Count("POST", "/v1/search") != 0 {
		t.Error("ResetLog left entries")
	}
}

// An outage lasts until Recover, whatever the number of requests.
func TestFailAllLastsUntilRecover(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	g := s.IssueGrant(ws)
	s.FailAll("/v1/search", FaultUnavailable)
	for i := range 7 {
		if r := api(t, s, g.AccessToken, "POST", "/v1/search", map[string]any{}); r.status != 503 {
			t.Fatalf("request %d during the outage: %d", i, r.status)
		}
	}
	if r := api(t, s, g.AccessToken, "GET", "/v1/users/me", nil); r.status != 200 {
		t.Errorf("another path during the outage: %d", r.status)
	}
	s.Recover()
	if r := api(t, s, g.AccessToken, "POST", "/v1/search", map[string]any{}); r.status != 200 {
		t.Errorf("after Recover: %d", r.status)
	}
}
