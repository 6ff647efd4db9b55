package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/icons"
)

// Options tell Run how to start.
type Options struct {
	Demo bool
}

// fyneOpener opens links with Fyne's platform handler.
type fyneOpener struct{ a fyne.App }

func (o fyneOpener) OpenURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	return o.a.OpenURL(u)
}

// Run opens the window and blocks until it closes.
func Run(o Options) error {
	a := fyneapp.NewWithID(app.ID)
	a.SetIcon(appIcon())
	a.Settings().SetTheme(newTheme())

	var core *app.Core
	log := app.Logger(os.Getenv(app.EnvDebug) != "", os.Stderr)
	if o.Demo {
		demo, err := app.StartDemo(context.Background(), log)
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
	}
	cfg := core.Config()
	w := New(a, core, Deps{
		Opener: fyneOpener{a},
		Icons:  icons.New(filepath.Join(cfg.DataDir, "icons"), &http.Client{Timeout: 20 * time.Second}),
		Demo:   o.Demo,
	})
	w.Window().SetIcon(appIcon())
	w.Window().ShowAndRun()
	return nil
}
