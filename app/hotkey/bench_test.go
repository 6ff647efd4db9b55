//go:build linux || freebsd || netbsd || openbsd || dragonfly

package hotkey

import (
	"fmt"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
	"github.com/jezek/xgb/xtest"
	"github.com/pagedeck/pagedeck/app/xvfbtest"
)

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("Ctrl+Alt+Space"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkX11PressToCallback: from a key press reaching the X server
// (sent with XTEST, as xdotool does) to the hotkey's callback: the share
// of hotkey-to-visible that is this package's.
func BenchmarkX11PressToCallback(b *testing.B) {
	display := xvfbtest.Start(b, 320, 240)
	h, _ := Parse("ctrl+alt+space")
	fired := make(chan struct{}, 1)
	unregister, err := X11{Display: display, Getenv: noEnv}.Register(b.Context(), h, func() { fired <- struct{}{} })
	if err != nil {
		b.Fatal(err)
	}
	defer unregister()
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	if err := xtest.Init(conn); err != nil {
		b.Fatal(err)
	}
	root := xproto.Setup(conn).DefaultScreen(conn).Root
	code := func(sym uint32) byte {
		g, err := grabCodeFor(conn, sym)
		if err != nil {
			b.Fatal(err)
		}
		return g
	}
	ctrl, alt, space := code(0xffe3), code(0xffe9), code(0x20)
	key := func(typ byte, c byte) {
		if err := xtest.FakeInputChecked(conn, typ, c, 0, root, 0, 0, 0).Check(); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		key(xproto.KeyPress, ctrl)
		key(xproto.KeyPress, alt)
		key(xproto.KeyPress, space)
		select {
		case <-fired:
		case <-time.After(10 * time.Second):
			b.Fatal("no callback")
		}
		key(xproto.KeyRelease, space)
		key(xproto.KeyRelease, alt)
		key(xproto.KeyRelease, ctrl)
	}
}

// grabCodeFor is the keycode whose first symbol is sym.
func grabCodeFor(conn *xgb.Conn, sym uint32) (byte, error) {
	setup := xproto.Setup(conn)
	km, err := xproto.GetKeyboardMapping(conn, setup.MinKeycode, byte(setup.MaxKeycode-setup.MinKeycode+1)).Reply()
	if err != nil {
		return 0, err
	}
	per := int(km.KeysymsPerKeycode)
	for i := 0; i*per < len(km.Keysyms); i++ {
		if uint32(km.Keysyms[i*per]) == sym {
			return byte(int(setup.MinKeycode) + i), nil
		}
	}
	return 0, fmt.Errorf("no keycode for %#x", sym)
}
