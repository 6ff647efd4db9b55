package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// readAll reads and writes through the store as the app would; none of it
// may panic.
func readAll(s *Store) error {
	if _, err := s.Workspaces(); err != nil {
		return err
	}
	if _, err := s.AllItems(); err != nil {
		return err
	}
	if _, err := s.Settings(); err != nil {
		return err
	}
	_, _, err := s.ApplyChanges(wsA, sampleItems(3, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)), nil, func(*Workspace) {})
	return err
}

// TestCorruptionVariants: each damaged file, opened without a last good
// copy, is refused with a message naming the file and left byte for byte as
// it was; opened with one, it is moved aside and the copy restored, with
// both workspaces and all their items back. Nothing panics.
func TestCorruptionVariants(t *testing.T) {
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			dir, damaged := variantDir(t, v, false)
			s, err := Open(dir, Options{})
			if v.sound {
				if err != nil {
					t.Fatalf("bbolt copes with this one, but Open: %v", err)
				}
				if s.Recovered() != nil {
					t.Errorf("restored a sound file: %v", s.Recovered())
				}
				if ws, err := s.Workspaces(); err != nil || len(ws) != 2 {
					t.Errorf("workspaces: %d, %v", len(ws), err)
				}
				if err := readAll(s); err != nil {
					t.Errorf("reading and writing: %v", err)
				}
				return
			}
			var ce *CorruptError
			if !errors.As(err, &ce) || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open = %v, want a *CorruptError", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, dir) || !strings.Contains(msg, "left it untouched") || !strings.Contains(msg, "no earlier copy") {
				t.Errorf("message %q does not name the file and what was done", msg)
			}
			if got, _ := os.ReadFile(dir + "/" + FileName); !bytes.Equal(got, damaged) {
				t.Errorf("the damaged file was changed (%d bytes, was %d)", len(got), len(damaged))
			}
			t.Logf("without a copy: %v", err)

			dir, damaged = variantDir(t, v, true)
			s, err = Open(dir, Options{})
			if err != nil {
				t.Fatalf("with a last good copy, Open: %v", err)
			}
			r := s.Recovered()
			if r == nil {
				t.Fatal("Open restored nothing and said nothing")
			}
			if aside, _ := os.ReadFile(r.MovedTo); !bytes.Equal(aside, damaged) {
				t.Errorf("the damaged file was not kept at %s", r.MovedTo)
			}
			if !strings.Contains(r.String(), r.MovedTo) || !strings.Contains(r.String(), "restored") {
				t.Errorf("notice: %q", r.String())
			}
			ws, err := s.Workspaces()
			if err != nil || len(ws) != 2 {
				t.Fatalf("after the restore: %d workspaces, %v", len(ws), err)
			}
			items, err := s.Items(wsB)
			if err != nil || len(items) != 400 {
				t.Errorf("after the restore: %d items, %v", len(items), err)
			}
			if err := readAll(s); err != nil {
				t.Errorf("reading and writing after the restore: %v", err)
			}
		})
	}
}

// TestDamageWhileOpen: the file is damaged after Open (another program, a
// bad disk). The next transaction walks the changed file before bbolt maps
// it, so it fails with ErrCorrupt instead of crashing; the message says
// what the next start will do.
func TestDamageWhileOpen(t *testing.T) {
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			s, l := buildSample(t, filepath.Join(t.TempDir(), "data"))
			if _, err := s.Backup(); err != nil {
				t.Fatal(err)
			}
			v.damage(t, s.Path(), l)
			err := readAll(s)
			switch {
			case v.sound && err != nil:
				t.Errorf("bbolt copes with this one, but: %v", err)
			case !v.sound && !errors.Is(err, ErrCorrupt):
				t.Errorf("err = %v, want ErrCorrupt", err)
			case !v.sound && !strings.Contains(err.Error(), "will restore its last good copy the next time it starts"):
				t.Errorf("message: %v", err)
			}
		})
	}
}

