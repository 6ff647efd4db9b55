package broker

import (
	"sync"
	"sync/atomic"
)

// subscriberBuffer is how many events a stream may fall behind before it
// is cut; the desktop then reconnects with Last-Event-ID and catches up
// from the log, so a slow reader costs itself, never the others.
const subscriberBuffer = 256

// subscriber is one /events stream: a workspace, the connection's bot, and
// the events on their way to it.
type subscriber struct {
	ws, bot string
	ch      chan *entry
	gone    chan struct{} // closed when the stream must end
	once    sync.Once
	// why says, for the log, what ended it.
	why atomic.Value
}

func (s *subscriber) end(why string) {
	s.once.Do(func() {
		s.why.Store(why)
		close(s.gone)
	})
}

// hub hands each event this instance learns of to the streams of its
// workspace that may see it. Events reach it in log order.
type hub struct {
	mu   sync.RWMutex
	byWS map[string]map[*subscriber]struct{}
	n    int
}

func newHub() *hub { return &hub{byWS: map[string]map[*subscriber]struct{}{}} }

// add registers a stream, or refuses when the instance serves max already.
func (h *hub) add(ws, bot string, max int) (*subscriber, bool) {
	s := &subscriber{ws: ws, bot: bot, ch: make(chan *entry, subscriberBuffer), gone: make(chan struct{})}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n >= max {
		return nil, false
	}
	m := h.byWS[ws]
	if m == nil {
		m = map[*subscriber]struct{}{}
		h.byWS[ws] = m
	}
	m[s] = struct{}{}
	h.n++
	return s, true
}

func (h *hub) remove(s *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if m := h.byWS[s.ws]; m != nil {
		if _, ok := m[s]; ok {
			delete(m, s)
			h.n--
		}
		if len(m) == 0 {
			delete(h.byWS, s.ws)
		}
	}
}

func (h *hub) dispatch(e *entry) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.byWS[e.ev.WorkspaceID] {
		if !e.ev.visibleTo(s.bot) {
			continue
		}
		select {
		case s.ch <- e:
		default:
			s.end("slow_reader")
		}
	}
}

// endAll cuts every stream (the log became unreadable, or the broker is
// stopping): desktops reconnect and resume from the log.
func (h *hub) endAll(why string) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, m := range h.byWS {
		for s := range m {
			s.end(why)
		}
	}
}

func (h *hub) count() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.n
}
