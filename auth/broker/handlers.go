package broker

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pagedeck/pagedeck/notion"
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

// ---- GET /authorize ----

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

// ---- GET /callback ----

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

// ---- POST /token ----

// oauthError is RFC 6749 section 5.2's error body.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// writeOAuthError answers in RFC 6749's JSON. desc is always the broker's
// own fixed words: never a value from the request or from Notion.
func writeOAuthError(w http.ResponseWriter, r *http.Request, status int, code, desc string) {
	annotate(r, slog.String("oauth_error", code))
	writeJSON(w, status, oauthError{Error: code, Description: desc})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"server_error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// handleToken trades a sealed code (with its PKCE verifier) or a refresh
// token for Notion's token pair, adding the client secret on the way.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	form, ok := s.tokenRequest(w, r)
	if !ok {
		return
	}
	gt := form.Get("grant_type")
	annotate(r, slog.String("grant_type", grantTypeLabel(gt)))
	switch gt {
	case "":
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "grant_type is missing.")
	case "authorization_code":
		s.exchange(w, r, form)
	case "refresh_token":
		s.refresh(w, r, form)
	default:
		writeOAuthError(w, r, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token.")
	}
}

// grantTypeLabel is the grant type for the log, or "other".
func grantTypeLabel(gt string) string {
	switch gt {
	case "authorization_code", "refresh_token", "":
		return gt
	}
	return "other"
}

// tokenRequest runs the checks /token and /revoke share: method, rate
// limit, a form body (never the query, which ends up in access logs), one
// value per parameter, and the client id. It has answered when ok is false.
func (s *Server) tokenRequest(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeOAuthError(w, r, http.StatusMethodNotAllowed, "invalid_request", "Use POST.")
		return nil, false
	}
	if ok, wait := s.allow(r, limitToken, s.cfg.TokenLimit); !ok {
		annotate(r, slog.String("reason", "rate_limited"))
		secs := retryAfterSeconds(wait)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeOAuthError(w, r, http.StatusTooManyRequests, "temporarily_unavailable",
			"Too many requests from this address; try again in "+strconv.Itoa(secs)+" seconds.")
		return nil, false
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "The body must be application/x-www-form-urlencoded.")
		return nil, false
	}
	if r.URL.RawQuery != "" {
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "Parameters belong in the request body, not the URL.")
		return nil, false
	}
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeOAuthError(w, r, http.StatusRequestEntityTooLarge, "invalid_request", "The request body is too large.")
			return nil, false
		}
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "The body could not be read as a form.")
		return nil, false
	}
	form := r.PostForm
	for _, k := range []string{"grant_type", "code", "code_verifier", "redirect_uri", "refresh_token", "client_id", "token"} {
		if len(form[k]) > 1 {
			writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", k+" is given more than once.")
			return nil, false
		}
	}
	// A public client names itself in the body (RFC 6749 section 2.3.1);
	// accept the Basic form too, for clients that send it there.
	cid := form.Get("client_id")
	if cid == "" {
		cid, _, _ = r.BasicAuth()
	}
	if subtle.ConstantTimeCompare([]byte(cid), []byte(DesktopClientID)) != 1 {
		writeOAuthError(w, r, http.StatusUnauthorized, "invalid_client", "Unknown client_id: this broker serves Pagedeck only.")
		return nil, false
	}
	return form, true
}

