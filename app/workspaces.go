// The connected workspaces: listing them, finding one by id or name.

package app

import (
	"fmt"
	"strings"

	"github.com/pagedeck/pagedeck/app/store"
)

// WorkspaceInfo is a workspace with what is happening to it now.
type WorkspaceInfo struct {
	store.Workspace
	Syncing bool
	// LastError is the last sync's failure in plain words, "" after a success.
	LastError string
	// Content says whether its page content is kept for search and reading.
	Content ContentState
}

// Workspaces lists the connected workspaces, oldest connection first.
func (c *Core) Workspaces() ([]WorkspaceInfo, error) {
	ws, err := c.store.Workspaces()
	if err != nil {
		return nil, err
	}
	settings, err := c.store.Settings()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]WorkspaceInfo, len(ws))
	for i, w := range ws {
		out[i] = WorkspaceInfo{Workspace: w, Syncing: c.syncing[w.ID], Content: contentState(settings[contentKey(w.ID)])}
		if err := c.lastErr[w.ID]; err != nil {
			out[i].LastError = Explain(err)
		}
	}
	return out, nil
}

// Resolve finds a workspace by id or by name (case-insensitive).
func (c *Core) Resolve(idOrName string) (store.Workspace, error) {
	ws, err := c.store.Workspaces()
	if err != nil {
		return store.Workspace{}, err
	}
	var byName []store.Workspace
	for _, w := range ws {
		if w.ID == idOrName {
			return w, nil
		}
		if strings.EqualFold(w.Name, idOrName) {
			byName = append(byName, w)
		}
	}
	switch len(byName) {
	case 1:
		return byName[0], nil
	case 0:
		return store.Workspace{}, fmt.Errorf("%w: %q", ErrUnknownWorkspace, idOrName)
	}
	ids := make([]string, len(byName))
	for i, w := range byName {
		ids[i] = w.ID
	}
	return store.Workspace{}, fmt.Errorf("%d workspaces are named %q; use an id: %s", len(byName), idOrName, strings.Join(ids, ", "))
}
