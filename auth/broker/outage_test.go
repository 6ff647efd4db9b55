package broker

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/auth/broker/redistest"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func wantRetryAfter(t *testing.T, what string, status int, h http.Header) {
	t.Helper()
	if status != http.StatusServiceUnavailable {
		t.Errorf("%s: %d, want 503", what, status)
		return
	}
	if ra, err := strconv.Atoi(h.Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("%s: Retry-After %q", what, h.Get("Retry-After"))
	}
}

// eventually retries check every 50 ms for up to 20 s.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 20 s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRedisOutage: Redis dies under two running instances. What needs it
// answers 503 with Retry-After and never skips a replay check; what does
// not (refreshing a token) goes on; open streams end so desktops know.
// When Redis comes back, so does the service, with no restart.
func TestRedisOutage(t *testing.T) {
	rs := redistest.Start(t)
	a := liveFixture(t, rs.URL(), nil)
	b := a.twin(nil)
	g := a.emu.IssueGrant(a.ws)
	page := a.emu.AddItem(a.ws, notiontest.ItemSpec{Title: "Draft"})
	a.waitHooks()
	s, _ := openStream(t, b.ts.URL, g.AccessToken, "")
	s.nextOf("ready", 5*time.Second)
	fl := a.runFlow("before")
	pending := a.toCallback(a.toNotion(authorizeQuery("pending", newPKCE("pending"))))

	rs.Stop()

	tokenCalls := a.emu.Count(http.MethodPost, "/v1/oauth/token")
	r := a.post("/token", fl.exchangeForm())
	wantRetryAfter(t, "code exchange", r.status, r.header)
	if a.emu.Count(http.MethodPost, "/v1/oauth/token") != tokenCalls {
		t.Error("a code went to Notion unchecked")
	}
	resp, _ := a.visit(pending.String())
	wantRetryAfter(t, "/callback", resp.StatusCode, resp.Header)
	ev := hookEvent(uuid(1), "page.content_updated", a.ws, page)
	hr := postHook(t, b.ts.URL, ev, notiontest.SignWebhook(hookToken, ev))
	wantRetryAfter(t, "webhook", hr.StatusCode, hr.Header)
	if x, resp := openStream(t, b.ts.URL, g.AccessToken, ""); x != nil {
		t.Error("a stream opened without Redis")
	} else {
		wantRetryAfter(t, "/events", resp.StatusCode, resp.Header)
	}
	if !s.ended(10 * time.Second) {
		t.Error("the open stream was not ended")
	}
	eventually(t, "B forgetting the ended stream", func() bool { return b.srv.hub.count() == 0 })
	// Refreshing does not need Redis: its rate limit is counted locally.
	ref := a.post("/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {g.RefreshToken}, "client_id": {auth.BrokerClientID}})
	if ref.status != http.StatusOK {
		t.Errorf("refresh without Redis: %d %s", ref.status, ref.raw)
	}

	rs.Restart()

	// Back without a restart of either instance.
	var x *sseStream
	eventually(t, "a stream on B", func() bool {
		x, _ = openStream(t, b.ts.URL, g.AccessToken, s.lastID)
		return x != nil
	})
	if r := a.post("/token", fl.exchangeForm()); r.status != http.StatusOK {
		t.Errorf("the code after Redis came back: %d %s", r.status, r.raw)
	}
	wantOAuthError(t, postTo(t, b.ts.URL, "/token", fl.exchangeForm()), http.StatusBadRequest, "invalid_grant")
	if resp, _ := a.visit(pending.String()); resp.StatusCode != http.StatusFound {
		t.Errorf("/callback after Redis came back: %d", resp.StatusCode)
	}
	// Redis lost its data, so the desktop that resumes is told to refresh,
	// then hears of new changes.
	if e := x.next(5 * time.Second); e.event != "reset" {
		t.Errorf("resuming across a Redis that lost its data: %+v, want reset", e)
	}
	x.nextOf("ready", 5*time.Second)
	a.emu.Rename(page, "After")
	if e := x.nextOf("notion", 10*time.Second); !strings.Contains(e.data, page) {
		t.Errorf("event %s", e.data)
	}
	for name, log := range map[string]string{"A": a.logs.String(), "B": b.logs.String()} {
		if n := strings.Count(log, "redis is unavailable"); n != 1 {
			t.Errorf("%s logged the outage %d times", name, n)
		}
		if !strings.Contains(log, "redis is back") {
			t.Errorf("%s did not log the recovery", name)
		}
		if strings.Contains(log, rs.Password()) {
			t.Errorf("%s logged Redis's password", name)
		}
	}
}

// TestRedisDownAtStart: a broker starts while Redis is away, says so, and
// serves once it comes.
func TestRedisDownAtStart(t *testing.T) {
	rs := redistest.Start(t)
	rs.Stop()
	f := liveFixture(t, rs.URL(), nil)
	if !strings.Contains(f.logs.String(), "redis is unavailable") {
		t.Errorf("no warning at start:\n%s", f.logs.String())
	}
	cb := f.toCallback(f.toNotion(authorizeQuery("s", newPKCE("s"))))
	resp, body := f.visit(cb.String())
	wantRetryAfter(t, "/callback", resp.StatusCode, resp.Header)
	if !strings.Contains(body, "cannot check this sign-in") {
		t.Errorf("page %s", body)
	}
	// go-redis's own complaints join the JSON log (at debug level) instead
	// of going to stderr as plain lines.
	if !strings.Contains(f.logs.String(), `"msg":"redis client: `) {
		t.Error("go-redis's log lines do not reach the broker's log")
	}
	rs.Restart()
	eventually(t, "a sign-in", func() bool { resp, _ := f.visit(cb.String()); return resp.StatusCode == http.StatusFound })
	fl := f.runFlow("after")
	if r := f.post("/token", fl.exchangeForm()); r.status != http.StatusOK {
		t.Errorf("exchange: %d %s", r.status, r.raw)
	}
}

// TestRedisStalled: a Redis that accepts connections and never answers
// turns into 503s within the operation timeout, not hung requests.
func TestRedisStalled(t *testing.T) {
	rs := redistest.Start(t)
	f := liveFixture(t, rs.URL(), nil)
	fl := f.runFlow("slow")
	rs.Pause()
	done := make(chan tokenResp, 1)
	go func() { done <- f.post("/token", fl.exchangeForm()) }()
	select {
	case r := <-done:
		wantRetryAfter(t, "exchange against a stalled Redis", r.status, r.header)
	case <-time.After(30 * time.Second):
		rs.Resume()
		t.Fatal("the request hung")
	}
	rs.Resume()
	eventually(t, "the exchange", func() bool { return f.post("/token", fl.exchangeForm()).status == http.StatusOK })
}

func TestRedisConfig(t *testing.T) {
	rs := redistest.Start(t)
	for _, c := range []struct{ value, want string }{
		{"http://127.0.0.1:6379", "redis://"},
		{"redis://:" + userinfoSecret + "@", "no host"},
		{"rediss://user:" + userinfoSecret + "@redis.example.com:6380/x", "go-redis"},
		{"redis://:" + userinfoSecret + "@[::1", "not a URL"},
	} {
		env := goodEnv()
		env[EnvRedisURL] = c.value
		_, err := ConfigFromEnv(getenv(env))
		if err == nil || !strings.Contains(err.Error(), EnvRedisURL) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), userinfoSecret) {
			t.Errorf("%q: %v", c.value, err)
		}
	}
	env := goodEnv()
	env[EnvRedisURL] = rs.URL()
	env[EnvWebhookToken] = hookToken
	cfg, err := ConfigFromEnv(getenv(env))
	if err != nil || cfg.RedisURL != rs.URL() || cfg.WebhookToken.Reveal() != hookToken {
		t.Fatalf("%+v %v", cfg, err)
	}
	// The start-up line names Redis without its password; without Redis it
	// says that state is per instance.
	for _, redisURL := range []string{rs.URL(), ""} {
		logs := &notiontest.LockedBuffer{}
		f := newFixture(t, func(c *Config) { c.RedisURL = redisURL; c.Logger = slogTo(logs) })
		startAndStop(t, f.srv)
		line := ""
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "broker: listening") {
				line = l
			}
		}
		switch {
		case strings.Contains(line, rs.Password()):
			t.Errorf("the listening line shows the password: %s", line)
		case redisURL != "" && !strings.Contains(line, `"shared_state":"redis redis://:xxxxx@`+rs.Addr()):
			t.Errorf("with Redis: %s", line)
		case redisURL == "" && !strings.Contains(line, `"shared_state":"per instance`):
			t.Errorf("without Redis: %s", line)
		}
	}
}
