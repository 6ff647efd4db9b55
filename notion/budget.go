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
	"fmt"
	"log/slog"
	"math"
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

type maxPauseKey struct{}

// WithMaxPause marks the calls made with ctx as unwilling to wait out a
// pause of Notion's that ends more than d from when they ask: they fail at
// once with a *PauseError instead (a command's --timeout). A deadline on
// ctx does the same.
func WithMaxPause(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, maxPauseKey{}, d)
}

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

// Pause is a wait Notion asked for.
type Pause struct {
	Until time.Time
	// For is the Retry-After as Notion sent it.
	For time.Duration
	// Reason is the rate_limit_reason, or the error code without one.
	Reason string
}

// String says the pause in a person's words, e.g. "Notion asked Pagedeck
// to wait 2 min (this connection's per-minute budget)".
func (p Pause) String() string {
	s := "Notion asked Pagedeck to wait " + waitWords(p.For)
	if why := reasonWords(p.Reason); why != "" {
		s += " (" + why + ")"
	}
	return s
}

func waitWords(d time.Duration) string {
	switch secs := int(math.Ceil(d.Seconds())); {
	case secs < 90:
		return fmt.Sprintf("%d s", secs)
	case secs < 3600:
		return fmt.Sprintf("%d min", (secs+30)/60)
	default:
		return fmt.Sprintf("%.1f h", d.Hours())
	}
}

func reasonWords(r string) string {
	switch r {
	case "public_api_request_rate_limit":
		return "this connection's per-minute budget"
	case "public_api_space_request_rate_limit":
		return "the workspace's budget, shared by all its connections"
	case "service_overload":
		return "Notion is overloaded"
	case "rate_limited", "":
		return "its rate limit"
	}
	return r
}

// PauseError: a request cannot start before Notion's pause ends, and that
// is later than its context allows. It matches ErrRateLimited.
type PauseError struct{ Pause Pause }

func (e *PauseError) Error() string {
	return fmt.Sprintf("%s; try again after %s", e.Pause, e.Pause.Until.Local().Format("15:04:05"))
}

// Is matches ErrRateLimited.
func (e *PauseError) Is(target error) bool { return target == ErrRateLimited }

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

type waiter struct {
	ready    chan struct{}
	deadline time.Time // zero: none
	err      error     // set before ready closes when refused
	done     bool      // granted, refused or abandoned; guarded by Budget.mu
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

func (b *Budget) poke() {
	select {
	case b.kick <- struct{}{}:
	default:
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

// topLocked is the most urgent priority with a live waiter, -1 for none;
// dead waiters at the heads are dropped.
func (b *Budget) topLocked() Priority {
	for p := nPriorities - 1; p >= 0; p-- {
		for len(b.queues[p]) > 0 && b.queues[p][0].done {
			b.queues[p] = b.queues[p][1:]
		}
		if len(b.queues[p]) > 0 {
			return p
		}
	}
	return -1
}

// dispatch hands out slots while anyone waits. A slot goes to whoever is
// most urgent when it becomes free, not when they started waiting.
func (b *Budget) dispatch() {
	defer b.loop.Done()
	for {
		b.mu.Lock()
		top := b.topLocked()
		if top < 0 {
			b.running = false
			claimed := b.claimed
			b.claimed = false
			b.mu.Unlock()
			if claimed {
				b.update(func(st *BucketState) { st.claim(b.now(), b.owner, -1) })
			}
			return
		}
		b.mu.Unlock()

		var ok bool
		var wait time.Duration
		var pause Pause
		b.update(func(st *BucketState) {
			now := b.now()
			ok, wait = st.take(now, b.pace, top, b.owner)
			// While anything above the lowest priority waits here, say so
			// to the other processes.
			claim := top
			if ok {
				b.mu.Lock()
				claim = b.nextAfterGrantLocked(top)
				b.mu.Unlock()
			}
			if claim <= PriorityBackground {
				claim = -1
			}
			st.claim(now, b.owner, claim)
			b.mu.Lock()
			b.claimed = claim >= 0
			b.mu.Unlock()
			if now.Before(st.PausedUntil) {
				pause = Pause{Until: st.PausedUntil, For: st.PauseFor, Reason: st.Reason}
			}
		})
		if !pause.Until.IsZero() {
			b.paused(pause)
		}
		if ok {
			b.mu.Lock()
			w := b.popLocked(top)
			if w != nil {
				w.done = true
				close(w.ready)
			}
			b.mu.Unlock()
			if w == nil {
				// Its waiter gave up meanwhile: give the token back.
				b.update(func(st *BucketState) { st.Tokens++ })
			}
			continue
		}
		b.mu.Lock()
		if b.claimed {
			wait = min(wait, claimTTL/2) // keep the claim alive
		}
		b.mu.Unlock()
		b.sleep(wait)
	}
}

// nextAfterGrantLocked is the most urgent priority still waiting once one
// waiter of top is served.
func (b *Budget) nextAfterGrantLocked(top Priority) Priority {
	live := 0
	for _, w := range b.queues[top] {
		if !w.done {
			live++
		}
	}
	if live > 1 {
		return top
	}
	for p := top - 1; p >= 0; p-- {
		for _, w := range b.queues[p] {
			if !w.done {
				return p
			}
		}
	}
	return -1
}

// popLocked takes the most urgent live waiter, top first.
func (b *Budget) popLocked(top Priority) *waiter {
	for p := top; p >= 0; p-- {
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
