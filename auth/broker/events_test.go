package broker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/auth/broker/redistest"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

const hookToken = "secret_webhook_verification_token_for_tests"

// liveFixture is a broker whose emulator sends it webhooks.
func liveFixture(t testing.TB, redisURL string, tweak func(*Config)) *fixture {
	t.Helper()
	return newFixtureWith(t, func(base string, o *notiontest.Options) {
		o.Webhook = notiontest.WebhookOptions{URL: base + "/webhooks/notion", Token: hookToken, RetryDelay: 10 * time.Millisecond}
	}, func(c *Config) {
		c.WebhookToken = notion.Secret(hookToken)
		c.RedisURL = redisURL
		c.EventsLimit = Limit{Rate: rate.Inf}
		c.Live.Heartbeat = 50 * time.Millisecond
		if tweak != nil {
			tweak(c)
		}
	})
}

func (f *fixture) waitHooks() {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := f.emu.WaitWebhooks(ctx); err != nil {
		f.t.Fatal(err)
	}
}

// postHook posts a body to the webhook endpoint with the given signature
// header ("" for none).
func postHook(t testing.TB, base string, body []byte, sig string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/webhooks/notion", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set("X-Notion-Signature", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// hookEvent is a Notion event body.
func hookEvent(id, typ, ws, entity string, bots ...string) []byte {
	ev := map[string]any{
		"id": id, "timestamp": "2026-11-22T09:00:00.000Z", "workspace_id": ws, "workspace_name": "Acme",
		"subscription_id": "6b9cb7e9-2c4b-4a8e-9f1a-0d2e3f4a5b6c", "integration_id": "7c0dc8fa-3d5c-4b9f-8a2b-1e3f4a5b6c7d",
		"type": typ, "authors": []any{map[string]any{"id": "8d1ed9ab-4e6d-4cae-9b3c-2f4a5b6c7d8e", "type": "person"}},
		"attempt_number": 1, "entity": map[string]any{"id": entity, "type": strings.SplitN(typ, ".", 2)[0]},
		"data": map[string]any{"parent": map[string]any{"id": ws, "type": "space"}},
	}
	if bots != nil {
		acc := []any{map[string]any{"id": "9e2fe0bc-5f7e-4dbf-8c4d-3a5b6c7d8e9f", "type": "person"}}
		for _, b := range bots {
			acc = append(acc, map[string]any{"id": b, "type": "bot"})
		}
		ev["accessible_by"] = acc
	}
	b, _ := json.Marshal(ev)
	return b
}

func uuid(n int) string {
	return "00000000-0000-4000-8000-" + strconv.FormatInt(int64(1e11+n), 10)[:12]
}

func TestWebhookIntake(t *testing.T) {
	f := liveFixture(t, "", func(c *Config) { c.WebhookLimit = Limit{Rate: rate.Inf} })
	ws := f.ws
	good := hookEvent(uuid(1), "page.properties_updated", ws, uuid(2))
	sig := notiontest.SignWebhook(hookToken, good)
	for _, c := range []struct {
		name   string
		body   []byte
		sig    string
		status int
	}{
		{"unsigned", good, "", 401},
		{"signed with another token", good, notiontest.SignWebhook("other", good), 401},
		{"signature of another body", hookEvent(uuid(1), "page.properties_updated", ws, uuid(3)), sig, 401},
		{"signature without prefix", good, strings.TrimPrefix(sig, "sha256="), 401},
		{"short signature", good, sig[:20], 401},
		{"signature not hex", good, "sha256=" + strings.Repeat("z", 64), 401},
		{"too large", append(good[:len(good)-1], []byte(`,"pad":"`+strings.Repeat("x", MaxWebhookBytes)+`"}`)...), "sign", 413},
		{"signed, not JSON", []byte("not json"), "sign", 400},
		{"signed, bad event id", hookEvent("../x", "page.created", ws, uuid(2)), "sign", 400},
		{"signed, bad type", hookEvent(uuid(4), "Page Created", ws, uuid(2)), "sign", 400},
		{"signed, bad workspace", hookEvent(uuid(5), "page.created", "ws", uuid(2)), "sign", 400},
		{"signed, bad entity", hookEvent(uuid(6), "page.created", ws, "x"), "sign", 400},
		{"good", good, sig, 200},
		{"good again (Notion's retry)", good, sig, 200},
		{"a comment event", hookEvent(uuid(7), "comment.created", ws, uuid(2)), "sign", 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := c.sig
			if s == "sign" {
				s = notiontest.SignWebhook(hookToken, c.body)
			}
			if resp := postHook(t, f.ts.URL, c.body, s); resp.StatusCode != c.status {
				t.Errorf("%d, want %d", resp.StatusCode, c.status)
			}
		})
	}
	// Only the good event was stored, once.
	entries, complete, err := f.srv.events.since(t.Context(), f.srv.events.(*memoryLog).floor, 100)
	if err != nil || !complete || len(entries) != 1 || entries[0].ev.Entity.ID != uuid(2) {
		t.Errorf("stored %d events (complete %v, %v)", len(entries), complete, err)
	}
	log := f.logs.String()
	for _, secret := range []string{hookToken, uuid(1), uuid(2)} {
		if strings.Contains(log, secret) {
			t.Errorf("the log shows %q", secret)
		}
	}
	for _, reason := range []string{"webhook_unsigned", "webhook_bad_signature", "webhook_too_large", "webhook_malformed", "webhook_duplicate", "webhook_ignored"} {
		if !strings.Contains(log, reason) {
			t.Errorf("the log does not say %s", reason)
		}
	}
}

