package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/app/store"
)

// search and open.

func runSearch(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("search", env)
	wsArg := fs.String("w", "", "workspace id or name")
	kind := fs.String("kind", "", "page or database")
	limit := fs.Int("limit", 50, "at most this many results")
	in := fs.String("in", "all", "search titles, content or all (titles first)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(env, fs, args, 0, -1)
	if err != nil {
		return err
	}
	if *kind != "" && *kind != "page" && *kind != "database" {
		return usagef("search: --kind must be page or database, not %q", *kind)
	}
	if *limit < 1 {
		return usagef("search: --limit must be at least 1")
	}
	scope := app.Scope(*in)
	if scope != app.ScopeAll && scope != app.ScopeTitle && scope != app.ScopeContent {
		return usagef("search: --in must be title, content or all, not %q", *in)
	}
	defer lessGC()()
	core, err := env.NewReadOnlyCore(ctx)
	if err != nil {
		return err
	}
	wsID := ""
	if *wsArg != "" {
		w, err := core.Resolve(*wsArg)
		if err != nil {
			return err
		}
		wsID = w.ID
	}
	res, err := core.Search(app.SearchQuery{Text: strings.Join(pos, " "), Workspace: wsID, Kind: store.Kind(*kind), Limit: *limit, In: scope,
		// A damaged or missing content index is rebuilt first, so the
		// answer finds every stored page; a query answered by titles
		// alone never opens it.
		BeforeContent: func() { _ = core.PrepareContent(ctx) }})
	if fe := (*rows.FilterError)(nil); errors.As(err, &fe) {
		return usagef("search: %v", fe)
	}
	if err != nil {
		return err
	}
	if res.Notice != "" {
		fmt.Fprintf(env.Stderr, "note: %s\n", res.Notice)
	}
	hits := res.Hits
	if *asJSON {
		out := make([]hitJSON, len(hits))
		for i, h := range hits {
			out[i] = hitJSON{ID: h.ID, WorkspaceID: h.WorkspaceID, Kind: string(h.Kind), Title: app.DisplayTitle(h.Title),
				URL: h.URL, Icon: h.Icon, LastEditedTime: h.LastEdited.UTC().Format(time.RFC3339),
				Path: h.Path, Pinned: h.Pinned, Opened: h.Opened, Match: string(h.Match), Snippet: h.Snippet}
			if out[i].Path == nil {
				out[i].Path = []string{}
			}
		}
		return writeJSON(env.Stdout, out)
	}
	ws, _ := core.Workspaces()
	names := map[string]string{}
	for _, w := range ws {
		names[w.ID] = w.Name
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	for _, h := range hits {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", cell(titleWithPin(h)), h.Kind, cell(names[h.WorkspaceID]), app.Ago(time.Since(h.LastEdited)), cell(h.ID), cell(pathText(h)))
		if h.Snippet != "" {
			fmt.Fprintf(tw, "    %s\n", cell(h.Snippet))
		}
	}
	return tw.Flush()
}

func runOpen(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("open", env)
	browser := fs.Bool("browser", false, "open in the browser")
	appMode := fs.Bool("app", false, "open in the Notion app")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *browser && *appMode {
		return usagef("open: choose --browser or --app, not both")
	}
	// Not read-only: an open is recorded, for ranking by what you use.
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	var mode app.OpenMode // "": the user's setting
	switch {
	case *browser:
		mode = app.OpenInBrowser
	case *appMode:
		mode = app.OpenInApp
	}
	return core.Open(pos[0], mode, env.Opener)
}

// hitJSON is the contract of `search --json`.
type hitJSON struct {
	ID             string `json:"id"`
	WorkspaceID    string `json:"workspace_id"`
	Kind           string `json:"kind"`
	Title          string `json:"title"`
	URL            string `json:"url"`
	Icon           string `json:"icon"`
	LastEditedTime string `json:"last_edited_time"`
	// Path is the visible ancestors' titles, outermost first; [] at the
	// top of the workspace (and where the first ancestor is out of view).
	Path   []string `json:"path"`
	Pinned bool     `json:"pinned"`
	Opened int      `json:"opened"`
	// Match is "title", "path" or "content"; Snippet, for a content match,
	// is the text around the words, at most 200 characters.
	Match   string `json:"match"`
	Snippet string `json:"snippet"`
}
