package notion

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

const meBody = `{"object":"user","id":"bot-1","name":"Pagedeck","type":"bot","bot":{"owner":{"type":"workspace","workspace":true},"workspace_id":"ws-1","workspace_name":"Acme"}}`

func TestHeaders(t *testing.T) {
	var got http.Header
	c, _ := fakeNotion(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		writeJSON(w, 200, meBody)
	})
	if _, err := c.Me(context.Background(), "secret_abc"); err != nil {
		t.Fatal(err)
	}
	if got.Get("Notion-Version") != "2026-03-11" || got.Get("User-Agent") != "pagedeck/test" ||
		got.Get("Authorization") != "Bearer secret_abc" {
		t.Errorf("headers = %v", got)
	}
}

func TestMe(t *testing.T) {
	c, _ := fakeNotion(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/v1/users/me" {
			t.Errorf("%s %s", r.Method, r.URL.Path)
		}
		if strings.HasSuffix(r.Header.Get("Authorization"), "person") {
			writeJSON(w, 200, `{"object":"user","id":"u","type":"person","person":{"email":"a@b"}}`)
			return
		}
		writeJSON(w, 200, meBody)
	})
	bot, err := c.Me(context.Background(), "ntn_x")
	if err != nil {
		t.Fatal(err)
	}
	want := Bot{ID: "bot-1", Name: "Pagedeck", WorkspaceID: "ws-1", WorkspaceName: "Acme", OwnerType: "workspace"}
	if *bot != want {
		t.Errorf("bot = %+v", *bot)
	}
	if _, err := c.Me(context.Background(), "person"); !errors.Is(err, ErrNotABot) {
		t.Errorf("person token: err = %v, want ErrNotABot", err)
	}
}

func TestOAuthCalls(t *testing.T) {
	var bodies []map[string]string
	c, _ := fakeNotion(t, func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || user != "client-id" || pass != "client-secret-xyz" {
			t.Errorf("basic auth = %q %q %v", user, pass, ok)
		}
		if r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Notion-Version") != Version {
			t.Errorf("headers = %v", r.Header)
		}
		var b map[string]string
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
			t.Errorf("body is not JSON: %v", err)
		}
		bodies = append(bodies, b)
		switch r.URL.Path {
		case "/v1/oauth/token":
			if b["grant_type"] == "refresh_token" {
				writeJSON(w, 200, `{"access_token":"at2","token_type":"bearer","refresh_token":null,"bot_id":"b","workspace_id":"w",
					"workspace_name":null,"workspace_icon":null,"owner":{"type":"workspace","workspace":true},"duplicated_template_id":null}`)
				return
			}
			writeJSON(w, 200, `{"access_token":"at1","token_type":"bearer","refresh_token":"rt1","bot_id":"bot","workspace_id":"ws",
				"workspace_name":"Acme","workspace_icon":"🏢","owner":{"type":"user","user":{"object":"user","id":"u1","name":"Ada",
				"person":{"email":"ada@example.com"}}},"duplicated_template_id":"tpl","request_id":"r1"}`)
		case "/v1/oauth/revoke":
			writeJSON(w, 200, `{"request_id":"r2"}`)
		case "/v1/oauth/introspect":
			writeJSON(w, 200, `{"active":true,"scope":"read_content","iat":1700000000,"request_id":"r3"}`)
		}
	})
	ctx := context.Background()
	g, err := c.ExchangeCode(ctx, "code-1", "http://localhost:47219/callback")
	if err != nil {
		t.Fatal(err)
	}
	want := Grant{AccessToken: "at1", RefreshToken: "rt1", TokenType: "bearer", BotID: "bot", WorkspaceID: "ws",
		WorkspaceName: "Acme", WorkspaceIcon: "🏢", Owner: Owner{Type: "user", UserID: "u1", Name: "Ada", Email: "ada@example.com"},
		DuplicatedTemplateID: "tpl", RequestID: "r1"}
	if *g != want {
		t.Errorf("grant = %+v", *g)
	}
	if bodies[0]["grant_type"] != "authorization_code" || bodies[0]["code"] != "code-1" || bodies[0]["redirect_uri"] != "http://localhost:47219/callback" {
		t.Errorf("exchange body = %v", bodies[0])
	}

	g2, err := c.Refresh(ctx, "rt1")
	if err != nil {
		t.Fatal(err)
	}
	if g2.AccessToken != "at2" || g2.RefreshToken != "" || g2.WorkspaceName != "" || g2.Owner.Type != "workspace" {
		t.Errorf("refresh grant = %+v", *g2)
	}
	if bodies[1]["refresh_token"] != "rt1" {
		t.Errorf("refresh body = %v", bodies[1])
	}
	if err := c.Revoke(ctx, "at1"); err != nil {
		t.Fatal(err)
	}
	in, err := c.Introspect(ctx, "at1")
	if err != nil {
		t.Fatal(err)
	}
	if !in.Active || in.Scope != "read_content" || in.IssuedAt.Unix() != 1700000000 {
		t.Errorf("introspection = %+v", in)
	}
	if bodies[2]["token"] != "at1" || bodies[3]["token"] != "at1" {
		t.Errorf("revoke/introspect bodies = %v", bodies[2:])
	}
}

