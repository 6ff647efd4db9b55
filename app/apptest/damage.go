package apptest

import (
	"os"
	"testing"
)

// WipeHeaders zeroes both of a bbolt file's header pages: damage every open
// finds. (Cutting a file in half is not sure to: it may cut only space
// bbolt set aside past its last page.)
func WipeHeaders(t testing.TB, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, 2*os.Getpagesize()), 0); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
