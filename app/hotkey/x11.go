//go:build linux || freebsd || netbsd || openbsd || dragonfly

package hotkey

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"sync"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// golang.design/x/hotkey is not used here: its Linux init opens the X
// display and panics without one, which would break every command of the
// binary on a headless machine. XGrabKey through a pure-Go X client does
// the same job and fails only when asked to.

func systemRegistrar() Registrar { return X11{} }

// X11 grabs hotkeys on an X server's root window.
type X11 struct {
	// Display is the X display, e.g. ":0"; empty: $DISPLAY.
	Display string
	// Getenv reads DISPLAY, WAYLAND_DISPLAY and XDG_SESSION_TYPE; nil:
	// os.Getenv.
	Getenv func(string) string
}

// Keysyms of modifier keys (X11/keysymdef.h).
const (
	xkMetaL   = 0xffe7
	xkMetaR   = 0xffe8
	xkAltL    = 0xffe9
	xkAltR    = 0xffea
	xkSuperL  = 0xffeb
	xkSuperR  = 0xffec
	xkNumLock = 0xff7f
)

var quietXGB sync.Once

// Register implements Registrar.
//
// In a Wayland session it reports ErrUnsupported even when XWayland
// would accept the grab: XWayland sees only the keys typed into X
// windows, so the hotkey would work over some windows and silently not
// over others. Saying so lets the window point to `pagedeck quick`, bound
// in the desktop's own shortcut settings, which works everywhere.
func (x X11) Register(ctx context.Context, h Hotkey, fn func()) (func(), error) {
	if h.IsZero() || h.Key.info().x11 == 0 {
		return nil, fmt.Errorf("%w: no key", ErrInvalid)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	getenv := x.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if getenv("WAYLAND_DISPLAY") != "" && strings.EqualFold(getenv("XDG_SESSION_TYPE"), "wayland") {
		return nil, fmt.Errorf("%w: a Wayland session lets no program take a key for the whole desktop", ErrUnsupported)
	}
	display := x.Display
	if display == "" {
		display = getenv("DISPLAY")
	}
	if display == "" {
		return nil, fmt.Errorf("%w: there is no X display (DISPLAY is not set)", ErrUnsupported)
	}
	// xgb logs to stderr when there is no Xauthority entry, which is normal.
	quietXGB.Do(func() { xgb.Logger = log.New(io.Discard, "", 0) })
	conn, err := dialX(ctx, display)
	if err != nil {
		return nil, err
	}
	g, err := grab(conn, h)
	if err != nil {
		conn.Close()
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			ev, xerr := conn.WaitForEvent()
			if ev == nil && xerr == nil {
				return // the connection is closed
			}
			if kp, ok := ev.(xproto.KeyPressEvent); ok && kp.Detail == g.code && kp.State&g.ignoreMask() == g.mods {
				fn()
			}
		}
	}()
	var once sync.Once
	unregister := func() {
		once.Do(func() {
			// Ungrab with a round trip each, so the key is free for the next
			// grab (ours or another program's) when this returns.
			for _, v := range g.variants() {
				_ = xproto.UngrabKeyChecked(conn, g.code, g.root, g.mods|v).Check()
			}
			conn.Close()
			<-done
		})
	}
	stop := context.AfterFunc(ctx, unregister)
	return func() { stop(); unregister() }, nil
}

