package broker

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/auth/broker/redistest"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// twin is a second broker instance with the fixture's configuration (the
// same key, Redis, clock and Notion) on its own listener.
type twin struct {
	srv  *Server
	ts   *httptest.Server
	logs *notiontest.LockedBuffer
}

func (f *fixture) twin(tweak func(*Config)) *twin {
	f.t.Helper()
	cfg := f.cfg
	tw := &twin{logs: &notiontest.LockedBuffer{}}
	cfg.Logger = slog.New(slog.NewJSONHandler(tw.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		f.t.Fatal(err)
	}
	tw.srv = srv
	tw.ts = httptest.NewServer(srv.Handler())
	f.t.Cleanup(tw.ts.Close)
	f.t.Cleanup(srv.Close)
	return tw
}

// postTo posts a form to another instance.
func postTo(t testing.TB, base, path string, form url.Values) tokenResp {
	t.Helper()
	resp, err := http.PostForm(base+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := tokenResp{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	_ = json.Unmarshal(b, &out.body)
	return out
}

// TestRedisSingleUseAcrossInstances: with Redis, a sealed code or state
// used on one instance is a replay on every other, refused before Notion.
func TestRedisSingleUseAcrossInstances(t *testing.T) {
	rs := redistest.Start(t)
	a := newFixture(t, func(c *Config) { c.RedisURL = rs.URL() })
	b := a.twin(nil)

	fl := a.runFlow("shared")
	if r := a.post("/token", fl.exchangeForm()); r.status != http.StatusOK {
		t.Fatalf("exchange on A: %d %s", r.status, r.raw)
	}
	calls := a.emu.Count(http.MethodPost, "/v1/oauth/token")
	r := postTo(t, b.ts.URL, "/token", fl.exchangeForm())
	wantOAuthError(t, r, http.StatusBadRequest, "invalid_grant")
	if !strings.Contains(r.str("error_description"), "already been used") {
		t.Errorf("B says %q", r.str("error_description"))
	}
	if n := a.emu.Count(http.MethodPost, "/v1/oauth/token"); n != calls {
		t.Error("the replay on B reached Notion")
	}
	if !strings.Contains(b.logs.String(), `"reason":"code_replayed"`) {
		t.Error("B's log does not say code_replayed")
	}

	// The other way round, with a code not yet exchanged anywhere: B
	// exchanges it, A refuses it.
	g := a.runFlow("other-way")
	if r := postTo(t, b.ts.URL, "/token", g.exchangeForm()); r.status != http.StatusOK {
		t.Fatalf("exchange on B: %d %s", r.status, r.raw)
	}
	wantOAuthError(t, a.post("/token", g.exchangeForm()), http.StatusBadRequest, "invalid_grant")

	// A state opened on A is used up on B too.
	h := a.runFlow("state")
	resp, err := noRedirects.Get(b.ts.URL + "/callback?" + h.callback.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "already used") {
		t.Errorf("the state again on B: %d %s", resp.StatusCode, body)
	}
	// The marks live in Redis under a hash, never the value.
	if strings.Contains(b.logs.String(), fl.code) || strings.Contains(a.logs.String(), fl.code) {
		t.Error("a log shows a code")
	}
}

// TestRedisRateLimitsAddUp: one client's requests count against one bucket
// whichever instance serves them.
func TestRedisRateLimitsAddUp(t *testing.T) {
	rs := redistest.Start(t)
	a := newFixture(t, func(c *Config) {
		c.RedisURL = rs.URL()
		c.TokenLimit = Limit{Rate: 1.0 / 60, Burst: 4}
	})
	b := a.twin(nil)
	post := func(base, peer string) int {
		form := url.Values{"client_id": {auth.BrokerClientID}, "grant_type": {"refresh_token"}, "refresh_token": {"nrt_unknown"}}
		req := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		srv := a.srv
		if base == "b" {
			srv = b.srv
		}
		w := serve(srv.Handler(), req, peer)
		if w.Code == http.StatusTooManyRequests {
			if ra, _ := strconv.Atoi(w.Header().Get("Retry-After")); ra < 1 || ra > 60 {
				t.Errorf("Retry-After %q", w.Header().Get("Retry-After"))
			}
		}
		return w.Code
	}
	var got []int
	for _, inst := range []string{"a", "b", "a", "b", "a", "b"} {
		got = append(got, post(inst, "203.0.113.5:4000"))
	}
	if want := []int{400, 400, 400, 400, 429, 429}; !equalInts(got, want) {
		t.Errorf("statuses %v, want %v (4 allowed across both)", got, want)
	}
	if c := post("b", "203.0.113.6:4000"); c != 400 {
		t.Errorf("another client: %d", c)
	}
	// Per-instance buckets would have let each instance allow 4.
	if n := a.emu.Count(http.MethodPost, "/v1/oauth/token"); n != 5 {
		t.Errorf("Notion saw %d refreshes, want 5", n)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRedisWebhookFanOut: an event posted to A reaches a stream on B, once,
// and B replays it from Redis to a desktop that reconnects there.
func TestRedisWebhookFanOut(t *testing.T) {
	rs := redistest.Start(t)
	a := liveFixture(t, rs.URL(), nil)
	b := a.twin(nil)
	g := a.emu.IssueGrant(a.ws)
	page := a.emu.AddItem(a.ws, notiontest.ItemSpec{Title: "Draft"})
	a.waitHooks()

	s, resp := openStream(t, b.ts.URL, g.AccessToken, "")
	if s == nil {
		t.Fatalf("/events on B: %d", resp.StatusCode)
	}
	s.nextOf("ready", 5*time.Second)
	a.emu.Rename(page, "Final")
	e := s.nextOf("notion", 5*time.Second)
	if !strings.Contains(e.data, page) || !strings.Contains(e.data, "page.properties_updated") {
		t.Errorf("event %s", e.data)
	}
	// Notion's retry of the same event, to B this time, is not published again.
	ev := hookEvent(uuid(9), "page.content_updated", a.ws, page)
	for _, base := range []string{a.ts.URL, b.ts.URL} {
		if r := postHook(t, base, ev, notiontest.SignWebhook(hookToken, ev)); r.StatusCode != http.StatusOK {
			t.Fatalf("post: %d", r.StatusCode)
		}
	}
	s.nextOf("notion", 5*time.Second)
	s.quiet(300 * time.Millisecond)

	// Resume on A from B's id.
	last := s.lastID
	s.close()
	a.emu.TouchContent(page)
	a.waitHooks()
	r, _ := openStream(t, a.ts.URL, g.AccessToken, last)
	if e := r.next(5 * time.Second); e.event != "notion" || !strings.Contains(e.data, "page.content_updated") {
		t.Errorf("replay on A: %+v", e)
	}
	// Wrong signatures are refused on every instance.
	if r := postHook(t, b.ts.URL, ev, notiontest.SignWebhook("not-the-token", ev)); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong signature: %d", r.StatusCode)
	}
}
