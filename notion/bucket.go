package notion

import (
	"context"
	"math"
	"sync"
	"time"
)

// How the budget adapts.
const (
	// recoverStep: each such stretch without a 429 after a pause undoes one
	// halving of the pace.
	recoverStep = 3 * time.Second
	// minRateShare: the pace never drops below this share of the average.
	minRateShare = 0.1
	// claimTTL: a claim not renewed for this long (its process died or
	// stopped waiting) no longer holds anyone back.
	claimTTL = 2 * time.Second
	// claimPoll: how often a waiter held back by another process's claim
	// looks again.
	claimPoll = 25 * time.Millisecond
	// storeTimeout bounds the wait for the shared store before this
	// process goes on with a budget of its own.
	storeTimeout = 5 * time.Second
	// LongWait: a pause longer than this is told to the user.
	LongWait = 10 * time.Second
)

// BucketState is one token's budget as every process using it sees it.
// Only numbers and times: a process killed while holding it leaves nothing
// to clean up.
type BucketState struct {
	Tokens float64   `json:"tokens"`
	At     time.Time `json:"at"` // when Tokens was last brought up to date; zero: a fresh bucket, full
	// PausedUntil: no request starts before this (a Retry-After).
	PausedUntil time.Time `json:"paused_until"`
	// PauseFor and Reason describe that pause as Notion sent it, for the
	// message: the Retry-After (unscaled) and rate_limit_reason or the code.
	PauseFor time.Duration `json:"pause_for"`
	Reason   string        `json:"reason,omitempty"`
	// Streak is how many 429 episodes came close together; it decays by one
	// per recoverStep after Recovered.
	Streak    int       `json:"streak"`
	Recovered time.Time `json:"recovered"` // the end of the last pause
	// Limited counts 429/529 episodes, ever.
	Limited int `json:"limited"`
	// Claims: the most urgent priority each process has waiting, and until
	// when that holds unless renewed.
	Claims map[string]Claim `json:"claims,omitempty"`
}

// Claim is a process's most urgent waiting priority.
type Claim struct {
	Priority Priority  `json:"p"`
	Until    time.Time `json:"until"`
}

// BucketStore keeps a BucketState that several budgets may share.
type BucketStore interface {
	// Update runs fn on the state with every other user of the store kept
	// out, and keeps what fn leaves. A new or unreadable store starts from
	// the zero state.
	Update(ctx context.Context, fn func(*BucketState)) error
}

// MemoryBucket is a BucketStore for one process.
type MemoryBucket struct {
	mu sync.Mutex
	st BucketState
}

// Update implements BucketStore.
func (m *MemoryBucket) Update(_ context.Context, fn func(*BucketState)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	fn(&m.st)
	return nil
}

// pace is the bucket's shape when Notion is content.
type pace struct {
	rate  float64 // requests per second
	burst float64
}

// streakAt is the streak once the quiet time since the last pause is
// counted.
func (s *BucketState) streakAt(now time.Time) int {
	if s.Streak == 0 || !now.After(s.Recovered) {
		return s.Streak
	}
	return max(0, s.Streak-int(now.Sub(s.Recovered)/recoverStep))
}

// shape is the pace in force at now: the average and the burst, halved once
// per 429 episode beyond the first that came close together.
func (s *BucketState) shape(now time.Time, p pace) pace {
	n := s.streakAt(now)
	if n <= 1 {
		return p
	}
	share := max(math.Pow(0.5, float64(n-1)), minRateShare)
	return pace{rate: p.rate * share, burst: 1}
}

// refill brings Tokens up to now.
func (s *BucketState) refill(now time.Time, p pace) {
	sh := s.shape(now, p)
	if s.At.IsZero() {
		s.Tokens, s.At = sh.burst, now
		return
	}
	if now.After(s.At) {
		s.Tokens += now.Sub(s.At).Seconds() * sh.rate
		s.At = now
	} else if s.At.Sub(now) > time.Hour {
		// The clock went back a long way: do not wait for it to catch up.
		s.At = now
	}
	s.Tokens = min(s.Tokens, sh.burst)
}

// take spends one token for a request of priority prio by owner, or says
// how long to wait before asking again.
func (s *BucketState) take(now time.Time, p pace, prio Priority, owner string) (ok bool, wait time.Duration) {
	if now.Before(s.PausedUntil) {
		return false, s.PausedUntil.Sub(now)
	}
	for id, c := range s.Claims {
		if !now.Before(c.Until) {
			delete(s.Claims, id)
		} else if id != owner && c.Priority > prio {
			return false, claimPoll
		}
	}
	s.refill(now, p)
	if s.Tokens >= 1 {
		s.Tokens--
		return true, 0
	}
	sh := s.shape(now, p)
	return false, time.Duration((1 - s.Tokens) / sh.rate * float64(time.Second))
}

// claim records owner's most urgent waiting priority (none: -1).
func (s *BucketState) claim(now time.Time, owner string, prio Priority) {
	if prio < 0 {
		delete(s.Claims, owner)
		return
	}
	if s.Claims == nil {
		s.Claims = map[string]Claim{}
	}
	s.Claims[owner] = Claim{Priority: prio, Until: now.Add(claimTTL)}
}

// limited records a 429/529 that asked to wait d (pause, as Notion said it:
// for).
func (s *BucketState) limited(now time.Time, d, asked time.Duration, reason string) {
	until := now.Add(d)
	if now.Before(s.PausedUntil) {
		// Requests in flight when the first 429 came back: the same episode.
		if until.After(s.PausedUntil) {
			s.PausedUntil, s.PauseFor, s.Reason = until, asked, reason
			s.Recovered = until
			s.Tokens, s.At = 0, until
		}
		return
	}
	s.Limited++
	s.Streak = s.streakAt(now) + 1
	s.PausedUntil, s.PauseFor, s.Reason = until, asked, reason
	s.Recovered = until
	// After the pause, start empty at the average: whatever was left may be
	// what Notion just refused.
	s.Tokens, s.At = 0, until
}
