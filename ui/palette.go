package ui

import (
	"fmt"
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"

	"github.com/pagedeck/pagedeck/app/palette"
)

// showPalette shows win as a floating palette: on X11 a dialog kept
// above the other windows, with no taskbar or pager entry, that takes the
// focus from the active window. Elsewhere (Wayland, Windows, macOS, the
// test driver) it is a plain Show.
func showPalette(win fyne.Window) {
	id := xWindowID(win)
	if id != 0 {
		reportPalette(palette.Prepare("", id))
	}
	win.Show()
	if id == 0 {
		// Fyne makes the X window at its first Show and maps it at once,
		// and a window manager reads the window type only when a window
		// maps: mark it and map it again, once per process.
		if id = xWindowID(win); id == 0 {
			return // not an X11 window
		}
		reportPalette(palette.Prepare("", id))
		win.Hide()
		win.Show()
	}
	reportPalette(palette.Present("", id))
}

// raisePalette gives a palette already on screen the focus again.
func raisePalette(win fyne.Window) {
	if id := xWindowID(win); id != 0 {
		reportPalette(palette.Present("", id))
	}
}

// xWindowID is win's X11 window id: 0 before Fyne has made it, or when
// the window is not an X11 one.
func xWindowID(win fyne.Window) uint64 {
	nw, ok := win.(driver.NativeWindow)
	if !ok {
		return 0
	}
	var id uint64
	nw.RunNative(func(ctx any) {
		if x, ok := ctx.(driver.X11WindowContext); ok {
			id = uint64(x.WindowHandle)
		}
	})
	return id
}

var paletteFailed sync.Once

// reportPalette says once on stderr why Quick Open is not a palette: the
// window still shows, as a plain one, so this is worth a line, not more.
func reportPalette(err error) {
	if err != nil {
		paletteFailed.Do(func() { fmt.Fprintf(os.Stderr, "pagedeck: Quick Open shows as a plain window: %v\n", err) })
	}
}
