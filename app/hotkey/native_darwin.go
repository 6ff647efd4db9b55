//go:build cgo

package hotkey

import (
	"context"
	"fmt"

	ghk "golang.design/x/hotkey"
)

func systemRegistrar() Registrar { return macRegistrar{} }

// macRegistrar uses Carbon's RegisterEventHotKey through
// golang.design/x/hotkey. It needs no mainthread.Init: the library runs
// the registration on the main dispatch queue, and Fyne's GLFW loop on the
// main thread drains it. Register therefore must not run on that thread
// (it would wait for itself); Registrar's contract says so.
type macRegistrar struct{}

func (macRegistrar) Register(ctx context.Context, h Hotkey, fn func()) (func(), error) {
	if h.IsZero() {
		return nil, fmt.Errorf("%w: no key", ErrInvalid)
	}
	var mods []ghk.Modifier
	for _, m := range []struct {
		mod Modifier
		mac ghk.Modifier
	}{{Ctrl, ghk.ModCtrl}, {Alt, ghk.ModOption}, {Shift, ghk.ModShift}, {Super, ghk.ModCmd}} {
		if h.Mods&m.mod != 0 {
			mods = append(mods, m.mac)
		}
	}
	return register(ctx, mods, ghk.Key(h.Key.info().mac), fn, func(err error) error {
		// The library turns every OSStatus into one error; for a key that
		// Parse accepted, the failure RegisterEventHotKey documents is
		// eventHotKeyExistsErr: another program has it.
		return fmt.Errorf("%w: macOS refused %s (%v)", ErrTaken, h, err)
	})
}
