package live

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"
)

// Run keeps one event stream per workspace that h says has a broker,
// until ctx ends, and follows workspaces being connected, reconnected and
// removed. Every goroutine it starts has ended when it returns.
func Run(ctx context.Context, h Host, o Options) {
	o = o.withDefaults()
	poke := make(chan struct{}, 1)
	unsubscribe := h.OnWorkspacesChanged(func() {
		select {
		case poke <- struct{}{}:
		default:
		}
	})
	defer unsubscribe()

	type running struct {
		broker string
		stop   context.CancelFunc
		done   chan struct{}
	}
	streams := map[string]*running{}
	stopOne := func(id string) {
		r := streams[id]
		r.stop()
		<-r.done
		delete(streams, id)
		h.SetLive(id, false)
	}
	reconcile := func() {
		want := h.Brokered(ctx)
		for id, r := range streams {
			if want[id] != r.broker {
				stopOne(id)
			}
		}
		for id, broker := range want {
			if _, ok := streams[id]; ok {
				continue
			}
			sctx, stop := context.WithCancel(ctx)
			r := &running{broker: broker, stop: stop, done: make(chan struct{})}
			streams[id] = r
			go func() {
				defer close(r.done)
				loop(sctx, h, id, broker, o)
			}()
		}
	}
	tick := time.NewTicker(o.Recheck)
	defer tick.Stop()
	reconcile()
	for {
		select {
		case <-ctx.Done():
			for id := range streams {
				stopOne(id)
			}
			return
		case <-poke:
			reconcile()
		case <-tick.C:
			reconcile()
		}
	}
}

// liveLoop keeps one workspace's stream up: connect, read, and after a
// failure wait (backing off, or as long as the broker asked) and connect
// again, resuming where the last stream stopped.
func loop(ctx context.Context, h Host, wsID, brokerURL string, o Options) {
	changes := make(chan change, 256)
	applied := make(chan struct{})
	go func() {
		defer close(applied)
		applyLoop(ctx, h, wsID, changes, o)
	}()
	defer func() {
		close(changes)
		<-applied
	}()

	var lastID string
	backoff := o.MinBackoff
	for ctx.Err() == nil {
		tok, err := h.AccessToken(ctx, wsID)
		started := time.Now()
		if err == nil {
			err = openStream(ctx, h, brokerURL, wsID, tok, &lastID, o,
				func() { h.SetLive(wsID, true) },
				func(ch change) {
					select {
					case changes <- ch:
					default:
						// More than the refresher can keep up with: a
						// quick sync catches everything at once.
						h.Log().Debug("live: changes overflowed; refreshing instead")
						select {
						case changes <- change{reset: true}:
						default:
						}
					}
				})
		}
		h.SetLive(wsID, false)
		if ctx.Err() != nil {
			return
		}
		if time.Since(started) > time.Minute {
			backoff = o.MinBackoff // it was up a good while: a fresh failure
		}
		wait := backoff
		var se *streamError
		switch {
		case errors.Is(err, errStreamUnauthorized):
			// The access token may have expired: a quick sync refreshes it
			// under the workspace's lock (and catches up). If Notion
			// refuses the refresh too, the workspace needs reconnecting,
			// and the stream waits for that.
			if h.QuickSync(ctx, wsID) != nil && h.NeedsReconnect(wsID) || ctx.Err() != nil {
				return
			}
		case errors.As(err, &se) && se.status == http.StatusNotFound:
			// A broker from before live updates: try again much later.
			h.Log().Info("live: the token broker has no event stream; live updates are off for this workspace")
			wait = o.MaxBackoff
		case errors.As(err, &se) && se.retryAfter > 0:
			wait = max(wait, min(se.retryAfter, o.MaxBackoff))
		}
		if err != nil {
			h.Log().Debug("live: stream ended", "workspace", wsID, "err", err)
		}
		// Jitter, so desktops that lost a broker together do not return
		// together.
		wait = wait/2 + rand.N(wait/2+1)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		backoff = min(2*backoff, o.MaxBackoff)
	}
}
