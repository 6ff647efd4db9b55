package cli

import (
	"context"
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
	if env.NewCore == nil {
		env.NewCore = func(context.Context) (*app.Core, error) { return app.NewSystemCore(env.Stderr) }
	}
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
