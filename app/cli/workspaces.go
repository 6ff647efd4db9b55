package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
)

// workspaces: what is connected, and how it is.

// workspaceJSON is the contract of `workspaces --json`.
type workspaceJSON struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Icon     string  `json:"icon"`
	BotID    string  `json:"bot_id"`
	Auth     string  `json:"auth"`
	Status   string  `json:"status"`
	Items    int     `json:"items"`
	SyncedAt *string `json:"synced_at"`
	// Content is "on", "off" or "no_access"; ContentPages the pages stored.
	Content      string `json:"content"`
	ContentPages int    `json:"content_pages"`
	// Rows: database rows stored with their properties.
	Rows int `json:"rows"`
}

func runWorkspaces(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("workspaces", env)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	core, err := env.NewReadOnlyCore(ctx)
	if err != nil {
		return err
	}
	// A damaged or missing content index is rebuilt first, so the
	// answer counts and finds every stored page.
	_ = core.PrepareContent(ctx)
	ws, err := core.Workspaces()
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]workspaceJSON, len(ws))
		for i, w := range ws {
			j := workspaceJSON{ID: w.ID, Name: w.Name, Icon: w.Icon, BotID: w.BotID, Auth: authName(w.Auth), Status: string(w.Status), Items: w.Items,
				Content: string(core.Content(w.ID).State), ContentPages: core.Content(w.ID).Pages, Rows: core.Databases().Count(w.ID)}
			if j.Status == "" {
				j.Status = string(store.StatusOK)
			}
			if !w.Synced.IsZero() {
				s := w.Synced.UTC().Format(time.RFC3339)
				j.SyncedAt = &s
			}
			out[i] = j
		}
		return writeJSON(env.Stdout, out)
	}
	if len(ws) == 0 {
		fmt.Fprintln(env.Stdout, "No workspaces yet. Connect one with 'pagedeck connect' or 'pagedeck add-token'.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tID\tAUTH\tSTATUS\tITEMS\tSYNCED\tCONTENT")
	for _, w := range ws {
		synced := "never"
		if !w.Synced.IsZero() {
			synced = app.Ago(time.Since(w.Synced))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", cell(w.Name), cell(w.ID), authName(w.Auth), statusWords(w.Status), w.Items, synced,
			contentWords(core.Content(w.ID).State, core.Content(w.ID).Pages))
	}
	return tw.Flush()
}

// authName maps how a workspace was connected onto the contract's words:
// broker grants are OAuth grants.
func authName(a string) string {
	if a == string(auth.KindToken) {
		return "token"
	}
	return "oauth"
}

func statusWords(s store.Status) string {
	if s == store.StatusNeedsReconnect {
		return "needs reconnect"
	}
	return "ok"
}