func TestOAuthNeedsClientCredentials(t *testing.T) {
	c := New(Options{BaseURL: "http://127.0.0.1:1"})
	if _, err := c.ExchangeCode(context.Background(), "c", "r"); err == nil || !strings.Contains(err.Error(), "client id") {
		t.Errorf("err = %v", err)
	}
}

func TestTokenAnswerWithoutWorkspaceIsMalformed(t *testing.T) {
	c, _ := fakeNotion(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"access_token":"x"}`)
	})
	if _, err := c.ExchangeCode(context.Background(), "c", "r"); !errors.Is(err, ErrMalformedResponse) {
		t.Errorf("err = %v, want ErrMalformedResponse", err)
	}
}

func TestRetrySchedule(t *testing.T) {
	tests := []struct {
		name      string
		fail      []int // statuses before a 200
		retryAft  string
		call      string // "read", "exchange" or "refresh"
		wantHits  int
		wantErr   bool
		wantWaits []time.Duration // exact, or nil to only check bounds
	}{
		{name: "429 honours Retry-After", fail: []int{429, 429}, retryAft: "2", call: "read", wantHits: 3, wantWaits: []time.Duration{2 * time.Second, 2 * time.Second}},
		{name: "529 honours Retry-After", fail: []int{529}, retryAft: "7", call: "read", wantHits: 2, wantWaits: []time.Duration{7 * time.Second}},
		{name: "Retry-After beyond the cap gives up at once", fail: []int{429}, retryAft: "3700", call: "read", wantHits: 1, wantErr: true},
		{name: "503 backs off then succeeds", fail: []int{503, 503, 503}, call: "read", wantHits: 4},
		{name: "network-ish 502 retried", fail: []int{502}, call: "read", wantHits: 2},
		{name: "retries are bounded", fail: []int{500, 500, 500, 500, 500, 500, 500}, call: "read", wantHits: 5, wantErr: true},
		{name: "exchange is never retried on 500", fail: []int{500}, call: "exchange", wantHits: 1, wantErr: true},
		{name: "refresh is never retried on 503", fail: []int{503}, call: "refresh", wantHits: 1, wantErr: true},
		{name: "exchange retried on 429: it was not processed", fail: []int{429}, retryAft: "1", call: "exchange", wantHits: 2, wantWaits: []time.Duration{time.Second}},
		{name: "400 never retried", fail: []int{400}, call: "read", wantHits: 1, wantErr: true},
		{name: "404 never retried", fail: []int{404}, call: "read", wantHits: 1, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			c, s := fakeNotion(t, func(w http.ResponseWriter, r *http.Request) {
				n := int(hits.Add(1))
				if n <= len(tt.fail) {
					if tt.retryAft != "" {
						w.Header().Set("Retry-After", tt.retryAft)
					}
					writeJSON(w, tt.fail[n-1], `{"object":"error","status":0,"code":"x","message":"m"}`)
					return
				}
				if r.URL.Path == "/v1/oauth/token" {
					writeJSON(w, 200, `{"access_token":"a","workspace_id":"w"}`)
					return
				}
				writeJSON(w, 200, meBody)
			})
			var err error
			switch tt.call {
			case "read":
				_, err = c.Me(context.Background(), "tok")
			case "exchange":
				_, err = c.ExchangeCode(context.Background(), "code", "uri")
			case "refresh":
				_, err = c.Refresh(context.Background(), "rt")
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got := int(hits.Load()); got != tt.wantHits {
				t.Errorf("hits = %d, want %d", got, tt.wantHits)
			}
			waits := s.all()
			if len(waits) != tt.wantHits-1 {
				t.Errorf("waits = %v, want %d of them", waits, tt.wantHits-1)
			}
			if tt.wantWaits != nil {
				if fmt.Sprint(waits) != fmt.Sprint(tt.wantWaits) {
					t.Errorf("waits = %v, want %v", waits, tt.wantWaits)
				}
				return
			}
			// Exponential backoff with jitter: the n-th wait is in [base·2ⁿ/2, base·2ⁿ].
			for n, d := range waits {
				hi := min(500*time.Millisecond<<n, 8*time.Second)
				if d < hi/2 || d > hi {
					t.Errorf("wait %d = %v, want within [%v, %v]", n, d, hi/2, hi)
				}
			}
		})
	}
}

func TestNetworkErrorsAreRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			// Drop the connection without an answer.
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		writeJSON(w, 200, meBody)
	}))
	defer srv.Close()
	s := &sleeps{}
	c := New(Options{BaseURL: srv.URL, RateLimit: rate.Inf, Sleep: s.sleep})
	if _, err := c.Me(context.Background(), "tok"); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 || len(s.all()) != 1 {
		t.Errorf("hits = %d, waits = %v", hits.Load(), s.all())
	}
}

func TestUnreachableIsANetworkError(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", notiontest.Port(t)) // reserved, and nothing listens
	s := &sleeps{}
	c := New(Options{BaseURL: "http://" + addr, RateLimit: rate.Inf, Sleep: s.sleep, Retry: RetryPolicy{MaxRetries: 2}})
	_, err := c.Me(context.Background(), "tok")
	var ne *NetworkError
	if !errors.As(err, &ne) || !IsTransient(err) {
		t.Fatalf("err = %v, want a transient *NetworkError", err)
	}
	if len(s.all()) != 2 {
		t.Errorf("waits = %v, want 2", s.all())
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "30")
		writeJSON(w, 429, `{"object":"error","status":429,"code":"rate_limited","message":"slow down"}`)
	}))
	defer srv.Close()
	// The real sleep: the wait must end when ctx does, not after 30 s.
	c := New(Options{BaseURL: srv.URL, RateLimit: rate.Inf})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Me(ctx, "tok")
		done <- err
	}()
	for hits.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the backoff did not end when the context was cancelled")
	}
	if hits.Load() != 1 {
		t.Errorf("hits = %d, want 1", hits.Load())
	}
}

func TestCancelDuringRequest(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	c := New(Options{BaseURL: srv.URL, RateLimit: rate.Inf})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Me(ctx, "tok"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			<-r.Context().Done() // hang until the client gives up on this attempt
			return
		}
		writeJSON(w, 200, meBody)
	}))
	defer srv.Close()
	s := &sleeps{}
	c := New(Options{BaseURL: srv.URL, RateLimit: rate.Inf, Sleep: s.sleep, Timeout: 50 * time.Millisecond})
	if _, err := c.Me(context.Background(), "tok"); err != nil {
		t.Fatalf("a hung attempt should time out and be retried: %v", err)
	}
	if hits.Load() != 2 {
		t.Errorf("hits = %d", hits.Load())
	}
}

func TestBodyCap(t *testing.T) {
	c, _ := fakeNotion(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"object":"list","results":[],"pad":"`)
		chunk := strings.Repeat("x", 1<<20)
		for range 11 {
			_, _ = io.WriteString(w, chunk)
		}
		_, _ = io.WriteString(w, `"}`)
	})
	for _, err := range c.SearchPages(context.Background(), "tok", SearchOptions{}) {
		if !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("err = %v, want ErrBodyTooLarge", err)
		}
		return
	}
	t.Fatal("no error")
}

