package broker

import (
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// DesktopClientID is the client id Pagedeck presents, auth.BrokerClientID.
// It is repeated rather than imported so the server does not link the
// desktop's keychain code; a test keeps the two equal.
const DesktopClientID = "pagedeck-desktop"

// Bounds on what the desktop may send through the flow.
const (
	maxStateLen    = 512
	maxRedirectLen = 512
	maxNotionCode  = 2048
)

// handleAuthorize checks the desktop's authorization request and sends the
// browser on to Notion with the broker's own client id and a sealed state.
// Every problem is a 400 page, never a redirect: the request comes from our
// own app, so a bad one is a bug to show, and a redirect_uri that failed the
// checks must not be sent anywhere.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if !s.pageLimit(w, r, limitAuthorize, s.cfg.AuthorizeLimit) {
		return
	}
	st, problem := parseAuthorize(r.URL.Query())
	if problem != "" {
		annotate(r, slog.String("reason", "invalid_request"))
		renderPage(w, http.StatusBadRequest, page{
			Title:   "This sign-in request is not valid",
			Message: problem,
			Hint:    "Start again from Pagedeck. If this keeps happening, update Pagedeck or tell whoever runs this broker.",
		})
		return
	}
	sealed, err := s.seal.seal(purposeState, st, s.now().Add(StateTTL))
	if err != nil {
		annotate(r, slog.String("reason", "seal_failed"))
		renderPage(w, http.StatusInternalServerError, page{Title: "Something went wrong", Message: "The broker could not start the sign-in.", Hint: "Try again in a moment."})
		return
	}
	if len(sealed) > maxSealed {
		// Escaping can grow odd values past what /callback would open.
		annotate(r, slog.String("reason", "invalid_request"))
		renderPage(w, http.StatusBadRequest, page{Title: "This sign-in request is not valid", Message: "state and redirect_uri are too long together.", Hint: "Start again from Pagedeck."})
		return
	}
	q := url.Values{
		"client_id":     {s.cfg.ClientID},
		"response_type": {"code"},
		"owner":         {"user"},
		"redirect_uri":  {s.callbackURL},
		"state":         {sealed},
	}
	redirect(w, s.notion.AuthorizeURL()+"?"+q.Encode())
}

// parseAuthorize validates the query and returns what /callback will need,
// or a problem in words that quote no value.
func parseAuthorize(q url.Values) (statePayload, string) {
	for _, k := range []string{"client_id", "response_type", "redirect_uri", "state", "code_challenge", "code_challenge_method"} {
		if len(q[k]) > 1 {
			return statePayload{}, k + " is given more than once."
		}
	}
	st := statePayload{RedirectURI: q.Get("redirect_uri"), State: q.Get("state"), Challenge: q.Get("code_challenge")}
	switch cid := q.Get("client_id"); {
	case cid == "":
		return st, "client_id is missing."
	case cid != DesktopClientID:
		return st, "This broker serves Pagedeck only (unknown client_id)."
	}
	if p := checkLoopbackRedirect(st.RedirectURI); p != "" {
		return st, p
	}
	switch rt := q.Get("response_type"); {
	case rt == "":
		return st, "response_type is missing."
	case rt != "code":
		return st, "response_type must be \"code\"."
	}
	switch {
	case st.State == "":
		return st, "state is missing."
	case len(st.State) > maxStateLen:
		return st, "state is too long."
	}
	switch m := q.Get("code_challenge_method"); {
	case m == "":
		return st, "code_challenge_method is missing; it must be S256."
	case m != "S256":
		return st, "code_challenge_method must be S256."
	}
	switch {
	case st.Challenge == "":
		return st, "code_challenge is missing."
	case !validChallenge(st.Challenge):
		return st, "code_challenge is not an S256 challenge (43 base64url characters)."
	}
	return st, ""
}

// checkLoopbackRedirect accepts http:// on localhost, 127.0.0.1 or [::1],
// any port and path: the desktop's one-shot listener (RFC 8252 section 7.3).
// Anything else would let a stranger's page collect codes.
func checkLoopbackRedirect(raw string) string {
	if raw == "" {
		return "redirect_uri is missing."
	}
	if len(raw) > maxRedirectLen {
		return "redirect_uri is too long."
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Opaque != "" {
		return "redirect_uri must be an http:// address on this computer (localhost, 127.0.0.1 or [::1])."
	}
	if u.User != nil || u.Fragment != "" || strings.Contains(raw, "#") {
		return "redirect_uri must not contain a user name or a fragment."
	}
	switch u.Hostname() {
	case "localhost", "127.0.0.1", "::1":
	default:
		return "redirect_uri must be an http:// address on this computer (localhost, 127.0.0.1 or [::1])."
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "redirect_uri has an invalid port."
		}
	}
	return ""
}

// validChallenge: a base64url SHA-256, unpadded, is 43 characters.
func validChallenge(c string) bool {
	if len(c) != 43 {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	return err == nil && len(b) == sha256.Size
}

// validVerifier follows RFC 7636 section 4.1: 43 to 128 unreserved characters.
func validVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}

// s256 is RFC 7636's S256 transform.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
