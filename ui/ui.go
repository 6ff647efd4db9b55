// Package ui is Pagedeck's window: the only package besides main that
// imports Fyne, and the only one that calls fyne.Do.
package ui

import (
	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/assets"
)

// Options tell Run how to start.
type Options struct {
	Demo bool
}

// Run opens the window and blocks until it closes.
func Run(o Options) error {
	a := fyneapp.NewWithID(app.ID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	w := a.NewWindow("Pagedeck")
	w.SetContent(widget.NewLabel("Pagedeck"))
	w.Resize(fyne.NewSize(960, 640))
	w.ShowAndRun()
	return nil
}
