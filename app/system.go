package app

import (
	"io"
	"log/slog"
	"os"

	"github.com/pagedeck/pagedeck/auth"
)

// NewSystemCore is the real thing: configuration from the environment and
// the settings, tokens in the OS keychain. Debug logs go to logTo when
// PAGEDECK_DEBUG is set.
func NewSystemCore(logTo io.Writer) (*Core, error) { return newSystemCore(logTo, false) }

// NewReadOnlySystemCore is NewSystemCore for commands that only read: the
// database is opened read-only and left byte for byte as it was.
func NewReadOnlySystemCore(logTo io.Writer) (*Core, error) { return newSystemCore(logTo, true) }

func newSystemCore(logTo io.Writer, readOnly bool) (*Core, error) {
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	return New(Options{Config: cfg, Vault: &auth.Keychain{Service: cfg.KeyringService}, Logger: Logger(cfg.Debug, logTo), ReadOnly: readOnly})
}

// Logger is a debug logger to w when on, else one that drops everything.
// Neither ever sees a secret: every secret is a notion.Secret.
func Logger(on bool, w io.Writer) *slog.Logger {
	if !on {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
