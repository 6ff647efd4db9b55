package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pagedeck/pagedeck/auth/sse"
	"github.com/pagedeck/pagedeck/notion"
)

// The desktop's side of the broker's GET /events: one Server-Sent Events
// stream per workspace. Everything on it comes from a server and is read
// defensively: lines and events are capped, ids are checked, anything
// unknown is skipped.

// Caps on what a stream may send.
const (
	maxSSELine  = 64 << 10
	maxSSEEvent = 64 << 10
)

// change is one change the broker told of: an entity of the workspace, or
// reset (the broker cannot replay what was missed).
type change struct {
	reset      bool
	entityID   string
	entityType string // "page", "data_source" or "database"
	eventType  string
}

// streamError says why a stream could not start or ended, and when to try
// again.
type streamError struct {
	status     int           // the broker's answer, 0 for a network failure
	retryAfter time.Duration // the broker's Retry-After
	err        error
}

func (e *streamError) Error() string {
	if e.status != 0 {
		return fmt.Sprintf("the broker's event stream answered HTTP %d", e.status)
	}
	return "the broker's event stream failed: " + e.err.Error()
}

func (e *streamError) Unwrap() error { return e.err }

// errStreamUnauthorized: the broker (that is, Notion) refused the access
// token; a refresh may fix it.
var errStreamUnauthorized = errors.New("the broker refused the workspace's access token")

// openStream connects to the broker's /events with the access token and
// reads it until it ends, calling ready once the broker says the stream is
// up, and change for each change of the workspace. lastID is where the
// last stream stopped; it is kept up to date.
func openStream(ctx context.Context, h Host, brokerURL, wsID string, tok notion.Secret, lastID *string, o Options,
	ready func(), changed func(change)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A stream that says nothing for IdleTimeout (the broker sends a
	// heartbeat far more often) is dead, whatever TCP thinks.
	idle := newWatchdog(o.IdleTimeout, cancel)
	defer idle.stop()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(brokerURL, "/")+"/events", nil)
	if err != nil {
		return &streamError{err: err}
	}
	req.Header.Set("Authorization", "Bearer "+tok.Reveal())
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("User-Agent", h.UserAgent())
	if *lastID != "" {
		req.Header.Set("Last-Event-ID", *lastID)
	}
	resp, err := h.StreamClient().Do(req)
	if err != nil {
		return &streamError{err: scrubStreamError(err, tok)}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return &streamError{status: resp.StatusCode, err: errStreamUnauthorized}
	case resp.StatusCode != http.StatusOK:
		ra, _ := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After")))
		return &streamError{status: resp.StatusCode, retryAfter: time.Duration(min(max(ra, 0), 3600)) * time.Second}
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		return &streamError{status: resp.StatusCode, err: fmt.Errorf("the broker answered %.40q, not an event stream", ct)}
	}

	events := sse.NewReader(resp.Body, maxSSELine, maxSSEEvent)
	events.OnLine = func(string) { idle.kick() }
	for {
		ev, err := events.Next()
		if err != nil {
			if errors.Is(err, sse.ErrTooLarge) {
				return &streamError{err: errors.New("the broker sent an event that is too large")}
			}
			if err != io.EOF && ctx.Err() == nil {
				return &streamError{err: err}
			}
			break
		}
		dispatch(h, wsID, ev, lastID, ready, changed)
	}
	if idle.fired() {
		return &streamError{err: errors.New("the stream went silent")}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return &streamError{err: io.ErrUnexpectedEOF}
}

// dispatchSSE handles one complete event.
func dispatch(h Host, wsID string, e sse.Event, lastID *string, ready func(), changed func(change)) {
	// The broker's ids are "milliseconds-sequence"; keep nothing else.
	if e.ID != "" && validStreamID(e.ID) {
		defer func() { *lastID = e.ID }()
	}
	switch e.Name {
	case "ready":
		ready()
	case "reset":
		changed(change{reset: true})
	case "notion":
		var ev struct {
			Type        string `json:"type"`
			WorkspaceID string `json:"workspace_id"`
			Entity      struct {
				ID   string `json:"id"`
				Type string `json:"type"`
			} `json:"entity"`
		}
		if json.Unmarshal([]byte(e.Data), &ev) != nil {
			h.Log().Debug("live: skipping an unreadable event")
			return
		}
		ws, ok1 := notion.NormalizeID(ev.WorkspaceID)
		own, ok2 := notion.NormalizeID(wsID)
		id, ok3 := notion.NormalizeID(ev.Entity.ID)
		if !ok1 || !ok2 || !ok3 || ws != own || len(ev.Type) > 64 {
			h.Log().Debug("live: skipping an event for another workspace or with a bad id")
			return
		}
		switch ev.Entity.Type {
		case "page", "data_source", "database":
			changed(change{entityID: id, entityType: ev.Entity.Type, eventType: ev.Type})
		}
	}
}

func validStreamID(id string) bool {
	a, b, ok := strings.Cut(id, "-")
	if !ok || len(id) > 41 {
		return false
	}
	_, err1 := strconv.ParseUint(a, 10, 64)
	_, err2 := strconv.ParseUint(b, 10, 64)
	return err1 == nil && err2 == nil
}

// scrubStreamError keeps the token out of an error's text (the URL has
// none, but a proxy's answer might echo a header).
func scrubStreamError(err error, tok notion.Secret) error {
	if s := tok.Reveal(); len(s) >= 4 && strings.Contains(err.Error(), s) {
		return errors.New(strings.ReplaceAll(err.Error(), s, "[redacted]"))
	}
	return err
}

// watchdog calls fire when kick has not been called for d.
type watchdog struct {
	t     *time.Timer
	d     time.Duration
	mu    sync.Mutex
	didIt bool
}

func newWatchdog(d time.Duration, fire func()) *watchdog {
	w := &watchdog{d: d}
	w.t = time.AfterFunc(d, func() {
		w.mu.Lock()
		w.didIt = true
		w.mu.Unlock()
		fire()
	})
	return w
}

func (w *watchdog) kick() { w.t.Reset(w.d) }
func (w *watchdog) stop() { w.t.Stop() }
func (w *watchdog) fired() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.didIt
}
