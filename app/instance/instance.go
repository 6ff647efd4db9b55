// Package instance keeps one Pagedeck window per data directory. The first
// window holds a lock file and listens on a socket beside it; a second
// launch finds the lock taken, asks the first to come to the front, and
// exits. Command-line commands never take part: they share the database
// through its per-transaction lock.
package instance

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/pagedeck/pagedeck/app/filelock"
)

// ErrAlreadyRunning: another window owns this data directory. When it
// could be reached it was asked to show itself (Shown reports which).
//
//lint:ignore ST1005 Pagedeck is a name, and the message is shown as it is.
var ErrAlreadyRunning = errors.New("Pagedeck is already running")

// RunningError is ErrAlreadyRunning with what happened to the other one.
type RunningError struct {
	Dir   string
	Shown bool    // the running window answered Asked (for Show: it came to the front)
	Asked Request // what it was asked
	Err   error
}

func (e *RunningError) Error() string {
	if e.Shown {
		switch e.Asked {
		case Quick:
			return "Pagedeck is already running; it was asked to show Quick Open"
		case Ping:
			return "Pagedeck is already running"
		}
		return "Pagedeck is already running; its window was brought to the front"
	}
	return fmt.Sprintf("Pagedeck is already running with %s, but did not answer (%v); close it or try again", e.Dir, e.Err)
}
func (e *RunningError) Is(target error) bool { return target == ErrAlreadyRunning }

const (
	lockName   = "window.lock"
	socketName = "window.sock"
)

// Primary is the window that owns the data directory.
type Primary struct {
	lock *os.File
	ln   net.Listener
	wg   sync.WaitGroup
}

// AcquireWith makes this process the data directory's window; o says what
// it does with later launches' requests. When another window has the
// directory, it is asked o.Ask and a *RunningError says how that went.
func AcquireWith(dir string, o Options) (*Primary, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the window lock: %w", err)
	}
	locked, err := filelock.TryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", f.Name(), err)
	}
	sock := filepath.Join(dir, socketName)
	if !locked {
		f.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		err := send(ctx, sock, o.ask())
		return nil, &RunningError{Dir: dir, Shown: err == nil, Asked: o.ask(), Err: err}
	}
	p := &Primary{lock: f}
	// The lock is ours, so any socket file is a dead window's.
	_ = os.Remove(sock)
	ln, err := net.Listen("unix", sock)
	if err != nil {
		// Still the only window; a later launch just cannot raise it.
		return p, nil
	}
	// The socket is created with the umask's mode (0777 under umask 000):
	// only this user may ask the window to show itself.
	if err := os.Chmod(sock, 0o600); err != nil && runtime.GOOS != "windows" {
		ln.Close()
		return p, nil
	}
	p.ln = ln
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(c, o)
		}
	}()
	return p, nil
}

// maxRequest bounds a request or answer line (bufio's buffer, so a
// longer one is refused, not read): anything longer is not ours.
const maxRequest = 64

func send(ctx context.Context, sock string, r Request) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", sock)
	if err != nil {
		return &dialError{err}
	}
	defer c.Close()
	deadline := time.Now().Add(3 * time.Second)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = c.SetDeadline(deadline)
	if _, err := c.Write([]byte(string(r) + "\n")); err != nil {
		return err
	}
	reply, err := bufio.NewReaderSize(c, maxRequest).ReadSlice('\n')
	if err != nil {
		return fmt.Errorf("no answer to %q: %w", r, err)
	}
	if strings.TrimSpace(string(reply)) != "ok" {
		return fmt.Errorf("unexpected answer %q to %q", strings.TrimSpace(string(reply)), r)
	}
	return nil
}

func serve(c net.Conn, o Options) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReaderSize(c, maxRequest).ReadSlice('\n')
	if err != nil {
		return
	}
	var fn func()
	switch Request(strings.TrimSpace(string(line))) {
	case Show:
		fn = o.OnShow
	case Quick:
		fn = o.OnQuick
		if fn == nil {
			fn = o.OnShow
		}
	case Ping:
	default:
		// A request from a newer Pagedeck, or not from Pagedeck at all.
		_, _ = c.Write([]byte("unknown\n"))
		return
	}
	if fn != nil {
		fn()
	}
	_, _ = c.Write([]byte("ok\n"))
}

// Release gives the data directory up (the OS does it too on exit).
func (p *Primary) Release() {
	if p.ln != nil {
		p.ln.Close()
		p.wg.Wait()
		_ = os.Remove(p.ln.Addr().String())
	}
	_ = filelock.Unlock(p.lock)
	p.lock.Close()
}
