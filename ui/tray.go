package ui

import (
	"runtime"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"github.com/godbus/dbus/v5"

	"github.com/pagedeck/pagedeck/app"
)

// trayItems is how many pinned and recent pages the tray menu lists.
const trayItems = 10

// prefTrayTold: the first close to the tray said what happened.
const prefTrayTold = "tray.told"

// prefKeepInTray: closing the window keeps Pagedeck in the tray ("off"
// turns it off; the default is on).
const prefKeepInTray = "tray.keep"

// systemHasTray reports whether the desktop shows tray icons. On Linux
// and the BSDs that is a StatusNotifierItem host on the session bus
// (GNOME needs its AppIndicator extension; KDE, XFCE and others have one):
// without it Fyne's tray icon would be nowhere, and closing the window
// must quit as before.
func systemHasTray() bool {
	switch runtime.GOOS {
	case "windows", "darwin":
		return true
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		return false
	}
	var owner string
	err = conn.BusObject().Call("org.freedesktop.DBus.GetNameOwner", 0, "org.kde.StatusNotifierWatcher").Store(&owner)
	return err == nil && owner != ""
}

// trayMenu builds the tray's menu: the window, Quick Open with its
// hotkey, the pinned and most used pages, Refresh all and Quit.
func (w *Window) trayMenu(hits []*app.Hit) *fyne.Menu {
	quick := "Quick Open"
	if w.hotkeyLabel != "" {
		quick += " (" + w.hotkeyLabel + ")"
	}
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Open Pagedeck", w.showMain),
		fyne.NewMenuItem(quick, w.showQuick),
		fyne.NewMenuItemSeparator(),
	}
	for _, h := range hits[:min(len(hits), trayItems)] {
		label := cut(app.DisplayTitle(h.Title), 48)
		if h.Pinned {
			label = "★ " + label
		}
		items = append(items, fyne.NewMenuItem(label, func() { w.openHit(h, "") }))
	}
	if len(hits) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
	}
	items = append(items,
		fyne.NewMenuItem("Refresh all", func() { w.refresh("", false) }),
		fyne.NewMenuItem("Quit", w.quit))
	m := fyne.NewMenu("Pagedeck", items...)
	return m
}

// updateTray rebuilds the tray menu (pins, opens and the items changed).
func (w *Window) updateTray() {
	if !w.hasTray || !w.indexReady {
		return
	}
	hits, err := w.core.Search("", "", "", trayItems)
	if err != nil {
		return
	}
	w.trayShown = w.trayMenu(hits)
	if desk, ok := w.a.(desktop.App); ok {
		// No SetSystemTrayIcon: the tray shows the app's icon (run sets
		// it) once it is up. Set before that, as the first menu starts the
		// tray, it failed on Windows with "tray not ready yet" (.ci/wine).
		desk.SetSystemTrayMenu(w.trayShown)
	}
}

// showMain brings the main window up.
func (w *Window) showMain() {
	w.win.Show()
	w.win.RequestFocus()
	w.hidden = false
}

// closeWindow is the window's close button: with a tray it hides the
// window and Pagedeck stays in the tray (the first time, a notification
// says so); without one, or with that setting off, it quits.
func (w *Window) closeWindow() {
	if !w.hasTray || !w.keepInTray {
		w.quit()
		return
	}
	w.savePrefs()
	w.win.Hide()
	w.hidden = true
	w.background(func() {
		if w.core.Pref(prefTrayTold) != "" {
			return
		}
		_ = w.core.SetPref(prefTrayTold, time.Now().UTC().Format(time.RFC3339))
		w.do(func() { w.a.SendNotification(fyne.NewNotification("Pagedeck is still running", w.trayNote())) })
	})
}

// trayNote is what the first close to the tray says.
func (w *Window) trayNote() string {
	if w.hotkeyLabel != "" {
		return "It stays in the tray; Quick Open is on " + w.hotkeyLabel + ". Quit it from the tray's menu."
	}
	return "It stays in the tray. Quit it from the tray's menu."
}

func (w *Window) hotkeyLabelOr(def string) string {
	if w.hotkeyLabel != "" {
		return w.hotkeyLabel
	}
	return def
}
