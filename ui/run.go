package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/icons"
	"github.com/pagedeck/pagedeck/app/instance"
)

// Options tell Run how to start.
type Options struct {
	Demo bool
}

// Run opens the window and blocks until it closes or ctx ends (SIGINT,
// SIGTERM). A second launch on the same data directory brings the first
// window forward and returns.
func Run(ctx context.Context, o Options) error {
	if ctx.Err() != nil {
		return nil
	}
	if err := checkDisplay(getenv); err != nil {
		return err
	}
	log := app.Logger(os.Getenv(app.EnvDebug) != "", os.Stderr)

	// raise brings the window forward when a second launch asks.
	var mu sync.Mutex
	var raise func()
	var core *app.Core
	if o.Demo {
		demo, err := app.StartDemo(ctx, log)
		if err != nil {
			return fmt.Errorf("starting the demo: %w", err)
		}
		defer demo.Close()
		core = demo.Core
	} else {
		c, err := app.NewSystemCore(os.Stderr)
		if err != nil {
			return err
		}
		core = c
		primary, err := instance.Acquire(core.Config().DataDir, func() {
			mu.Lock()
			r := raise
			mu.Unlock()
			if r != nil {
				r()
			}
		})
		var running *instance.RunningError
		if errors.As(err, &running) && running.Shown {
			fmt.Fprintln(os.Stderr, "pagedeck: "+running.Error())
			return nil
		}
		if err != nil {
			return err
		}
		defer primary.Release()
	}

	a := fyneapp.NewWithID(app.ID)
	a.SetIcon(appIcon())
	a.Settings().SetTheme(newTheme())
	cfg := core.Config()
	w := New(a, core, Deps{
		// The system opener waits for the handler's verdict, so a notion://
		// link with no Notion app installed falls back to the browser.
		Opener: app.SystemOpener{},
		// Icons come over https only, but for the Notion origin itself
		// (the demo's emulator serves icons over http on loopback).
		Icons: icons.NewCache(filepath.Join(cfg.DataDir, "icons"), icons.Options{AllowOrigin: cfg.NotionURL}),
		Demo:  o.Demo,
	})
	w.Window().SetIcon(appIcon())
	mu.Lock()
	raise = func() {
		fyne.Do(func() {
			w.Window().Show()
			w.Window().RequestFocus()
		})
	}
	mu.Unlock()
	// A signal ends the window whenever it comes; before the event loop
	// runs, the quit waits in Fyne's queue and runs first thing.
	stop := context.AfterFunc(ctx, func() { fyne.Do(w.quit) })
	defer stop()
	if ctx.Err() != nil {
		return nil
	}
	w.Window().ShowAndRun()
	return core.Close()
}
