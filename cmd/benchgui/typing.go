// benchgui type: the typing latency, key by key, as percentiles.

package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

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
	s, err := open(fs, args)
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
