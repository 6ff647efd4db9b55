//go:build linux || freebsd || netbsd || openbsd || dragonfly

package palette

import (
	"bytes"
	"io"
	"log"
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/jezek/xgb"

	"github.com/jezek/xgb/xproto"
	"github.com/pagedeck/pagedeck/app/xvfbtest"
)

// client is the test's own X connection: it makes windows and reads
// back what a window manager would read.
type client struct {
	t    *testing.T
	c    *xgb.Conn
	root xproto.Window
}

func connect(t *testing.T, display string) *client {
	t.Helper()
	quietXGB.Do(func() { xgb.Logger = log.New(io.Discard, "", 0) })
	c, err := xgb.NewConnDisplay(display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return &client{t: t, c: c, root: xproto.Setup(c).DefaultScreen(c).Root}
}

// window makes an unmapped top-level window, as Fyne's does before a show.
func (k *client) window() xproto.Window {
	k.t.Helper()
	id, err := xproto.NewWindowId(k.c)
	if err != nil {
		k.t.Fatal(err)
	}
	err = xproto.CreateWindowChecked(k.c, 0, id, k.root, 10, 10, 200, 100, 0,
		xproto.WindowClassInputOutput, 0, 0, nil).Check()
	if err != nil {
		k.t.Fatal(err)
	}
	return id
}

func (k *client) atom(name string) xproto.Atom {
	k.t.Helper()
	r, err := xproto.InternAtom(k.c, false, uint16(len(name)), name).Reply()
	if err != nil {
		k.t.Fatal(err)
	}
	return r.Atom
}

func (k *client) name(a xproto.Atom) string {
	k.t.Helper()
	r, err := xproto.GetAtomName(k.c, a).Reply()
	if err != nil {
		k.t.Fatal(err)
	}
	return r.Name
}

// prop reads a 32-bit property as numbers.
func (k *client) prop(w xproto.Window, name string) []uint32 {
	k.t.Helper()
	r, err := xproto.GetProperty(k.c, false, w, k.atom(name), xproto.GetPropertyTypeAny, 0, 64).Reply()
	if err != nil {
		k.t.Fatal(err)
	}
	var vals []uint32
	for i := 0; r.Format == 32 && i+4 <= len(r.Value); i += 4 {
		vals = append(vals, xgb.Get32(r.Value[i:]))
	}
	return vals
}

// atoms reads an ATOM[] property as names.
func (k *client) atoms(w xproto.Window, name string) []string {
	var names []string
	for _, v := range k.prop(w, name) {
		names = append(names, k.name(xproto.Atom(v)))
	}
	return names
}

func wantPaletteState(t *testing.T, k *client, w xproto.Window) {
	t.Helper()
	if got := k.atoms(w, "_NET_WM_WINDOW_TYPE"); !slices.Equal(got, []string{"_NET_WM_WINDOW_TYPE_DIALOG"}) {
		t.Errorf("_NET_WM_WINDOW_TYPE = %v, want the dialog type", got)
	}
	state := k.atoms(w, "_NET_WM_STATE")
	for _, want := range []string{"_NET_WM_STATE_ABOVE", "_NET_WM_STATE_SKIP_TASKBAR", "_NET_WM_STATE_SKIP_PAGER"} {
		if !slices.Contains(state, want) {
			t.Errorf("_NET_WM_STATE = %v, want %s in it", state, want)
		}
	}
}

// Before a show, the window carries the type and state a window manager
// reads when it maps it.
func TestPrepareMarksTheWindowAsAPalette(t *testing.T) {
	display := xvfbtest.Start(t, 640, 480)
	k := connect(t, display)
	w := k.window()
	if err := Prepare(display, uint64(w)); err != nil {
		t.Fatal(err)
	}
	wantPaletteState(t, k, w)
	if mh := k.prop(w, "_MOTIF_WM_HINTS"); len(mh) != 5 || mh[0]&2 == 0 || mh[2] != 0 {
		t.Errorf("_MOTIF_WM_HINTS = %v, want decorations (flag 2) set to none", mh)
	}
	if ut := k.prop(w, "_NET_WM_USER_TIME"); len(ut) != 1 || ut[0] == 0 {
		t.Errorf("_NET_WM_USER_TIME = %v, want the server time of the show", ut)
	}
}

// A mapped window's state changes through messages to the root, and the
// focus through _NET_ACTIVE_WINDOW: the test plays the window manager
// and reads what it is sent.
func TestPresentAsksTheWindowManager(t *testing.T) {
	display := xvfbtest.Start(t, 640, 480)
	wm := connect(t, display)
	err := xproto.ChangeWindowAttributesChecked(wm.c, wm.root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureRedirect | xproto.EventMaskSubstructureNotify}).Check()
	if err != nil {
		t.Fatal(err)
	}
	w := wm.window()
	if err := Present(display, uint64(w)); err != nil {
		t.Fatal(err)
	}
	var got []string
	deadline := time.Now().Add(10 * time.Second)
	for len(got) < 4 && time.Now().Before(deadline) {
		ev, xerr := wm.c.PollForEvent()
		if ev == nil && xerr == nil {
			time.Sleep(10 * time.Millisecond) // PollForEvent has no wait
			continue
		}
		m, ok := ev.(xproto.ClientMessageEvent)
		if !ok {
			continue
		}
		if m.Window != w || m.Format != 32 {
			t.Fatalf("a message about window %#x, format %d", m.Window, m.Format)
		}
		d := m.Data.Data32
		switch typ := wm.name(m.Type); typ {
		case "_NET_WM_STATE":
			if d[0] != 1 || d[3] != 1 {
				t.Errorf("_NET_WM_STATE action %d source %d, want add (1) from an application (1)", d[0], d[3])
			}
			for _, a := range d[1:3] {
				if a != 0 {
					got = append(got, wm.name(xproto.Atom(a)))
				}
			}
		case "_NET_ACTIVE_WINDOW":
			if d[0] != 1 || d[1] == 0 {
				t.Errorf("_NET_ACTIVE_WINDOW source %d time %d, want an application (1) with a timestamp", d[0], d[1])
			}
			got = append(got, typ)
		}
	}
	slices.Sort(got)
	want := []string{"_NET_ACTIVE_WINDOW", "_NET_WM_STATE_ABOVE", "_NET_WM_STATE_SKIP_PAGER", "_NET_WM_STATE_SKIP_TASKBAR"}
	if !slices.Equal(got, want) {
		t.Errorf("the window manager was sent %v, want %v", got, want)
	}
}

