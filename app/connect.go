// Connecting a workspace (the browser flow, an internal token), and disconnecting it.

package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
)

// provider is the way to run the OAuth flow now: your own connection when a
// client id and secret are known, else the broker. It also returns the
// configuration it decided on.
func (c *Core) provider(ctx context.Context) (auth.Provider, Config, error) {
	eff, err := c.effective(ctx)
	if err != nil {
		return nil, eff, err
	}
	switch {
	case eff.ClientID != "" && eff.ClientSecret != "":
		return &auth.OwnConnection{Client: c.notionClient(eff.ClientID, eff.ClientSecret), ClientID: eff.ClientID}, eff, nil
	case eff.BrokerURL != "":
		p, err := c.brokerProvider(eff.BrokerURL)
		return p, eff, err
	}
	return nil, eff, ErrNotConfigured
}

// providerFor is the provider that can refresh or revoke a grant of kind.
func (c *Core) providerFor(ctx context.Context, kind auth.Kind) (auth.Provider, error) {
	eff, err := c.effective(ctx)
	if err != nil {
		return nil, err
	}
	switch kind {
	case auth.KindOAuth:
		if eff.ClientID == "" || eff.ClientSecret == "" {
			return nil, errors.New("the connection's client ID and secret are no longer configured")
		}
		return &auth.OwnConnection{Client: c.notionClient(eff.ClientID, eff.ClientSecret), ClientID: eff.ClientID}, nil
	case auth.KindBroker:
		if eff.BrokerURL == "" {
			return nil, errors.New("no token broker is configured any more")
		}
		return c.brokerProvider(eff.BrokerURL)
	}
	return nil, fmt.Errorf("a %s grant cannot be refreshed", kind)
}

func (c *Core) brokerProvider(brokerURL string) (auth.Provider, error) {
	return auth.NewBroker(brokerURL, c.opts.HTTPClient)
}

// ConnectOptions say how a Connect runs.
type ConnectOptions struct {
	// Opener opens the consent URL; it also gets the URL to show, for when
	// no browser opens.
	Opener Opener
	// Timeout limits the wait for the browser; 0 is the default, 5
	// minutes. The first sync is not limited by it.
	Timeout time.Duration
	// NoSync returns once the grant is kept: the window syncs in the
	// background, with progress.
	NoSync bool
	// InternalToken connects an internal connection by its pasted secret
	// instead of the browser flow: it is checked with Notion first. A
	// Connect without an Opener takes this way, so an empty paste is
	// refused as such rather than starting a browser.
	InternalToken string
}

// Connect runs the browser flow, then the first sync. The grant is kept in
// the vault and the workspace in the store before the browser hears it
// worked. A *FirstSyncError comes with the workspace when only the sync
// failed.
func (c *Core) Connect(ctx context.Context, o ConnectOptions) (store.Workspace, error) {
	var w store.Workspace
	var err error
	if o.Opener == nil {
		w, err = c.addToken(ctx, o.InternalToken)
	} else {
		w, err = c.authorize(ctx, o.Opener, o.Timeout)
	}
	if err != nil || o.NoSync {
		return w, err
	}
	// Someone is waiting for this first sync: it goes ahead of any crawl.
	if _, err := c.Sync(notion.WithPriority(ctx, notion.PriorityInteractive), w.ID, true, nil); err != nil {
		w, _ := c.store.Workspace(w.ID)
		return w, &FirstSyncError{Err: err}
	}
	return c.store.Workspace(w.ID)
}

// authorize runs the browser flow.
func (c *Core) authorize(ctx context.Context, op Opener, timeout time.Duration) (store.Workspace, error) {
	p, eff, err := c.provider(ctx)
	if err != nil {
		return store.Workspace{}, err
	}
	if timeout <= 0 {
		timeout = c.opts.ConnectTimeout
	}
	sess, err := c.loop.Start(ctx, auth.Request{Provider: p, RedirectURI: eff.RedirectURI, Save: c.saveGrant, Timeout: timeout})
	if err != nil {
		return store.Workspace{}, err
	}
	if err := op.OpenURL(sess.URL); err != nil {
		// Not fatal: the URL is shown for the user to open by hand.
		c.log.Warn("app: could not open the browser", "err", err)
	}
	g, err := sess.Wait()
	if err != nil {
		return store.Workspace{}, err
	}
	return c.store.Workspace(g.WorkspaceID)
}

