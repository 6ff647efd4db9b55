package instance

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
)

// Request is what a later launch asks the running window, one line on its
// socket; the window answers "ok".
type Request string

// The requests.
const (
	// Show brings the main window to the front (a second `pagedeck`).
	Show Request = "show"
	// Quick shows Quick Open (`pagedeck quick`).
	Quick Request = "quick"
	// Ping asks for nothing but the answer: a hidden start beside a
	// running window, and `pagedeck quick` waiting for the window it
	// started in the background.
	Ping Request = "ping"
)

// Options say what the window does when asked, and what this launch asks
// a window that already runs.
type Options struct {
	// Ask is sent to the running window when this launch is not the
	// first; empty means Show.
	Ask Request
	// OnShow and OnQuick run, on the request's goroutine, when a later
	// launch asks; the answer goes once they return, so they should only
	// hand the work to the GUI (fyne.Do). A nil OnQuick falls back to
	// OnShow.
	OnShow, OnQuick func()
}

func (o Options) ask() Request {
	if o.Ask == "" {
		return Show
	}
	return o.Ask
}

// Acquire is AcquireWith for a plain window launch: onShow answers Show
// (and Quick), and a running window is asked to Show.
func Acquire(dir string, onShow func()) (*Primary, error) {
	return AcquireWith(dir, Options{OnShow: onShow})
}

// ErrNotRunning: no window listens for the data directory.
//
//lint:ignore ST1005 Pagedeck is a name, and the message is shown as it is.
var ErrNotRunning = errors.New("Pagedeck is not running")

// Send asks the window that owns dir for r and waits, within ctx, for its
// answer. With no window listening it returns an error wrapping
// ErrNotRunning.
func Send(ctx context.Context, dir string, r Request) error {
	err := send(ctx, filepath.Join(dir, socketName), r)
	var de *dialError
	if errors.As(err, &de) {
		// No socket, or a dead window's: nobody listens.
		return fmt.Errorf("%w (%v)", ErrNotRunning, de.err)
	}
	return err
}

// dialError: the socket could not be reached at all.
type dialError struct{ err error }

func (e *dialError) Error() string { return e.err.Error() }
func (e *dialError) Unwrap() error { return e.err }
