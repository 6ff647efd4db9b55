// GET /callback: Notion's answer, turned into a sealed code for the desktop.

package broker

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// handleCallback is where Notion sends the browser back. It opens the
// state, then sends the browser on to the desktop's loopback listener with
// the desktop's own state and either Notion's error or a sealed code.
func (s *Server) handleCallback(w http.ResponseWriter, r *http.Request) {
	if !s.pageLimit(w, r, limitCallback, s.cfg.CallbackLimit) {
		return
	}
	q := r.URL.Query()
	var st statePayload
	if err := s.seal.open(purposeState, q.Get("state"), s.now(), &st); err != nil {
		reason := "state_invalid"
		if errors.Is(err, errSealedExpired) {
			reason = "state_expired"
		}
		annotate(r, slog.String("reason", reason))
		renderPage(w, http.StatusBadRequest, page{
			Title:   "This sign-in link has expired or is not valid",
			Message: "The broker cannot match this page to a sign-in that Pagedeck started.",
			Hint:    "Start again from Pagedeck: click Connect (or run 'pagedeck connect').",
		})
		return
	}
	// A state works once: it ends one sign-in, and a second visit would
	// seal whatever code came with it.
	first, err := s.state.firstUse(r.Context(), stateMark(q.Get("state")), StateTTL)
	if err != nil {
		s.stateUnavailable(r, err)
		w.Header().Set("Retry-After", strconv.Itoa(stateRetryAfter))
		renderPage(w, http.StatusServiceUnavailable, page{
			Title:   "The broker is busy",
			Message: "The broker cannot check this sign-in right now.",
			Hint:    "Wait a moment, then start again from Pagedeck.",
		})
		return
	}
	if !first {
		annotate(r, slog.String("reason", "state_replayed"))
		renderPage(w, http.StatusBadRequest, page{
			Title:   "This sign-in link was already used",
			Message: "Each sign-in link works once.",
			Hint:    "Start again from Pagedeck: click Connect (or run 'pagedeck connect').",
		})
		return
	}
	if e := q.Get("error"); e != "" {
		code := oauthErrorCode(e)
		annotate(r, slog.String("reason", "notion_error"), slog.String("oauth_error", code))
		back := url.Values{"error": {code}}
		if d := cleanDescription(q.Get("error_description")); d != "" {
			back.Set("error_description", d)
		}
		s.redirectBack(w, st, back)
		return
	}
	code := q.Get("code")
	if code == "" || len(code) > maxNotionCode {
		annotate(r, slog.String("reason", "no_code"))
		s.redirectBack(w, st, url.Values{"error": {"server_error"}, "error_description": {"Notion sent back neither a code nor an error."}})
		return
	}
	sealed, err := s.seal.seal(purposeCode, codePayload{Code: code, RedirectURI: st.RedirectURI, Challenge: st.Challenge}, s.now().Add(CodeTTL))
	if err == nil && len(sealed) > maxSealed {
		err = errSealedInvalid // /token would not open it
	}
	if err != nil {
		annotate(r, slog.String("reason", "seal_failed"))
		s.redirectBack(w, st, url.Values{"error": {"server_error"}, "error_description": {"The broker could not seal the code."}})
		return
	}
	s.redirectBack(w, st, url.Values{"code": {sealed}})
}

// redirectBack sends the browser to the desktop's redirect URI (checked at
// /authorize and sealed since) with params and the desktop's state, keeping
// any query the URI had.
func (s *Server) redirectBack(w http.ResponseWriter, st statePayload, params url.Values) {
	u, err := url.Parse(st.RedirectURI)
	if err != nil {
		renderPage(w, http.StatusBadRequest, page{Title: "This sign-in link is not valid", Hint: "Start again from Pagedeck."})
		return
	}
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	q.Set("state", st.State)
	u.RawQuery = q.Encode()
	redirect(w, u.String())
}

// redirect answers 302 without http.Redirect's HTML body, which would
// repeat the URL (and the code in it).
func redirect(w http.ResponseWriter, to string) {
	w.Header().Set("Location", to)
	w.WriteHeader(http.StatusFound)
}

// oauthErrorCode keeps an error code that looks like one (RFC 6749 codes are
// short ASCII words) and replaces anything else.
func oauthErrorCode(e string) string {
	if len(e) > 64 {
		return "server_error"
	}
	for i := 0; i < len(e); i++ {
		c := e[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return "server_error"
		}
	}
	return e
}

// cleanDescription keeps printable text, shortened.
func cleanDescription(d string) string {
	d = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, d)
	if r := []rune(d); len(r) > 300 {
		d = string(r[:300])
	}
	return strings.TrimSpace(d)
}
