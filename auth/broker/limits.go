package broker

import (
	"crypto/sha256"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxLimiters bounds the per-IP limiter map. Past it, idle entries are
// swept, and if that is not enough arbitrary ones are dropped: a dropped
// client starts again with a full bucket, which is a mild leak under a
// flood from very many addresses, where the alternative is unbounded memory.
const maxLimiters = 50_000

// ipLimiter is a token bucket per client address.
type ipLimiter struct {
	limit Limit
	now   func() time.Time
	max   int

	mu        sync.Mutex
	m         map[netip.Prefix]*limiterEntry
	lastSweep time.Time
}

type limiterEntry struct {
	lim  *rate.Limiter
	last time.Time
}

func newIPLimiter(l Limit, now func() time.Time) *ipLimiter {
	return &ipLimiter{limit: l, now: now, max: maxLimiters, m: map[netip.Prefix]*limiterEntry{}}
}

// idle is how long after its last request a bucket is full again; an entry
// idle that long is the same as a new one and may go.
func (l *ipLimiter) idle() time.Duration {
	secs := float64(l.limit.Burst) / float64(l.limit.Rate)
	return time.Duration(math.Min(secs, 24*3600)*float64(time.Second)) + time.Second
}

// allow spends one token of the client's bucket, or says how long to wait.
func (l *ipLimiter) allow(client netip.Addr) (bool, time.Duration) {
	if l.limit.Rate == rate.Inf {
		return true, 0
	}
	key := clientKey(client)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.m[key]
	if !ok {
		l.makeRoom(now)
		e = &limiterEntry{lim: rate.NewLimiter(l.limit.Rate, l.limit.Burst)}
		l.m[key] = e
	}
	e.last = now
	r := e.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Minute
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// makeRoom sweeps idle entries now and then, and keeps the map bounded.
func (l *ipLimiter) makeRoom(now time.Time) {
	if len(l.m) < l.max && now.Sub(l.lastSweep) < time.Minute {
		return
	}
	l.lastSweep = now
	idle := l.idle()
	for k, e := range l.m {
		if now.Sub(e.last) > idle {
			delete(l.m, k)
		}
	}
	for k := range l.m {
		if len(l.m) < l.max {
			break
		}
		delete(l.m, k)
	}
}

func (l *ipLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}

// clientKey groups an IPv6 client by its /64, which one host usually owns
// whole; an IPv4 client is itself.
func clientKey(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	if a.Is4() {
		return netip.PrefixFrom(a, 32)
	}
	p, _ := a.Prefix(64)
	return p
}

// retryAfterSeconds rounds a wait up to whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// clientIP is the request's client: the peer, or, when the peer is a trusted
// proxy, the last address in X-Forwarded-For that is not a trusted proxy
// (the ones before it are whatever the client chose to send).
func clientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		// Not an IP peer (a test's pipe): one bucket for all of them.
		return netip.IPv4Unspecified()
	}
	peer = peer.Unmap()
	if !isTrusted(peer, trusted) {
		return peer
	}
	hops := r.Header.Values("X-Forwarded-For")
	var all []string
	for _, h := range hops {
		all = append(all, strings.Split(h, ",")...)
	}
	for i := len(all) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(all[i]))
		if err != nil {
			break
		}
		a = a.Unmap()
		if !isTrusted(a, trusted) {
			return a
		}
	}
	return peer
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// replayCache remembers the Notion codes this instance has exchanged until
// their sealed code expires, so a sealed code works once per instance. It is
// keyed by a hash, so it holds no code.
type replayCache struct {
	max int

	mu        sync.Mutex
	seen      map[[sha256.Size]byte]time.Time
	lastPrune time.Time
}

// maxReplay bounds the cache: at 2 minutes a code, this is far more
// exchanges than Notion would ever allow one connection.
const maxReplay = 100_000

func newReplayCache(max int) *replayCache {
	return &replayCache{max: max, seen: map[[sha256.Size]byte]time.Time{}}
}

// replayResult is what use found.
type replayResult int

const (
	replayFirst replayResult = iota // first use: go ahead
	replaySeen                      // used before
	replayFull                      // no room: refuse rather than forget
)

// use marks code used until exp, reporting whether it was used before.
func (c *replayCache) use(code string, exp, now time.Time) replayResult {
	key := sha256.Sum256([]byte(code))
	c.mu.Lock()
	defer c.mu.Unlock()
	if until, ok := c.seen[key]; ok && now.Before(until) {
		return replaySeen
	}
	if len(c.seen) >= c.max || now.Sub(c.lastPrune) > 10*time.Second {
		c.lastPrune = now
		for k, until := range c.seen {
			if !now.Before(until) {
				delete(c.seen, k)
			}
		}
	}
	if len(c.seen) >= c.max {
		// Forgetting a live entry would let its code work twice.
		return replayFull
	}
	c.seen[key] = exp
	return replayFirst
}

func (c *replayCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}
