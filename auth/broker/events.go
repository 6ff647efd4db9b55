package broker

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pagedeck/pagedeck/auth/sse"
)

// LiveOptions tune webhook intake and /events. Zero values get the
// defaults.
type LiveOptions struct {
	// Heartbeat is how often an idle stream gets a comment line, so that
	// proxies do not close it; default 25 seconds.
	Heartbeat time.Duration
	// ReplayWindow is how far back Last-Event-ID can reach; default 24
	// hours. Older, the desktop is told to refresh instead. (A stream's
	// id moves to the newest event each time it connects, so only a
	// desktop that was away that long gets this.)
	ReplayWindow time.Duration
	// MaxEvents is how many events are kept for replay (all workspaces
	// together); default 100,000.
	MaxEvents int
	// TokenCacheTTL is how long a checked access token is trusted without
	// asking Notion again; default 5 minutes.
	TokenCacheTTL time.Duration
	// StreamMaxAge ends a stream after this long, so the desktop reconnects
	// and its token is checked again; default one hour.
	StreamMaxAge time.Duration
	// MaxStreams bounds the streams one instance serves; default 20,000.
	MaxStreams int
	// MaxStreamsPerToken bounds the streams one access token holds open
	// on one instance, from however many addresses; default 5. A desktop
	// needs one per workspace (each has its own token), plus one for a
	// moment while it reconnects.
	MaxStreamsPerToken int
}

func (o LiveOptions) withDefaults() LiveOptions {
	if o.Heartbeat <= 0 {
		o.Heartbeat = 25 * time.Second
	}
	if o.ReplayWindow <= 0 {
		o.ReplayWindow = 24 * time.Hour
	}
	if o.MaxEvents <= 0 {
		o.MaxEvents = 100_000
	}
	if o.TokenCacheTTL <= 0 {
		o.TokenCacheTTL = 5 * time.Minute
	}
	if o.StreamMaxAge <= 0 {
		o.StreamMaxAge = time.Hour
	}
	if o.MaxStreams <= 0 {
		o.MaxStreams = 20_000
	}
	if o.MaxStreamsPerToken <= 0 {
		o.MaxStreamsPerToken = 5
	}
	return o
}

// Limits on what one event may carry and how long Notion's retries of one
// event are recognised.
const (
	maxReplayScan = 10_000
	dedupeTTL     = 24 * time.Hour
	// maxBots bounds accessible_by as kept: only bots matter to the filter.
	maxBots = 64
)

// liveEvent is what the broker keeps of a Notion webhook event, and all it
// publishes: Notion's event id and type, the workspace, the entity, and
// the bots in accessible_by (people's ids are dropped: no desktop needs
// them). AccessibleBy nil means Notion did not send the field; empty means
// no bot may see the event.
type liveEvent struct {
	ID           string      `json:"id"`
	Type         string      `json:"type"`
	WorkspaceID  string      `json:"workspace_id"`
	Entity       liveEntity  `json:"entity"`
	AccessibleBy []liveActor `json:"accessible_by"`
}

type liveEntity struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type liveActor struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// visibleTo reports whether the connection whose bot is bot may learn of
// the event: always when Notion did not say, else only when it names the
// bot.
func (e *liveEvent) visibleTo(bot string) bool {
	if e.AccessibleBy == nil {
		return true
	}
	for _, a := range e.AccessibleBy {
		if a.Type == "bot" && a.ID == bot {
			return true
		}
	}
	return false
}

// entry is a stored event with its place in the log, and the SSE frame
// every desktop that may see it gets, made once.
type entry struct {
	id    streamID
	ev    liveEvent
	frame []byte
}

// desktopEvent is what a desktop is told: no accessible_by.
type desktopEvent struct {
	ID          string     `json:"id"`
	Type        string     `json:"type"`
	WorkspaceID string     `json:"workspace_id"`
	Entity      liveEntity `json:"entity"`
}

func newEntry(id streamID, ev liveEvent) *entry {
	data, _ := json.Marshal(desktopEvent{ID: ev.ID, Type: ev.Type, WorkspaceID: ev.WorkspaceID, Entity: ev.Entity})
	frame := sse.Append(make([]byte, 0, len(data)+64), sse.Event{ID: id.String(), Name: "notion", Data: string(data)})
	return &entry{id: id, ev: ev, frame: frame}
}

// decodeEntry reads an event as stored in the log.
func decodeEntry(id streamID, payload []byte) (*entry, error) {
	var ev liveEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	return newEntry(id, ev), nil
}

// streamID is a place in the event log: Redis's stream id form,
// "milliseconds-sequence", which is also the SSE event id, so any instance
// can resume a stream another one served.
type streamID struct{ ms, seq uint64 }

func (s streamID) String() string {
	return strconv.FormatUint(s.ms, 10) + "-" + strconv.FormatUint(s.seq, 10)
}

func (s streamID) less(o streamID) bool {
	return s.ms < o.ms || (s.ms == o.ms && s.seq < o.seq)
}

// next is the smallest id after s (for an exclusive range on any Redis).
func (s streamID) next() streamID {
	if s.seq == ^uint64(0) {
		return streamID{ms: s.ms + 1}
	}
	return streamID{ms: s.ms, seq: s.seq + 1}
}

func (s streamID) time() time.Time { return time.UnixMilli(int64(min(s.ms, 1<<62))) }

func parseStreamID(v string) (streamID, error) {
	a, b, ok := strings.Cut(v, "-")
	if !ok || len(v) > 41 {
		return streamID{}, fmt.Errorf("not a stream id")
	}
	ms, err1 := strconv.ParseUint(a, 10, 64)
	seq, err2 := strconv.ParseUint(b, 10, 64)
	if err1 != nil || err2 != nil {
		return streamID{}, fmt.Errorf("not a stream id")
	}
	return streamID{ms: ms, seq: seq}, nil
}
