package cli

import (
	"context"
	"time"
)

func runConnect(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("connect", env)
	fs.Bool("no-browser", false, "print the URL and do not open a browser")
	fs.Duration("timeout", 5*time.Minute, "give up after this long")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	return errNotImplemented
}

func runAddToken(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("add-token", env)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	return errNotImplemented
}

func runWorkspaces(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("workspaces", env)
	fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	return errNotImplemented
}

func runSync(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("sync", env)
	fs.String("w", "", "workspace id or name")
	fs.Bool("full", false, "replace the whole cached list")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	return errNotImplemented
}

func runSearch(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("search", env)
	fs.String("w", "", "workspace id or name")
	kind := fs.String("kind", "", "page or database")
	limit := fs.Int("limit", 50, "at most this many results")
	fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0, -1); err != nil {
		return err
	}
	if *kind != "" && *kind != "page" && *kind != "database" {
		return usagef("search: --kind must be page or database, not %q", *kind)
	}
	if *limit < 1 {
		return usagef("search: --limit must be at least 1")
	}
	return errNotImplemented
}

func runOpen(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("open", env)
	browser := fs.Bool("browser", false, "open in the browser")
	appMode := fs.Bool("app", false, "open in the Notion app")
	if _, err := parse(fs, args, 1, 1); err != nil {
		return err
	}
	if *browser && *appMode {
		return usagef("open: choose --browser or --app, not both")
	}
	return errNotImplemented
}

func runDisconnect(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("disconnect", env)
	fs.Bool("keep-grant", false, "do not revoke the grant at Notion")
	if _, err := parse(fs, args, 1, 1); err != nil {
		return err
	}
	return errNotImplemented
}
