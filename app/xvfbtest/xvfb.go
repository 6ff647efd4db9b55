// Package xvfbtest runs a private X server for tests that need a real one
// (the global hotkey, the Quick Open palette's window manager hints). A
// machine without Xvfb fails those tests rather than skipping them: `make
// deps` installs it.
package xvfbtest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Start runs Xvfb with one screen of width×height on a display it picks
// itself, ends it when the test ends, and returns the display name (":N").
func Start(t testing.TB, width, height int) string {
	t.Helper()
	path, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Fatalf("this test needs Xvfb (Debian package xvfb; `make deps` installs it): %v", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var stderr bytes.Buffer
	// -displayfd: Xvfb takes the first free display and writes its number
	// once it accepts connections.
	cmd := exec.Command(path, "-displayfd", "3", "-nolisten", "tcp", "-noreset", "-screen", "0", fmt.Sprintf("%dx%dx24", width, height))
	cmd.ExtraFiles = []*os.File{w}
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if n == "" {
			t.Fatalf("Xvfb did not start: %s", stderr.String())
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatalf("Xvfb did not report a display: %s", stderr.String())
	}
	return ""
}
