//go:build unix && !darwin && !ios && !android

package autostart

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestXDGEntryWrittenAndRemoved(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	e, err := ForThisProgram()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, ".config", "autostart"); e.Dir != want {
		t.Errorf("Dir = %q, want %q", e.Dir, want)
	}
	if !filepath.IsAbs(e.Exe) || !slices.Equal(e.Args, []string{"--hidden"}) {
		t.Errorf("entry = %+v", e)
	}
	// A relative XDG_CONFIG_HOME is ignored, as the spec says.
	t.Setenv("XDG_CONFIG_HOME", "relative/dir")
	if e, _ := ForThisProgram(); e.Dir != filepath.Join(home, ".config", "autostart") {
		t.Errorf("relative XDG_CONFIG_HOME used: %q", e.Dir)
	}
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	e, _ = ForThisProgram()
	if want := filepath.Join(cfg, "autostart"); e.Dir != want {
		t.Fatalf("Dir = %q, want %q", e.Dir, want)
	}

	for _, exe := range []string{
		"/usr/bin/pagedeck",
		"/home/ada/My Apps/pagedeck",
		`/home/ada/$HOME/"quoted"/back\slash/100%/a'b/x;y/pagedeck`,
	} {
		e.Exe = exe
		if on, err := e.Enabled(); err != nil || on {
			t.Fatalf("%s: enabled before Enable: %v, %v", exe, on, err)
		}
		if err := e.Enable(); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(cfg, "autostart", "com.github.pagedeck.desktop")
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		validateDesktop(t, path)
		exec := desktopValue(t, string(text), "Exec")
		if got := runs(parseExec(t, exec)); !slices.Equal(got, []string{exe, "--hidden"}) {
			t.Errorf("Exec=%s runs %q, want %q", exec, got, []string{exe, "--hidden"})
		}
		if got := unescapeString(desktopValue(t, string(text), "TryExec")); got != exe {
			t.Errorf("TryExec = %q, want %q", got, exe)
		}
		if on, err := e.Enabled(); err != nil || !on {
			t.Fatalf("Enabled after Enable: %v, %v", on, err)
		}
		if err := e.Disable(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatalf("the entry survived Disable: %v", err)
		}
		if on, err := e.Enabled(); err != nil || on {
			t.Fatalf("Enabled after Disable: %v, %v", on, err)
		}
		if err := e.Disable(); err != nil {
			t.Errorf("second Disable: %v", err)
		}
	}
	// Nothing but the entry was ever left behind (no temporary files).
	if left, _ := os.ReadDir(filepath.Join(cfg, "autostart")); len(left) != 0 {
		t.Errorf("left in autostart/: %v", left)
	}
}

func TestXDGEntrySwitchedOffByTheDesktop(t *testing.T) {
	e := Entry{Exe: "/usr/bin/pagedeck", Args: []string{"--hidden"}, Dir: t.TempDir()}
	if err := e.Enable(); err != nil {
		t.Fatal(err)
	}
	path := desktopPath(e)
	for _, extra := range []string{"X-GNOME-Autostart-enabled=false", "Hidden=true"} {
		text := strings.Replace(desktopEntry(e), "X-GNOME-Autostart-enabled=true\n", extra+"\n", 1)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if on, err := e.Enabled(); err != nil || on {
			t.Errorf("with %s: Enabled = %v, %v", extra, on, err)
		}
	}
	// Enabling again writes our entry back.
	if err := e.Enable(); err != nil {
		t.Fatal(err)
	}
	if on, _ := e.Enabled(); !on {
		t.Error("Enable did not switch a disabled entry back on")
	}
}

// validateDesktop runs desktop-file-validate (Debian's desktop-file-utils,
// installed by `make deps`); without it the test fails.
func validateDesktop(t *testing.T, path string) {
	t.Helper()
	tool, err := exec.LookPath("desktop-file-validate")
	if err != nil {
		t.Fatalf("the autostart test needs desktop-file-validate (Debian package desktop-file-utils; `make deps` installs it): %v", err)
	}
	out, err := exec.Command(tool, path).CombinedOutput()
	if err != nil || len(out) != 0 {
		t.Errorf("desktop-file-validate %s: %v\n%s", path, err, out)
	}
}

// TestXDGEntryLaunchesInGIO hands the entry to GLib, which GNOME, Xfce and
// most desktops start autostart entries with: `gio launch` must load it
// and run the program at its path, however odd, with its arguments.
func TestXDGEntryLaunchesInGIO(t *testing.T) {
	gio, err := exec.LookPath("gio")
	if err != nil {
		t.Skipf("gio is not installed (Debian package libglib2.0-bin, which `make deps` installs), so GLib cannot be asked: %v", err)
	}
	for _, dir := range []string{
		"plain", "100%", "%f %u %%", "a b", `q"x`, `back\slash`, "$HOME", "a'b", "x;y&z|w", "k=v", "`tick`", "(p)<r>~#*?",
		`all of 100% "quoted" \ $x`,
	} {
		t.Run(dir, func(t *testing.T) {
			base := t.TempDir()
			exe := filepath.Join(base, dir, "pagedeck")
			out := filepath.Join(base, "argv")
			if err := os.MkdirAll(filepath.Dir(exe), 0o755); err != nil {
				t.Fatal(err)
			}
			// The program writes the path it runs as and its arguments,
			// one a line, then moves the file into place.
			script := "#!/bin/sh\n" +
				`{ printf '%s\n' "$0"; for a; do printf '%s\n' "$a"; done; } >"$PAGEDECK_TEST_OUT.tmp" && mv "$PAGEDECK_TEST_OUT.tmp" "$PAGEDECK_TEST_OUT"` + "\n"
			if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			e := Entry{Exe: exe, Args: []string{"--hidden"}, Dir: filepath.Join(base, "autostart")}
			if err := e.Enable(); err != nil {
				t.Fatal(err)
			}
			validateDesktop(t, desktopPath(e))
			cmd := exec.CommandContext(t.Context(), gio, "launch", desktopPath(e))
			cmd.Env = append(os.Environ(), "PAGEDECK_TEST_OUT="+out)
			if msg, err := cmd.CombinedOutput(); err != nil {
				text, _ := os.ReadFile(desktopPath(e))
				t.Fatalf("gio launch: %v: %s\n%s", err, msg, text)
			}
			got := waitForFile(t, out)
			if want := exe + "\n--hidden\n"; got != want {
				t.Errorf("GLib ran\n%q\nwant\n%q", got, want)
			}
		})
	}
}

// waitForFile returns the file's content once it exists: the program gio
// started runs on its own.
func waitForFile(t *testing.T, path string) string {
	t.Helper()
	for range 1000 {
		b, err := os.ReadFile(path)
		if err == nil {
			return string(b)
		}
		if !os.IsNotExist(err) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the program gio launched never wrote %s", path)
	return ""
}