func TestWebhookVerificationIsLogged(t *testing.T) {
	f := liveFixture(t, "", func(c *Config) { c.WebhookToken = "" })
	if err := f.emu.VerifyWebhook(); err != nil {
		t.Fatal(err)
	}
	var lines int
	for _, l := range logLines(t, f.logs) {
		if l["verification_token"] == hookToken {
			lines++
		}
	}
	if lines != 1 {
		t.Errorf("%d log lines carry the verification token:\n%s", lines, f.logs.String())
	}
	// Without the token configured, signed events are refused (Notion retries).
	ev := hookEvent(uuid(1), "page.created", f.ws, uuid(2))
	if resp := postHook(t, f.ts.URL, ev, notiontest.SignWebhook(hookToken, ev)); resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a signed event without a configured token: %d", resp.StatusCode)
	}
	// Anything else unsigned is refused, and repeated tries are limited.
	for i := range 20 {
		resp := postHook(t, f.ts.URL, []byte(`{"verification_token":"x","other":1}`), "")
		if resp.StatusCode == http.StatusTooManyRequests {
			if resp.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			return
		}
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("try %d: %d", i, resp.StatusCode)
		}
	}
	t.Error("unsigned posts are not rate limited")
}

// TestEventsStream: one instance, no Redis: a change in Notion reaches the
// desktop of its workspace, and only that desktop.
func TestEventsStream(t *testing.T) {
	f := liveFixture(t, "", nil)
	other := f.emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Other"})
	g := f.emu.IssueGrant(f.ws)
	page := f.emu.AddItem(f.ws, notiontest.ItemSpec{Title: "Draft"})
	f.waitHooks()

	s, resp := openStream(t, f.ts.URL, g.AccessToken, "")
	if s == nil {
		t.Fatalf("/events: %d", resp.StatusCode)
	}
	if ct := s.resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("content type %q", ct)
	}
	ready := s.nextOf("ready", 5*time.Second)
	if ready.id == "" {
		t.Error("ready has no id")
	}
	s2, _ := openStream(t, f.ts.URL, f.emu.IssueGrant(other).AccessToken, "")
	s2.nextOf("ready", 5*time.Second)

	f.emu.Rename(page, "Final")
	e := s.nextOf("notion", 5*time.Second)
	var got desktopEvent
	if err := json.Unmarshal([]byte(e.data), &got); err != nil || got.Type != "page.properties_updated" || got.Entity.ID != page ||
		got.Entity.Type != "page" || got.WorkspaceID != f.ws || got.ID == "" || strings.Contains(e.data, "accessible_by") {
		t.Errorf("event %+v: %s", got, e.data)
	}
	s2.quiet(200 * time.Millisecond)

	// A page the connection cannot see: accessible_by lacks its bot.
	hidden := f.emu.AddItem(f.ws, notiontest.ItemSpec{Title: "Hidden", Unshared: true})
	f.waitHooks()
	s.quiet(200 * time.Millisecond)

	// Heartbeats while idle.
	select {
	case <-s.pings:
	case <-time.After(5 * time.Second):
		t.Error("no heartbeat")
	}

	// Reconnecting with Last-Event-ID replays what was missed, and only that.
	last := s.lastID
	s.close()
	f.emu.Rename(page, "Final 2")
	f.emu.Trash(page)
	f.emu.Rename(hidden, "Still hidden")
	f.waitHooks()
	r, _ := openStream(t, f.ts.URL, g.AccessToken, last)
	var types []string
	for {
		e := r.next(5 * time.Second)
		if e.event == "ready" {
			break
		}
		if e.event == "notion" {
			var d desktopEvent
			_ = json.Unmarshal([]byte(e.data), &d)
			types = append(types, d.Type)
		}
	}
	if strings.Join(types, ",") != "page.properties_updated,page.deleted" {
		t.Errorf("replayed %v", types)
	}
	// An id the log cannot vouch for: the desktop is told to refresh.
	for _, bad := range []string{"1-0", "garbage"} {
		x, _ := openStream(t, f.ts.URL, g.AccessToken, bad)
		if e := x.next(5 * time.Second); e.event != "reset" {
			t.Errorf("Last-Event-ID %q: first event %+v, want reset", bad, e)
		}
	}
}

