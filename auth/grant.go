// Package auth gets Pagedeck a Notion token and keeps it: the loopback OAuth
// flow (listener, state, PKCE, result pages), the three ways to a grant
// (your own connection, a token broker, a pasted internal token) and the
// vault that keeps token pairs in the operating system's keychain.
package auth

import (
	"github.com/pagedeck/pagedeck/notion"
)

// Kind is how a workspace was connected; it decides how its token refreshes.
type Kind string

const (
	// KindOAuth: your own public connection; refresh with its client secret.
	KindOAuth Kind = "oauth"
	// KindBroker: through a token broker; refresh through the broker.
	KindBroker Kind = "broker"
	// KindToken: a pasted internal connection secret; it never refreshes.
	KindToken Kind = "token"
)

// Grant is a connected workspace's token pair and what Notion said about it,
// whichever way it was obtained.
type Grant struct {
	Kind                 Kind
	AccessToken          notion.Secret
	RefreshToken         notion.Secret
	BotID                string
	WorkspaceID          string
	WorkspaceName        string
	WorkspaceIcon        string
	OwnerName            string
	OwnerEmail           string
	DuplicatedTemplateID string
}

// Tokens is the grant's secret part, as the vault keeps it.
func (g *Grant) Tokens() Tokens {
	return Tokens{Access: g.AccessToken, Refresh: g.RefreshToken, Kind: g.Kind}
}

func fromNotion(kind Kind, n *notion.Grant) *Grant {
	return &Grant{
		Kind:                 kind,
		AccessToken:          n.AccessToken,
		RefreshToken:         n.RefreshToken,
		BotID:                n.BotID,
		WorkspaceID:          n.WorkspaceID,
		WorkspaceName:        n.WorkspaceName,
		WorkspaceIcon:        n.WorkspaceIcon,
		OwnerName:            n.Owner.Name,
		OwnerEmail:           n.Owner.Email,
		DuplicatedTemplateID: n.DuplicatedTemplateID,
	}
}
