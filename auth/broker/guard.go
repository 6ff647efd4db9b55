package broker

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// stateRetryAfter is the Retry-After, in seconds, of a 503 given because
// the shared state could not be reached or had no room.
const stateRetryAfter = 5

// allow spends one request of the client's bucket for the named limit. A
// limit the state cannot check (Redis away) is checked by this instance
// alone: see redisState.allow.
func (s *Server) allow(r *http.Request, name string, l Limit) (bool, time.Duration) {
	ok, wait, err := s.state.allow(r.Context(), name, s.clientIP(r), l)
	if err != nil {
		// memoryState never fails and redisState falls back itself; an
		// error here is a bug, and refusing is the safe side.
		annotate(r, slog.String("reason", "rate_limit_unavailable"))
		return false, stateRetryAfter * time.Second
	}
	return ok, wait
}

// pageLimit is allow for the endpoints a browser visits: a refusal is a 429
// page. It has answered when it returns false.
func (s *Server) pageLimit(w http.ResponseWriter, r *http.Request, name string, l Limit) bool {
	ok, wait := s.allow(r, name, l)
	if ok {
		return true
	}
	annotate(r, slog.String("reason", "rate_limited"))
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
	renderPage(w, http.StatusTooManyRequests, page{
		Title:   "Too many attempts",
		Message: "This computer has started too many connections in a short time.",
		Hint:    "Wait a minute, then start again from Pagedeck.",
	})
	return false
}

// stateUnavailable notes on the request's log line why a single-use check
// could not run.
func (s *Server) stateUnavailable(r *http.Request, err error) {
	if errors.Is(err, errStateFull) {
		annotate(r, slog.String("reason", "replay_cache_full"))
		return
	}
	annotate(r, slog.String("reason", "shared_state_unavailable"))
}
