package ui

import (
	"runtime"

	"github.com/godbus/dbus/v5"
)

// Whether the desktop shows tray icons.

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
