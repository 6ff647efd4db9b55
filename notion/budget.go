package notion

// A token's request budget. The pace is a token bucket whose state
// (BucketState) lives in a BucketStore: in memory for one process, or in a
// file under a lock that every Pagedeck process using the token shares
// (app/reqbudget), so the window, Quick Open and each command spend one
// budget between them instead of each believing it has Notion's to itself.
//
// The rules, all applied to the shared state:
//   - The bucket refills at the documented average (3/s) up to a small burst,
//     never more than Notion allows, so clients that share it never go past
//     the limit together.
//   - A 429 or 529 is information: every request on the token, in every
//     process, waits exactly its Retry-After, and then the bucket starts
//     empty at the average. Only 429s that keep coming (a new one within
//     seconds of the last pause) halve the pace and the burst; every few
//     quiet seconds undo one halving.
//   - In a process, waiting requests are served most urgent first. Across
//     processes, a process whose most urgent waiter outranks the others'
//     posts a claim in the shared state; lower priorities take nothing
//     while a live claim outranks them. A claim lapses by itself when its
//     process dies.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// BudgetOptions shape a Budget.
type BudgetOptions struct {
	// Rate and Burst: the pace when Notion is content; default 3/s, 3.
	Rate  rate.Limit
	Burst int
	// Store is where the state lives; default a MemoryBucket (this process
	// only).
	Store BucketStore
	// OnPause hears of every pause longer than LongWait that this budget
	// meets, its own 429s and those other processes sharing the store met,
	// once per pause. It runs on the budget's goroutine and must not wait.
	OnPause func(Pause)
	// Now tells the time; default time.Now.
	Now func() time.Time
	// RetryAfterScale multiplies every pause (tests shorten Retry-After
	// this way; messages keep Notion's figure); 0 means 1.
	RetryAfterScale float64
	// Logger hears when the store fails and the budget goes on in memory;
	// default: discard.
	Logger *slog.Logger
}

// Budget is one token's request budget: a queue by priority in this
// process in front of a BucketState shared with every process that uses the
// same store. Safe for concurrent use.
type Budget struct {
	pace    pace
	store   BucketStore
	onPause func(Pause)
	now     func() time.Time
	scale   float64
	owner   string // this budget's name in the claims
	log     *slog.Logger

	mu       sync.Mutex
	fallback bool // the store failed; the memory bucket serves
	mem      MemoryBucket
	queues   [nPriorities][]*waiter
	running  bool
	kick     chan struct{}
	claimed  bool
	told     time.Time // the pause already announced
	closed   bool
	loop     sync.WaitGroup // the dispatcher
}

// ErrBudgetClosed: the budget was closed while a request waited on it.
var ErrBudgetClosed = errors.New("notion: request budget closed")

// Close refuses whoever still waits and returns once the budget's
// goroutine has finished writing the shared state. A closed budget refuses
// every Wait.
func (b *Budget) Close() {
	b.mu.Lock()
	b.closed = true
	for p := range b.queues {
		for _, w := range b.queues[p] {
			if !w.done {
				w.done, w.err = true, ErrBudgetClosed
				close(w.ready)
			}
		}
	}
	b.mu.Unlock()
	b.poke()
	b.loop.Wait()
}

