// Command pagedeck is a desktop home for Notion workspaces: every page and
// database they share, searchable as you type. Without a command it opens
// the window; with one it runs headless (see 'pagedeck help').
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/pagedeck/pagedeck/app/cli"
	"github.com/pagedeck/pagedeck/ui"
	"github.com/pagedeck/pagedeck/ui/localefix"
)

func main() {
	localefix.Restore()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.Env{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		// Fyne needs the main goroutine; cli.Main calls this on it. The
		// window quits when ctx ends: a signal before Fyne's own handler
		// starts would otherwise be lost.
		Window: func(ctx context.Context, o cli.WindowOptions) error {
			return ui.Run(ctx, ui.Options{Demo: o.Demo, Hidden: o.Hidden, Quick: o.Quick})
		},
	})
	stop()
	os.Exit(code)
}
