// The window under measurement, through X: keys in with XTEST, the region
// read back with GetImage, and the waits for it to change and settle.

package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
	"github.com/jezek/xgb/xtest"
)

const (
	// poll is the pause between two reads of the region: short enough to
	// time a repaint within a few ms, long enough that the reads do not
	// take a core from the window they measure on a 2-core machine.
	poll = 4 * time.Millisecond
	// quiet is how long the region must stay the same to count as settled.
	quiet = 500 * time.Millisecond
	// giveUp ends the wait for a key's repaint: past it the key is counted
	// as one that changed nothing on screen.
	giveUp = 4 * time.Second
)

// screen is the window under measurement and the part of it that is read.
type screen struct {
	conn   *xgb.Conn
	root   xproto.Window
	win    xproto.Window
	x, y   int16
	w, h   uint16
	keymap map[xproto.Keysym]xproto.Keycode
}

func open(fs *flag.FlagSet, args []string) (*screen, error) {
	winFlag := fs.String("window", "", "the window's X id (decimal or 0x hex)")
	region := fs.String("region", "", "the part of the window to read: X,Y,W,H")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	id, err := strconv.ParseUint(*winFlag, 0, 32)
	if err != nil {
		return nil, fmt.Errorf("-window %q: %w", *winFlag, err)
	}
	var r [4]int
	parts := strings.Split(*region, ",")
	if len(parts) != 4 {
		return nil, fmt.Errorf("-region %q is not X,Y,W,H", *region)
	}
	for i, p := range parts {
		if r[i], err = strconv.Atoi(strings.TrimSpace(p)); err != nil || r[i] < 0 {
			return nil, fmt.Errorf("-region %q is not X,Y,W,H", *region)
		}
	}
	c, err := xgb.NewConn()
	if err != nil {
		return nil, fmt.Errorf("connecting to X: %w", err)
	}
	if err := xtest.Init(c); err != nil {
		c.Close()
		return nil, fmt.Errorf("the X server has no XTEST: %w", err)
	}
	s := &screen{conn: c, root: xproto.Setup(c).DefaultScreen(c).Root, win: xproto.Window(id),
		x: int16(r[0]), y: int16(r[1]), w: uint16(r[2]), h: uint16(r[3])}
	if err := s.loadKeymap(); err != nil {
		c.Close()
		return nil, err
	}
	return s, nil
}

func (s *screen) loadKeymap() error {
	setup := xproto.Setup(s.conn)
	n := byte(setup.MaxKeycode - setup.MinKeycode + 1)
	m, err := xproto.GetKeyboardMapping(s.conn, setup.MinKeycode, n).Reply()
	if err != nil {
		return fmt.Errorf("reading the keyboard map: %w", err)
	}
	s.keymap = map[xproto.Keysym]xproto.Keycode{}
	per := int(m.KeysymsPerKeycode)
	for i := range int(n) {
		// Only the unshifted symbol: the keys typed here need no Shift.
		if sym := m.Keysyms[i*per]; sym != 0 {
			if _, dup := s.keymap[sym]; !dup {
				s.keymap[sym] = xproto.Keycode(int(setup.MinKeycode) + i)
			}
		}
	}
	return nil
}

// grab reads the region as it is on screen now.
func (s *screen) grab() ([]byte, error) {
	img, err := xproto.GetImage(s.conn, xproto.ImageFormatZPixmap, xproto.Drawable(s.win),
		s.x, s.y, s.w, s.h, 0xffffffff).Reply()
	if err != nil {
		return nil, fmt.Errorf("reading the window: %w", err)
	}
	return img.Data, nil
}

const (
	symBackSpace xproto.Keysym = 0xff08
	symControlL  xproto.Keysym = 0xffe3
)

func keysym(r rune) xproto.Keysym {
	if r == '<' {
		return symBackSpace
	}
	return xproto.Keysym(r) // Latin-1 keysyms are their code points
}