// exchange is the authorization_code grant.
func (s *Server) exchange(w http.ResponseWriter, r *http.Request, form url.Values) {
	code, verifier := form.Get("code"), form.Get("code_verifier")
	switch {
	case code == "":
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "code is missing.")
		return
	case verifier == "":
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "code_verifier is missing.")
		return
	}
	now := s.now()
	var cp codePayload
	if err := s.seal.open(purposeCode, code, now, &cp); err != nil {
		if errors.Is(err, errSealedExpired) {
			annotate(r, slog.String("reason", "code_expired"))
			writeOAuthError(w, r, http.StatusBadRequest, "invalid_grant", "The authorization code has expired; connect again.")
			return
		}
		annotate(r, slog.String("reason", "code_invalid"))
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_grant", "The authorization code is not valid.")
		return
	}
	// PKCE first, so someone holding only the code cannot spend it.
	if !validVerifier(verifier) || subtle.ConstantTimeCompare([]byte(s256(verifier)), []byte(cp.Challenge)) != 1 {
		annotate(r, slog.String("reason", "pkce_mismatch"))
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge.")
		return
	}
	if ru := form.Get("redirect_uri"); ru != cp.RedirectURI {
		annotate(r, slog.String("reason", "redirect_mismatch"))
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization request.")
		return
	}
	mark := codeMark(cp.Code)
	claim, err := s.state.claim(r.Context(), mark, s256(verifier), CodeTTL)
	if err != nil {
		s.stateUnavailable(r, err)
		w.Header().Set("Retry-After", strconv.Itoa(stateRetryAfter))
		writeOAuthError(w, r, http.StatusServiceUnavailable, "temporarily_unavailable", "The broker is busy; try again shortly.")
		return
	}
	switch claim {
	case claimTaken:
		annotate(r, slog.String("reason", "code_replayed"))
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_grant", "The authorization code has already been used.")
		return
	case claimRetry:
		annotate(r, slog.String("reason", "code_unsettled_retry"))
	}
	ctx, cancel := context.WithTimeout(r.Context(), notionCallTimeout)
	defer cancel()
	g, err := s.notion.ExchangeCode(ctx, cp.Code, s.callbackURL)
	if err == nil || !notion.IsTransient(err) {
		// Notion has answered for this code: nobody may bring it again.
		s.state.settle(r.Context(), mark, CodeTTL)
	}
	if err != nil {
		s.notionFailed(w, r, err, "The authorization code was refused by Notion: it has expired or was already used. Connect again.")
		return
	}
	writeGrant(w, g)
}

// refresh is the refresh_token grant, passed through to Notion.
func (s *Server) refresh(w http.ResponseWriter, r *http.Request, form url.Values) {
	rt := form.Get("refresh_token")
	if rt == "" {
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "refresh_token is missing.")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), notionCallTimeout)
	defer cancel()
	g, err := s.notion.Refresh(ctx, notion.Secret(rt))
	if err != nil {
		s.notionFailed(w, r, err, "Notion refused the refresh token: it was revoked or already used. Reconnect the workspace.")
		return
	}
	writeGrant(w, g)
}

// notionFailed turns a failed Notion call into the desktop's answer:
// invalid_grant stays invalid_grant (400); Notion being busy or down becomes
// 503 and not reaching it 502, which the desktop treats as passing; Notion
// refusing the broker's own credentials is the operator's problem, 502.
func (s *Server) notionFailed(w http.ResponseWriter, r *http.Request, err error, grantDesc string) {
	var ae *notion.APIError
	var ne *notion.NetworkError
	switch {
	case errors.As(err, &ae):
		annotate(r, slog.Int("notion_status", ae.Status), slog.String("notion_code", oauthErrorCode(ae.Code)),
			slog.String("notion_request_id", oauthErrorCode(ae.RequestID)))
		switch {
		case ae.Code == "invalid_grant":
			writeOAuthError(w, r, http.StatusBadRequest, "invalid_grant", grantDesc)
		case notion.IsRateLimited(ae):
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(ae.RetryAfter)))
			writeOAuthError(w, r, http.StatusServiceUnavailable, "temporarily_unavailable", "Notion is rate limiting the broker; try again later.")
		case ae.Status >= 500:
			writeOAuthError(w, r, http.StatusServiceUnavailable, "temporarily_unavailable", "Notion is unavailable; try again later.")
		case errors.Is(ae, notion.ErrInvalidClient) || ae.Status == http.StatusUnauthorized:
			annotate(r, slog.String("reason", "notion_rejected_broker_credentials"))
			writeOAuthError(w, r, http.StatusBadGateway, "server_error", "Notion refused the broker's credentials; the broker's operator must check them.")
		default:
			annotate(r, slog.String("reason", "notion_rejected_request"))
			writeOAuthError(w, r, http.StatusBadGateway, "server_error", "Notion refused the broker's request.")
		}
	case errors.As(err, &ne):
		annotate(r, slog.String("reason", "notion_unreachable"))
		writeOAuthError(w, r, http.StatusBadGateway, "server_error", "The broker cannot reach Notion; try again later.")
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		annotate(r, slog.String("reason", "notion_timeout"))
		writeOAuthError(w, r, http.StatusServiceUnavailable, "temporarily_unavailable", "Notion did not answer in time; try again later.")
	case errors.Is(err, notion.ErrMalformedResponse), errors.Is(err, notion.ErrBodyTooLarge):
		annotate(r, slog.String("reason", "notion_malformed"))
		writeOAuthError(w, r, http.StatusBadGateway, "server_error", "Notion's answer could not be read.")
	default:
		annotate(r, slog.String("reason", "notion_failed"))
		writeOAuthError(w, r, http.StatusBadGateway, "server_error", "The call to Notion failed.")
	}
}

