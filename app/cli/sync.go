package cli

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/notion"
)

// sync: the item lists, then the outbox, the databases' rows and the
// pages' content.

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
		p, ok := e.(app.RateLimited)
		if !ok {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(env.Stderr, "%spagedeck: %s; waiting until %s\n", wipe, p.Pause, p.Pause.Until.Local().Format("15:04:05"))
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
