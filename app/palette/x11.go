//go:build linux || freebsd || netbsd || openbsd || dragonfly

package palette

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// The window type is DIALOG, not UTILITY: EWMH describes UTILITY as a
// window kept open beside the work (a toolbox), and window managers act
// on that: mutter and xfwm4 do not focus a utility window when it maps.
// Quick Open is a short-lived box the user types into at once, which is
// what DIALOG windows are, and every EWMH window manager focuses them.
//
// The focus request uses source indication 1 (an application), not 2 (a
// pager acting for the user): Pagedeck is an application. It carries a
// fresh server timestamp, taken after the hotkey press that asked for the
// window, so focus-stealing prevention sees a request no older than the
// user's last action (a request with no timestamp is the one they refuse).

const (
	atomWindowType = iota
	atomTypeDialog
	atomState
	atomAbove
	atomSkipTaskbar
	atomSkipPager
	atomActiveWindow
	atomUserTime
	atomTimeProbe
	atomMotifHints
	atomCount
)

var atomNames = [atomCount]string{
	"_NET_WM_WINDOW_TYPE",
	"_NET_WM_WINDOW_TYPE_DIALOG",
	"_NET_WM_STATE",
	"_NET_WM_STATE_ABOVE",
	"_NET_WM_STATE_SKIP_TASKBAR",
	"_NET_WM_STATE_SKIP_PAGER",
	"_NET_ACTIVE_WINDOW",
	"_NET_WM_USER_TIME",
	"_PAGEDECK_TIME", // appended to with nothing, for a server timestamp
	"_MOTIF_WM_HINTS",
}

// EWMH's _NET_WM_STATE actions and _NET_ACTIVE_WINDOW source indications.
const (
	stateAdd          = 1
	sourceApplication = 1
)

// xconn is a short-lived connection for one call: a palette is shown a
// few times a day, and a connection per show owns no goroutine between
// shows and needs no Close from the window.
type xconn struct {
	c     *xgb.Conn
	win   xproto.Window
	root  xproto.Window
	atoms [atomCount]xproto.Atom
}

var quietXGB sync.Once

func dial(display string, win uint64) (*xconn, error) {
	if display == "" {
		display = os.Getenv("DISPLAY")
	}
	if display == "" {
		return nil, ErrNoDisplay
	}
	if win == 0 || win > 0xffffffff {
		return nil, fmt.Errorf("palette: %#x is not an X window id", win)
	}
	// xgb logs to stderr when there is no Xauthority entry, which is normal.
	quietXGB.Do(func() { xgb.Logger = log.New(io.Discard, "", 0) })
	c, err := xgb.NewConnDisplay(display)
	if err != nil {
		return nil, fmt.Errorf("palette: cannot reach the X display %s: %w", display, err)
	}
	x := &xconn{c: c, win: xproto.Window(win)}
	// All requests first, then the replies: one round trip, not ten.
	geom := xproto.GetGeometry(c, xproto.Drawable(x.win))
	var cookies [atomCount]xproto.InternAtomCookie
	for i, n := range atomNames {
		cookies[i] = xproto.InternAtom(c, false, uint16(len(n)), n)
	}
	g, err := geom.Reply()
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("palette: window %#x: %w", win, err)
	}
	x.root = g.Root // the root of the window's own screen
	for i := range cookies {
		r, err := cookies[i].Reply()
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("palette: atom %s: %w", atomNames[i], err)
		}
		x.atoms[i] = r.Atom
	}
	return x, nil
}

func (x *xconn) close() { x.c.Close() }

func (x *xconn) setAtoms(prop int, vals ...int) error {
	b := make([]byte, 4*len(vals))
	for i, v := range vals {
		xgb.Put32(b[4*i:], uint32(x.atoms[v]))
	}
	err := xproto.ChangePropertyChecked(x.c, xproto.PropModeReplace, x.win, x.atoms[prop], xproto.AtomAtom, 32, uint32(len(vals)), b).Check()
	if err != nil {
		return fmt.Errorf("palette: set %s: %w", atomNames[prop], err)
	}
	return nil
}

func (x *xconn) setUserTime(t xproto.Timestamp) error {
	b := make([]byte, 4)
	xgb.Put32(b, uint32(t))
	err := xproto.ChangePropertyChecked(x.c, xproto.PropModeReplace, x.win, x.atoms[atomUserTime], xproto.AtomCardinal, 32, 1, b).Check()
	if err != nil {
		return fmt.Errorf("palette: set _NET_WM_USER_TIME: %w", err)
	}
	return nil
}

// undecorate asks for no title bar or border through the Motif hints,
// which EWMH window managers honour (GLFW does the same for undecorated
// windows): the palette is closed with Esc and never moved or resized, so
// a title bar's buttons would only offer what it does not do.
func (x *xconn) undecorate() error {
	const decorationsFlag = 1 << 1 // MWM_HINTS_DECORATIONS; decorations 0: none
	b := make([]byte, 5*4)
	xgb.Put32(b, decorationsFlag)
	err := xproto.ChangePropertyChecked(x.c, xproto.PropModeReplace, x.win, x.atoms[atomMotifHints], x.atoms[atomMotifHints], 32, 5, b).Check()
	if err != nil {
		return fmt.Errorf("palette: set _MOTIF_WM_HINTS: %w", err)
	}
	return nil
}

