package instance

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a window's request log.
type recorder struct {
	mu  sync.Mutex
	got []string
}

func (r *recorder) on(what string) func() {
	return func() {
		r.mu.Lock()
		r.got = append(r.got, what)
		r.mu.Unlock()
	}
}

func (r *recorder) log() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.got, " ")
}

func TestRequests(t *testing.T) {
	dir := t.TempDir()
	var rec recorder
	p, err := AcquireWith(dir, Options{OnShow: rec.on("show"), OnQuick: rec.on("quick")})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Release()
	for _, r := range []Request{Quick, Ping, Show, Quick} {
		if err := Send(t.Context(), dir, r); err != nil {
			t.Fatalf("Send(%s): %v", r, err)
		}
	}
	if got := rec.log(); got != "quick show quick" {
		t.Errorf("the window saw %q, want %q (ping calls nothing)", got, "quick show quick")
	}

	// A later launch asks what its options say, and says what happened.
	for _, tt := range []struct {
		ask     Request
		message string
	}{
		{Quick, "asked to show Quick Open"},
		{Ping, "Pagedeck is already running"},
		{"", "brought to the front"},
	} {
		_, err := AcquireWith(dir, Options{Ask: tt.ask})
		var re *RunningError
		if !errors.As(err, &re) || !re.Shown || !strings.Contains(err.Error(), tt.message) {
			t.Errorf("AcquireWith(Ask: %q): %v", tt.ask, err)
		}
	}
	if got := rec.log(); got != "quick show quick quick show" {
		t.Errorf("after the launches the window saw %q", got)
	}
}

func TestQuickFallsBackToShow(t *testing.T) {
	dir := t.TempDir()
	var rec recorder
	p, err := Acquire(dir, rec.on("show"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Release()
	if err := Send(t.Context(), dir, Quick); err != nil {
		t.Fatal(err)
	}
	if rec.log() != "show" {
		t.Errorf("a window without OnQuick saw %q", rec.log())
	}
}

func TestSendWithNoWindow(t *testing.T) {
	dir := t.TempDir()
	if err := Send(t.Context(), dir, Quick); !errors.Is(err, ErrNotRunning) {
		t.Errorf("no window at all: %v", err)
	}
	// A window that was killed leaves its socket file; nobody listens.
	ln, err := net.Listen("unix", filepath.Join(dir, socketName))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(filepath.Join(dir, socketName)); err != nil {
		t.Fatalf("the stale socket file is gone: %v", err)
	}
	if err := Send(t.Context(), dir, Ping); !errors.Is(err, ErrNotRunning) {
		t.Errorf("dead window's socket: %v", err)
	}
}

// TestHostileRequests: whatever else connects to the socket gets no
// action, and the window keeps serving.
func TestHostileRequests(t *testing.T) {
	dir := t.TempDir()
	var rec recorder
	p, err := AcquireWith(dir, Options{OnShow: rec.on("show"), OnQuick: rec.on("quick")})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Release()
	sock := filepath.Join(dir, socketName)
	ask := func(payload string) string {
		c, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		go func() { _, _ = c.Write([]byte(payload)) }()
		reply, _ := bufio.NewReader(c).ReadString('\n')
		return reply
	}
	for _, payload := range []string{
		"open /etc/passwd\n",
		"quick quick\n",
		"QUICK\n",
		strings.Repeat("q", 1<<20) + "\n",
		strings.Repeat("quick\n", 10),
	} {
		reply := ask(payload)
		if reply == "ok\n" && payload != strings.Repeat("quick\n", 10) {
			t.Errorf("%.20q… was answered ok", payload)
		}
	}
	// Ten requests on one connection are one request.
	if got := rec.log(); got != "quick" {
		t.Errorf("hostile requests ran %q", got)
	}
	if err := Send(t.Context(), dir, Show); err != nil {
		t.Fatalf("the window stopped serving: %v", err)
	}
}

func TestSendGivesUpWithItsContext(t *testing.T) {
	dir := t.TempDir()
	// A listener that never answers: a window stuck before its event loop.
	ln, err := net.Listen("unix", filepath.Join(dir, socketName))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	err = Send(ctx, dir, Quick)
	if err == nil || errors.Is(err, ErrNotRunning) || !strings.Contains(err.Error(), "no answer") {
		t.Errorf("a window that never answers: %v", err)
	}
}
