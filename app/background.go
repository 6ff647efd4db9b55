package app

import (
	"context"
	"sync"
)

// background owns the Core's own goroutines (AutoSync's crawls): each runs
// with a context that close cancels, and close waits for all of them. Once
// closed, nothing more starts.
type background struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

func newBackground() *background {
	b := &background{}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	return b
}

// goWith runs fn with ctx, also cancelled by close; false when closed.
func (b *background) goWith(ctx context.Context, fn func(ctx context.Context)) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.wg.Add(1)
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(b.ctx, cancel)
	go func() {
		defer b.wg.Done()
		defer cancel()
		defer stop()
		fn(ctx)
	}()
	return true
}

// close cancels the work under way and waits for it to end.
func (b *background) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.cancel()
	b.wg.Wait()
}
