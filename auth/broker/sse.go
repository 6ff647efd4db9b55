package broker

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pagedeck/pagedeck/auth/sse"
	"github.com/pagedeck/pagedeck/notion"
)

// sseWriteTimeout bounds one write to a stream: a desktop that stops
// reading is dropped instead of holding a goroutine and a buffer.
const sseWriteTimeout = 15 * time.Second

// tokenStreamsRetryAfter is the Retry-After, in seconds, for a token that
// holds its share of streams: long enough that a client cannot spin on it,
// short enough that a desktop whose old streams just ended is not kept
// waiting.
const tokenStreamsRetryAfter = 30

// handleEvents is GET /events: a Server-Sent Events stream of the webhook
// events of the desktop's workspace that its connection may see.
//
// The desktop authenticates with its access token (Authorization: Bearer).
// The broker asks Notion once whose it is (GET /v1/users/me) and remembers
// the workspace and bot for a few minutes under a hash of the token. With
// Last-Event-ID, the events since then are replayed first, or, when the
// log no longer reaches back that far, an "event: reset" tells the desktop
// to refresh. "event: ready" carries the log's head as its id, so the
// desktop's Last-Event-ID moves on even when its workspace is quiet.
// Comment lines keep idle proxies from closing the stream.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	if ok, wait := s.allow(r, limitEvents, s.cfg.EventsLimit); !ok {
		annotate(r, slog.String("reason", "rate_limited"))
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
		writeJSON(w, http.StatusTooManyRequests, apiError{"rate_limited", "Too many streams opened from this address."})
		return
	}
	tok, ok := bearer(r)
	if !ok {
		annotate(r, slog.String("reason", "no_token"))
		w.Header().Set("WWW-Authenticate", `Bearer realm="pagedeck-broker"`)
		writeJSON(w, http.StatusUnauthorized, apiError{"invalid_token", "Send the workspace's access token as Authorization: Bearer."})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), notionCallTimeout)
	info, err := s.tokens.check(ctx, tok)
	cancel()
	if err != nil {
		s.tokenFailed(w, r, err)
		return
	}
	annotate(r, slog.String("workspace", info.workspace))

	var since streamID
	resume := r.Header.Get("Last-Event-ID")
	if resume != "" {
		var perr error
		if since, perr = parseStreamID(resume); perr != nil {
			resume = "invalid"
		}
	}
	sub, res := s.hub.add(info.workspace, info.bot, info.key, s.cfg.Live.MaxStreams, s.cfg.Live.MaxStreamsPerToken)
	switch res {
	case tokenHasEnough:
		annotate(r, slog.String("reason", "too_many_streams_for_token"))
		w.Header().Set("Retry-After", strconv.Itoa(tokenStreamsRetryAfter))
		writeJSON(w, http.StatusTooManyRequests, apiError{"rate_limited", "This access token has as many streams open as it may."})
		return
	case instanceFull:
		annotate(r, slog.String("reason", "too_many_streams"))
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusServiceUnavailable, apiError{"temporarily_unavailable", "This broker serves as many streams as it can."})
		return
	}
	defer s.hub.remove(sub)

	// Registered first, read the log second: whatever arrives meanwhile is
	// in the channel, and ids already sent are skipped there.
	head, err := s.events.head(r.Context())
	var replay []*entry
	reset := resume == "invalid"
	if err == nil && resume != "" && !reset {
		var complete bool
		replay, complete, err = s.events.since(r.Context(), since, maxReplayScan)
		reset = !complete
	}
	if err != nil {
		annotate(r, slog.String("reason", "shared_state_unavailable"))
		w.Header().Set("Retry-After", strconv.Itoa(stateRetryAfter))
		writeJSON(w, http.StatusServiceUnavailable, apiError{"temporarily_unavailable", "The broker cannot reach its event log right now."})
		return
	}

	rc := http.NewResponseController(w)
	// The server's read and write timeouts are for ordinary requests; a
	// stream sets a deadline per write instead.
	_ = rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)

	write := func(b []byte) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(sseWriteTimeout))
		if _, err := w.Write(b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	var frame []byte
	frame = sse.AppendRetry(frame, 3000)
	if reset {
		annotate(r, slog.String("replay", "reset"))
		frame = sse.Append(frame, sse.Event{Name: "reset", Data: "{}"})
	}
	last := since
	if reset {
		// The log does not vouch for since (too old, unknown, or ahead
		// of the log): the desktop refreshes, and resumes from now. An id
		// from the future echoed back would hide every later event.
		last = head
	}
	for _, e := range replay {
		if e.ev.WorkspaceID == info.workspace && e.ev.visibleTo(info.bot) {
			frame = append(frame, e.frame...)
		}
		last = e.id
	}
	if last.less(head) {
		last = head
	}
	frame = sse.Append(frame, sse.Event{ID: last.String(), Name: "ready", Data: "{}"})
	if !write(frame) {
		return
	}

	beat := time.NewTicker(s.cfg.Live.Heartbeat)
	defer beat.Stop()
	maxAge := time.NewTimer(s.cfg.Live.StreamMaxAge)
	defer maxAge.Stop()
	end := func(why string) { annotate(r, slog.String("ended", why)) }
	for {
		select {
		case e := <-sub.ch:
			if !last.less(e.id) {
				continue // replayed already
			}
			last = e.id
			if !write(e.frame) {
				end("write_failed")
				return
			}
		case <-beat.C:
			if !write(sse.AppendComment(nil, " ping")) {
				end("write_failed")
				return
			}
		case <-sub.gone:
			why, _ := sub.why.Load().(string)
			end(why)
			return
		case <-maxAge.C:
			end("max_age")
			return
		case <-s.stopping:
			end("shutdown")
			return
		case <-r.Context().Done():
			end("client_gone")
			return
		}
	}
}

// bearer reads "Authorization: Bearer <token>".
func bearer(r *http.Request) (notion.Secret, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" || len(tok) > 1024 {
		return "", false
	}
	return notion.Secret(tok), true
}

// tokenFailed answers a token Notion refused (401), or Notion being
// unavailable (503, the desktop tries again later).
func (s *Server) tokenFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case notion.IsUnauthorized(err), errors.Is(err, notion.ErrNotABot):
		annotate(r, slog.String("reason", "token_refused"))
		w.Header().Set("WWW-Authenticate", `Bearer realm="pagedeck-broker", error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, apiError{"invalid_token", "Notion does not accept this access token."})
	case notion.IsTransient(err), errors.Is(err, context.DeadlineExceeded):
		annotate(r, slog.String("reason", "notion_unavailable"))
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusServiceUnavailable, apiError{"temporarily_unavailable", "Notion cannot check the token right now."})
	default:
		annotate(r, slog.String("reason", "notion_failed"))
		writeJSON(w, http.StatusBadGateway, apiError{"server_error", "The token could not be checked with Notion."})
	}
}
