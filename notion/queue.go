package notion

import "time"

// The budget's waiting room: requests wait by priority, and dispatch
// hands each free slot to the most urgent, first come first served.

type waiter struct {
	ready    chan struct{}
	deadline time.Time // zero: none
	err      error     // set before ready closes when refused
	done     bool      // granted, refused or abandoned; guarded by Budget.mu
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
