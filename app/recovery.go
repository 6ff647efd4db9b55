package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
)

// Recovery reports that the database was found damaged at start, moved
// aside, and its last good copy restored. Its String is the sentence to
// show.
type Recovery = store.Recovery

// ErrCorrupt: the database is damaged and could not be restored; the
// error's text names the file and says what Pagedeck did.
var ErrCorrupt = store.ErrCorrupt

// Recovered is what the store restored when the core started, or nil. The
// window shows it once; the command line prints it on stderr.
func (c *Core) Recovered() *Recovery { return c.store.Recovered() }

// keepBackup keeps the store's last good copy after a successful sync (the
// store takes at most one a minute). A failure costs only the copy.
func (c *Core) keepBackup() {
	if _, err := c.store.Backup(); err != nil {
		c.log.Warn("app: keeping a copy of the database", "err", err)
	}
}

// LostWorkspaces are the workspaces a restore of the database lost: the
// copy predates them, but their content folder and keychain entry are
// still there. A content folder whose workspace has neither a record nor a
// keychain entry is deleted here: no content is kept without its
// workspace.
func (c *Core) LostWorkspaces(ctx context.Context) ([]string, error) {
	known := map[string]bool{}
	ws, err := c.store.Workspaces()
	if err != nil {
		return nil, err
	}
	for _, w := range ws {
		known[w.ID] = true
	}
	var lost []string
	for _, id := range c.content.Workspaces() {
		if known[id] {
			continue
		}
		_, err := c.vault.Load(ctx, id)
		switch {
		case err == nil:
			lost = append(lost, id)
		case errors.Is(err, auth.ErrNoToken):
			if err := c.content.Drop(ctx, id); err != nil {
				c.log.Warn("app: deleting the content of an unknown workspace", "err", err)
			}
		default:
			return lost, err
		}
	}
	return lost, nil
}

// RestoreLost brings back the workspaces a restore lost (LostWorkspaces)
// from their keychain entries: Notion says who each is, and a full sync
// refills its list. It returns those restored.
func (c *Core) RestoreLost(ctx context.Context) ([]store.Workspace, error) {
	lost, err := c.LostWorkspaces(ctx)
	if err != nil || len(lost) == 0 {
		return nil, err
	}
	var out []store.Workspace
	var errs []error
	for _, id := range lost {
		toks, err := c.vault.Load(ctx, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		w, err := c.store.UpsertWorkspace(id, func(w *store.Workspace, existed bool) {
			if !existed {
				w.Name, w.Auth, w.Status, w.Connected = "Restored workspace", string(toks.Kind), store.StatusOK, c.now().UTC()
			}
		})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var bot *notion.Bot
		if err := c.withToken(ctx, w, func(tok notion.Secret) error {
			var err error
			bot, err = c.api.Me(ctx, tok)
			return err
		}); err != nil {
			errs = append(errs, fmt.Errorf("restoring %s: %w", id, err))
			continue
		}
		if w, err = c.store.UpsertWorkspace(id, func(w *store.Workspace, _ bool) {
			if bot.WorkspaceName != "" {
				w.Name = bot.WorkspaceName
			}
			w.BotID = bot.ID
		}); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, err := c.Sync(ctx, id, true, nil); err != nil {
			errs = append(errs, fmt.Errorf("restoring %s: %w", w.Name, err))
		}
		w, _ = c.store.Workspace(id)
		out = append(out, w)
	}
	c.emit(WorkspacesChanged{})
	return out, errors.Join(errs...)
}
