//go:build linux || freebsd || openbsd || netbsd

package app_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/app"
)

// fakeXdgOpen puts an xdg-open on PATH that records its argument and exits
// with code; code < 0 leaves PATH without any xdg-open.
func fakeXdgOpen(t *testing.T, code int) (log string) {
	t.Helper()
	dir := t.TempDir()
	log = filepath.Join(dir, "opened")
	if code >= 0 {
		script := "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + log + "'\nexit " + string(rune('0'+code)) + "\n"
		if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
	return log
}

func TestSystemOpenerSaysWhyInPlainWords(t *testing.T) {
	const u = "https://www.notion.so/acme/Page-1"
	t.Run("opens", func(t *testing.T) {
		log := fakeXdgOpen(t, 0)
		if err := (app.SystemOpener{}).OpenURL(u); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(log); strings.TrimSpace(string(b)) != u {
			t.Errorf("xdg-open got %q", b)
		}
	})
	t.Run("no xdg-open", func(t *testing.T) {
		fakeXdgOpen(t, -1)
		err := (app.SystemOpener{}).OpenURL(u)
		if !errors.Is(err, app.ErrNoOpener) || strings.Contains(err.Error(), "executable file not found") {
			t.Errorf("err = %v, want ErrNoOpener in plain words", err)
		}
		if got := app.Explain(err); !strings.HasPrefix(got, "No program is set up to open web links") {
			t.Errorf("Explain = %q", got)
		}
	})
	t.Run("no browser configured", func(t *testing.T) {
		fakeXdgOpen(t, 3)
		if err := (app.SystemOpener{}).OpenURL(u); !errors.Is(err, app.ErrNoOpener) {
			t.Errorf("err = %v, want ErrNoOpener", err)
		}
	})
	t.Run("handler failed", func(t *testing.T) {
		fakeXdgOpen(t, 4)
		if err := (app.SystemOpener{}).OpenURL(u); !errors.Is(err, app.ErrOpenerFailed) {
			t.Errorf("err = %v, want ErrOpenerFailed", err)
		}
	})
}
