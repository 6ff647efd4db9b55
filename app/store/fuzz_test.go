package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzRecord: the walk's validItem agrees with decodeItem on every input,
// so a record the walk lets through always decodes, and one it refuses
// never would.
func FuzzRecord(f *testing.F) {
	for _, it := range sampleItems(4, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		f.Add(encodeItem(nil, &it))
	}
	f.Add([]byte{1, 0, 0, 0})
	f.Add([]byte{1, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})
	f.Fuzz(func(t *testing.T, v []byte) {
		_, err := decodeItem([]byte("k"), v)
		if valid := validItem(v); valid != (err == nil) {
			t.Fatalf("validItem = %v, decodeItem: %v", valid, err)
		}
	})
}

// FuzzOpen: any bytes as pagedeck.db are opened and read, or refused with
// ErrCorrupt; never a panic, a fault, a hang or a runaway allocation.
func FuzzOpen(f *testing.F) {
	dir := f.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		f.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.UpsertWorkspace("ws", func(w *Workspace, _ bool) { w.Name = "W" })
	s.ReplaceItems("ws", sampleItems(60, base), func(*Workspace) {})
	s.SetSettings(map[string]string{"k": "v"})
	sound, _ := os.ReadFile(s.Path())
	f.Add(sound)
	f.Add(sound[:len(sound)/2])
	f.Add([]byte{})
	f.Add([]byte("not a database"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, FileName), data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(dir, Options{LockTimeout: time.Second})
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNewerSchema) {
				t.Fatalf("Open: %v", err)
			}
			if now, _ := os.ReadFile(filepath.Join(dir, FileName)); !bytes.Equal(now, data) {
				t.Fatal("a refused file was changed")
			}
			return
		}
		s.Workspaces()
		s.AllItems()
		s.Settings()
		s.UpsertWorkspace("other", func(w *Workspace, _ bool) { w.Name = "X" })
	})
}
