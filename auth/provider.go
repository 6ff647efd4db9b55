package auth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/pagedeck/pagedeck/notion"
)

// Provider is an OAuth server Pagedeck can get a grant from: Notion itself
// with your own connection's secret, or a token broker that holds it.
type Provider interface {
	Kind() Kind
	// PKCE reports whether the server takes a code challenge. Notion does not.
	PKCE() bool
	// AuthCodeURL is the consent URL for this state. verifier is empty unless
	// PKCE is on.
	AuthCodeURL(state, redirectURI, verifier string) string
	// Exchange trades the callback's code for a grant.
	Exchange(ctx context.Context, code, redirectURI, verifier string) (*Grant, error)
	// Refresh trades a refresh token for a new pair.
	Refresh(ctx context.Context, refreshToken notion.Secret) (*Grant, error)
	// Revoke ends the grant at Notion.
	Revoke(ctx context.Context, token notion.Secret) error
}

// OwnConnection is a public connection you registered in Notion's portal;
// its client id and secret live in the notion.Client.
type OwnConnection struct {
	Client   *notion.Client
	ClientID string
}

func (o *OwnConnection) Kind() Kind { return KindOAuth }
func (o *OwnConnection) PKCE() bool { return false }

func (o *OwnConnection) AuthCodeURL(state, redirectURI, _ string) string {
	q := url.Values{
		"client_id":     {o.ClientID},
		"response_type": {"code"},
		"owner":         {"user"},
		"redirect_uri":  {redirectURI},
		"state":         {state},
	}
	return o.Client.AuthorizeURL() + "?" + q.Encode()
}

func (o *OwnConnection) Exchange(ctx context.Context, code, redirectURI, _ string) (*Grant, error) {
	g, err := o.Client.ExchangeCode(ctx, code, redirectURI)
	if err != nil {
		return nil, err
	}
	return fromNotion(KindOAuth, g), nil
}

func (o *OwnConnection) Refresh(ctx context.Context, rt notion.Secret) (*Grant, error) {
	g, err := o.Client.Refresh(ctx, rt)
	if err != nil {
		return nil, err
	}
	return fromNotion(KindOAuth, g), nil
}

func (o *OwnConnection) Revoke(ctx context.Context, token notion.Secret) error {
	return o.Client.Revoke(ctx, token)
}

// ErrInvalidToken: a pasted secret is not a working internal connection token.
var ErrInvalidToken = errors.New("not a working internal connection secret")

// CheckToken validates a pasted internal connection secret with users/me and
// returns its grant. Internal connections have no refresh token.
func CheckToken(ctx context.Context, c *notion.Client, secret string) (*Grant, error) {
	secret = strings.TrimSpace(secret)
	if secret == "" {
		return nil, fmt.Errorf("%w: the secret is empty", ErrInvalidToken)
	}
	if !strings.HasPrefix(secret, "ntn_") && !strings.HasPrefix(secret, "secret_") {
		return nil, fmt.Errorf("%w: it should start with ntn_ or secret_ (copy it from the connection's Configuration tab in Notion)", ErrInvalidToken)
	}
	if strings.ContainsAny(secret, " \t\r\n") {
		return nil, fmt.Errorf("%w: it contains spaces; paste only the secret", ErrInvalidToken)
	}
	tok := notion.Secret(secret)
	bot, err := c.Me(ctx, tok)
	if err != nil {
		if notion.IsUnauthorized(err) {
			return nil, fmt.Errorf("%w: Notion refused it; it may have been regenerated or the connection deleted", ErrInvalidToken)
		}
		return nil, fmt.Errorf("checking the secret with Notion: %w", err)
	}
	if bot.WorkspaceID == "" {
		return nil, fmt.Errorf("checking the secret with Notion: %w: users/me named no workspace", notion.ErrMalformedResponse)
	}
	return &Grant{
		Kind:          KindToken,
		AccessToken:   tok,
		BotID:         bot.ID,
		WorkspaceID:   bot.WorkspaceID,
		WorkspaceName: bot.WorkspaceName,
	}, nil
}
