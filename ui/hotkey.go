package ui

import (
	"errors"
	"runtime"

	"github.com/pagedeck/pagedeck/app/hotkey"
)

// registerHotkey grabs the Quick Open hotkey (PAGEDECK_HOTKEY, then the
// setting, then the default), replacing the one before. Registration runs
// off the UI goroutine: on macOS it waits for the main loop. When the key
// cannot be had, the window says why and how else to open Quick Open.
func (w *Window) registerHotkey() {
	reg := w.deps.Hotkeys
	if reg == nil {
		return
	}
	if w.unregisterHK != nil {
		w.unregisterHK()
		w.unregisterHK = nil
	}
	w.background(func() {
		choice, err := w.core.Hotkey()
		label := choice.Hotkey.Label(runtime.GOOS)
		var unregister func()
		if err == nil {
			unregister, err = reg.Register(w.ctx, choice.Hotkey, func() { w.do(w.showQuick) })
		}
		w.do(func() {
			w.hotkeyErr = err
			if err != nil {
				w.hotkeyLabel = ""
				w.banners.showNotice(hotkeyTrouble(label, err))
				w.main.Refresh()
			} else {
				w.hotkeyLabel, w.unregisterHK = label, unregister
				if choice.EnvIgnored != nil {
					w.banners.showNotice(choice.EnvIgnored.Error() + ". Quick Open uses " + label + " instead.")
					w.main.Refresh()
				}
			}
			w.updateTray()
		})
	})
}

// hotkeyTrouble says why the hotkey is not there, and what works instead.
func hotkeyTrouble(label string, err error) string {
	why := "could not be registered (" + err.Error() + ")"
	switch {
	case errors.Is(err, hotkey.ErrTaken):
		why = "is taken by another program"
	case errors.Is(err, hotkey.ErrUnsupported):
		why = "cannot be registered here (global hotkeys need X11, macOS or Windows; Wayland keeps keys to itself)"
	}
	return "The Quick Open hotkey " + label + " " + why + ". Choose another in Settings, or bind the command 'pagedeck quick' to a shortcut in your desktop's keyboard settings."
}

// showQuick brings up Quick Open (the hotkey, `pagedeck quick`, the tray).
func (w *Window) showQuick() { w.quickOpen().show() }

// quickOpen is the Quick Open window, made on first use; Run makes it at
// start so the hotkey finds it ready.
func (w *Window) quickOpen() *quickOpen {
	if w.quick == nil {
		w.quick = newQuickOpen(w)
	}
	return w.quick
}
