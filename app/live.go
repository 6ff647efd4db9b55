package app

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/pagedeck/pagedeck/app/live"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
)

// The core's side of live updates (app/live): which workspaces have a
// broker, and how a change is applied.

// LiveOptions tune RunLive; zero values get the defaults.
type LiveOptions = live.Options

// Live reports whether wsID's event stream is up: changes in Notion show
// within about a minute (Notion's delivery time) instead of at the next
// refresh.
func (c *Core) Live(wsID string) bool { return c.live.Up(wsID) }

func (c *Core) setLive(wsID string, on bool) {
	if c.live.Set(wsID, on) {
		c.emit(LiveChanged{WorkspaceID: wsID})
	}
}

// RunLive keeps one event stream per workspace connected through a token
// broker, until ctx ends. The window starts it with its own context. It
// does nothing for workspaces connected otherwise, and follows workspaces
// being connected, reconnected and removed. Zero options are the defaults.
func (c *Core) RunLive(ctx context.Context, o LiveOptions) { live.Run(ctx, liveHost{c}, o) }

// liveHost is the Core as app/live sees it.
type liveHost struct{ c *Core }

// liveWorkspaces maps each workspace that should have a stream to its
// broker: connected through a broker, not waiting for a reconnect, with a
// broker configured.
func (h liveHost) Brokered(ctx context.Context) map[string]string {
	c := h.c
	out := map[string]string{}
	eff, err := c.effective(ctx)
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

func (h liveHost) OnWorkspacesChanged(fn func()) func() {
	return h.c.Subscribe(func(e Event) {
		if _, ok := e.(WorkspacesChanged); ok {
			fn()
		}
	})
}

func (h liveHost) AccessToken(ctx context.Context, ws string) (notion.Secret, error) {
	tok, err := h.c.vault.Load(ctx, ws)
	return tok.Access, err
}

func (h liveHost) QuickSync(ctx context.Context, ws string) error {
	_, err := h.c.Sync(ctx, ws, false, nil)
	return err
}

func (h liveHost) NeedsReconnect(ws string) bool {
	w, err := h.c.store.Workspace(ws)
	return err == nil && w.Status == store.StatusNeedsReconnect
}

func (h liveHost) SetLive(ws string, on bool) { h.c.setLive(ws, on) }

// StreamClient is the HTTP client of event streams: no overall timeout (a
// stream lasts), with the Core's transport when it has one.
func (h liveHost) StreamClient() *http.Client {
	var rt http.RoundTripper
	if h.c.opts.HTTPClient != nil {
		rt = h.c.opts.HTTPClient.Transport
	}
	return &http.Client{Transport: rt}
}

func (h liveHost) UserAgent() string { return UserAgent() }
func (h liveHost) Log() *slog.Logger { return h.c.log }