// press sends one key (down and up), with modifiers held around it; it
// returns once the server has taken the events.
func (s *screen) press(sym xproto.Keysym, mods ...xproto.Keysym) error {
	code := func(k xproto.Keysym) (byte, error) {
		c, ok := s.keymap[k]
		if !ok {
			return 0, fmt.Errorf("no key on this keyboard gives keysym %#x", k)
		}
		return byte(c), nil
	}
	var seq [][2]byte
	for _, m := range mods {
		c, err := code(m)
		if err != nil {
			return err
		}
		seq = append(seq, [2]byte{xproto.KeyPress, c})
	}
	c, err := code(sym)
	if err != nil {
		return err
	}
	seq = append(seq, [2]byte{xproto.KeyPress, c}, [2]byte{xproto.KeyRelease, c})
	for i := len(mods) - 1; i >= 0; i-- {
		mc, _ := code(mods[i])
		seq = append(seq, [2]byte{xproto.KeyRelease, mc})
	}
	for _, e := range seq {
		// Checked: the reply-less request is followed by a round trip, so
		// the key has reached the server when press returns.
		if err := xtest.FakeInputChecked(s.conn, e[0], e[1], 0, s.root, 0, 0, 0).Check(); err != nil {
			return fmt.Errorf("sending a key: %w", err)
		}
	}
	return nil
}

// takeFocus gives the window the keyboard, as a click on it would.
func (s *screen) takeFocus() error {
	if err := xproto.SetInputFocusChecked(s.conn, xproto.InputFocusParent, s.win, xproto.TimeCurrentTime).Check(); err != nil {
		return fmt.Errorf("focusing the window: %w", err)
	}
	return nil
}

// focus gives the window the keyboard and puts the cursor in its search
// field (Ctrl+L).
func (s *screen) focus() error {
	if err := s.takeFocus(); err != nil {
		return err
	}
	time.Sleep(100 * time.Millisecond) // the focus-in event reaches the toolkit
	return s.press('l', symControlL)
}

// settle polls until the region stays the same for quiet (or limit
// passes) and returns the picture and when it last changed.
func (s *screen) settle(from []byte, changed time.Time, limit time.Duration) ([]byte, time.Time, error) {
	cur, last := from, changed
	deadline := time.Now().Add(limit)
	for time.Since(last) < quiet && time.Now().Before(deadline) {
		time.Sleep(poll)
		img, err := s.grab()
		if err != nil {
			return nil, last, err
		}
		if !bytes.Equal(img, cur) {
			cur, last = img, time.Now()
		}
	}
	return cur, last, nil
}

// repaintAfter sends the key and waits up to limit for the region to differ
// from before, and still differ one poll later (a flicker back to before is
// not the answer). It returns how long after the key the repaint came, when
// it was seen (zero when it never came) and the region then.
func (s *screen) repaintAfter(sym xproto.Keysym, before []byte, limit time.Duration) (time.Duration, time.Time, []byte, error) {
	t0 := time.Now()
	if err := s.press(sym); err != nil {
		return 0, time.Time{}, before, err
	}
	var seen time.Time
	img := before
	for time.Since(t0) < limit {
		time.Sleep(poll)
		now, err := s.grab()
		if err != nil {
			return 0, time.Time{}, before, err
		}
		if bytes.Equal(now, before) {
			seen = time.Time{}
			continue
		}
		if seen.IsZero() {
			seen, img = time.Now(), now
			continue
		}
		return seen.Sub(t0), seen, img, nil
	}
	return 0, time.Time{}, before, nil
}

// writePNG saves a picture of the region (GetImage's 32-bit BGRX pixels).
func (s *screen) writePNG(data []byte, path string) error {
	img := image.NewRGBA(image.Rect(0, 0, int(s.w), int(s.h)))
	for i := 0; i+4 <= len(data) && i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = data[i+2], data[i+1], data[i], 0xff
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	return errors.Join(png.Encode(f, img), f.Close())
}

// rowShown says whether the region, the left end of the first result row
// (its icon and the start of its title), holds a row: ink in at least a
// few of its pixel columns, as a row's icon and title give, where the
// empty and loading states leave it blank.
func (s *screen) rowShown() (bool, error) {
	img, err := s.grab()
	if err != nil {
		return false, err
	}
	if len(img) < 4 {
		return false, nil
	}
	// The background is the colour of the region's top-left pixel.
	bg := img[:4]
	inked := map[int]bool{}
	w := int(s.w)
	for i := 0; i+4 <= len(img); i += 4 {
		if !closeTo(img[i:i+4], bg) {
			inked[(i/4)%w] = true
		}
	}
	return len(inked) >= 8, nil
}

func closeTo(a, b []byte) bool {
	for i := range 3 {
		d := int(a[i]) - int(b[i])
		if d < -24 || d > 24 {
			return false
		}
	}
	return true
}