// serverTime is the X server's time now, read the ICCCM way: append
// nothing to a property of the window and take the PropertyNotify's time.
func (x *xconn) serverTime() (xproto.Timestamp, error) {
	if err := xproto.ChangeWindowAttributesChecked(x.c, x.win, xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange}).Check(); err != nil {
		return 0, fmt.Errorf("palette: watch window properties: %w", err)
	}
	if err := xproto.ChangePropertyChecked(x.c, xproto.PropModeAppend, x.win, x.atoms[atomTimeProbe], xproto.AtomString, 8, 0, nil).Check(); err != nil {
		return 0, fmt.Errorf("palette: touch a property: %w", err)
	}
	got := make(chan xproto.Timestamp, 1)
	go func() {
		defer close(got)
		for {
			ev, err := x.c.WaitForEvent()
			if ev == nil && err == nil {
				return // the connection is closed
			}
			if p, ok := ev.(xproto.PropertyNotifyEvent); ok && p.Window == x.win && p.Atom == x.atoms[atomTimeProbe] {
				got <- p.Time
				return
			}
		}
	}()
	// The server sends the event at once; the timer only stops a broken
	// connection from holding the UI thread.
	timer := time.NewTimer(time.Second)
	defer timer.Stop()
	select {
	case t, ok := <-got:
		if !ok {
			return 0, errors.New("palette: the X connection closed")
		}
		return t, nil
	case <-timer.C:
		x.c.Close() // ends the reader, which this waits for
		<-got
		return 0, errors.New("palette: no PropertyNotify from the X server")
	}
}

// send sends an EWMH client message about the window to the root, where
// the window manager listens.
func (x *xconn) send(typ int, data ...uint32) error {
	var d [5]uint32
	copy(d[:], data)
	ev := xproto.ClientMessageEvent{
		Format: 32,
		Window: x.win,
		Type:   x.atoms[typ],
		Data:   xproto.ClientMessageDataUnionData32New(d[:]),
	}
	mask := uint32(xproto.EventMaskSubstructureRedirect | xproto.EventMaskSubstructureNotify)
	if err := xproto.SendEventChecked(x.c, false, x.root, mask, string(ev.Bytes())).Check(); err != nil {
		return fmt.Errorf("palette: send %s: %w", atomNames[typ], err)
	}
	return nil
}

// activeWindow is the root's _NET_ACTIVE_WINDOW, 0 when none is set.
func (x *xconn) activeWindow() xproto.Window {
	r, err := xproto.GetProperty(x.c, false, x.root, x.atoms[atomActiveWindow], xproto.AtomWindow, 0, 1).Reply()
	if err != nil || r.Format != 32 || len(r.Value) < 4 {
		return 0
	}
	return xproto.Window(xgb.Get32(r.Value))
}

// Prepare marks the unmapped X window win as a palette before it is
// shown, the way EWMH asks: a dialog, kept above, out of the taskbar and
// the pager, last used now, and with no title bar. A window manager reads these when the window
// maps and erases the state when it unmaps, so call it before each show.
// display "" is $DISPLAY.
func Prepare(display string, win uint64) error {
	x, err := dial(display, win)
	if err != nil {
		return err
	}
	defer x.close()
	if err := x.setAtoms(atomWindowType, atomTypeDialog); err != nil {
		return err
	}
	if err := x.setAtoms(atomState, atomAbove, atomSkipTaskbar, atomSkipPager); err != nil {
		return err
	}
	if err := x.undecorate(); err != nil {
		return err
	}
	t, err := x.serverTime()
	if err != nil {
		return err
	}
	return x.setUserTime(t)
}

// Present asks the window manager to treat the mapped X window win as a
// palette now (above, out of the taskbar and pager: the _NET_WM_STATE
// messages EWMH defines for a mapped window) and to give it the focus
// over the active window (_NET_ACTIVE_WINDOW). display "" is $DISPLAY.
func Present(display string, win uint64) error {
	x, err := dial(display, win)
	if err != nil {
		return err
	}
	defer x.close()
	// One message carries two properties.
	if err := x.send(atomState, stateAdd, uint32(x.atoms[atomAbove]), uint32(x.atoms[atomSkipTaskbar]), sourceApplication); err != nil {
		return err
	}
	if err := x.send(atomState, stateAdd, uint32(x.atoms[atomSkipPager]), 0, sourceApplication); err != nil {
		return err
	}
	t, err := x.serverTime()
	if err != nil {
		return err
	}
	if err := x.setUserTime(t); err != nil {
		return err
	}
	return x.send(atomActiveWindow, sourceApplication, uint32(t), uint32(x.activeWindow()))
}
