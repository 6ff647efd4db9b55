package store

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// pagedeckBinary builds the real pagedeck (the window's package needs cgo
// for Fyne), once per test run; PAGEDECK_BIN names one already built.
func pagedeckBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PAGEDECK_BIN"); p != "" {
		return p
	}
	if out, _ := exec.Command("go", "env", "CGO_ENABLED").Output(); strings.TrimSpace(string(out)) != "1" {
		t.Skip("building pagedeck needs cgo (Fyne); 'make test' runs this with cgo, or set PAGEDECK_BIN")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pagedeck-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "pagedeck")
		// The Makefile's tags, so the build cache of 'make build' serves.
		cmd := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", binPath, ".")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = &buildError{out: string(out), err: err}
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return "building pagedeck: " + e.err.Error() + "\n" + e.out }

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" && os.Getenv("PAGEDECK_BIN") == "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// runPagedeck runs the binary on data dir dir, with nothing from the user's
// own setup.
func runPagedeck(t *testing.T, bin, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	home := t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + home,
		"PAGEDECK_DATA_DIR=" + dir, "PAGEDECK_KEYRING_SERVICE=pagedeck-corruption-test"}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errb.String()
	}
	if err != nil {
		t.Fatalf("running pagedeck: %v", err)
	}
	return 0, out.String(), errb.String()
}

// TestBinaryCorruption: every damaged file through the real binary. Without
// a last good copy: exit 1, one line naming the file and the way out, the
// file untouched. With one: the copy is restored, a note on stderr, and the
// command works. Never a panic or a stack trace.
func TestBinaryCorruption(t *testing.T) {
	bin := pagedeckBinary(t)
	crash := []string{"panic", "goroutine ", "fatal error", "SIGSEGV", "SIGBUS", "runtime."}
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			for _, backup := range []bool{false, true} {
				dir, damaged := variantDir(t, v, backup)
				for _, args := range [][]string{{"workspaces"}, {"search", "menu 7", "--json"}} {
					code, out, errOut := runPagedeck(t, bin, dir, args...)
					for _, c := range crash {
						if strings.Contains(errOut, c) {
							t.Fatalf("%v crashed: %s", args, errOut)
						}
					}
					works := v.sound || backup
					switch {
					case works && code != 0:
						t.Errorf("backup=%v %v: exit %d: %s", backup, args, code, errOut)
					case works && args[0] == "workspaces" && (!strings.Contains(out, "Workspace ws-a") || !strings.Contains(out, "Workspace ws-b")):
						t.Errorf("backup=%v: the workspaces are not listed: %q", backup, out)
					case works && args[0] == "search" && !strings.Contains(out, `"title": "Café menu 7: crème brûlée 🍮"`):
						t.Errorf("backup=%v: search found nothing: %q", backup, out)
					case v.sound && errOut != "":
						t.Errorf("a sound file, but stderr says %q", errOut)
					case !v.sound && backup && args[0] == "workspaces" && !strings.Contains(errOut, "pagedeck: note: "+filepath.Join(dir, FileName)+" was damaged"):
						t.Errorf("the restore was not reported: %q", errOut)
					case !works && (code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, filepath.Join(dir, FileName)+" is damaged") ||
						!strings.Contains(errOut, "left it untouched") || !strings.Contains(errOut, "move the file away")):
						t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
					}
					if !works {
						if now, _ := os.ReadFile(filepath.Join(dir, FileName)); !bytes.Equal(now, damaged) {
							t.Errorf("%v changed the damaged file", args)
						}
					}
				}
			}
		})
	}
}

// TestBinaryReadOnly: the read-only commands of the real binary leave a
// sound file byte for byte as it was.
func TestBinaryReadOnly(t *testing.T) {
	bin := pagedeckBinary(t)
	dir := filepath.Join(t.TempDir(), "data")
	s, _ := buildSample(t, dir)
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(s.Path(), old, old)
	before, _ := os.ReadFile(s.Path())
	for _, args := range [][]string{{"workspaces"}, {"workspaces", "--json"}, {"search", "menu"}, {"search", "--json"}} {
		if code, _, errOut := runPagedeck(t, bin, dir, args...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, errOut)
		}
		after, _ := os.ReadFile(s.Path())
		fi, _ := os.Stat(s.Path())
		if !bytes.Equal(before, after) || !fi.ModTime().Equal(old) {
			t.Errorf("%v changed the database", args)
		}
	}
}
