package hotkey

import (
	"context"
	"errors"
)

// Registrar grabs hotkeys for the whole desktop.
type Registrar interface {
	// Register grabs h and calls fn, on a goroutine of the registrar's, each
	// time h is pressed (on X11 and Windows again while it is held, as the
	// key repeats: fn should be idempotent, like showing a window). The
	// grab lasts until unregister is called or ctx ends; unregister waits
	// until the key is free for others and may be called more than once.
	//
	// It may wait for the GUI's event loop (macOS), so call it from a
	// goroutine of your own, never from Fyne's main goroutine.
	//
	// The errors a person should see wrap ErrTaken or ErrUnsupported.
	Register(ctx context.Context, h Hotkey, fn func()) (unregister func(), err error)
}

// ErrTaken: another program holds the hotkey.
var ErrTaken = errors.New("another program already uses this hotkey")

// ErrUnsupported: global hotkeys cannot be grabbed here (a Wayland session,
// no display, a build without the native code). The wrapping error says
// which.
var ErrUnsupported = errors.New("global hotkeys are not available here")

// System is the registrar for the desktop this binary runs on.
func System() Registrar { return systemRegistrar() }
