package app

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
)

// Live updates: in broker mode the broker relays Notion's webhooks, and the
// Core keeps one event stream per workspace while the window runs
// (RunLive). Each change refreshes just that item; polling (AutoSync) stays
// as the safety net for anything a stream misses.

// LiveOptions tune RunLive; zero values get the defaults.
type LiveOptions struct {
	// MinBackoff and MaxBackoff bound the wait before reconnecting a
	// stream that failed (doubling, with jitter); default 1 s and 5 min.
	MinBackoff, MaxBackoff time.Duration
	// IdleTimeout ends a stream that sent nothing, not even a heartbeat,
	// for this long; default 75 s (the broker beats every 25 s).
	IdleTimeout time.Duration
	// Debounce gathers the changes that arrive together (Notion sends
	// bursts) into one refresh; default 150 ms.
	Debounce time.Duration
	// Recheck is how often the set of streams is compared with the
	// workspaces and settings, besides on every workspace event; default
	// one minute.
	Recheck time.Duration
}

func (o LiveOptions) withDefaults() LiveOptions {
	if o.MinBackoff <= 0 {
		o.MinBackoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Minute
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 75 * time.Second
	}
	if o.Debounce <= 0 {
		o.Debounce = 150 * time.Millisecond
	}
	if o.Recheck <= 0 {
		o.Recheck = time.Minute
	}
	return o
}

// liveState is which workspaces have a stream up.
type liveState struct {
	mu sync.Mutex
	up map[string]bool
}

// Live reports whether wsID's event stream is up: changes in Notion show
// within about a minute (Notion's delivery time) instead of at the next
// refresh.
func (c *Core) Live(wsID string) bool {
	c.live.mu.Lock()
	defer c.live.mu.Unlock()
	return c.live.up[wsID]
}

func (c *Core) setLive(wsID string, on bool) {
	c.live.mu.Lock()
	if c.live.up == nil {
		c.live.up = map[string]bool{}
	}
	changed := c.live.up[wsID] != on
	if on {
		c.live.up[wsID] = true
	} else {
		delete(c.live.up, wsID)
	}
	c.live.mu.Unlock()
	if changed {
		c.emit(Event{Kind: EventLive, WorkspaceID: wsID})
	}
}

// RunLive keeps one event stream per workspace connected through a token
// broker, until ctx ends. The window starts it with its own context. It
// does nothing for workspaces connected otherwise, and follows workspaces
// being connected, reconnected and removed. Zero options are the defaults.
func (c *Core) RunLive(ctx context.Context, o LiveOptions) {
	o = o.withDefaults()
	poke := make(chan struct{}, 1)
	unsubscribe := c.Subscribe(func(e Event) {
		if e.Kind == EventWorkspaces {
			select {
			case poke <- struct{}{}:
			default:
			}
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
		c.setLive(id, false)
	}
	reconcile := func() {
		want := c.liveWorkspaces(ctx)
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
				c.liveLoop(sctx, id, broker, o)
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

// liveWorkspaces maps each workspace that should have a stream to its
// broker: connected through a broker, not waiting for a reconnect, with a
// broker configured.
func (c *Core) liveWorkspaces(ctx context.Context) map[string]string {
	out := map[string]string{}
	eff, err := c.Effective(ctx)
	if err != nil || eff.BrokerURL == "" {
		return out
	}
	ws, err := c.store.Workspaces()
	if err != nil {
		return out
	}
	for _, w := range ws {
		if w.Auth == string(auth.KindBroker) && w.Status == store.StatusOK {
			out[w.ID] = eff.BrokerURL
		}
	}
	return out
}

// liveLoop keeps one workspace's stream up: connect, read, and after a
// failure wait (backing off, or as long as the broker asked) and connect
// again, resuming where the last stream stopped.
func (c *Core) liveLoop(ctx context.Context, wsID, brokerURL string, o LiveOptions) {
	changes := make(chan liveChange, 256)
	applied := make(chan struct{})
	go func() {
		defer close(applied)
		c.applyLoop(ctx, wsID, changes, o)
	}()
	defer func() {
		close(changes)
		<-applied
	}()

	var lastID string
	backoff := o.MinBackoff
	for ctx.Err() == nil {
		tok, err := c.vault.Load(ctx, wsID)
		started := time.Now()
		if err == nil {
			err = c.openStream(ctx, brokerURL, wsID, tok.Access, &lastID, o,
				func() { c.setLive(wsID, true) },
				func(ch liveChange) {
					select {
					case changes <- ch:
					default:
						// More than the refresher can keep up with: a
						// quick sync catches everything at once.
						c.log.Debug("app: live changes overflowed; refreshing instead")
						select {
						case changes <- liveChange{reset: true}:
						default:
						}
					}
				})
		}
		c.setLive(wsID, false)
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
			if _, serr := c.Sync(ctx, wsID, false, nil); errors.Is(serr, ErrNeedsReconnect) || ctx.Err() != nil {
				return
			}
		case errors.As(err, &se) && se.status == http.StatusNotFound:
			// A broker from before live updates: try again much later.
			c.log.Info("app: the token broker has no event stream; live updates are off for this workspace")
			wait = o.MaxBackoff
		case errors.As(err, &se) && se.retryAfter > 0:
			wait = max(wait, min(se.retryAfter, o.MaxBackoff))
		}
		if err != nil {
			c.log.Debug("app: live stream ended", "workspace", wsID, "err", err)
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
