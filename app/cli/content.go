package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pagedeck/pagedeck/app"
)

// crawlContent fetches the changed pages' content of the synced
// workspaces. A workspace whose connection may not read content gets a
// note, not a failure: its items synced.
func crawlContent(ctx context.Context, env *Env, core *app.Core, results []app.SyncResult, progress func(app.ContentProgress)) error {
	var errs []error
	for _, r := range results {
		w := r.Workspace
		if core.Content(w.ID).State != app.ContentOn {
			continue
		}
		res, err := core.CrawlContent(ctx, w.ID, progress)
		if progress != nil {
			fmt.Fprint(env.Stderr, "\r\033[K")
		}
		switch {
		case errors.Is(err, app.ErrNoContentAccess):
			fmt.Fprintf(env.Stderr, "note: %s: %v; or stop fetching it with 'pagedeck content %s off'\n", clean(w.Name), app.ErrNoContentAccess, w.ID)
			continue
		case errors.Is(err, app.ErrContentTurnedOff):
			fmt.Fprintf(env.Stderr, "note: %s: content was turned off (or the workspace disconnected) while it was fetched; nothing more of it is kept\n", clean(w.Name))
			continue
		case errors.Is(err, app.ErrContentFile):
			errs = append(errs, fmt.Errorf("fetching the content of %s: %w", w.Name, err))
		case err != nil:
			errs = append(errs, fmt.Errorf("fetching the content of %s: %w (run 'pagedeck sync' again to resume)", w.Name, err))
		}
		fmt.Fprintf(env.Stdout, "content %s: %d pages fetched, %d unchanged, %d stored\n",
			clean(w.Name), res.Fetched, res.Unchanged, core.Content(w.ID).Pages)
	}
	return errors.Join(errs...)
}

func contentWords(s app.ContentState, pages int) string {
	switch s {
	case app.ContentOff:
		return "off"
	case app.ContentNoAccess:
		return "no access"
	}
	return fmt.Sprintf("on (%s pages)", app.Thousands(pages))
}

func runShow(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("show", env)
	refresh := fs.Bool("refresh", false, "fetch the page's content from Notion first")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	var page app.PageContent
	if *refresh {
		page, err = core.RefreshPage(ctx, pos[0])
		if err != nil {
			stored, serr := core.PageContent(pos[0])
			if serr != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "note: could not fetch it now (%v); showing the copy stored %s\n", err, stored.Fetched.Local().Format("2006-01-02 15:04"))
			page = stored
		}
	} else if page, err = core.PageContent(pos[0]); err != nil {
		if err == app.ErrNoContent {
			return fmt.Errorf("%w; run 'pagedeck sync', or 'pagedeck show %s --refresh' to fetch it now", err, pos[0])
		}
		return err
	}
	if page.Partial {
		fmt.Fprintln(env.Stderr, "note: parts of this long page could not be fetched and are missing")
	}
	out := cleanBlock(page.Markdown)
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	_, err = fmt.Fprint(env.Stdout, out)
	return err
}

func runContent(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("content", env)
	pos, err := parse(env, fs, args, 2, 2)
	if err != nil {
		return err
	}
	on := false
	switch pos[1] {
	case "on":
		on = true
	case "off":
	default:
		return usagef("content: say on or off, not %q", pos[1])
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	w, err := core.Resolve(pos[0])
	if err != nil {
		return err
	}
	if err := core.SetContent(w.ID, on); err != nil {
		return err
	}
	if on {
		fmt.Fprintf(env.Stdout, "content on: %s (%s); 'pagedeck sync' fetches it\n", clean(w.Name), w.ID)
	} else {
		fmt.Fprintf(env.Stdout, "content off: %s (%s); its stored content is deleted\n", clean(w.Name), w.ID)
	}
	return nil
}
