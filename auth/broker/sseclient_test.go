package broker

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/auth/sse"
)

// sseEvent is one event a stream delivered.
type sseEvent struct {
	id, event, data string
	at              time.Time
}

// sseStream is a desktop's /events connection as a test sees it: every
// event and comment, in order.
type sseStream struct {
	t      testing.TB
	resp   *http.Response
	events chan sseEvent
	pings  chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
	lastID string
}

// openStream connects to base/events with token (and lastID when set). It
// returns the response for a refusal, or the stream.
func openStream(t testing.TB, base, token, lastID string) (*sseStream, *http.Response) {
	t.Helper()
	return openStreamFrom(t, base, token, lastID, "")
}

// openStreamFrom is openStream through a proxy that names the client as
// forwardedFor (when set).
func openStreamFrom(t testing.TB, base, token, lastID, forwardedFor string) (*sseStream, *http.Response) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/events", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		cancel()
		return nil, resp
	}
	s := &sseStream{t: t, resp: resp, events: make(chan sseEvent, 1024), pings: make(chan struct{}, 1024), cancel: cancel, done: make(chan struct{})}
	t.Cleanup(s.close)
	go s.read()
	return s, resp
}

func (s *sseStream) read() {
	defer close(s.done)
	defer close(s.events)
	r := sse.NewReader(s.resp.Body, 1<<20, 1<<20)
	r.OnLine = func(line string) {
		if strings.HasPrefix(line, ":") {
			select {
			case s.pings <- struct{}{}:
			default:
			}
		}
	}
	for {
		ev, err := r.Next()
		if err != nil {
			return
		}
		s.events <- sseEvent{id: ev.ID, event: ev.Name, data: ev.Data, at: time.Now()}
	}
}

func (s *sseStream) close() {
	s.cancel()
	s.resp.Body.Close()
	<-s.done
}

// next waits for the next event, failing the test after timeout.
func (s *sseStream) next(timeout time.Duration) sseEvent {
	s.t.Helper()
	select {
	case e, ok := <-s.events:
		if !ok {
			s.t.Fatal("the stream ended")
		}
		if e.id != "" {
			s.lastID = e.id
		}
		return e
	case <-time.After(timeout):
		s.t.Fatalf("no event within %v", timeout)
	}
	return sseEvent{}
}

// nextOf skips events until one named name.
func (s *sseStream) nextOf(name string, timeout time.Duration) sseEvent {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		e := s.next(time.Until(deadline))
		if e.event == name {
			return e
		}
	}
}

// quiet checks that no event comes within d.
func (s *sseStream) quiet(d time.Duration) {
	s.t.Helper()
	select {
	case e, ok := <-s.events:
		if ok {
			s.t.Errorf("unexpected event %+v", e)
		}
	case <-time.After(d):
	}
}

// ended waits for the broker to close the stream.
func (s *sseStream) ended(timeout time.Duration) bool {
	select {
	case <-s.done:
		return true
	case <-time.After(timeout):
		return false
	}
}