// dialX connects to the display, giving up when ctx ends.
func dialX(ctx context.Context, display string) (*xgb.Conn, error) {
	type result struct {
		c   *xgb.Conn
		err error
	}
	ch := make(chan result, 1)
	go func() {
		c, err := xgb.NewConnDisplay(display)
		ch <- result{c, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, fmt.Errorf("%w: cannot reach the X display %s: %v", ErrUnsupported, display, r.err)
		}
		return r.c, nil
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.c != nil {
				r.c.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// xgrab is one hotkey grabbed on one connection.
type xgrab struct {
	root          xproto.Window
	code          xproto.Keycode
	mods          uint16
	numLock, lock uint16
}

// variants are the lock states a press may come with: CapsLock and
// NumLock change the modifier state, and a grab matches it exactly.
func (g xgrab) variants() []uint16 {
	if g.numLock == 0 {
		return []uint16{0, g.lock}
	}
	return []uint16{0, g.lock, g.numLock, g.lock | g.numLock}
}

// ignoreMask keeps the modifier bits that matter in a KeyPress's state.
func (g xgrab) ignoreMask() uint16 { return 0xff &^ (g.lock | g.numLock) }

func grab(conn *xgb.Conn, h Hotkey) (xgrab, error) {
	setup := xproto.Setup(conn)
	g := xgrab{root: setup.DefaultScreen(conn).Root, lock: xproto.ModMaskLock}
	km, err := xproto.GetKeyboardMapping(conn, setup.MinKeycode, byte(setup.MaxKeycode-setup.MinKeycode+1)).Reply()
	if err != nil {
		return g, fmt.Errorf("%w: reading the keyboard map: %v", ErrUnsupported, err)
	}
	syms := func(code xproto.Keycode) []xproto.Keysym {
		per := int(km.KeysymsPerKeycode)
		i := int(code-setup.MinKeycode) * per
		if code < setup.MinKeycode || i+per > len(km.Keysyms) {
			return nil
		}
		return km.Keysyms[i : i+per]
	}
	want := xproto.Keysym(h.Key.info().x11)
	// The key's own symbol first (column 0), then its shifted and other
	// levels, so "a" finds the A key and "grave" finds the key under Esc.
	for col := 0; col < int(km.KeysymsPerKeycode) && g.code == 0; col++ {
		for code := int(setup.MinKeycode); code <= int(setup.MaxKeycode); code++ {
			if s := syms(xproto.Keycode(code)); col < len(s) && s[col] == want {
				g.code = xproto.Keycode(code)
				break
			}
		}
	}
	if g.code == 0 {
		return g, fmt.Errorf("%w: the keyboard layout has no %s key", ErrUnsupported, h.Key)
	}

	alt, super := uint16(xproto.ModMask1), uint16(xproto.ModMask4)
	mm, err := xproto.GetModifierMapping(conn).Reply()
	if err != nil {
		return g, fmt.Errorf("%w: reading the modifier map: %v", ErrUnsupported, err)
	}
	per := int(mm.KeycodesPerModifier)
	for mod := 3; mod < 8; mod++ { // Mod1…Mod5
		for _, code := range mm.Keycodes[mod*per : (mod+1)*per] {
			for _, s := range syms(code) {
				switch s {
				case xkAltL, xkAltR, xkMetaL, xkMetaR:
					alt = 1 << mod
				case xkSuperL, xkSuperR:
					super = 1 << mod
				case xkNumLock:
					g.numLock = 1 << mod
				}
			}
		}
	}
	for _, m := range []struct {
		mod  Modifier
		mask uint16
	}{{Ctrl, xproto.ModMaskControl}, {Alt, alt}, {Shift, xproto.ModMaskShift}, {Super, super}} {
		if h.Mods&m.mod != 0 {
			g.mods |= m.mask
		}
	}

	var grabbed []uint16
	for _, v := range g.variants() {
		err := xproto.GrabKeyChecked(conn, false, g.root, g.mods|v, g.code, xproto.GrabModeAsync, xproto.GrabModeAsync).Check()
		if err != nil {
			for _, u := range grabbed {
				_ = xproto.UngrabKeyChecked(conn, g.code, g.root, g.mods|u).Check()
			}
			var access xproto.AccessError
			if errors.As(err, &access) {
				return g, fmt.Errorf("%w: %s is grabbed by another X client", ErrTaken, h)
			}
			return g, fmt.Errorf("grabbing %s: %w", h, err)
		}
		grabbed = append(grabbed, v)
	}
	return g, nil
}
