package notion

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Grant is what Notion's token endpoint answers for an authorization code or
// a refresh: the token pair and the workspace it opens.
type Grant struct {
	AccessToken  Secret
	RefreshToken Secret // empty when Notion sent null
	TokenType    string
	BotID        string
	WorkspaceID  string
	// WorkspaceName and WorkspaceIcon may be empty: Notion sends null for
	// some workspaces. The icon is an emoji or an image URL.
	WorkspaceName        string
	WorkspaceIcon        string
	Owner                Owner
	DuplicatedTemplateID string
	RequestID            string
}

// Owner is who installed the connection: a user (with name and email when
// Notion shares them) or the workspace itself.
type Owner struct {
	Type   string // "user" or "workspace"
	UserID string
	Name   string
	Email  string
}

// Introspection is the answer of the introspect endpoint.
type Introspection struct {
	Active   bool
	Scope    string
	IssuedAt time.Time
}

type wireGrant struct {
	AccessToken          string  `json:"access_token"`
	TokenType            string  `json:"token_type"`
	RefreshToken         *string `json:"refresh_token"`
	BotID                string  `json:"bot_id"`
	WorkspaceID          string  `json:"workspace_id"`
	WorkspaceName        *string `json:"workspace_name"`
	WorkspaceIcon        *string `json:"workspace_icon"`
	DuplicatedTemplateID *string `json:"duplicated_template_id"`
	RequestID            string  `json:"request_id"`
	Owner                struct {
		Type string `json:"type"`
		User *struct {
			ID     string `json:"id"`
			Name   string `json:"name"`
			Person *struct {
				Email string `json:"email"`
			} `json:"person"`
		} `json:"user"`
	} `json:"owner"`
}

func (w *wireGrant) grant() (*Grant, error) {
	if w.AccessToken == "" || w.WorkspaceID == "" {
		return nil, fmt.Errorf("%w: token answer lacks access_token or workspace_id", ErrMalformedResponse)
	}
	g := &Grant{
		AccessToken:          Secret(w.AccessToken),
		RefreshToken:         Secret(deref(w.RefreshToken)),
		TokenType:            w.TokenType,
		BotID:                w.BotID,
		WorkspaceID:          w.WorkspaceID,
		WorkspaceName:        deref(w.WorkspaceName),
		WorkspaceIcon:        deref(w.WorkspaceIcon),
		DuplicatedTemplateID: deref(w.DuplicatedTemplateID),
		RequestID:            w.RequestID,
		Owner:                Owner{Type: w.Owner.Type},
	}
	if u := w.Owner.User; u != nil {
		g.Owner.UserID, g.Owner.Name = u.ID, u.Name
		if u.Person != nil {
			g.Owner.Email = u.Person.Email
		}
	}
	return g, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ExchangeCode trades an authorization code for a grant. redirectURI must be
// the one the authorize request used.
func (c *Client) ExchangeCode(ctx context.Context, code, redirectURI string) (*Grant, error) {
	return c.token(ctx, map[string]string{
		"grant_type":   "authorization_code",
		"code":         code,
		"redirect_uri": redirectURI,
	}, Secret(code))
}

// Refresh trades a refresh token for a new pair. The old refresh token stops
// working, so the caller must store the new pair before anything else.
func (c *Client) Refresh(ctx context.Context, refreshToken Secret) (*Grant, error) {
	return c.token(ctx, map[string]string{
		"grant_type":    "refresh_token",
		"refresh_token": refreshToken.Reveal(),
	}, refreshToken)
}

func (c *Client) token(ctx context.Context, body map[string]string, secret Secret) (*Grant, error) {
	var w wireGrant
	if err := c.do(ctx, request{method: http.MethodPost, path: "/v1/oauth/token", body: body, basic: true, secrets: []Secret{secret}}, &w); err != nil {
		return nil, err
	}
	return w.grant()
}

// Revoke ends a grant at Notion: both of its tokens stop working.
func (c *Client) Revoke(ctx context.Context, token Secret) error {
	return c.do(ctx, request{method: http.MethodPost, path: "/v1/oauth/revoke",
		body: map[string]string{"token": token.Reveal()}, basic: true, idempotent: true, secrets: []Secret{token}}, nil)
}

// Introspect asks whether a token is still active.
func (c *Client) Introspect(ctx context.Context, token Secret) (*Introspection, error) {
	var w struct {
		Active bool   `json:"active"`
		Scope  string `json:"scope"`
		IAT    int64  `json:"iat"`
	}
	if err := c.do(ctx, request{method: http.MethodPost, path: "/v1/oauth/introspect",
		body: map[string]string{"token": token.Reveal()}, basic: true, idempotent: true, secrets: []Secret{token}}, &w); err != nil {
		return nil, err
	}
	in := &Introspection{Active: w.Active, Scope: w.Scope}
	if w.IAT > 0 {
		in.IssuedAt = time.Unix(w.IAT, 0)
	}
	return in, nil
}
