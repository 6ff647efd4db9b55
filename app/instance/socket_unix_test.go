//go:build unix

package instance

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSocketIsPrivateWhateverTheUmask: under umask 000 the socket would be
// 0777, open to every user on the machine; it is 0600.
func TestSocketIsPrivateWhateverTheUmask(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	p, err := Acquire(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Release()
	fi, err := os.Stat(filepath.Join(dir, socketName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want 0600", fi.Mode())
	}
}
