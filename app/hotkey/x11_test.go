//go:build linux || freebsd || netbsd || openbsd || dragonfly

package hotkey

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/xvfbtest"
)

// xdotool types keys on display, as a person would.
func xdotool(t *testing.T, display string, args ...string) {
	t.Helper()
	path, err := exec.LookPath("xdotool")
	if err != nil {
		t.Fatalf("the hotkey tests need xdotool (Debian package xdotool; `make deps` installs it): %v", err)
	}
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v %s", args, err, out)
	}
}

// presses counts a hotkey's callbacks and lets a test wait for the next.
type presses struct {
	n  atomic.Int32
	ch chan struct{}
}

func newPresses() *presses { return &presses{ch: make(chan struct{}, 100)} }

func (p *presses) fn() {
	p.n.Add(1)
	p.ch <- struct{}{}
}

func (p *presses) wait(t *testing.T, what string) {
	t.Helper()
	select {
	case <-p.ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: the hotkey's callback did not run", what)
	}
}

func noEnv(string) string { return "" }

func TestX11HotkeyFires(t *testing.T) {
	display := xvfbtest.Start(t, 320, 240)
	reg := X11{Display: display, Getenv: noEnv}
	h := mustParse(t, "ctrl+alt+space")
	p := newPresses()
	unregister, err := reg.Register(t.Context(), h, p.fn)
	if err != nil {
		t.Fatal(err)
	}
	defer unregister()

	xdotool(t, display, "key", "ctrl+alt+space")
	p.wait(t, "ctrl+alt+space")

	// Other combinations of the key are not ours: a press of one would be
	// counted before the next real press is.
	xdotool(t, display, "key", "ctrl+space", "alt+space", "space", "ctrl+alt+shift+space", "ctrl+alt+a")
	xdotool(t, display, "key", "ctrl+alt+space")
	p.wait(t, "after other keys")

	// NumLock and CapsLock change the modifier state; the grab still holds.
	xdotool(t, display, "key", "Num_Lock")
	xdotool(t, display, "key", "ctrl+alt+space")
	p.wait(t, "with NumLock on")
	xdotool(t, display, "key", "Caps_Lock")
	xdotool(t, display, "key", "ctrl+alt+space")
	p.wait(t, "with NumLock and CapsLock on")
	xdotool(t, display, "key", "Num_Lock")
	xdotool(t, display, "key", "ctrl+alt+space")
	p.wait(t, "with CapsLock on")
	xdotool(t, display, "key", "Caps_Lock")

	if n := p.n.Load(); n != 5 {
		t.Errorf("the callback ran %d times for 5 presses", n)
	}
}

func TestX11OtherKeys(t *testing.T) {
	display := xvfbtest.Start(t, 320, 240)
	reg := X11{Display: display, Getenv: noEnv}
	for _, tt := range []struct{ hotkey, xdo string }{
		{"super+shift+k", "super+shift+k"},
		{"ctrl+f5", "ctrl+F5"},
		{"ctrl+grave", "ctrl+grave"},
		{"ctrl+alt+slash", "ctrl+alt+slash"},
		{"ctrl+shift+enter", "ctrl+shift+Return"},
		{"ctrl+alt+7", "ctrl+alt+7"},
		{"alt+left", "alt+Left"},
	} {
		p := newPresses()
		unregister, err := reg.Register(t.Context(), mustParse(t, tt.hotkey), p.fn)
		if err != nil {
			t.Fatalf("%s: %v", tt.hotkey, err)
		}
		xdotool(t, display, "key", tt.xdo)
		p.wait(t, tt.hotkey)
		unregister()
	}
}

func TestX11Taken(t *testing.T) {
	display := xvfbtest.Start(t, 320, 240)
	h := mustParse(t, "ctrl+alt+space")
	first := newPresses()
	unregisterFirst, err := X11{Display: display, Getenv: noEnv}.Register(t.Context(), h, first.fn)
	if err != nil {
		t.Fatal(err)
	}
	// A second connection stands for another program.
	_, err = X11{Display: display, Getenv: noEnv}.Register(t.Context(), h, func() {})
	if !errors.Is(err, ErrTaken) {
		t.Fatalf("second grab: %v, want ErrTaken", err)
	}
	// The failed grab took none of the variants: the first still works.
	xdotool(t, display, "key", "Num_Lock", "ctrl+alt+space", "Num_Lock")
	first.wait(t, "the first owner after a refused second grab")

	unregisterFirst()
	unregisterFirst() // twice is harmless
	second := newPresses()
	unregisterSecond, err := X11{Display: display, Getenv: noEnv}.Register(t.Context(), h, second.fn)
	if err != nil {
		t.Fatalf("after unregister: %v", err)
	}
	defer unregisterSecond()
	xdotool(t, display, "key", "ctrl+alt+space")
	second.wait(t, "the new owner")
	if n := first.n.Load(); n != 1 {
		t.Errorf("the unregistered callback ran %d times, want 1", n)
	}
}

func TestX11ContextEndReleases(t *testing.T) {
	display := xvfbtest.Start(t, 320, 240)
	h := mustParse(t, "ctrl+shift+f1")
	ctx, cancel := context.WithCancel(t.Context())
	if _, err := (X11{Display: display, Getenv: noEnv}).Register(ctx, h, func() {}); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := (X11{Display: display, Getenv: noEnv}).Register(ctx, h, func() {}); !errors.Is(err, context.Canceled) {
		t.Errorf("Register with an ended context: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		unregister, err := X11{Display: display, Getenv: noEnv}.Register(t.Context(), h, func() {})
		if err == nil {
			unregister()
			return
		}
		if !errors.Is(err, ErrTaken) || time.Now().After(deadline) {
			t.Fatalf("the grab outlived its context: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestX11Unsupported(t *testing.T) {
	display := xvfbtest.Start(t, 320, 240)
	h := Default()
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tt := range []struct {
		name string
		reg  X11
		why  string
	}{
		// XWayland is there (DISPLAY works), but its grabs miss native windows.
		{"wayland", X11{Getenv: env("DISPLAY", display, "WAYLAND_DISPLAY", "wayland-0", "XDG_SESSION_TYPE", "wayland")}, "Wayland"},
		{"no display", X11{Getenv: env()}, "DISPLAY is not set"},
		{"dead display", X11{Display: ":4093", Getenv: noEnv}, "cannot reach the X display :4093"},
	} {
		_, err := tt.reg.Register(t.Context(), h, func() {})
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), tt.why) {
			t.Errorf("%s: %v, want ErrUnsupported saying %q", tt.name, err, tt.why)
		}
	}
	// An X session that merely has WAYLAND_DISPLAY set (a nested
	// compositor) still grabs.
	unregister, err := X11{Getenv: env("DISPLAY", display, "WAYLAND_DISPLAY", "wayland-1", "XDG_SESSION_TYPE", "x11")}.Register(t.Context(), h, func() {})
	if err != nil {
		t.Fatalf("X11 session with WAYLAND_DISPLAY: %v", err)
	}
	unregister()
}
