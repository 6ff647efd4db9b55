package broker

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/auth"
)

// serve runs one request through the handler from the given peer.
func serve(h http.Handler, r *http.Request, peer string) *httptest.ResponseRecorder {
	r.RemoteAddr = peer
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestAuthorizeRateLimit(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.AuthorizeLimit = Limit{Rate: 1.0 / 60, Burst: 2} })
	h := f.srv.Handler()
	target := "/authorize?" + authorizeQuery("s", newPKCE("v")).Encode()
	get := func(peer string) *httptest.ResponseRecorder {
		return serve(h, httptest.NewRequest(http.MethodGet, target, nil), peer)
	}
	for i := 0; i < 2; i++ {
		if w := get("192.0.2.1:1000"); w.Code != http.StatusFound {
			t.Fatalf("request %d: %d", i, w.Code)
		}
	}
	w := get("192.0.2.1:1001") // another port, same address
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("third: %d", w.Code)
	}
	if ra, _ := strconv.Atoi(w.Header().Get("Retry-After")); ra < 55 || ra > 60 {
		t.Errorf("Retry-After %q", w.Header().Get("Retry-After"))
	}
	if w.Header().Get("Location") != "" {
		t.Error("a refused request was redirected")
	}
	// Another address has its own bucket; an IPv6 neighbour in the same /64 shares one.
	if w := get("192.0.2.2:1000"); w.Code != http.StatusFound {
		t.Errorf("another address: %d", w.Code)
	}
	get("[2001:db8::1]:1")
	get("[2001:db8::2]:1")
	if w := get("[2001:db8::3]:1"); w.Code != http.StatusTooManyRequests {
		t.Errorf("a third address in one /64: %d", w.Code)
	}
	// A minute later there is a token again.
	f.clock.Advance(61 * time.Second)
	if w := get("192.0.2.1:1000"); w.Code != http.StatusFound {
		t.Errorf("after a minute: %d", w.Code)
	}
}

func TestTokenRateLimit(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TokenLimit = Limit{Rate: 0.5, Burst: 3} })
	h := f.srv.Handler()
	post := func(path string) *httptest.ResponseRecorder {
		body := url.Values{"client_id": {auth.BrokerClientID}, "grant_type": {"refresh_token"}, "refresh_token": {"nrt_unknown"}, "token": {"x"}}
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return serve(h, r, "198.51.100.7:5555")
	}
	for i := 0; i < 2; i++ {
		if w := post("/token"); w.Code != http.StatusBadRequest {
			t.Fatalf("request %d: %d %s", i, w.Code, w.Body)
		}
	}
	post("/revoke") // shares the bucket
	w := post("/token")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" {
		t.Fatalf("%d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	var e oauthError
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error != "temporarily_unavailable" || e.Description == "" {
		t.Errorf("body %s", w.Body)
	}
	if calls := f.emu.Count(http.MethodPost, "/v1/oauth/token") + f.emu.Count(http.MethodPost, "/v1/oauth/revoke"); calls != 3 {
		t.Errorf("Notion saw %d calls, want 3", calls)
	}
	f.clock.Advance(2 * time.Second)
	if w := post("/token"); w.Code != http.StatusBadRequest {
		t.Errorf("after the wait: %d", w.Code)
	}
}

func TestClientIP(t *testing.T) {
	trusted, _ := parsePrefixes("127.0.0.1, 10.0.0.0/8")
	cases := []struct {
		peer, xff, want string
		trust           bool
	}{
		{"192.0.2.1:5", "", "192.0.2.1", true},
		{"192.0.2.1:5", "203.0.113.9", "192.0.2.1", true}, // not from a proxy: ignored
		{"127.0.0.1:5", "203.0.113.9", "203.0.113.9", true},
		{"127.0.0.1:5", "198.51.100.1, 203.0.113.9, 10.1.2.3", "203.0.113.9", true},
		{"127.0.0.1:5", "garbage", "127.0.0.1", true},
		{"127.0.0.1:5", "203.0.113.9", "127.0.0.1", false},
		{"[::ffff:127.0.0.1]:5", "203.0.113.9", "203.0.113.9", true},
	}
	for _, c := range cases {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		var tr []netip.Prefix
		if c.trust {
			tr = trusted
		}
		if got := clientIP(r, tr).String(); got != c.want {
			t.Errorf("%s via %q: %s, want %s", c.peer, c.xff, got, c.want)
		}
	}
}

func TestLimiterStaysBounded(t *testing.T) {
	now := time.Unix(1e9, 0)
	l := newIPLimiter(Limit{Rate: 1, Burst: 5}, func() time.Time { return now })
	l.max = 100
	for i := 0; i < 1000; i++ {
		l.allow(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}))
	}
	if n := l.size(); n > 100 {
		t.Errorf("%d limiters kept, max 100", n)
	}
	// Idle ones go at the next sweep.
	now = now.Add(time.Hour)
	l.allow(netip.MustParseAddr("192.0.2.1"))
	if n := l.size(); n != 1 {
		t.Errorf("%d limiters after an idle hour", n)
	}
}

func TestReplayCache(t *testing.T) {
	now := time.Unix(1e9, 0)
	c := newReplayCache(3)
	if c.use("a", now.Add(CodeTTL), now) != replayFirst || c.use("a", now.Add(CodeTTL), now) != replaySeen {
		t.Fatal("a second use was not caught")
	}
	c.use("b", now.Add(CodeTTL), now)
	c.use("c", now.Add(CodeTTL), now)
	if got := c.use("d", now.Add(CodeTTL), now); got != replayFull {
		t.Fatalf("a full cache forgot a live code: %v", got)
	}
	// Once the codes have expired their entries are pruned.
	later := now.Add(CodeTTL)
	if c.use("d", later.Add(CodeTTL), later) != replayFirst || c.len() != 1 {
		t.Errorf("after expiry: %d entries", c.len())
	}
	if c.use("a", later.Add(CodeTTL), later) != replayFirst {
		t.Error("an expired entry still counts")
	}
}
