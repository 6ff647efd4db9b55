package store

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func fill(b *testing.B, n int) *Store {
	s, err := Open(filepath.Join(b.TempDir(), "data"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.UpsertWorkspace("ws", func(*Workspace, bool) {}); err != nil {
		b.Fatal(err)
	}
	base := time.Now().UTC()
	items := make([]Item, n)
	for i := range items {
		items[i] = Item{
			ID: fmt.Sprintf("%08x-6b1e-4c5f-9a3d-%012x", i, i), Kind: KindPage,
			Title:      fmt.Sprintf("Weekly sync notes %d: roadmap and hiring", i),
			URL:        fmt.Sprintf("https://app.notion.com/p/Weekly-sync-notes-%d-%032x", i, i),
			Icon:       "📝",
			ParentID:   "2f1c8a8e-0000-4000-8000-000000000000",
			LastEdited: base.Add(-time.Duration(i) * time.Minute),
		}
	}
	if _, err := s.ReplaceItems("ws", items, func(*Workspace) {}); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkStoreLoad reads 100,000 cached items, as the window does at start.
func BenchmarkStoreLoad(b *testing.B) {
	s := fill(b, 100_000)
	b.ReportAllocs()
	for b.Loop() {
		all, err := s.AllItems()
		if err != nil || len(all["ws"]) != 100_000 {
			b.Fatal(err)
		}
	}
	runtime.GC()
}

// BenchmarkStoreReplace writes 100,000 items in one transaction (a full sync).
func BenchmarkStoreReplace(b *testing.B) {
	s := fill(b, 100_000)
	items, _ := s.Items("ws")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.ReplaceItems("ws", items, func(*Workspace) {}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckFile walks a file of 100,000 items, as a transaction does
// once after each commit (and Open once).
func BenchmarkCheckFile(b *testing.B) {
	s := fill(b, 100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := checkFile(s.Path(), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBackup writes and checks the last good copy of 100,000 items.
func BenchmarkBackup(b *testing.B) {
	s := fill(b, 100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := os.Remove(s.backupPath()); err != nil && !os.IsNotExist(err) {
			b.Fatal(err)
		}
		if ok, err := s.Backup(); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkWorkspaceRead is one small read transaction (the window's
// Workspaces call): the file is opened, its header checked, and closed.
func BenchmarkWorkspaceRead(b *testing.B) {
	s := fill(b, 100_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Workspace("ws"); err != nil {
			b.Fatal(err)
		}
	}
}
