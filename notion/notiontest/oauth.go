package notiontest

import (
	"crypto/subtle"
	"encoding/json"
	"mime"
	"net/http"
	"time"
)

// knownVersions are the Notion-Version values the emulator accepts. Notion
// rejects dates it does not know, so a typo in a client shows up here.
var knownVersions = map[string]bool{
	"2022-02-22": true,
	"2022-06-28": true,
	"2025-09-03": true,
	"2026-03-11": true,
}

// Version boundaries that change response shapes.
const (
	versionDataSources = "2025-09-03" // search returns data sources from here on
	versionNoArchived  = "2026-03-11" // "archived" is gone from here on
)

// checkVersion enforces the Notion-Version header and returns it.
func checkVersion(w http.ResponseWriter, r *http.Request, c *call) (string, bool) {
	v := r.Header.Get("Notion-Version")
	if v == "" {
		writeError(w, c, http.StatusBadRequest, "missing_version",
			"Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.")
		return "", false
	}
	if !knownVersions[v] {
		writeError(w, c, http.StatusBadRequest, "validation_error",
			"Notion-Version header failed validation: "+v+" is not a supported version.")
		return "", false
	}
	return v, true
}

func constEq(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// oauthEndpoint runs the checks shared by token, revoke and introspect:
// method, client authentication, version, JSON body.
func (s *Server) oauthEndpoint(w http.ResponseWriter, r *http.Request, c *call,
	h func(http.ResponseWriter, *call, map[string]json.RawMessage)) {
	if r.Method != http.MethodPost {
		invalidURL(w, r, c)
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok || !constEq(id, s.opts.ClientID) || !constEq(secret, s.opts.ClientSecret) {
		w.Header().Set("WWW-Authenticate", `Basic realm="notion"`)
		writeOAuthError(w, c, http.StatusUnauthorized, "invalid_client",
			"Client authentication failed: send Authorization: Basic base64(client_id:client_secret).")
		return
	}
	if _, ok := checkVersion(w, r, c); !ok {
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		// What golang.org/x/oauth2's form-encoded Exchange runs into.
		writeOAuthError(w, c, http.StatusBadRequest, "invalid_request", "body must be JSON")
		return
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(c.body, &body); err != nil {
		writeError(w, c, http.StatusBadRequest, "invalid_json", "Error parsing JSON body.")
		return
	}
	if body == nil {
		writeOAuthError(w, c, http.StatusBadRequest, "invalid_request", "body must be a JSON object")
		return
	}
	h(w, c, body)
}

// bodyString reads an optional string field; present is false when the
// field is missing, ok is false when it is not a string.
func bodyString(body map[string]json.RawMessage, key string) (v string, present, ok bool) {
	raw, found := body[key]
	if !found {
		return "", false, true
	}
	if err := json.Unmarshal(raw, &v); err != nil || string(raw) == "null" {
		return "", true, false
	}
	return v, true, true
}

// requiredString reads a string field or answers invalid_request.
func requiredString(w http.ResponseWriter, c *call, body map[string]json.RawMessage, key string) (string, bool) {
	v, present, ok := bodyString(body, key)
	if !present || v == "" {
		writeOAuthError(w, c, http.StatusBadRequest, "invalid_request", key+" is required")
		return "", false
	}
	if !ok {
		writeOAuthError(w, c, http.StatusBadRequest, "invalid_request", key+" must be a string")
		return "", false
	}
	return v, true
}

func (s *Server) handleToken(w http.ResponseWriter, c *call, body map[string]json.RawMessage) {
	gt, ok := requiredString(w, c, body, "grant_type")
	if !ok {
		return
	}
	switch gt {
	case "authorization_code":
		s.exchangeCode(w, c, body)
	case "refresh_token":
		s.refreshGrant(w, c, body)
	default:
		writeOAuthError(w, c, http.StatusBadRequest, "unsupported_grant_type",
			"grant_type must be authorization_code or refresh_token")
	}
}

func (s *Server) exchangeCode(w http.ResponseWriter, c *call, body map[string]json.RawMessage) {
	code, ok := requiredString(w, c, body, "code")
	if !ok {
		return
	}
	redirect, _, ok := bodyString(body, "redirect_uri")
	if !ok {
		writeOAuthError(w, c, http.StatusBadRequest, "invalid_request", "redirect_uri must be a string")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ac, found := s.codes[code]
	switch {
	case !found:
		writeOAuthError(w, c, http.StatusBadRequest, "invalid_grant", "Invalid code.")
		return
	case ac.used:
		// A replayed code may have leaked: revoke what it gave, as RFC 6749
		// section 4.1.2 suggests.
		if ac.grant != nil {
			s.killGrantLocked(ac.grant)
		}
		writeOAuthError(w, c, http.StatusBadRequest, "invalid_grant", "Code has already been used.")
		return
	case s.now().After(ac.issued.Add(s.opts.CodeTTL)):
		delete(s.codes, code)
		writeOAuthError(w, c, http.StatusBadRequest, "invalid_grant", "Code has expired.")
		return
	case redirect != ac.redirectURI:
		// Exact match, as the authorize request used it.
		writeOAuthError(w, c, http.StatusBadRequest, "invalid_grant",
			"redirect_uri does not match the one used in the authorization request.")
		return
	}
	ws, found := s.workspaces[ac.ws]
	if !found {
		writeOAuthError(w, c, http.StatusBadRequest, "invalid_grant", "Invalid code.")
		return
	}
	g := s.newGrantLocked(ws, false)
	ac.used = true
	ac.grant = g
	writeJSON(w, http.StatusOK, s.grantResponseLocked(g, ws, c))
}

func (s *Server) refreshGrant(w http.ResponseWriter, c *call, body map[string]json.RawMessage) {
	rt, ok := requiredString(w, c, body, "refresh_token")
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref, found := s.tokens[rt]
	if !found || !ref.refresh {
		writeOAuthError(w, c, http.StatusBadRequest, "invalid_grant", "Invalid refresh token.")
		return
	}
	g := ref.g
	ws, found := s.workspaces[g.ws]
	if !found {
		writeOAuthError(w, c, http.StatusBadRequest, "invalid_grant", "Invalid refresh token.")
		return
	}
	// Rotation: both old tokens die, a new pair replaces them.
	for _, t := range []string{g.access, g.refresh} {
		if r, ok := s.tokens[t]; ok && r.g == g {
			delete(s.tokens, t)
		}
	}
	s.issueTokensLocked(g)
	s.tokens[g.access] = tokenRef{g: g}
	g.iat = s.now()
	writeJSON(w, http.StatusOK, s.grantResponseLocked(g, ws, c))
}

// grantResponseLocked is the token endpoint's success body.
func (s *Server) grantResponseLocked(g *grant, ws *workspace, c *call) map[string]any {
	return map[string]any{
		"access_token":           g.access,
		"token_type":             "bearer",
		"refresh_token":          g.refresh,
		"bot_id":                 g.botID,
		"workspace_id":           ws.spec.ID,
		"workspace_name":         nullable(ws.spec.Name),
		"workspace_icon":         nullable(ws.spec.Icon),
		"owner":                  userOwner(ws),
		"duplicated_template_id": nil,
		"request_id":             c.rid,
	}
}

// userOwner is the owner object of a public connection: the person who
// installed it.
func userOwner(ws *workspace) map[string]any {
	return map[string]any{
		"type": "user",
		"user": map[string]any{
			"object":     "user",
			"id":         ws.ownerID,
			"name":       ws.spec.OwnerName,
			"avatar_url": nil,
			"type":       "person",
			"person":     map[string]any{"email": ws.spec.OwnerEmail},
		},
	}
}

func (s *Server) handleRevoke(w http.ResponseWriter, c *call, body map[string]json.RawMessage) {
	tok, ok := requiredString(w, c, body, "token")
	if !ok {
		return
	}
	s.mu.Lock()
	// Only this client's grants; an unknown token is not an error (RFC 7009).
	if ref, found := s.tokens[tok]; found && !ref.g.internal {
		s.killGrantLocked(ref.g)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"request_id": c.rid})
}

func (s *Server) handleIntrospect(w http.ResponseWriter, c *call, body map[string]json.RawMessage) {
	tok, ok := requiredString(w, c, body, "token")
	if !ok {
		return
	}
	s.mu.Lock()
	ref, found := s.tokens[tok]
	var iat time.Time
	active := found && !ref.g.internal
	if active {
		iat = ref.g.iat
	}
	s.mu.Unlock()
	resp := map[string]any{"active": active, "request_id": c.rid}
	if active {
		resp["scope"] = "read_content"
		resp["iat"] = iat.Unix()
	}
	writeJSON(w, http.StatusOK, resp)
}
