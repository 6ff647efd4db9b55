// benchgui answer: every key must change the region within a bound.

package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/jezek/xgb/xproto"
)

// namedKeys are the keys answer takes by name; any other name is one
// character.
var namedKeys = map[string]xproto.Keysym{"Down": 0xff54, "Up": 0xff52, "BackSpace": symBackSpace}

func runAnswer(args []string) error {
	fs := flag.NewFlagSet("answer", flag.ContinueOnError)
	keys := fs.String("keys", "", "keys to send, comma-separated: Down, Up, BackSpace or one character")
	within := fs.Duration("within", time.Second, "how soon each key must change the region")
	s, err := open(fs, args)
	if err != nil {
		return err
	}
	defer s.conn.Close()
	names := strings.Split(*keys, ",")
	var syms []xproto.Keysym
	for _, name := range names {
		sym, ok := namedKeys[name]
		if r := []rune(name); !ok && len(r) == 1 {
			sym, ok = keysym(r[0]), true
		}
		if !ok {
			return fmt.Errorf("-keys: %q is not Down, Up, BackSpace or one character", name)
		}
		syms = append(syms, sym)
	}
	if err := s.takeFocus(); err != nil {
		return err
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
			return fmt.Errorf("key %d (%s) changed nothing within %v (answered before it: %s)", i+1, names[i], *within, strings.Join(took, " "))
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
