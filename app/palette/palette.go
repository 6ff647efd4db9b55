// Package palette makes a window float as a palette over the desktop: on
// X11 it sets the EWMH type and state a window manager reads and asks it
// for the focus, so Quick Open comes up over the active window, focused,
// with no taskbar or Alt+Tab entry. Elsewhere it does nothing: Windows
// and macOS windows are left as Fyne makes them, and a Wayland session
// has no such protocol for clients.
//
// It has no Fyne in it: the window hands over its X window id.
package palette

import "errors"

// ErrNoDisplay is returned when there is no X display to talk to.
var ErrNoDisplay = errors.New("palette: there is no X display (DISPLAY is not set)")
