// The workspace's token: used, refreshed once on a 401, kept in the keychain first.

package app

import (
	"context"
	"errors"

	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
)

// withToken runs fn with the workspace's access token. On a 401 it refreshes
// once with the stored refresh token, stores the new pair before using it,
// and runs fn again. Only when Notion refuses the token and the refresh (or
// there is none) is the workspace marked needs_reconnect, with a
// *ReconnectError; a locked keychain, a wrong client secret or an outage is
// returned as itself and marks nothing. The cache stays either way.
func (c *Core) withToken(ctx context.Context, w store.Workspace, fn func(notion.Secret) error) error {
	toks, err := c.vault.Load(ctx, w.ID)
	if errors.Is(err, auth.ErrNoToken) {
		return c.needsReconnect(w, "the keychain has no token for it", err)
	}
	if err != nil {
		return err
	}
	// Whatever the token, the workspace's one budget paces it.
	call := func(tok notion.Secret) error {
		c.api.UseBudget(tok, c.budget(w.ID))
		return fn(tok)
	}
	err = call(toks.Access)
	if !notion.IsUnauthorized(err) {
		return err
	}
	// Another Pagedeck (the window, a command) may have refreshed already.
	if fresh, ok := c.changedPair(ctx, w.ID, toks); ok {
		toks = fresh
		if err = call(toks.Access); !notion.IsUnauthorized(err) {
			return err
		}
	}
	if toks.Kind == auth.KindToken || toks.Refresh == "" {
		return c.needsReconnect(w, "Notion refused its token", err)
	}
	fresh, refreshed, err := c.refresh(ctx, w, toks)
	if err != nil {
		return err
	}
	if refreshed {
		c.log.Info("app: token refreshed", "workspace", w.Name)
	}
	if err := ctx.Err(); err != nil {
		return err // the new pair is kept; the sync stops here
	}
	err = call(fresh.Access)
	if notion.IsUnauthorized(err) {
		return c.needsReconnect(w, "Notion refused even a fresh token", err)
	}
	return err
}

// changedPair reloads the stored pair and reports whether it differs from
// old: another process refreshed it.
func (c *Core) changedPair(ctx context.Context, id string, old auth.Tokens) (auth.Tokens, bool) {
	latest, err := c.vault.Load(ctx, id)
	if err != nil || latest.Access == old.Access {
		return old, false
	}
	return latest, true
}

func (c *Core) needsReconnect(w store.Workspace, reason string, cause error) error {
	if _, err := c.store.UpdateWorkspace(w.ID, func(m *store.Workspace) { m.Status = store.StatusNeedsReconnect }); err != nil {
		c.log.Warn("app: marking needs_reconnect", "err", err)
	}
	c.emit(WorkspacesChanged{WorkspaceID: w.ID})
	return &ReconnectError{Workspace: w.Name, Reason: reason, Err: cause}
}
