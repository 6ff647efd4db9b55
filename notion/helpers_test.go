package notion

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// sleeps records the waits the client asked for and returns at once, so
// retry tests run in microseconds and can assert the schedule.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// fakeNotion serves handler and returns a client pointed at it.
func fakeNotion(t *testing.T, handler http.HandlerFunc) (*Client, *sleeps) {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	s := &sleeps{}
	c := New(Options{
		BaseURL:      srv.URL,
		ClientID:     "client-id",
		ClientSecret: "client-secret-xyz",
		UserAgent:    "pagedeck/test",
		RateLimit:    rate.Inf,
		Sleep:        s.sleep,
	})
	return c, s
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
