package cli

import (
	"context"
	"fmt"
	"os"

	"golang.org/x/term"

	"github.com/pagedeck/pagedeck/app"
)

func (env *Env) defaults() {
	if env.Stdin == nil {
		env.Stdin = os.Stdin
	}
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	if env.NewReadOnlyCore == nil {
		env.NewReadOnlyCore = env.NewCore
		if env.NewReadOnlyCore == nil {
			env.NewReadOnlyCore = func(context.Context) (*app.Core, error) { return app.NewReadOnlySystemCore(env.Stderr) }
		}
	}
	if env.NewCore == nil {
		env.NewCore = func(context.Context) (*app.Core, error) { return app.NewSystemCore(env.Stderr) }
	}
	env.NewCore = env.noticing(env.NewCore)
	env.NewReadOnlyCore = env.noticing(env.NewReadOnlyCore)
	if env.Opener == nil {
		env.Opener = app.SystemOpener{}
	}
	if env.StderrIsTerminal == nil {
		env.StderrIsTerminal = func() bool {
			f, ok := env.Stderr.(*os.File)
			return ok && term.IsTerminal(int(f.Fd()))
		}
	}
}

// noticing prints, once on stderr, that the database was found damaged and
// its last good copy restored; the command then goes on. It also keeps
// every core a command builds, so Main closes them (their content index
// among the rest) however the command ended.
func (env *Env) noticing(newCore func(context.Context) (*app.Core, error)) func(context.Context) (*app.Core, error) {
	return func(ctx context.Context) (*app.Core, error) {
		c, err := newCore(ctx)
		if err != nil {
			return nil, err
		}
		env.cores = append(env.cores, c)
		env.warnConfig(c.Config())
		if c.Recovered() != nil {
			fmt.Fprintf(env.Stderr, "pagedeck: note: %s\n", oneLine(c.Recovered().String()))
			if lost, _ := c.LostWorkspaces(ctx); len(lost) > 0 {
				fmt.Fprintf(env.Stderr, "pagedeck: note: %d workspace(s) were connected after the last copy: run 'pagedeck sync' to restore them\n", len(lost))
			}
		}
		return c, nil
	}
}

func (env *Env) closeCores() {
	for _, c := range env.cores {
		_ = c.Close()
	}
}

// warnConfig prints, once a run, what of the environment was ignored (a
// bad PAGEDECK_HOTKEY): only the window uses it, so the command goes on.
func (env *Env) warnConfig(cfg app.Config) {
	if cfg.HotkeyProblem != nil && !env.warned {
		env.warned = true
		fmt.Fprintf(env.Stderr, "pagedeck: warning: %s\n", oneLine(cfg.HotkeyProblem.Error()))
	}
}

// contentNotices finishes a rebuild of the content index that a command
// started (it found the index damaged or missing; Ctrl-C leaves the rest
// for the next run), then prints, one line each, what the content layer
// did: a damaged file set aside, the index rebuilt.
func (env *Env) contentNotices(ctx context.Context) {
	for _, c := range env.cores {
		for _, n := range c.FinishContent(ctx) {
			fmt.Fprintf(env.Stderr, "pagedeck: note: %s\n", oneLine(n))
		}
	}
}
