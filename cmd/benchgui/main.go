// Command benchgui measures the pagedeck window as a person meets it, with X
// itself: keys go in through the XTEST extension (FakeInput) and what the
// window shows comes back through GetImage, so no helper process starts per
// key. It is the measuring half of .ci/bench-gui (make bench-gui), which
// sets up the X server, the emulator and the window, and of .ci/gui's
// check that the window answers keys while it lays out a huge page.
//
//	benchgui type     -window WID -region X,Y,W,H -keys KEYS [-label L]
//	benchgui firstrow -window WID -region X,Y,W,H -url-file F
//	benchgui answer   -window WID -region X,Y,W,H -keys NAME,NAME… [-within D]
//
// type sends each key of KEYS ('<' is BackSpace) and times it: from just
// before the key is sent to the first poll of the region that differs from
// the picture before the key (and still differs at the next poll), and to
// the last change before the region stays the same for 500 ms (settled).
// A key waits for the previous one to settle, as a person reading the
// results would.
//
// firstrow plays the browser at the end of a connect: it waits for the
// consent URL the window handed to xdg-open (the fake opener writes it to
// F), fetches it (the emulator approves at once and redirects to the
// window's callback) and times from that request to the first poll in
// which the region shows a result row.
//
// answer sends each named key (Down, Up, BackSpace, or one character) at
// once, with no Ctrl+L and no wait for the window to settle first, and
// fails unless the region changes within D (default 1 s) of every key: a
// window busy with something else still answers a person.
//
// The region is in window coordinates. Figures include the X round trips
// (FakeInput, then one GetImage per poll) and the polling interval.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"slices"
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