func TestEventsWithoutAccessibleBy(t *testing.T) {
	f := newFixtureWith(t, func(base string, o *notiontest.Options) {
		o.Webhook = notiontest.WebhookOptions{URL: base + "/webhooks/notion", Token: hookToken, NoAccessibleBy: true}
	}, func(c *Config) { c.WebhookToken = notion.Secret(hookToken) })
	s, _ := openStream(t, f.ts.URL, f.emu.IssueGrant(f.ws).AccessToken, "")
	s.nextOf("ready", 5*time.Second)
	// Without the field, every desktop of the workspace hears of it.
	f.emu.AddItem(f.ws, notiontest.ItemSpec{Title: "Hidden", Unshared: true})
	if e := s.nextOf("notion", 5*time.Second); !strings.Contains(e.data, `"page.created"`) {
		t.Errorf("event %s", e.data)
	}
}

func TestEventsAuth(t *testing.T) {
	f := liveFixture(t, "", func(c *Config) { c.Live.TokenCacheTTL = time.Minute })
	g := f.emu.IssueGrant(f.ws)
	for _, c := range []struct {
		name, token string
	}{{"no token", ""}, {"unknown token", "ntn_nobody"}} {
		if s, resp := openStream(t, f.ts.URL, c.token, ""); s != nil || resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: %v", c.name, resp.Status)
		}
	}
	me := func() int { return f.emu.Count(http.MethodGet, "/v1/users/me") }
	before := me()
	for range 3 {
		s, resp := openStream(t, f.ts.URL, g.AccessToken, "")
		if s == nil {
			t.Fatalf("%d", resp.StatusCode)
		}
		s.nextOf("ready", 5*time.Second)
		s.close()
	}
	if n := me() - before; n != 1 {
		t.Errorf("users/me called %d times for one token", n)
	}
	f.clock.Advance(time.Minute)
	s, _ := openStream(t, f.ts.URL, g.AccessToken, "")
	s.nextOf("ready", 5*time.Second)
	if n := me() - before; n != 2 {
		t.Errorf("after the cache time: %d calls", n)
	}
	// A revoked token is refused once the cache forgets it.
	f.emu.RevokeToken(g.AccessToken)
	f.clock.Advance(time.Minute)
	if s, resp := openStream(t, f.ts.URL, g.AccessToken, ""); s != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("revoked token: %v", resp.Status)
	}
	// Notion down: 503, try later.
	f.emu.FailNext("/v1/users/me", 5, notiontest.FaultUnavailable)
	if s, resp := openStream(t, f.ts.URL, f.emu.IssueGrant(f.ws).AccessToken, ""); s != nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("Notion down: %v", resp.Status)
	}
	if strings.Contains(f.logs.String(), g.AccessToken) {
		t.Error("the log shows a token")
	}
	if n := f.srv.tokens.size(); n == 0 {
		t.Error("nothing cached")
	}
}

// TestVerificationTokenLoggedOnlyUntilConfigured: once the operator has
// set the token, an unsigned post shaped like Notion's verification
// request is refused and puts nothing in the log.
func TestVerificationTokenLoggedOnlyUntilConfigured(t *testing.T) {
	f := liveFixture(t, "", func(c *Config) { c.WebhookLimit = Limit{Rate: rate.Inf} })
	const forged = "secret_forged_by_anyone_on_the_internet"
	resp := postHook(t, f.ts.URL, []byte(`{"verification_token":"`+forged+`"}`), "")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an unsigned verification request with the token configured: %d, want 401", resp.StatusCode)
	}
	for _, l := range logLines(t, f.logs) {
		if msg, _ := l["msg"].(string); strings.Contains(msg, "verification token") || l["verification_token"] != nil {
			t.Errorf("the broker logged a verification token it did not need: %v", l)
		}
	}
	if strings.Contains(f.logs.String(), forged) {
		t.Error("the log shows the posted token")
	}
	if !strings.Contains(f.logs.String(), "webhook_verification_ignored") {
		t.Errorf("the request line gives no reason:\n%s", f.logs.String())
	}
}

