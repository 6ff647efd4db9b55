package ui

import (
	"time"

	"fyne.io/fyne/v2"
)

// The close policy: closing the window hides it to the tray when there
// is one, and quits otherwise.

// showMain brings the main window up.
func (w *Window) showMain() {
	w.win.Show()
	w.win.RequestFocus()
	w.launch.hidden = false
}

// closeWindow is the window's close button: with a tray it hides the
// window and Pagedeck stays in the tray (the first time, a notification
// says so); without one, or with that setting off, it quits.
func (w *Window) closeWindow() {
	if !w.launch.hasTray || !w.launch.keepInTray {
		w.quit()
		return
	}
	w.savePrefs()
	w.win.Hide()
	w.launch.hidden = true
	w.background(func() {
		if w.core.Pref(prefTrayTold) != "" {
			return
		}
		_ = w.core.SetPrefs(map[string]string{prefTrayTold: time.Now().UTC().Format(time.RFC3339)})
		w.do(func() { w.a.SendNotification(fyne.NewNotification("Pagedeck is still running", w.trayNote())) })
	})
}
