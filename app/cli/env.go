package cli

import (
	"context"
	"log/slog"
	"os"

	"golang.org/x/term"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/auth"
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
		env.NewCore = func(context.Context) (*app.Core, error) { return SystemCore(env.Stderr) }
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

// SystemCore is the real thing: configuration from the environment and the
// settings, tokens in the OS keychain. Debug logs go to logTo when
// PAGEDECK_DEBUG is set.
func SystemCore(logTo interface{ Write([]byte) (int, error) }) (*app.Core, error) {
	cfg, err := app.ConfigFromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.DiscardHandler)
	if cfg.Debug {
		log = slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return app.New(app.Options{Config: cfg, Vault: &auth.Keychain{Service: cfg.KeyringService}, Logger: log})
}
