//go:build unix

package store

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestGuardCatchesFaults: bbolt reads pages straight from its memory map; a
// read past the end of a shrunken file is a SIGBUS, which guard turns into
// ErrCorrupt instead of a crash.
func TestGuardCatchesFaults(t *testing.T) {
	s := openTemp(t)
	path := filepath.Join(t.TempDir(), "short")
	os.WriteFile(path, []byte{1}, 0o600)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps := os.Getpagesize()
	m, err := syscall.Mmap(int(f.Fd()), 0, 2*ps, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(m)
	var sink byte
	err = s.guard(func() error {
		sink = m[ps+1] // the second page has no file behind it
		return nil
	})
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("err = %v (read %d)", err, sink)
	}
}
