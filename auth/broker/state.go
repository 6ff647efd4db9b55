package broker

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/netip"
	"sync"
	"time"
)

// sharedState is what the broker remembers between requests: the
// single-use marks of sealed states and codes, and the per-client rate
// limits. memoryState keeps them in this instance; redisState keeps them in
// Redis, where every instance sees the same marks and spends the same
// buckets.
type sharedState interface {
	// firstUse marks key as used for ttl and reports whether this was its
	// first use. An error means the broker cannot tell, and must refuse
	// rather than risk a second use.
	firstUse(ctx context.Context, key string, ttl time.Duration) (bool, error)
	// claim is firstUse for a code, on behalf of owner (a hash of the PKCE
	// verifier, which only the desktop that started the sign-in has).
	// claimRetry means owner's own earlier attempt marked the code but was
	// never settled: its mark was written while the broker thought the
	// write had failed (Redis timed out), so Notion never saw the code.
	claim(ctx context.Context, key, owner string, ttl time.Duration) (claimResult, error)
	// settle records that the claimed code reached Notion and got an
	// answer: from now on even its owner is refused.
	settle(ctx context.Context, key string, ttl time.Duration)
	// allow spends one request from client's bucket of the named limit, or
	// says how long to wait.
	allow(ctx context.Context, name string, client netip.Addr, l Limit) (bool, time.Duration, error)
}

// claimResult is what claim found.
type claimResult int

const (
	claimFirst claimResult = iota
	claimRetry
	claimTaken
)

// errStateFull: the in-memory replay cache has no room, and forgetting a
// live mark would let a value work twice.
var errStateFull = errors.New("the replay cache is full")

// Names of the rate limits, also their Redis key parts.
const (
	limitAuthorize = "authorize"
	limitCallback  = "callback"
	limitToken     = "token"
	limitEvents    = "events"
	limitWebhook   = "webhook"
)

// memoryState keeps marks and buckets in this instance's memory.
type memoryState struct {
	now    func() time.Time
	replay *replayCache

	mu       sync.Mutex
	limiters map[string]*ipLimiter
}

func newMemoryState(now func() time.Time) *memoryState {
	return &memoryState{now: now, replay: newReplayCache(maxReplay), limiters: map[string]*ipLimiter{}}
}

func (m *memoryState) firstUse(_ context.Context, key string, ttl time.Duration) (bool, error) {
	now := m.now()
	switch m.replay.use(key, now.Add(ttl), now) {
	case replaySeen:
		return false, nil
	case replayFull:
		return false, errStateFull
	}
	return true, nil
}

// claim in memory is firstUse: a write to the map never fails halfway, so
// there is no unsettled attempt to retry.
func (m *memoryState) claim(ctx context.Context, key, _ string, ttl time.Duration) (claimResult, error) {
	first, err := m.firstUse(ctx, key, ttl)
	if err != nil || !first {
		return claimTaken, err
	}
	return claimFirst, nil
}

func (m *memoryState) settle(context.Context, string, time.Duration) {}

func (m *memoryState) allow(_ context.Context, name string, client netip.Addr, l Limit) (bool, time.Duration, error) {
	m.mu.Lock()
	lim, ok := m.limiters[name]
	if !ok || lim.limit != l {
		lim = newIPLimiter(l, m.now)
		m.limiters[name] = lim
	}
	m.mu.Unlock()
	ok, wait := lim.allow(client)
	return ok, wait, nil
}

// Mark keys. A sealed value is marked by a hash of its decoded bytes (two
// spellings of the same base64 are one value); a code also by Notion's own
// code inside it, so one Notion code is exchanged once however it was
// sealed.
func stateMark(sealed string) string { return "state:" + sealedDigest(sealed) }

func codeMark(notionCode string) string {
	sum := sha256.Sum256([]byte(notionCode))
	return "code:" + hex.EncodeToString(sum[:])
}

func sealedDigest(sealed string) string {
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil {
		raw = []byte(sealed) // open refused it already; never reached
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}