func TestNoWindowIsAnError(t *testing.T) {
	display := xvfbtest.Start(t, 640, 480)
	if err := Prepare(display, 0); err == nil {
		t.Error("Prepare of window 0 succeeded")
	}
	if err := Present(display, 0x7fffff); err == nil {
		t.Error("Present of a window that does not exist succeeded")
	}
	if err := Prepare("", 1); err == nil && os.Getenv("DISPLAY") == "" {
		t.Error("Prepare with no display succeeded")
	}
}

// waitFor polls cond until it holds or 30 s pass; X state set by another
// client (the window manager) has no event this test could wait on alone.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	// Generous: Xvfb and Openbox share a loaded machine with the rest of
	// the tests; the wait ends as soon as the state is there.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func (k *client) active() xproto.Window {
	if v := k.prop(k.root, "_NET_ACTIVE_WINDOW"); len(v) == 1 {
		return xproto.Window(v[0])
	}
	return 0
}

// activate gives w the focus as a person would through a pager or taskbar
// (source 2).
func (k *client) activate(w xproto.Window) {
	k.t.Helper()
	ev := xproto.ClientMessageEvent{Format: 32, Window: w, Type: k.atom("_NET_ACTIVE_WINDOW"),
		Data: xproto.ClientMessageDataUnionData32New([]uint32{2, 0, 0, 0, 0})}
	mask := uint32(xproto.EventMaskSubstructureRedirect | xproto.EventMaskSubstructureNotify)
	if err := xproto.SendEventChecked(k.c, false, k.root, mask, string(ev.Bytes())).Check(); err != nil {
		k.t.Fatal(err)
	}
}

