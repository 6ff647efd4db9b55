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
	"fmt"
	"io"
	"log"
	"os"

	"github.com/jezek/xgb"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("benchgui: ")
	xgb.Logger = log.New(io.Discard, "", 0) // it warns about a missing Xauthority, normal under Xvfb
	if len(os.Args) < 2 {
		log.Fatal("usage: benchgui type|firstrow|answer [flags]")
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
