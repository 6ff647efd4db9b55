package notion

import (
	"context"
	"time"
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
