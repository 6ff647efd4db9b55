// Package testbin builds the real pagedeck binary once per test process,
// for tests that must go through it. Only tests import it.
package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var (
	once sync.Once
	path string
	err  error
)

// Binary returns the real pagedeck, built with the Makefile's tags (so
// the build cache of 'make build' serves); PAGEDECK_BIN names one already
// built. The window's package needs cgo for Fyne.
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("PAGEDECK_BIN"); p != "" {
		return p
	}
	if out, _ := exec.Command("go", "env", "CGO_ENABLED").Output(); strings.TrimSpace(string(out)) != "1" {
		t.Skip("building pagedeck needs cgo (Fyne); 'make test' runs this with cgo, or set PAGEDECK_BIN")
	}
	once.Do(func() {
		dir, derr := os.MkdirTemp("", "pagedeck-bin-")
		if derr != nil {
			err = derr
			return
		}
		path = filepath.Join(dir, "pagedeck")
		_, file, _, _ := runtime.Caller(0)
		cmd := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", path, ".")
		cmd.Dir = filepath.Join(filepath.Dir(file), "..", "..")
		if out, berr := cmd.CombinedOutput(); berr != nil {
			err = &buildError{out: string(out), err: berr}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// Cleanup removes the built binary; TestMain calls it after the run.
func Cleanup() {
	if path != "" && os.Getenv("PAGEDECK_BIN") == "" {
		os.RemoveAll(filepath.Dir(path))
	}
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return "building pagedeck: " + e.err.Error() + "\n" + e.out }
