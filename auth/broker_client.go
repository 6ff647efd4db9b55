package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/pagedeck/pagedeck/notion"
)

// BrokerClientID is the client id the desktop presents to a token broker.
// It is public by design: the broker holds the only secret.
const BrokerClientID = "pagedeck-desktop"

// Broker is a token broker (cmd/pagedeck-broker) that holds the connection's
// client secret. The desktop speaks plain OAuth 2.0 with PKCE S256 to it, so
// the secret never ships with the app.
type Broker struct {
	base string
	hc   *http.Client
}

// NewBroker returns the provider for the broker at base.
func NewBroker(base string, hc *http.Client) (*Broker, error) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("broker URL %q is not a URL", base)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	return &Broker{base: strings.TrimRight(base, "/"), hc: hc}, nil
}

func (b *Broker) Kind() Kind { return KindBroker }
func (b *Broker) PKCE() bool { return true }

func (b *Broker) config(redirectURI string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: BrokerClientID,
		Endpoint: oauth2.Endpoint{
			AuthURL:   b.base + "/authorize",
			TokenURL:  b.base + "/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: redirectURI,
	}
}

func (b *Broker) ctx(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, b.hc)
}

func (b *Broker) AuthCodeURL(state, redirectURI, verifier string) string {
	return b.config(redirectURI).AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
}

func (b *Broker) Exchange(ctx context.Context, code, redirectURI, verifier string) (*Grant, error) {
	tok, err := b.config(redirectURI).Exchange(b.ctx(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, brokerError(err)
	}
	return grantFromToken(tok)
}

func (b *Broker) Refresh(ctx context.Context, rt notion.Secret) (*Grant, error) {
	// An empty access token makes the source refresh at once.
	src := b.config("").TokenSource(b.ctx(ctx), &oauth2.Token{RefreshToken: rt.Reveal()})
	tok, err := src.Token()
	if err != nil {
		return nil, brokerError(err)
	}
	return grantFromToken(tok)
}

func (b *Broker) Revoke(ctx context.Context, token notion.Secret) error {
	form := url.Values{"token": {token.Reveal()}, "client_id": {BrokerClientID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/revoke", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.hc.Do(req)
	if err != nil {
		return &notion.NetworkError{Err: scrubURLError(err)}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 == 2 {
		return nil
	}
	code, desc := oauthErrorBody(body)
	return brokerError(&oauth2.RetrieveError{Response: resp, Body: body, ErrorCode: code, ErrorDescription: desc})
}

// grantFromToken reads Notion's token response, which the broker passes on
// whole, from oauth2's token and its extra fields.
func grantFromToken(tok *oauth2.Token) (*Grant, error) {
	str := func(k string) string {
		s, _ := tok.Extra(k).(string)
		return s
	}
	g := &Grant{
		Kind:                 KindBroker,
		AccessToken:          notion.Secret(tok.AccessToken),
		RefreshToken:         notion.Secret(tok.RefreshToken),
		BotID:                str("bot_id"),
		WorkspaceID:          str("workspace_id"),
		WorkspaceName:        str("workspace_name"),
		WorkspaceIcon:        str("workspace_icon"),
		DuplicatedTemplateID: str("duplicated_template_id"),
	}
	if owner, ok := tok.Extra("owner").(map[string]any); ok {
		if user, ok := owner["user"].(map[string]any); ok {
			g.OwnerName, _ = user["name"].(string)
			if person, ok := user["person"].(map[string]any); ok {
				g.OwnerEmail, _ = person["email"].(string)
			}
		}
	}
	if g.AccessToken == "" || g.WorkspaceID == "" {
		return nil, fmt.Errorf("%w: the broker's token answer lacks access_token or workspace_id", notion.ErrMalformedResponse)
	}
	return g, nil
}

// brokerError turns oauth2's errors into notion's, so callers branch on
// invalid_grant, 401 and transient failures the same way for both providers.
func brokerError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		ae := &notion.APIError{Status: re.Response.StatusCode, Code: re.ErrorCode, Message: re.ErrorDescription}
		if ae.Code == "" {
			ae.Code, ae.Message = oauthErrorBody(re.Body)
		}
		// A broker that is rate limited or waiting on Notion says how long.
		if secs, err := strconv.Atoi(strings.TrimSpace(re.Response.Header.Get("Retry-After"))); err == nil && secs > 0 {
			ae.RetryAfter = time.Duration(secs) * time.Second
		}
		return fmt.Errorf("token broker: %w", ae)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("token broker: %w", &notion.NetworkError{Err: scrubURLError(err)})
	}
	return fmt.Errorf("token broker: %w", err)
}

// scrubURLError keeps the failure but not the URL's query, where a code or
// token could sit.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		u := ue.URL
		if i := strings.IndexByte(u, '?'); i >= 0 {
			u = u[:i]
		}
		return &url.Error{Op: ue.Op, URL: u, Err: ue.Err}
	}
	return err
}

// oauthErrorBody reads {"error","error_description"}; anything else is empty.
func oauthErrorBody(body []byte) (code, desc string) {
	var e struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Error, e.ErrorDescription
}
