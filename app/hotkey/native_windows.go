package hotkey

import (
	"context"
	"errors"
	"fmt"
	"syscall"

	ghk "golang.design/x/hotkey"
)

func systemRegistrar() Registrar { return windowsRegistrar{} }

// windowsRegistrar uses RegisterHotKey (golang.design/x/hotkey calls it
// through user32 without cgo, so this works in any Windows build).
type windowsRegistrar struct{}

// errHotkeyAlreadyRegistered is ERROR_HOTKEY_ALREADY_REGISTERED.
const errHotkeyAlreadyRegistered = syscall.Errno(1409)

func (windowsRegistrar) Register(ctx context.Context, h Hotkey, fn func()) (func(), error) {
	if h.IsZero() {
		return nil, fmt.Errorf("%w: no key", ErrInvalid)
	}
	var mods []ghk.Modifier
	for _, m := range []struct {
		mod Modifier
		win ghk.Modifier
	}{{Ctrl, ghk.ModCtrl}, {Alt, ghk.ModAlt}, {Shift, ghk.ModShift}, {Super, ghk.ModWin}} {
		if h.Mods&m.mod != 0 {
			mods = append(mods, m.win)
		}
	}
	return register(ctx, mods, ghk.Key(h.Key.info().win), fn, func(err error) error {
		if errors.Is(err, errHotkeyAlreadyRegistered) {
			return fmt.Errorf("%w: %s is registered by another program", ErrTaken, h)
		}
		return fmt.Errorf("registering %s: %w", h, err)
	})
}
