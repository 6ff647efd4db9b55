package broker

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// eventLog keeps the webhook events for a replay window and tells this
// instance's hub of each new one. memoryLog serves one instance; redisLog
// keeps them in a Redis stream that every instance reads.
type eventLog interface {
	// add stores ev, unless an event with the same Notion id was stored
	// within dedupeTTL (Notion retries a delivery up to 8 times).
	add(ctx context.Context, ev liveEvent) (stored bool, err error)
	// since returns the events after id, oldest first. complete is false
	// when some may be missing: the id is older than the replay window,
	// from before events were dropped (trimmed, or Redis lost its data),
	// or more than max events back.
	since(ctx context.Context, id streamID, max int) (entries []*entry, complete bool, err error)
	// head is the id of the newest event (or the log's starting point):
	// a stream that starts now has seen everything up to it.
	head(ctx context.Context) (streamID, error)
	// run hands new events to deliver, in order, until ctx ends. It is
	// where an instance learns of events other instances received.
	run(ctx context.Context, deliver func(*entry), lost func(error))
}

// memoryLog is the log of a broker without Redis: a ring of the latest
// events and the recent event ids, in this instance's memory.
type memoryLog struct {
	now     func() time.Time
	max     int
	window  time.Duration
	deliver func(*entry)

	mu      sync.Mutex
	ring    []*entry // oldest first
	last    streamID // the newest id given, or where this instance started
	dropped streamID // the newest id trimmed from the ring
	floor   streamID // where this instance started: older ids it never had
	seen    map[string]time.Time
	pruneAt time.Time
}

func newMemoryLog(now func() time.Time, o LiveOptions, deliver func(*entry)) *memoryLog {
	start := streamID{ms: uint64(max(now().UnixMilli(), 0))}
	return &memoryLog{now: now, max: o.MaxEvents, window: o.ReplayWindow, deliver: deliver, seen: map[string]time.Time{},
		last: start, floor: start}
}

func (m *memoryLog) add(_ context.Context, ev liveEvent) (bool, error) {
	now := m.now()
	m.mu.Lock()
	if until, ok := m.seen[ev.ID]; ok && now.Before(until) {
		m.mu.Unlock()
		return false, nil
	}
	if now.After(m.pruneAt) || len(m.seen) > 4*m.max {
		m.pruneAt = now.Add(time.Minute)
		for k, until := range m.seen {
			if !now.Before(until) {
				delete(m.seen, k)
			}
		}
	}
	m.seen[ev.ID] = now.Add(dedupeTTL)
	id := streamID{ms: uint64(max(now.UnixMilli(), 0))}
	if !m.last.less(id) {
		id = m.last.next()
	}
	m.last = id
	// Stored as JSON and read back, like the Redis log, so both keep
	// exactly the published fields.
	payload, _ := json.Marshal(ev)
	e, err := decodeEntry(id, payload)
	if err != nil {
		m.mu.Unlock()
		return false, err
	}
	m.ring = append(m.ring, e)
	if len(m.ring) > m.max {
		cut := len(m.ring) - m.max
		m.dropped = m.ring[cut-1].id
		m.ring = append(m.ring[:0:0], m.ring[cut:]...)
	}
	// Delivered under the lock, so streams see the log's order.
	m.deliver(e)
	m.mu.Unlock()
	return true, nil
}

func (m *memoryLog) since(_ context.Context, id streamID, max int) ([]*entry, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id.time().Before(m.now().Add(-m.window)) || id.less(m.floor) || id.less(m.dropped) || m.last.less(id) {
		return nil, false, nil
	}
	var out []*entry
	for _, e := range m.ring {
		if id.less(e.id) {
			if len(out) == max {
				return nil, false, nil
			}
			out = append(out, e)
		}
	}
	return out, true, nil
}

func (m *memoryLog) head(context.Context) (streamID, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.last, nil
}

func (m *memoryLog) run(ctx context.Context, _ func(*entry), _ func(error)) { <-ctx.Done() }
