package ui

import (
	"errors"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestNoDisplayIsOneClearLine(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("Windows and macOS always have a display")
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "DISPLAY" {
				return v
			}
			return ""
		}
	}
	for _, d := range []string{"", ":987", "nonsense", "localhost:9"} {
		err := checkDisplay(env(d))
		if !errors.Is(err, ErrNoDisplay) || strings.Contains(err.Error(), "\n") ||
			!strings.Contains(err.Error(), "xvfb-run") || !strings.Contains(err.Error(), "pagedeck help") {
			t.Errorf("DISPLAY=%q: %v", d, err)
		}
	}
	// A listening X socket is a display.
	sock := filepath.Join(t.TempDir(), "org.xquartz:0")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := checkDisplay(env(sock)); err != nil {
		t.Errorf("DISPLAY=%s with a server listening: %v", sock, err)
	}
	network, addr, err := xAddress(":0")
	if err != nil || network != "unix" || addr != "/tmp/.X11-unix/X0" {
		t.Errorf("xAddress(:0) = %s %s %v", network, addr, err)
	}
	if n, a, _ := xAddress("remote:10.0"); n != "tcp" || a != "remote:6010" {
		t.Errorf("xAddress(remote:10.0) = %s %s", n, a)
	}
	if n, a, _ := xAddress("[::1]:1"); n != "tcp" || a != "[::1]:6001" {
		t.Errorf("xAddress([::1]:1) = %s %s", n, a)
	}
}
