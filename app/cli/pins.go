package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/pagedeck/pagedeck/app"
)

func runPin(ctx context.Context, env *Env, args []string) error {
	return setPin(ctx, env, "pin", "pinned", args, func(c *app.Core, id string) error { return c.SetPinned(id, true) })
}

func runUnpin(ctx context.Context, env *Env, args []string) error {
	return setPin(ctx, env, "unpin", "unpinned", args, func(c *app.Core, id string) error { return c.SetPinned(id, false) })
}

// setPin pins or unpins one item and says which: "pinned: TITLE (ID)".
func setPin(ctx context.Context, env *Env, name, done string, args []string, do func(*app.Core, string) error) error {
	fs := newFlagSet(name, env)
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	if err := do(core, pos[0]); err != nil {
		return err
	}
	h, err := core.Item(pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s (%s)\n", done, clean(app.DisplayTitle(h.Title)), h.ID)
	return nil
}

// titleWithPin marks pinned items in text output.
func titleWithPin(h *app.Hit) string {
	if h.Pinned {
		return "★ " + app.DisplayTitle(h.Title)
	}
	return app.DisplayTitle(h.Title)
}

// pathText is a hit's path for text output: "Engineering › Roadmaps", with
// a leading "…" when ancestors above are out of view.
func pathText(h *app.Hit) string {
	p := strings.Join(h.Path, " › ")
	if h.PathCut {
		p = strings.TrimSpace("… " + p)
	}
	return p
}