func main() {
	log.SetFlags(0)
	log.SetPrefix("benchgui: ")
	xgb.Logger = log.New(io.Discard, "", 0) // it warns about a missing Xauthority, normal under Xvfb
	if len(os.Args) < 2 {
		log.Fatal("usage: benchgui type|firstrow [flags]")
	}
	var err error
	switch os.Args[1] {
	case "type":
		err = runType(os.Args[2:])
	case "firstrow":
		err = runFirstRow(os.Args[2:])
	case "answer":
		err = runAnswer(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q (type, firstrow or answer)", os.Args[1])
	}
	if err != nil {
		log.Fatal(err)
	}
}

// screen is the window under measurement and the part of it that is read.
type screen struct {
	conn   *xgb.Conn
	root   xproto.Window
	win    xproto.Window
	x, y   int16
	w, h   uint16
	keymap map[xproto.Keysym]xproto.Keycode
}

func open(fs *flag.FlagSet, args []string) (*screen, *flag.FlagSet, error) {
	winFlag := fs.String("window", "", "the window's X id (decimal or 0x hex)")
	region := fs.String("region", "", "the part of the window to read: X,Y,W,H")
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	id, err := strconv.ParseUint(*winFlag, 0, 32)
	if err != nil {
		return nil, nil, fmt.Errorf("-window %q: %w", *winFlag, err)
	}
	var r [4]int
	parts := strings.Split(*region, ",")
	if len(parts) != 4 {
		return nil, nil, fmt.Errorf("-region %q is not X,Y,W,H", *region)
	}
	for i, p := range parts {
		if r[i], err = strconv.Atoi(strings.TrimSpace(p)); err != nil || r[i] < 0 {
			return nil, nil, fmt.Errorf("-region %q is not X,Y,W,H", *region)
		}
	}
	c, err := xgb.NewConn()
	if err != nil {
		return nil, nil, fmt.Errorf("connecting to X: %w", err)
	}
	if err := xtest.Init(c); err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("the X server has no XTEST: %w", err)
	}
	s := &screen{conn: c, root: xproto.Setup(c).DefaultScreen(c).Root, win: xproto.Window(id),
		x: int16(r[0]), y: int16(r[1]), w: uint16(r[2]), h: uint16(r[3])}
	if err := s.loadKeymap(); err != nil {
		c.Close()
		return nil, nil, err
	}
	return s, fs, nil
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

// focus gives the window the keyboard and puts the cursor in its search
// field (Ctrl+L), then waits for the region to settle.
func (s *screen) focus() error {
	if err := xproto.SetInputFocusChecked(s.conn, xproto.InputFocusParent, s.win, xproto.TimeCurrentTime).Check(); err != nil {
		return fmt.Errorf("focusing the window: %w", err)
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

type stroke struct {
	key            rune
	first, settled time.Duration
	changed        bool
}

func runType(args []string) error {
	fs := flag.NewFlagSet("type", flag.ContinueOnError)
	keys := fs.String("keys", "", "keys to type, in order; '<' is BackSpace")
	label := fs.String("label", "typing", "the name of this run in the output")
	verbose := fs.Bool("v", false, "print each key's figures on stderr")
	dump := fs.String("dump", "", "a directory to write each key's first and settled pictures to, when they differ (to see what a second repaint changed)")
	s, _, err := open(fs, args)
	if err != nil {
		return err
	}
	defer s.conn.Close()
	if *keys == "" {
		return errors.New("-keys is empty")
	}
	if err := s.focus(); err != nil {
		return err
	}
	img, err := s.grab()
	if err != nil {
		return err
	}
	if img, _, err = s.settle(img, time.Now(), 10*time.Second); err != nil {
		return err
	}
	var strokes []stroke
	for i, k := range *keys {
		st := stroke{key: k}
		var seen time.Time
		var err error
		if st.first, seen, img, err = s.repaintAfter(keysym(k), img, giveUp); err != nil {
			return err
		}
		first := img
		st.changed = !seen.IsZero()
		if !st.changed {
			strokes = append(strokes, st)
			if *verbose {
				fmt.Fprintf(os.Stderr, "%q: no change within %v\n", k, giveUp)
			}
			continue
		}
		var last time.Time
		if img, last, err = s.settle(img, seen, 10*time.Second); err != nil {
			return err
		}
		st.settled = st.first + last.Sub(seen) // from the key, as first is
		if *dump != "" && !bytes.Equal(first, img) {
			if err := s.writePNG(first, filepath.Join(*dump, fmt.Sprintf("key%02d-first.png", i))); err != nil {
				return err
			}
			if err := s.writePNG(img, filepath.Join(*dump, fmt.Sprintf("key%02d-settled.png", i))); err != nil {
				return err
			}
		}
		strokes = append(strokes, st)
		if *verbose {
			fmt.Fprintf(os.Stderr, "%q: first repaint %v, settled %v\n", k, ms(st.first), ms(st.settled))
		}
	}
	var first, settled []time.Duration
	for _, st := range strokes {
		if st.changed {
			first = append(first, st.first)
			settled = append(settled, st.settled)
		}
	}
	fmt.Printf("%-24s keys %2d  repaint p50 %6s p95 %6s max %6s | settled p50 %6s p95 %6s max %6s | no repaint %d\n",
		*label, len(strokes), pct(first, 50), pct(first, 95), pct(first, 100),
		pct(settled, 50), pct(settled, 95), pct(settled, 100), len(strokes)-len(first))
	if len(first) == 0 {
		return errors.New("no key changed the results: nothing was measured")
	}
	return nil
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

// namedKeys are the keys answer takes by name; any other name is one
// character.
var namedKeys = map[string]xproto.Keysym{"Down": 0xff54, "Up": 0xff52, "BackSpace": symBackSpace}

func runAnswer(args []string) error {
	fs := flag.NewFlagSet("answer", flag.ContinueOnError)
	keys := fs.String("keys", "", "keys to send, comma-separated: Down, Up, BackSpace or one character")
	within := fs.Duration("within", time.Second, "how soon each key must change the region")
	s, _, err := open(fs, args)
	if err != nil {
		return err
	}
	defer s.conn.Close()
	var syms []xproto.Keysym
	for _, name := range strings.Split(*keys, ",") {
		sym, ok := namedKeys[name]
		if r := []rune(name); !ok && len(r) == 1 {
			sym, ok = keysym(r[0]), true
		}
		if !ok {
			return fmt.Errorf("-keys: %q is not Down, Up, BackSpace or one character", name)
		}
		syms = append(syms, sym)
	}
	if err := xproto.SetInputFocusChecked(s.conn, xproto.InputFocusParent, s.win, xproto.TimeCurrentTime).Check(); err != nil {
		return fmt.Errorf("focusing the window: %w", err)
	}
	img, err := s.grab()
	if err != nil {
		return err
	}
	var took []string
	for i, sym := range syms {
		d, seen, now, err := s.repaintAfter(sym, img, *within)
		if err != nil {
			return err
		}
		if seen.IsZero() {
			return fmt.Errorf("key %d (%s) changed nothing within %v (answered before it: %s)", i+1, strings.Split(*keys, ",")[i], *within, strings.Join(took, " "))
		}
		took = append(took, ms(d))
		// The next key goes once this one's repaint is done, as a person
		// reads before pressing again; the wait is not timed.
		if img, _, err = s.settle(now, seen, 3*time.Second); err != nil {
			return err
		}
	}
	fmt.Println(strings.Join(took, " "))
	return nil
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

func runFirstRow(args []string) error {
	fs := flag.NewFlagSet("firstrow", flag.ContinueOnError)
	urlFile := fs.String("url-file", "", "the file the fake opener writes the consent URL to")
	limit := fs.Duration("limit", 5*time.Minute, "how long to wait for the first row")
	s, _, err := open(fs, args)
	if err != nil {
		return err
	}
	defer s.conn.Close()
	var consent string
	for deadline := time.Now().Add(time.Minute); consent == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile(*urlFile)
		consent = strings.TrimSpace(string(b))
	}
	if consent == "" {
		return fmt.Errorf("the window handed no consent URL to the opener (%s stayed empty)", *urlFile)
	}
	if hasRow, err := s.rowShown(); err != nil || hasRow {
		return errors.Join(err, errors.New("a result row is on screen before the consent"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, consent, nil)
	if err != nil {
		return fmt.Errorf("the consent URL: %w", err)
	}
	t0 := time.Now()
	resp, err := http.DefaultClient.Do(req) // follows the redirect to the window's callback
	if err != nil {
		return fmt.Errorf("playing the browser: %w", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	callback := time.Since(t0)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the consent and callback answered %s", resp.Status)
	}
	for time.Since(t0) < *limit {
		time.Sleep(10 * time.Millisecond)
		ok, err := s.rowShown()
		if err != nil {
			return err
		}
		if ok {
			fmt.Printf("%-24s %s (the callback answered after %s)\n", "first row on connect", ms(time.Since(t0)), ms(callback))
			return nil
		}
	}
	return fmt.Errorf("no result row within %v of the consent", *limit)
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

func pct(ds []time.Duration, p int) string {
	if len(ds) == 0 {
		return "-"
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100 // nearest rank
	return ms(s[max(i, 1)-1])
}

func ms(d time.Duration) string { return fmt.Sprintf("%dms", d.Round(time.Millisecond).Milliseconds()) }
