package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"time"

	"github.com/pagedeck/pagedeck/app/filelock"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
)

const (
	// refreshTimeout bounds a refresh and the save that follows, which run
	// on even when the caller gives up.
	refreshTimeout = 2 * time.Minute
	// saveTimeout bounds keeping a pair Notion has just issued.
	saveTimeout = time.Minute
)

// refresh gets a new pair for a workspace whose access token Notion refused
// and stores it. It returns the pair to use, and whether this call rotated
// it (false when another process had already).
//
// Notion retires the old refresh token the moment it answers, so the
// refresh and the keychain save run to completion under their own timeout
// whatever happens to ctx: a quit, Ctrl-C or a cancelled sync after the
// answer would otherwise lose the only working pair. Across processes
// (the window and a command), a lock file in the data directory is held
// from before the refresh until the save is done; a process that finds it
// taken waits (as long as ctx allows), then reads the pair the other one
// stored instead of refreshing with a token that no longer works.
func (c *Core) refresh(ctx context.Context, w store.Workspace, old auth.Tokens) (auth.Tokens, bool, error) {
	unlock, err := filelock.Lock(ctx, c.refreshLockPath(w.ID))
	if err != nil {
		if ctx.Err() != nil {
			return old, false, ctx.Err()
		}
		return old, false, fmt.Errorf("refreshing the token of %s: %w", w.Name, err)
	}
	defer unlock()
	// Another process may have refreshed while this one waited (or before).
	if fresh, ok := c.changedPair(ctx, w.ID, old); ok {
		return fresh, false, nil
	}
	p, err := c.providerFor(ctx, old.Kind)
	if err != nil {
		return old, false, fmt.Errorf("cannot refresh the token of %s: %w", w.Name, err)
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
	defer cancel()
	g, err := p.Refresh(rctx, old.Refresh)
	switch {
	case err == nil:
	case errors.Is(err, notion.ErrInvalidClient):
		return old, false, fmt.Errorf("refreshing the token of %s: Notion refused Pagedeck's client ID and secret; check them in Settings: %w", w.Name, err)
	case errors.Is(err, notion.ErrInvalidGrant) || notion.IsUnauthorized(err):
		// A Pagedeck from before the lock file, or one whose save failed,
		// may still have rotated it: use what it stored.
		if fresh, ok := c.changedPair(rctx, w.ID, old); ok {
			return fresh, false, nil
		}
		return old, false, c.needsReconnect(w, "Notion refused to refresh its token", err)
	default:
		if ctx.Err() != nil {
			return old, false, ctx.Err()
		}
		return old, false, fmt.Errorf("refreshing the token of %s: %w", w.Name, err)
	}
	fresh := auth.Tokens{Access: g.AccessToken, Refresh: g.RefreshToken, Kind: old.Kind}
	if err := c.vault.Save(rctx, w.ID, fresh); err != nil {
		return old, false, fmt.Errorf("saving the refreshed token: %w", err)
	}
	return fresh, true, nil
}

var safeLockName = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

// refreshLockPath is the workspace's refresh lock in the data directory.
// Lock files stay (removing one a waiter holds open would let a third
// process lock a new file beside it).
func (c *Core) refreshLockPath(id string) string {
	name := id
	if !safeLockName.MatchString(id) {
		sum := sha256.Sum256([]byte(id))
		name = hex.EncodeToString(sum[:12])
	}
	return filepath.Join(c.store.Dir(), "locks", "refresh-"+name+".lock")
}
