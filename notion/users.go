package notion

import (
	"context"
	"errors"
	"net/http"
)

// Bot is the connection's bot user, as /v1/users/me answers it.
type Bot struct {
	ID            string
	Name          string
	WorkspaceID   string
	WorkspaceName string
	OwnerType     string // "workspace" for an internal connection, "user" for a public one
}

// ErrNotABot: the token is not a connection's token.
var ErrNotABot = errors.New("notion: the token does not belong to a connection (its user is not a bot)")

// Me returns the bot behind token. It is how a pasted internal token is
// checked and how its workspace is found.
func (c *Client) Me(ctx context.Context, token Secret) (*Bot, error) {
	var w struct {
		Object string `json:"object"`
		ID     string `json:"id"`
		Name   string `json:"name"`
		Type   string `json:"type"`
		Bot    *struct {
			Owner struct {
				Type string `json:"type"`
			} `json:"owner"`
			WorkspaceID   string `json:"workspace_id"`
			WorkspaceName string `json:"workspace_name"`
		} `json:"bot"`
	}
	if err := c.do(ctx, request{method: http.MethodGet, path: "/v1/users/me", bearer: token, idempotent: true}, &w); err != nil {
		return nil, err
	}
	if w.Type != "bot" || w.Bot == nil {
		return nil, ErrNotABot
	}
	return &Bot{
		ID:            w.ID,
		Name:          w.Name,
		WorkspaceID:   w.Bot.WorkspaceID,
		WorkspaceName: w.Bot.WorkspaceName,
		OwnerType:     w.Bot.Owner.Type,
	}, nil
}
