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
	if w.launch.unregisterHK != nil {
		w.launch.unregisterHK()
		w.launch.unregisterHK = nil
	}
	w.background(func() {
		choice, err := w.core.Hotkey().Current()
		label := choice.Hotkey.Label(runtime.GOOS)
		var unregister func()
		if err == nil {
			unregister, err = reg.Register(w.ctx, choice.Hotkey, func() { w.do(w.showQuick) })
		}
		w.do(func() {
			w.launch.hotkeyErr = err
			if err != nil {
				w.launch.hotkeyLabel = ""
				w.views.banners.showNotice(hotkeyTrouble(label, err))
				w.views.main.Refresh()
			} else {
				w.launch.hotkeyLabel, w.launch.unregisterHK = label, unregister
				if choice.EnvIgnored != nil {
					w.views.banners.showNotice(choice.EnvIgnored.Error() + ". Quick Open uses " + label + " instead.")
					w.views.main.Refresh()
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
