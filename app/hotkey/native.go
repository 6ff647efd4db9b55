//go:build windows || (darwin && cgo)

package hotkey

import (
	"context"
	"sync"

	ghk "golang.design/x/hotkey"
)

// register grabs h through golang.design/x/hotkey, whose Register and
// Unregister are safe off the main thread on Windows and macOS (on macOS
// it hands the work to the main dispatch queue, which Fyne's event loop
// drains). explain turns its error into ours.
func register(ctx context.Context, mods []ghk.Modifier, key ghk.Key, fn func(), explain func(error) error) (func(), error) {
	hk := ghk.New(mods, key)
	res := make(chan error, 1)
	// On macOS Register waits for the main thread; off the caller's
	// goroutine, a caller that gives up (ctx) is not stuck with it.
	go func() { res <- hk.Register() }()
	select {
	case err := <-res:
		if err != nil {
			return nil, explain(err)
		}
	case <-ctx.Done():
		go func() {
			if <-res == nil {
				_ = hk.Unregister()
			}
		}()
		return nil, ctx.Err()
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		down, up := hk.Keydown(), hk.Keyup()
		for {
			select {
			case <-down:
				fn()
			case <-up:
				// Drained so releases do not pile up.
			case <-quit:
				return
			}
		}
	}()
	var once sync.Once
	unregister := func() {
		once.Do(func() {
			close(quit)
			<-done
			_ = hk.Unregister()
		})
	}
	stop := context.AfterFunc(ctx, unregister)
	return func() { stop(); unregister() }, nil
}