// TestEventsStreamsPerToken: one token holds at most a few streams, from
// however many addresses; the next gets 429 with Retry-After, other tokens
// are not affected, and a closed stream frees its place.
func TestEventsStreamsPerToken(t *testing.T) {
	for _, c := range []struct {
		name string
		set  int // LiveOptions.MaxStreamsPerToken; 0 for the default
		want int
	}{{"default", 0, 5}, {"configured", 2, 2}} {
		t.Run(c.name, func(t *testing.T) {
			f := liveFixture(t, "", func(cfg *Config) {
				cfg.Live.MaxStreamsPerToken = c.set
				cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
			})
			tok := f.emu.IssueGrant(f.ws).AccessToken
			var open []*sseStream
			for i := range c.want {
				s, resp := openStreamFrom(t, f.ts.URL, tok, "", fmt.Sprintf("203.0.113.%d", i+1))
				if s == nil {
					t.Fatalf("stream %d: %s", i+1, resp.Status)
				}
				s.nextOf("ready", 5*time.Second)
				open = append(open, s)
			}
			for _, from := range []string{"198.51.100.7", "2001:db8:1::1", "2001:db8:2::1"} {
				s, resp := openStreamFrom(t, f.ts.URL, tok, "", from)
				if s != nil {
					t.Fatalf("stream %d of one token, from %s: opened", c.want+1, from)
				}
				if resp.StatusCode != http.StatusTooManyRequests {
					t.Errorf("stream %d of one token, from %s: %s, want 429", c.want+1, from, resp.Status)
				}
				if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 1 {
					t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
				}
			}
			// Another desktop of the same workspace has its own share.
			other, resp := openStreamFrom(t, f.ts.URL, f.emu.IssueGrant(f.ws).AccessToken, "", "203.0.113.1")
			if other == nil {
				t.Fatalf("another token: %s", resp.Status)
			}
			other.nextOf("ready", 5*time.Second)
			// A closed stream gives its place back once the broker has
			// seen it go.
			open[0].close()
			deadline := time.Now().Add(10 * time.Second)
			for {
				s, resp := openStreamFrom(t, f.ts.URL, tok, "", "203.0.113.99")
				if s != nil {
					s.nextOf("ready", 5*time.Second)
					break
				}
				if resp.StatusCode != http.StatusTooManyRequests || time.Now().After(deadline) {
					t.Fatalf("after closing one: %s", resp.Status)
				}
				time.Sleep(20 * time.Millisecond)
			}
			if !strings.Contains(f.logs.String(), "too_many_streams_for_token") {
				t.Error("the log gives no reason for the refusals")
			}
			if strings.Contains(f.logs.String(), tok) {
				t.Error("the log shows a token")
			}
		})
	}
}

// TestEventsLastEventIDFromTheFuture: an id ahead of the log is reset, and
// the stream resumes from the log's head, so later events still arrive;
// with the log in memory and in Redis.
func TestEventsLastEventIDFromTheFuture(t *testing.T) {
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			redisURL := ""
			if store == "redis" {
				redisURL = redistest.Start(t).URL()
			}
			f := liveFixture(t, redisURL, nil)
			g := f.emu.IssueGrant(f.ws)
			page := f.emu.AddItem(f.ws, notiontest.ItemSpec{Title: "Draft"})
			f.waitHooks()
			head, err := f.srv.events.head(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			future := streamID{ms: head.ms + 365*24*3600*1000}.String()
			s, resp := openStream(t, f.ts.URL, g.AccessToken, future)
			if s == nil {
				t.Fatalf("/events: %s", resp.Status)
			}
			if e := s.next(5 * time.Second); e.event != "reset" {
				t.Errorf("first event %+v, want reset", e)
			}
			ready := s.nextOf("ready", 5*time.Second)
			if ready.id != head.String() {
				t.Errorf("ready carries id %q, want the log's head %q (sent %q)", ready.id, head, future)
			}
			f.emu.Rename(page, "Final")
			if e := s.nextOf("notion", 5*time.Second); !strings.Contains(e.data, page) {
				t.Errorf("event %s", e.data)
			}
		})
	}
}
