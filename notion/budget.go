package notion

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Priority orders the requests that wait on one token's budget: when a
// request slot frees up it goes to the most urgent waiter, first come first
// served within a priority.
type Priority int

const (
	// PriorityBackground is work nobody waits for: the content crawl.
	PriorityBackground Priority = iota
	// PriorityNormal is the default: syncs.
	PriorityNormal
	// PriorityInteractive is what a person is waiting for: a connect, a
	// quick refresh, a preview they asked for.
	PriorityInteractive
	nPriorities
)

type priorityKey struct{}

// WithPriority marks the calls made with ctx.
func WithPriority(ctx context.Context, p Priority) context.Context {
	return context.WithValue(ctx, priorityKey{}, p)
}

// PriorityOf is ctx's priority; PriorityNormal when unmarked.
func PriorityOf(ctx context.Context) Priority {
	if p, ok := ctx.Value(priorityKey{}).(Priority); ok && p >= 0 && p < nPriorities {
		return p
	}
	return PriorityNormal
}

// How the budget adapts. Notion documents an average of 3 requests/s per
// connection and "some bursts"; newer plans budget per minute. So the rate
// never goes above the configured average (the ceiling), the burst starts
// small and grows while Notion accepts it, and a 429 or 529 pauses every
// request on the token for exactly Retry-After, halves the burst, caps it
// below the burst Notion just refused, and slows the rate, which then
// recovers step by step.
const (
	recoverEvery = 30  // successes without a 429 before a step up
	slowFactor   = 0.7 // rate multiplier on a 429
	minRateShare = 0.1 // the rate never drops below this share of the ceiling
	maxBurstCap  = 10  // the burst never grows past this
)

// Budget is one token's request budget, shared by every call made with that
// token through a Client. Safe for concurrent use.
type Budget struct {
	ceiling rate.Limit

	mu          sync.Mutex
	lim         *rate.Limiter
	maxBurst    int       // the largest burst Notion has not refused
	pausedUntil time.Time // no request starts before this (Retry-After)
	episodeEnd  time.Time // 429s before this belong to the same episode
	okStreak    int
	limited     int // 429/529 episodes seen
	queues      [nPriorities][]*waiter
	running     bool
	kick        chan struct{}
}

type waiter struct {
	ready chan struct{}
	done  bool // granted or abandoned; guarded by Budget.mu
}

func newBudget(ceiling rate.Limit, burst int) *Budget {
	burst = max(burst, 1)
	return &Budget{
		ceiling:  ceiling,
		lim:      rate.NewLimiter(ceiling, burst),
		maxBurst: max(burst, maxBurstCap),
		kick:     make(chan struct{}, 1),
	}
}

// BudgetState is a snapshot of what a budget has learnt.
type BudgetState struct {
	Rate        rate.Limit
	Burst       int
	MaxBurst    int
	PausedUntil time.Time
	Limited     int // 429/529 episodes so far
	Waiting     int
}

// State reports the budget's current pace.
func (b *Budget) State() BudgetState {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, q := range b.queues {
		n += len(q)
	}
	return BudgetState{Rate: b.lim.Limit(), Burst: b.lim.Burst(), MaxBurst: b.maxBurst,
		PausedUntil: b.pausedUntil, Limited: b.limited, Waiting: n}
}

// Wait blocks until a request of priority p may start, or ctx ends.
func (b *Budget) Wait(ctx context.Context, p Priority) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w := &waiter{ready: make(chan struct{})}
	b.mu.Lock()
	b.queues[p] = append(b.queues[p], w)
	if !b.running {
		b.running = true
		go b.dispatch()
	}
	b.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		// A slot granted a moment before ctx ended is simply not used.
		b.mu.Lock()
		w.done = true
		b.removeLocked(p, w)
		b.mu.Unlock()
		return ctx.Err()
	}
}

func (b *Budget) removeLocked(p Priority, w *waiter) {
	q := b.queues[p]
	for i, x := range q {
		if x == w {
			b.queues[p] = append(q[:i:i], q[i+1:]...)
			return
		}
	}
}

// popLocked takes the most urgent live waiter.
func (b *Budget) popLocked() *waiter {
	for p := nPriorities - 1; p >= 0; p-- {
		for len(b.queues[p]) > 0 {
			w := b.queues[p][0]
			b.queues[p] = b.queues[p][1:]
			if !w.done {
				return w
			}
		}
	}
	return nil
}

func (b *Budget) waitingLocked() bool {
	for _, q := range b.queues {
		if len(q) > 0 {
			return true
		}
	}
	return false
}

// dispatch hands out slots while anyone waits. A slot goes to whoever is
// most urgent when it becomes free, not when they started waiting.
func (b *Budget) dispatch() {
	for {
		b.mu.Lock()
		if !b.waitingLocked() {
			b.running = false
			b.mu.Unlock()
			return
		}
		pause := time.Until(b.pausedUntil)
		b.mu.Unlock()
		if pause > 0 {
			b.sleep(pause)
			continue
		}
		r := b.lim.Reserve()
		if d := r.Delay(); d > 0 {
			if !b.sleep(d) {
				// A 429 arrived meanwhile: give the slot back and obey it.
				r.Cancel()
				continue
			}
		}
		b.mu.Lock()
		if time.Now().Before(b.pausedUntil) {
			b.mu.Unlock()
			r.Cancel()
			continue
		}
		w := b.popLocked()
		if w == nil {
			b.mu.Unlock()
			r.Cancel()
			continue
		}
		w.done = true
		close(w.ready)
		b.mu.Unlock()
	}
}

// sleep waits d; false when a penalty cut it short.
func (b *Budget) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-b.kick:
		return false
	}
}

// Limited records a 429/529 that asked to wait retryAfter: nothing on this
// token starts before then, and the pace drops.
func (b *Budget) Limited(retryAfter time.Duration) {
	now := time.Now()
	b.mu.Lock()
	if until := now.Add(retryAfter); until.After(b.pausedUntil) {
		b.pausedUntil = until
	}
	b.okStreak = 0
	// Requests already in flight when the first 429 came back are the same
	// episode: learn once from it.
	if now.After(b.episodeEnd) {
		b.limited++
		b.episodeEnd = b.pausedUntil.Add(time.Second)
		burst := b.lim.Burst()
		b.maxBurst = max(1, min(b.maxBurst, burst-1))
		b.lim.SetBurstAt(now, max(1, burst/2))
		b.lim.SetLimitAt(now, max(b.lim.Limit()*slowFactor, b.ceiling*minRateShare))
	}
	b.mu.Unlock()
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

// Succeeded records an accepted request; a streak of them steps the pace
// back up towards the ceiling and the burst towards what Notion allowed.
func (b *Budget) Succeeded() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.okStreak++
	if b.okStreak < recoverEvery {
		return
	}
	b.okStreak = 0
	now := time.Now()
	if l := b.lim.Limit(); l < b.ceiling {
		b.lim.SetLimitAt(now, min(b.ceiling, l+b.ceiling*0.1))
	}
	if burst := b.lim.Burst(); burst < b.maxBurst {
		b.lim.SetBurstAt(now, burst+1)
	}
}

// Budget returns token's budget, or nil when the client is not rate limited.
func (c *Client) Budget(token Secret) *Budget {
	if c.limit == rate.Inf {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.budgets[token]
	if !ok {
		b = newBudget(c.limit, c.burst)
		c.budgets[token] = b
	}
	return b
}