// TestBackup: a copy at most once a minute; never a damaged one.
func TestBackup(t *testing.T) {
	s, l := buildSample(t, filepath.Join(t.TempDir(), "data"))
	if ok, err := s.Backup(); !ok || err != nil {
		t.Fatalf("first backup: %v %v", ok, err)
	}
	first, _ := os.ReadFile(s.backupPath())
	if err := checkFile(s.backupPath(), nil); err != nil {
		t.Fatalf("the copy is not sound: %v", err)
	}
	if _, err := s.UpsertWorkspace("ws-c", func(w *Workspace, _ bool) { w.Name = "C" }); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Backup(); ok || err != nil {
		t.Errorf("a second copy within a minute: %v %v", ok, err)
	}
	old := time.Now().Add(-2 * BackupEvery)
	os.Chtimes(s.backupPath(), old, old)
	if ok, err := s.Backup(); !ok || err != nil {
		t.Fatalf("a copy after a minute: %v %v", ok, err)
	}
	second, _ := os.ReadFile(s.backupPath())
	if bytes.Equal(first, second) {
		t.Error("the copy did not change")
	}
	// Damage: the copy is not replaced by a damaged one.
	os.Chtimes(s.backupPath(), old, old)
	variantNamed(t, "branch page: child past the last page").damage(t, s.Path(), l)
	if ok, err := s.Backup(); ok || !errors.Is(err, ErrCorrupt) {
		t.Errorf("backup of a damaged file: %v %v", ok, err)
	}
	if now, _ := os.ReadFile(s.backupPath()); !bytes.Equal(now, second) {
		t.Error("the last good copy was replaced")
	}
	entries, _ := os.ReadDir(s.Dir())
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	// And the next Open restores the good copy, with workspace C.
	s2, err := Open(s.Dir(), Options{})
	if err != nil || s2.Recovered() == nil {
		t.Fatalf("reopen: %v %v", err, s2)
	}
	if _, err := s2.Workspace("ws-c"); err != nil {
		t.Errorf("the restored copy lacks the newest workspace: %v", err)
	}
}

// TestDamagedCopyIsNotRestored: when the last good copy is damaged too, both
// files are left as they are and the message says so.
func TestDamagedCopyIsNotRestored(t *testing.T) {
	s, _ := buildSample(t, filepath.Join(t.TempDir(), "data"))
	if _, err := s.Backup(); err != nil {
		t.Fatal(err)
	}
	os.Truncate(s.backupPath(), 3*4096)
	os.Truncate(s.Path(), 4096)
	damaged, _ := os.ReadFile(s.Path())
	_, err := Open(s.Dir(), Options{})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "its last good copy is damaged too") {
		t.Fatalf("err = %v", err)
	}
	if now, _ := os.ReadFile(s.Path()); !bytes.Equal(now, damaged) {
		t.Error("the damaged file was changed")
	}
}

// TestReadOnlyLeavesTheFileAlone: a store opened read-only reads without
// writing a byte, refuses writes, and an up-to-date file opened normally is
// not written either.
func TestReadOnlyLeavesTheFileAlone(t *testing.T) {
	s, _ := buildSample(t, filepath.Join(t.TempDir(), "data"))
	before, _ := os.ReadFile(s.Path())
	fi0, _ := os.Stat(s.Path())
	old := fi0.ModTime().Add(-time.Hour)
	os.Chtimes(s.Path(), old, old)

	for _, ro := range []bool{true, false} {
		r, err := Open(s.Dir(), Options{ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		if ro {
			if ws, err := r.Workspaces(); err != nil || len(ws) != 2 {
				t.Fatalf("read-only workspaces: %v %v", ws, err)
			}
			if all, err := r.AllItems(); err != nil || len(all[wsA]) != 400 {
				t.Fatalf("read-only items: %v", err)
			}
			if _, err := r.UpsertWorkspace("x", func(*Workspace, bool) {}); !errors.Is(err, ErrReadOnly) {
				t.Errorf("a write on a read-only store: %v", err)
			}
			if _, err := r.Backup(); !errors.Is(err, ErrReadOnly) {
				t.Errorf("a backup from a read-only store: %v", err)
			}
		}
		after, _ := os.ReadFile(s.Path())
		fi, _ := os.Stat(s.Path())
		if !bytes.Equal(before, after) || !fi.ModTime().Equal(old) {
			t.Errorf("read-only=%v: the file changed", ro)
		}
	}
}

// TestReadOnlyMigratesOnce: a file from before the schema existed is
// migrated by the first open, even a read-only one (the only write a
// read-only open makes), and left alone after.
func TestReadOnlyMigratesOnce(t *testing.T) {
	dir := t.TempDir()
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.Schema(); err != nil || v != SchemaVersion {
		t.Errorf("schema %d %v", v, err)
	}
	before, _ := os.ReadFile(s.Path())
	if _, err := Open(dir, Options{ReadOnly: true}); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(s.Path()); !bytes.Equal(before, after) {
		t.Error("the second read-only open wrote")
	}
}

// TestGuardTurnsPanicsIntoErrCorrupt: whatever slips past the walk and
// panics inside bbolt is a *CorruptError naming the file.
func TestGuardTurnsPanicsIntoErrCorrupt(t *testing.T) {
	s := openTemp(t)
	err := s.guard(func() error { panic("assertion failed: page 7 already freed") })
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), s.Path()) || !strings.Contains(err.Error(), "page 7 already freed") {
		t.Errorf("err = %v", err)
	}
	if err := s.guard(func() error { return nil }); err != nil {
		t.Errorf("no panic: %v", err)
	}
}