// NewBudget makes a budget.
func NewBudget(o BudgetOptions) *Budget {
	b := &Budget{
		pace:    pace{rate: float64(o.Rate), burst: float64(o.Burst)},
		store:   o.Store,
		onPause: o.OnPause,
		now:     o.Now,
		scale:   o.RetryAfterScale,
		log:     o.Logger,
		kick:    make(chan struct{}, 1),
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if b.pace.rate <= 0 {
		b.pace.rate = 3
	}
	if b.pace.burst < 1 {
		b.pace.burst = 3
	}
	if b.now == nil {
		b.now = time.Now
	}
	if b.scale <= 0 {
		b.scale = 1
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	b.owner = hex.EncodeToString(id[:])
	return b
}

// update runs fn on the shared state, or on the memory bucket once the
// store has failed (a budget must not stop the app).
func (b *Budget) update(fn func(*BucketState)) {
	b.mu.Lock()
	fb := b.fallback || b.store == nil
	b.mu.Unlock()
	if !fb {
		// Holders keep the store for a read and a write; one that keeps it
		// longer (a process stopped while holding it) must not stall this one.
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		err := b.store.Update(ctx, fn)
		cancel()
		if err == nil {
			return
		}
		// Pacing goes on for this process alone rather than not at all.
		b.log.Warn("notion: the shared request budget failed; going on with this process's own", "err", err)
		b.mu.Lock()
		b.fallback = true
		b.mu.Unlock()
	}
	_ = b.mem.Update(context.Background(), fn)
}

// BudgetState is a snapshot of a budget, for tests and diagnostics.
type BudgetState struct {
	Rate        rate.Limit // the pace in force
	Burst       int
	Tokens      float64 // left in the bucket now
	PausedUntil time.Time
	Limited     int // 429/529 episodes on the shared state, ever
	Waiting     int // in this process
}

// State reports the budget as last seen.
func (b *Budget) State() BudgetState {
	var st BucketState
	now := b.now()
	b.update(func(s *BucketState) {
		if !now.Before(s.PausedUntil) {
			s.refill(now, b.pace)
		}
		st = *s
	})
	sh := st.shape(now, b.pace)
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, q := range b.queues {
		for _, w := range q {
			if !w.done {
				n++
			}
		}
	}
	return BudgetState{Rate: rate.Limit(sh.rate), Burst: int(sh.burst), Tokens: st.Tokens, PausedUntil: st.PausedUntil,
		Limited: st.Limited, Waiting: n}
}

// Wait blocks until a request of priority p may start, or ctx ends. When
// Notion's pause outlasts ctx's deadline it returns a *PauseError at once.
func (b *Budget) Wait(ctx context.Context, p Priority) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w := &waiter{ready: make(chan struct{})}
	w.deadline, _ = ctx.Deadline()
	if d, ok := ctx.Value(maxPauseKey{}).(time.Duration); ok {
		// Scaled as the pauses are, so a test's shortened pause meets a
		// shortened limit.
		if until := b.now().Add(time.Duration(float64(d) * b.scale)); w.deadline.IsZero() || until.Before(w.deadline) {
			w.deadline = until
		}
	}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return ErrBudgetClosed
	}
	b.queues[p] = append(b.queues[p], w)
	if !b.running {
		b.running = true
		b.loop.Add(1)
		go b.dispatch()
	}
	b.mu.Unlock()
	b.poke()
	select {
	case <-w.ready:
		return w.err
	case <-ctx.Done():
		b.mu.Lock()
		if w.done {
			// Granted (or refused) a moment before ctx ended: the slot is
			// simply not used.
			err := w.err
			b.mu.Unlock()
			if err != nil {
				return err
			}
			return ctx.Err()
		}
		w.done = true
		b.removeLocked(p, w)
		b.mu.Unlock()
		return ctx.Err()
	}
}

// paused refuses the waiters whose deadline comes before the pause ends,
// and tells of a long pause once, when anyone here waits it out.
func (b *Budget) paused(p Pause) {
	b.mu.Lock()
	waiting := false
	for pr := range b.queues {
		for _, w := range b.queues[pr] {
			if !w.done && !w.deadline.IsZero() && w.deadline.Before(p.Until) {
				w.done, w.err = true, &PauseError{Pause: p}
				close(w.ready)
			}
			waiting = waiting || !w.done
		}
	}
	tell := waiting && p.For > LongWait && !p.Until.Equal(b.told) && b.onPause != nil
	if tell {
		b.told = p.Until
	}
	b.mu.Unlock()
	if tell {
		b.onPause(p)
	}
}

// sleep waits d, or less when poked.
func (b *Budget) sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-b.kick:
	}
}

// Limited records a 429/529 that asked to wait retryAfter, for reason:
// nothing on this token, in any process sharing the store, starts before
// then.
func (b *Budget) Limited(retryAfter time.Duration, reason string) {
	d := time.Duration(float64(retryAfter) * b.scale)
	b.update(func(st *BucketState) { st.limited(b.now(), d, retryAfter, reason) })
	// The dispatcher tells of it and refuses those who cannot wait.
	b.poke()
}

// Budget returns token's budget, or nil when the client is not rate
// limited: the one given with UseBudget, else one of its own in memory.
func (c *Client) Budget(token Secret) *Budget {
	if c.limit == rate.Inf {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.budgets[token]
	if !ok {
		b = NewBudget(BudgetOptions{Rate: c.limit, Burst: c.burst, RetryAfterScale: c.retry.RetryAfterScale})
		c.budgets[token] = b
	}
	return b
}

// UseBudget makes token's calls draw from b (one shared by every process
// using the workspace). Ignored when the client is not rate limited.
func (c *Client) UseBudget(token Secret, b *Budget) {
	if c.limit == rate.Inf || b == nil {
		return
	}
	c.mu.Lock()
	c.budgets[token] = b
	c.mu.Unlock()
}
