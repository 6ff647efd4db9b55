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
	key     tokenKey // whose token opened it, for the per-token cap
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
	mu      sync.RWMutex
	byWS    map[string]map[*subscriber]struct{}
	n       int
	byToken map[tokenKey]int
}

func newHub() *hub {
	return &hub{byWS: map[string]map[*subscriber]struct{}{}, byToken: map[tokenKey]int{}}
}

// addResult says whether add registered the stream, and if not, why.
type addResult int

const (
	added          addResult = iota
	instanceFull             // the instance serves max streams already
	tokenHasEnough           // this token has perToken streams open already
)

// add registers a stream, or refuses when the instance serves max streams
// already, or the token that opens it holds perToken of them: one token,
// from however many addresses, cannot take the streams everyone shares.
func (h *hub) add(ws, bot string, key tokenKey, max, perToken int) (*subscriber, addResult) {
	s := &subscriber{ws: ws, bot: bot, key: key, ch: make(chan *entry, subscriberBuffer), gone: make(chan struct{})}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.byToken[key] >= perToken {
		return nil, tokenHasEnough
	}
	if h.n >= max {
		return nil, instanceFull
	}
	m := h.byWS[ws]
	if m == nil {
		m = map[*subscriber]struct{}{}
		h.byWS[ws] = m
	}
	m[s] = struct{}{}
	h.n++
	h.byToken[key]++
	return s, added
}

func (h *hub) remove(s *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if m := h.byWS[s.ws]; m != nil {
		if _, ok := m[s]; ok {
			delete(m, s)
			h.n--
			if h.byToken[s.key]--; h.byToken[s.key] <= 0 {
				delete(h.byToken, s.key)
			}
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
