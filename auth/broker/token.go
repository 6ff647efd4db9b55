// POST /token and POST /revoke: the desktop's token requests, answered with the client secret.

package broker

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/pagedeck/pagedeck/notion"
)

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