// addToken checks a pasted internal connection secret and keeps it.
func (c *Core) addToken(ctx context.Context, secret string) (store.Workspace, error) {
	g, err := auth.CheckToken(ctx, c.api, secret)
	if err != nil {
		return store.Workspace{}, err
	}
	if err := c.saveGrant(ctx, g); err != nil {
		return store.Workspace{}, err
	}
	return c.store.Workspace(g.WorkspaceID)
}

// saveGrant keeps the pair in the vault, then the metadata in the store.
// Connecting a workspace again overwrites its pair and clears its status.
func (c *Core) saveGrant(ctx context.Context, g *auth.Grant) error {
	unlock, err := c.lockWorkspace(ctx, g.WorkspaceID)
	if err != nil {
		return err
	}
	defer unlock()
	// Notion has issued the pair: once the lock is ours, keep it even if
	// the user gives up now.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	if err := c.vault.Save(sctx, g.WorkspaceID, g.Tokens()); err != nil {
		return err
	}
	_, err = c.store.UpsertWorkspace(g.WorkspaceID, func(w *store.Workspace, existed bool) {
		if g.WorkspaceName != "" || w.Name == "" {
			w.Name = g.WorkspaceName
		}
		if w.Name == "" {
			w.Name = "Untitled workspace"
		}
		if g.WorkspaceIcon != "" {
			w.Icon = g.WorkspaceIcon
		}
		if g.BotID != "" {
			w.BotID = g.BotID
		}
		if g.OwnerName != "" || g.OwnerEmail != "" {
			w.OwnerName, w.OwnerEmail = g.OwnerName, g.OwnerEmail
		}
		w.Auth = string(g.Kind)
		w.Status = store.StatusOK
		if !existed {
			w.Connected = c.now().UTC()
		}
	})
	if err != nil {
		return fmt.Errorf("saving the workspace: %w", err)
	}
	c.mu.Lock()
	delete(c.lastErr, g.WorkspaceID)
	c.mu.Unlock()
	c.emit(WorkspacesChanged{WorkspaceID: g.WorkspaceID})
	return nil
}

// Disconnect revokes the grant at Notion (unless revoke is false), then
// deletes the keychain entry, the metadata and the cached items.
func (c *Core) Disconnect(ctx context.Context, id string, revoke bool) error {
	unlock, err := c.lockWorkspace(ctx, id)
	if err != nil {
		return err
	}
	defer unlock()
	w, err := c.store.Workspace(id)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrUnknownWorkspace, id)
	}
	toks, err := c.vault.Load(ctx, id)
	switch {
	case errors.Is(err, auth.ErrNoToken):
	case err != nil:
		return err
	case revoke && toks.Kind != auth.KindToken:
		if err := c.revoke(ctx, toks); err != nil {
			return fmt.Errorf("%w: %w", ErrRevokeFailed, err)
		}
	}
	if err := c.vault.Delete(ctx, id); err != nil {
		return err
	}
	if err := c.store.DeleteWorkspace(id); err != nil {
		return err
	}
	if err := c.dropContent(id); err != nil {
		c.log.Warn("app: deleting the workspace's content", "err", err)
	}
	// Its titles leave the disk too: the freed pages of the database and
	// the last good copy.
	if err := c.store.Scrub(); err != nil {
		c.log.Warn("app: clearing the workspace's titles from the disk", "err", err)
	}
	c.titles.mu.Lock()
	c.titles.idx.Remove(id)
	c.titles.mu.Unlock()
	c.mu.Lock()
	delete(c.lastErr, id)
	c.mu.Unlock()
	c.log.Info("app: disconnected", "workspace", w.Name)
	c.emit(WorkspacesChanged{WorkspaceID: id})
	return nil
}

func (c *Core) revoke(ctx context.Context, toks auth.Tokens) error {
	p, err := c.providerFor(ctx, toks.Kind)
	if err != nil {
		return err
	}
	err = p.Revoke(ctx, toks.Access)
	// A token that is already dead needs no revoking.
	if err == nil || notion.IsUnauthorized(err) || errors.Is(err, notion.ErrInvalidGrant) {
		return nil
	}
	return err
}
