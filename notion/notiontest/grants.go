// Grants: the token pairs the emulator issues, and what tests do to them.

package notiontest

import (
	"time"

	"golang.org/x/time/rate"
)

// authCode is an issued authorization code.
type authCode struct {
	ws          string
	redirectURI string
	issued      time.Time
	used        bool
	grant       *grant // what its exchange issued, revoked if the code is replayed
}

// grant is one connection's authorization for a workspace: a public token
// pair (rotated on refresh) or an internal secret.
type grant struct {
	id       string
	ws       string
	botID    string
	access   string
	refresh  string // "" for internal tokens
	internal bool
	iat      time.Time
	live     bool
	limiter  *rate.Limiter // nil when unlimited; survives rotation
}

type tokenRef struct {
	g       *grant
	refresh bool
}

// Grant is a public-connection token pair for a workspace.
type Grant struct {
	AccessToken, RefreshToken, WorkspaceID, BotID string
}

// newGrantLocked makes a live grant; the caller holds s.mu.
func (s *Server) newGrantLocked(ws *workspace, internal bool) *grant {
	g := &grant{
		id:       newUUID(),
		ws:       ws.spec.ID,
		botID:    ws.botID,
		internal: internal,
		iat:      s.now(),
		live:     true,
	}
	if s.opts.RateLimit > 0 {
		g.limiter = rate.NewLimiter(rate.Limit(s.opts.RateLimit), s.opts.Burst)
	}
	if internal {
		// Each internal connection is its own bot.
		g.botID = newUUID()
		g.access = randomToken("ntn_", 46)
	} else {
		s.issueTokensLocked(g)
	}
	s.tokens[g.access] = tokenRef{g: g}
	s.grants = append(s.grants, g)
	return g
}

// issueTokensLocked gives a public grant a fresh pair and indexes the
// refresh token; the caller indexes the access token.
func (s *Server) issueTokensLocked(g *grant) {
	g.access = randomToken("ntn_", 46)
	g.refresh = randomToken("nrt_", 46)
	s.tokens[g.refresh] = tokenRef{g: g, refresh: true}
}

// killGrantLocked revokes both tokens of a grant.
func (s *Server) killGrantLocked(g *grant) {
	if !g.live {
		return
	}
	g.live = false
	for _, t := range []string{g.access, g.refresh} {
		if ref, ok := s.tokens[t]; ok && ref.g == g {
			delete(s.tokens, t)
		}
	}
}

// IssueGrant creates a public-connection token pair for a workspace as if
// its user had consented (for preconnected demo workspaces).
func (s *Server) IssueGrant(workspaceID string) Grant {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.newGrantLocked(s.mustWorkspace(workspaceID), false)
	return Grant{AccessToken: g.access, RefreshToken: g.refresh, WorkspaceID: g.ws, BotID: g.botID}
}

// AddInternalToken creates an internal connection's secret ("ntn_…") for a
// workspace. It has no refresh token.
func (s *Server) AddInternalToken(workspaceID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newGrantLocked(s.mustWorkspace(workspaceID), true).access
}

// RevokeToken kills the grant of an access, refresh or internal token: both
// of its tokens stop working. Unknown tokens are ignored.
func (s *Server) RevokeToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ref, ok := s.tokens[token]; ok {
		s.killGrantLocked(ref.g)
	}
}

// ExpireAccessToken makes one access token answer 401 from now on, as if it
// had timed out; its refresh token still works. For an internal token this
// is the same as revoking it.
func (s *Server) ExpireAccessToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref, ok := s.tokens[token]
	if !ok || ref.refresh {
		return
	}
	if ref.g.internal {
		s.killGrantLocked(ref.g)
		return
	}
	delete(s.tokens, token)
}

// ActiveGrants counts the live grants (public pairs and internal tokens) of
// a workspace.
func (s *Server) ActiveGrants(workspaceID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, g := range s.grants {
		if g.live && g.ws == workspaceID {
			n++
		}
	}
	return n
}

// RateTokens is how many requests the workspace's live grants could send
// at once right now without a 429: the most tokens left in any of their
// rate-limit buckets (-1 when the API is not rate limited). Benchmarks use it
// for the bound a perfect client would reach.
func (s *Server) RateTokens(workspaceID string) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	left := -1.0
	for _, g := range s.grants {
		if g.live && g.ws == workspaceID && g.limiter != nil {
			left = max(left, g.limiter.Tokens())
		}
	}
	return left
}

// SetAutoApprove makes the consent page approve at once for this workspace
// ("" switches it off).
func (s *Server) SetAutoApprove(workspaceID string) {
	s.mu.Lock()
	s.autoApprove = workspaceID
	s.mu.Unlock()
}

// SetAutoDeny makes the consent page answer access_denied at once.
func (s *Server) SetAutoDeny(on bool) {
	s.mu.Lock()
	s.autoDeny = on
	s.mu.Unlock()
}

// SetRetryAfter sets the Retry-After seconds of rate-limit and overload
// answers (default 1).
func (s *Server) SetRetryAfter(seconds int) {
	s.mu.Lock()
	s.retryAfter = max(seconds, 0)
	s.mu.Unlock()
}