// Under a real EWMH window manager (Openbox, as Debian ships it) the
// palette is mapped as a dialog above the rest, out of the taskbar and
// pager, and takes the focus from another focused window, on its first
// show and when shown again.
func TestUnderOpenbox(t *testing.T) {
	path, err := exec.LookPath("openbox")
	if err != nil {
		t.Fatalf("this test needs Openbox (Debian package openbox; `make deps` installs it): %v", err)
	}
	display := xvfbtest.Start(t, 640, 480)
	k := connect(t, display)
	ob := exec.Command(path, "--sm-disable")
	ob.Env = append(os.Environ(), "DISPLAY="+display, "XDG_CONFIG_HOME="+t.TempDir(), "HOME="+t.TempDir())
	var obErr bytes.Buffer
	ob.Stderr = &obErr
	if err := ob.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ob.Process.Kill(); _ = ob.Wait() })
	waitFor(t, "Openbox to manage the display", func() bool { return len(k.prop(k.root, "_NET_SUPPORTING_WM_CHECK")) == 1 })

	other := k.window()
	// Openbox announces itself before it has taken the root's map
	// requests: a window mapped in between is never managed. Map it again
	// (withdrawn first) until Openbox lists it.
	managed := func() bool { return slices.Contains(k.prop(k.root, "_NET_CLIENT_LIST"), uint32(other)) }
	waitFor(t, "Openbox to manage the other window", func() bool {
		if managed() {
			return true
		}
		_ = xproto.UnmapWindowChecked(k.c, other).Check()
		if err := xproto.MapWindowChecked(k.c, other).Check(); err != nil {
			t.Fatal(err)
		}
		for range 25 {
			if managed() {
				return true
			}
			time.Sleep(20 * time.Millisecond)
		}
		return false
	})
	// Openbox may still be starting, when it focuses no new window: give
	// the focus as a person would.
	k.activate(other)
	waitFor(t, "the other window to have the focus", func() bool { return k.active() == other })

	p := k.window()
	show := func() {
		t.Helper()
		if err := Prepare(display, uint64(p)); err != nil {
			t.Fatal(err)
		}
		if err := xproto.MapWindowChecked(k.c, p).Check(); err != nil {
			t.Fatal(err)
		}
		// Present right after the map, as the window does after Show.
		if err := Present(display, uint64(p)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the palette to have the focus", func() bool { return k.active() == p })
		waitFor(t, "Openbox to list the palette", func() bool { return slices.Contains(k.prop(k.root, "_NET_CLIENT_LIST"), uint32(p)) })
		wantPaletteState(t, k, p)
		if fe := k.prop(p, "_NET_FRAME_EXTENTS"); !slices.Equal(fe, []uint32{0, 0, 0, 0}) {
			t.Errorf("_NET_FRAME_EXTENTS = %v, want no frame", fe)
		}
	}
	show()

	// Another window takes the focus; Present takes it back.
	k.activate(other)
	waitFor(t, "the other window to take the focus", func() bool { return k.active() == other })
	if err := Present(display, uint64(p)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Present to give the palette the focus", func() bool { return k.active() == p })

	// Hidden (Openbox erases the state of a withdrawn window) and shown again.
	if err := xproto.UnmapWindowChecked(k.c, p).Check(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the other window to get the focus back", func() bool { return k.active() == other })
	waitFor(t, "Openbox to drop the hidden palette", func() bool { return !slices.Contains(k.prop(k.root, "_NET_CLIENT_LIST"), uint32(p)) })
	show()
	if t.Failed() {
		t.Logf("openbox: %s", obErr.String())
	}
}
