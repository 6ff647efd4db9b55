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
	"github.com/pagedeck/pagedeck/app/demo"
	"github.com/pagedeck/pagedeck/app/hotkey"
	"github.com/pagedeck/pagedeck/app/icons"
	"github.com/pagedeck/pagedeck/app/instance"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// Options tell Run how to start.
type Options struct {
	Demo bool
	// Hidden starts without showing the main window: in the tray, or just
	// answering `pagedeck quick` (the login entry starts it so).
	Hidden bool
	// Quick shows Quick Open as soon as it can.
	Quick bool
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

	// Later launches ask for the window or Quick Open; one that asks before
	// the window exists is kept for it.
	var mu sync.Mutex
	var answer func(instance.Request)
	var pending []instance.Request
	ask := func(r instance.Request) {
		mu.Lock()
		defer mu.Unlock()
		if answer == nil {
			pending = append(pending, r)
			return
		}
		answer(r)
	}
	var (
		core *app.Core
		// closeCore ends the Core and everything that works on it; it runs
		// once, at the end, or on an early return.
		closeCore func() error
	)
	defer func() {
		if closeCore != nil {
			_ = closeCore()
		}
	}()
	if o.Demo {
		d, err := demo.Start(ctx, log)
		if err != nil {
			return fmt.Errorf("starting the demo: %w", err)
		}
		core, closeCore = d.Core, func() error { d.Close(); return nil }
	} else {
		c, err := app.NewSystemCore(os.Stderr)
		if err != nil {
			return err
		}
		core, closeCore = c, c.Close
		primary, err := instance.AcquireWith(core.Config().DataDir, instance.Options{
			Ask:     askFor(o),
			OnShow:  func() { ask(instance.Show) },
			OnQuick: func() { ask(instance.Quick) },
		})
		var running *instance.RunningError
		if errors.As(err, &running) && running.Shown {
			if !o.Hidden {
				fmt.Fprintln(os.Stderr, "pagedeck: "+running.Error())
			}
			return nil
		}
		if err != nil {
			return err
		}
		defer primary.Release()
	}

	a := fyneapp.NewWithID(app.ID)
	a.SetIcon(appIcon())
	a.Settings().SetTheme(widgets.NewTheme())
	cfg := core.Config()
	w := New(a, core, Deps{
		// The system opener waits for the handler's verdict, so a notion://
		// link with no Notion app installed falls back to the browser.
		Opener:  app.SystemOpener{},
		Tray:    systemHasTray(),
		Hotkeys: hotkey.System(),
		// Icons come over https only, but for the Notion origin itself
		// (the demo's emulator serves icons over http on loopback).
		Icons: icons.NewCache(filepath.Join(cfg.DataDir, "icons"), icons.Options{AllowOrigin: cfg.NotionURL}),
		Demo:  o.Demo,
	})
	w.Window().SetIcon(appIcon())
	w.quickOpen().win.SetIcon(appIcon())
	mu.Lock()
	if o.Quick {
		pending = append(pending, instance.Quick)
	}
	answer = func(r instance.Request) {
		fyne.Do(func() {
			if r == instance.Quick {
				w.showQuick()
			} else {
				w.showMain()
			}
		})
	}
	for _, r := range pending {
		answer(r)
	}
	mu.Unlock()
	// A signal ends the window whenever it comes; before the event loop
	// runs, the quit waits in Fyne's queue and runs first thing.
	stop := context.AfterFunc(ctx, func() { fyne.Do(w.quit) })
	defer stop()
	if ctx.Err() != nil {
		return nil
	}
	if o.Hidden {
		w.launch.hidden = true
		if !w.launch.hasTray && !o.Quick {
			// Nothing on screen and no tray icon: say how to reach it.
			fmt.Fprintln(os.Stderr, hiddenWithoutTray)
		}
		a.Run()
	} else {
		w.Window().ShowAndRun()
	}
	err, closeCore := closeCore(), nil
	return err
}

// hiddenWithoutTray is what --hidden says when the desktop shows no tray
// icons: Pagedeck runs with nothing on screen.
const hiddenWithoutTray = "pagedeck: running in the background; this desktop shows no tray icons, so there is nothing to see until you ask: " +
	"'pagedeck quick' or the Quick Open hotkey opens Quick Open, and 'pagedeck' opens the window"

// askFor is what this launch asks a Pagedeck that is already running.
func askFor(o Options) instance.Request {
	switch {
	case o.Quick:
		return instance.Quick
	case o.Hidden:
		return instance.Ping
	}
	return instance.Show
}
