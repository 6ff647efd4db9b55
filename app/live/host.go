// Package live keeps a desktop's lists current in broker mode: the broker
// relays Notion's webhooks, and Run keeps one Server-Sent Events stream per
// workspace while the window runs. Each change refreshes just that item;
// the periodic refresh stays as the safety net for anything a stream
// misses. What it needs of the core is the Host.
package live

import (
	"context"
	"log/slog"
	"net/http"
	"sync"

	"github.com/pagedeck/pagedeck/notion"
)

// Target is an item a change names: a page or a data source.
type Target struct {
	ID   string
	Kind string // "page" or "data_source"
}

// Host is what live updates need of the core.
type Host interface {
	// Brokered maps each workspace that should have a stream to its
	// broker's URL.
	Brokered(ctx context.Context) map[string]string
	// OnWorkspacesChanged calls fn whenever the workspaces may have
	// changed, until unsubscribe is called.
	OnWorkspacesChanged(fn func()) (unsubscribe func())
	// AccessToken is a workspace's current access token.
	AccessToken(ctx context.Context, ws string) (notion.Secret, error)
	// QuickSync catches a workspace up (and refreshes a stale token).
	QuickSync(ctx context.Context, ws string) error
	// NeedsReconnect says the workspace's grant is gone: its stream waits
	// for a reconnect.
	NeedsReconnect(ws string) bool
	// Refresh fetches the targets' current state and stores it.
	Refresh(ctx context.Context, ws string, targets []Target) error
	// SetLive records whether a workspace's stream is up.
	SetLive(ws string, on bool)
	// StreamClient is the HTTP client for streams: no overall timeout.
	StreamClient() *http.Client
	UserAgent() string
	Log() *slog.Logger
}

// Status is which workspaces have a stream up. Safe for concurrent use.
type Status struct {
	mu sync.Mutex
	up map[string]bool
}

// Up reports whether ws's stream is up.
func (s *Status) Up(ws string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.up[ws]
}

// Set records whether ws's stream is up, and reports a change.
func (s *Status) Set(ws string, on bool) (changed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.up == nil {
		s.up = map[string]bool{}
	}
	changed = s.up[ws] != on
	if on {
		s.up[ws] = true
	} else {
		delete(s.up, ws)
	}
	return changed
}