// tokenResponse is Notion's token answer, passed on with the same fields
// (auth.grantFromToken reads them from oauth2.Token's extras).
type tokenResponse struct {
	AccessToken          string  `json:"access_token"`
	TokenType            string  `json:"token_type"`
	RefreshToken         *string `json:"refresh_token"`
	BotID                string  `json:"bot_id"`
	WorkspaceID          string  `json:"workspace_id"`
	WorkspaceName        *string `json:"workspace_name"`
	WorkspaceIcon        *string `json:"workspace_icon"`
	Owner                any     `json:"owner"`
	DuplicatedTemplateID *string `json:"duplicated_template_id"`
	RequestID            string  `json:"request_id,omitempty"`
}

type userOwner struct {
	Type string   `json:"type"`
	User userEcho `json:"user"`
}

type userEcho struct {
	Object string      `json:"object"`
	ID     string      `json:"id"`
	Name   string      `json:"name,omitempty"`
	Type   string      `json:"type"`
	Person *personEcho `json:"person,omitempty"`
}

type personEcho struct {
	Email string `json:"email"`
}

type workspaceOwner struct {
	Type      string `json:"type"`
	Workspace bool   `json:"workspace"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func writeGrant(w http.ResponseWriter, g *notion.Grant) {
	resp := tokenResponse{
		AccessToken:          g.AccessToken.Reveal(),
		TokenType:            "bearer",
		RefreshToken:         nullable(g.RefreshToken.Reveal()),
		BotID:                g.BotID,
		WorkspaceID:          g.WorkspaceID,
		WorkspaceName:        nullable(g.WorkspaceName),
		WorkspaceIcon:        nullable(g.WorkspaceIcon),
		DuplicatedTemplateID: nullable(g.DuplicatedTemplateID),
		RequestID:            g.RequestID,
	}
	switch g.Owner.Type {
	case "user":
		u := userEcho{Object: "user", ID: g.Owner.UserID, Name: g.Owner.Name, Type: "person"}
		if g.Owner.Email != "" {
			u.Person = &personEcho{Email: g.Owner.Email}
		}
		resp.Owner = userOwner{Type: "user", User: u}
	case "workspace":
		resp.Owner = workspaceOwner{Type: "workspace", Workspace: true}
	case "":
		resp.Owner = nil
	default:
		resp.Owner = map[string]string{"type": g.Owner.Type}
	}
	writeJSON(w, http.StatusOK, resp)
}

// ---- POST /revoke ----

// handleRevoke ends a grant at Notion (RFC 7009). A token Notion no longer
// knows is not an error.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	form, ok := s.tokenRequest(w, r)
	if !ok {
		return
	}
	tok := form.Get("token")
	if tok == "" {
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "token is missing.")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), notionCallTimeout)
	defer cancel()
	if err := s.notion.Revoke(ctx, notion.Secret(tok)); err != nil {
		var ae *notion.APIError
		if errors.As(err, &ae) && (ae.Code == "invalid_grant" || ae.Code == "invalid_token") {
			annotate(r, slog.String("reason", "token_already_invalid"))
			writeJSON(w, http.StatusOK, struct{}{})
			return
		}
		s.notionFailed(w, r, err, "Notion refused the token.")
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
