package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
)

// printingOpener prints the consent URL alone on the first line of stdout,
// then opens the browser unless told not to.
type printingOpener struct {
	out     io.Writer
	browser app.Opener
}

func (p printingOpener) OpenURL(u string) error {
	fmt.Fprintln(p.out, u)
	if p.browser == nil {
		return nil
	}
	return p.browser.OpenURL(u)
}

func runConnect(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("connect", env)
	noBrowser := fs.Bool("no-browser", false, "print the URL and do not open a browser")
	timeout := fs.Duration("timeout", 5*time.Minute, "give up after this long")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	if *timeout <= 0 {
		return usagef("connect: --timeout must be positive")
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	defer sayPauses(env, core)()
	op := printingOpener{out: env.Stdout, browser: env.Opener}
	if *noBrowser {
		op.browser = nil
	}
	w, err := core.Connect(ctx, app.ConnectOptions{Opener: op, Timeout: *timeout})
	var fse *app.FirstSyncError
	if errors.As(err, &fse) {
		fmt.Fprintf(env.Stdout, "connected: %s (%s)\n", clean(w.Name), clean(w.ID))
		return err
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "connected: %s (%s)\n", clean(w.Name), clean(w.ID))
	return nil
}

func runAddToken(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("add-token", env)
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	secret, err := readSecret(env)
	if err != nil {
		return err
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	w, err := core.Connect(ctx, app.ConnectOptions{InternalToken: secret})
	var fse *app.FirstSyncError
	if err != nil && !errors.As(err, &fse) {
		return err
	}
	fmt.Fprintf(env.Stdout, "connected: %s (%s)\n", clean(w.Name), clean(w.ID))
	return err
}

// readSecret reads one line from stdin, without echo when it is a terminal.
func readSecret(env *Env) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "Paste the internal connection secret (it will not show): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("reading the secret: %w", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	line, err := bufio.NewReader(io.LimitReader(env.Stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the secret from stdin: %w", err)
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return "", errors.New("no secret on stdin: pipe the internal connection's secret in, e.g. pagedeck add-token < secret.txt")
	}
	return line, nil
}

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
				Content: string(core.Content(w.ID).State), ContentPages: core.Content(w.ID).Pages, Rows: core.RowCount(w.ID)}
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

func runSync(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("sync", env)
	wsArg := fs.String("w", "", "workspace id or name")
	full := fs.Bool("full", false, "replace the whole cached list")
	noContent := fs.Bool("no-content", false, "do not fetch page content")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up when Notion asks to wait longer than this")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	if *timeout <= 0 {
		return usagef("sync: --timeout must be positive")
	}
	ctx = notion.WithMaxPause(ctx, *timeout)
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	defer sayPauses(env, core)()
	// Workspaces a restore of the database lost come back first.
	restored, rerr := core.RestoreLost(ctx)
	for _, w := range restored {
		fmt.Fprintf(env.Stdout, "restored %s (%s): it was connected after the last good copy of the database\n", clean(w.Name), w.ID)
	}
	if rerr != nil {
		fmt.Fprintf(env.Stderr, "note: %s\n", oneLine(rerr.Error()))
	}
	// Captures go first, so this sync confirms the pages they make.
	sendWS := ""
	if *wsArg != "" {
		w, err := core.Resolve(*wsArg)
		if err != nil {
			return err
		}
		sendWS = w.ID
	}
	sendBeforeSync(ctx, env, core, sendWS)
	var progress func(app.Progress)
	var contentProgress func(app.ContentProgress)
	if env.StderrIsTerminal() {
		var mu sync.Mutex
		progress = func(p app.Progress) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(env.Stderr, "\r\033[K%s: %d items fetched, %d pages", clean(p.Workspace), p.Items, p.Pages)
		}
		contentProgress = func(p app.ContentProgress) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(env.Stderr, "\r\033[K%s: %s", clean(p.Workspace), p.Text())
		}
		defer fmt.Fprint(env.Stderr, "\r\033[K")
	}
	crawl := func(results []app.SyncResult) error {
		rerr := syncRows(ctx, env, core, results, *full)
		if *noContent {
			return rerr
		}
		return errors.Join(rerr, crawlContent(ctx, env, core, results, contentProgress))
	}
	var results []app.SyncResult
	if *wsArg != "" {
		w, err := core.Resolve(*wsArg)
		if err != nil {
			return err
		}
		r, err := core.Sync(ctx, w.ID, *full, progress)
		if err != nil {
			return err
		}
		results = append(results, r)
		printSynced(env, results)
		return crawl(results)
	} else {
		ws, err := core.Workspaces()
		if err != nil {
			return err
		}
		if len(ws) == 0 {
			return errors.New("no workspaces to sync: connect one with 'pagedeck connect'")
		}
		results, err = core.SyncAll(ctx, *full, progress)
		if progress != nil {
			fmt.Fprint(env.Stderr, "\r\033[K")
		}
		printSynced(env, results)
		return errors.Join(err, crawl(results))
	}
}