func TestMalformedJSON(t *testing.T) {
	var hits atomic.Int32
	c, _ := fakeNotion(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeJSON(w, 200, `{"object":"list","results":[{"object":"page"`)
	})
	for _, err := range c.SearchPages(context.Background(), "tok", SearchOptions{}) {
		if !errors.Is(err, ErrMalformedResponse) {
			t.Fatalf("err = %v, want ErrMalformedResponse", err)
		}
	}
	if _, err := c.Me(context.Background(), "tok"); !errors.Is(err, ErrMalformedResponse) {
		t.Fatalf("Me err = %v, want ErrMalformedResponse", err)
	}
	if hits.Load() != 2 {
		t.Errorf("a malformed answer is not retried: hits = %d", hits.Load())
	}
}

// TestSecretsNeverLeak: a server that echoes the credentials it was sent
// must not get them into error strings or log lines.
func TestSecretsNeverLeak(t *testing.T) {
	const token = Secret("ntn_supersecrettoken123")
	var logs strings.Builder
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		echo := r.Header.Get("Authorization")
		if strings.HasPrefix(echo, "Basic ") {
			dec, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(echo, "Basic "))
			echo = string(dec)
		}
		// Like Notion's validation errors, quote the body too.
		body, _ := io.ReadAll(r.Body)
		msg, _ := json.Marshal(fmt.Sprintf("bad credential %s in %s", echo, body))
		writeJSON(w, 401, fmt.Sprintf(`{"object":"error","status":401,"code":"unauthorized","message":%s}`, msg))
	}))
	defer srv.Close()
	c := New(Options{BaseURL: srv.URL, ClientID: "cid", ClientSecret: "the-client-secret", RateLimit: rate.Inf,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	ctx := context.Background()
	var errs []error
	_, err := c.Me(ctx, token)
	errs = append(errs, err)
	_, err = c.Refresh(ctx, token)
	errs = append(errs, err)
	errs = append(errs, c.Revoke(ctx, token))
	_, err = c.Introspect(ctx, token)
	errs = append(errs, err)
	_, err = c.ExchangeCode(ctx, token.Reveal(), "http://localhost:1/cb")
	errs = append(errs, err)
	for _, err := range errs {
		if err == nil {
			t.Fatal("want an error")
		}
		msg := fmt.Sprintf("%v %+v %#v", err, err, err)
		if strings.Contains(msg, token.Reveal()) || strings.Contains(msg, "the-client-secret") {
			t.Errorf("error leaks a secret: %s", msg)
		}
		if !strings.Contains(msg, "[redacted]") {
			t.Errorf("error should show where the secret was removed: %s", msg)
		}
	}
	if strings.Contains(logs.String(), token.Reveal()) || strings.Contains(logs.String(), "the-client-secret") {
		t.Errorf("logs leak a secret: %s", logs.String())
	}
}

func TestSecretFormatting(t *testing.T) {
	s := Secret("ntn_abc")
	var logs strings.Builder
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "token", s)
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%s %v %q %x %#v %+v", s, s, s, s, s, s), s.String(), logs.String()} {
		if strings.Contains(out, "ntn_abc") {
			t.Errorf("%q leaks the secret", out)
		}
	}
	if s.Reveal() != "ntn_abc" || Secret("").String() != "" {
		t.Error("Reveal must return the value; an empty secret prints empty")
	}
	b, _ := json.Marshal(struct{ T Secret }{s})
	if string(b) != `{"T":"ntn_abc"}` {
		t.Errorf("JSON keeps the value for the vault: %s", b)
	}
}

func TestLimiterPacesPerToken(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeJSON(w, 200, meBody)
	}))
	defer srv.Close()
	// 20/s with a burst of 2: six calls on one token need at least 4/20 s.
	c := New(Options{BaseURL: srv.URL, RateLimit: 20, Burst: 2})
	start := time.Now()
	for range 6 {
		if _, err := c.Me(context.Background(), "a"); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 190*time.Millisecond {
		t.Errorf("6 calls took %v: the limiter did not pace them", el)
	}
	// Another token has its own budget: its burst is not spent.
	if n := c.Budget("b").State().Tokens; n < 1.9 {
		t.Errorf("token b's budget has %.1f tokens, want a fresh burst", n)
	}
	// A wait that would outlast the deadline fails instead of blocking.
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	slow := New(Options{BaseURL: srv.URL, RateLimit: 0.01, Burst: 1})
	_, _ = slow.Me(context.Background(), "a")
	if _, err := slow.Me(ctx, "a"); err == nil {
		t.Error("want an error when the limiter cannot admit before the deadline")
	}
}