// sayPauses prints on stderr each long pause Notion asks for while the
// command runs (in this process or another using the workspace), until the
// returned func is called.
func sayPauses(env *Env, core *app.Core) (stop func()) {
	var mu sync.Mutex
	wipe := ""
	if env.StderrIsTerminal() {
		wipe = "\r\033[K" // over the progress line, which comes back after
	}
	return core.Subscribe(func(e app.Event) {
		if e.Kind != app.EventRateLimited {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(env.Stderr, "%spagedeck: %s; waiting until %s\n", wipe, e.Pause, e.Pause.Until.Local().Format("15:04:05"))
	})
}

func printSynced(env *Env, results []app.SyncResult) {
	for _, r := range results {
		how := "quick refresh"
		if r.Full {
			how = "full sync"
		}
		fmt.Fprintf(env.Stdout, "synced %s: %d items (%s, %d changed)\n", clean(r.Workspace.Name), r.Workspace.Items, how, r.Changed)
	}
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
	core, err := env.NewReadOnlyCore(ctx)
	if err != nil {
		return err
	}
	// A damaged or missing content index is rebuilt first, so the
	// answer counts and finds every stored page.
	_ = core.PrepareContent(ctx)
	wsID := ""
	if *wsArg != "" {
		w, err := core.Resolve(*wsArg)
		if err != nil {
			return err
		}
		wsID = w.ID
	}
	res, err := core.Search(app.SearchQuery{Text: strings.Join(pos, " "), Workspace: wsID, Kind: store.Kind(*kind), Limit: *limit, In: scope})
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

func runDisconnect(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("disconnect", env)
	keep := fs.Bool("keep-grant", false, "do not revoke the grant at Notion")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	w, err := core.Resolve(pos[0])
	if err != nil {
		return err
	}
	if err := core.Disconnect(ctx, w.ID, !*keep); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "disconnected: %s (%s)\n", clean(w.Name), clean(w.ID))
	if w.Auth == string(auth.KindToken) && !*keep {
		fmt.Fprintln(env.Stderr, "note: an internal connection's secret cannot be revoked from here; delete the connection in Notion if you no longer need it")
	}
	return nil
}

// explain turns the errors a person meets into one line that says what to
// do on the command line. The core's errors name the problem; the fix in
// command-line terms is added here (the window offers buttons instead).
func explain(err error) error {
	var fse *app.FirstSyncError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, auth.ErrDenied):
		return errors.New("access was not granted: the consent page was cancelled in the browser; run 'pagedeck connect' again to retry")
	case errors.Is(err, auth.ErrTimeout):
		return errors.New("timed out waiting for the browser to come back; run 'pagedeck connect' again (use --no-browser to copy the link by hand)")
	case errors.As(err, &fse):
		return fmt.Errorf("%w (run 'pagedeck sync' to try again)", err)
	case errors.Is(err, app.ErrNeedsReconnect):
		return fmt.Errorf("%w: reconnect it with 'pagedeck connect'", err)
	case errors.Is(err, app.ErrNotConfigured):
		return fmt.Errorf("%w: set PAGEDECK_CLIENT_ID and PAGEDECK_CLIENT_SECRET (or PAGEDECK_BROKER_URL), or enter them in the window's Settings; see \"Register a Notion connection\" in the README", err)
	case errors.Is(err, app.ErrNoInsertContent), errors.Is(err, app.ErrCannotLook):
		return fmt.Errorf("%w; then 'pagedeck connect' and 'pagedeck outbox send'", err)
	case errors.Is(err, app.ErrRejected):
		return fmt.Errorf("%w; see 'pagedeck outbox', and 'pagedeck outbox drop ID' to give it up", err)
	case errors.Is(err, app.ErrUnknownItem):
		return fmt.Errorf("%w (run 'pagedeck sync' if it is new)", err)
	case errors.Is(err, app.ErrUnknownWorkspace):
		return fmt.Errorf("%w (see 'pagedeck workspaces')", err)
	case errors.Is(err, app.ErrRevokeFailed):
		return fmt.Errorf("%w; try again, or disconnect with --keep-grant and remove Pagedeck under Settings → Connections in Notion", err)
	case errors.Is(err, store.ErrCorrupt) && strings.Contains(err.Error(), "left it untouched"):
		return fmt.Errorf("%w. To start afresh, move the file away and run 'pagedeck connect' for each workspace", err)
	}
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
