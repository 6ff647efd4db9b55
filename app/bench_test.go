package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
)

// BenchmarkQuickRefresh: one item renamed in a 1,000-item workspace, then a
// quick refresh against the emulator on loopback, end to end.
func BenchmarkQuickRefresh(b *testing.B) {
	h := newHarness(b)
	ws := h.AddWorkspace("Acme", 1, 1000)
	h.Emu.SetAutoApprove(ws)
	if _, err := h.core.Connect(context.Background(), app.ConnectOptions{Opener: &apptest.Browser{}}); err != nil {
		b.Fatal(err)
	}
	hits, _ := apptest.SearchHits(h.core, "", ws, "", 0)
	calls := h.SearchCalls()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		h.Emu.Rename(hits[i%len(hits)].ID, fmt.Sprintf("Renamed %d", i))
		if _, err := h.core.Sync(context.Background(), ws, false, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(h.SearchCalls()-calls)/float64(b.N), "search-calls/op")
}

// BenchmarkLoad100k is the window's start: 100,000 cached items read from
// bbolt into the search index. It reports the heap they occupy.
func BenchmarkLoad100k(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "data")
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	items := make([]store.Item, 100_000)
	base := time.Now().UTC()
	for i := range items {
		items[i] = store.Item{ID: fmt.Sprintf("%08x-6b1e-4c5f-9a3d-%012x", i, i), Kind: store.KindPage,
			Title: fmt.Sprintf("Weekly sync notes %d: roadmap, hiring and the café budget", i),
			URL:   fmt.Sprintf("https://app.notion.com/p/Weekly-sync-notes-%d-%032x", i, i), Icon: "📝",
			ParentID: "2f1c8a8e-0000-4000-8000-000000000000", LastEdited: base.Add(-time.Duration(i) * time.Minute)}
	}
	_, _ = st.UpsertWorkspace("ws", func(*store.Workspace, bool) {})
	if _, err := st.ReplaceItems("ws", items, func(*store.Workspace) {}); err != nil {
		b.Fatal(err)
	}
	items = nil
	var heap float64
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		c, err := app.New(app.Options{Config: app.Config{DataDir: dir}, Vault: auth.NewMemory(), Store: st, RateLimit: rate.Inf})
		if err != nil {
			b.Fatal(err)
		}
		if err := c.LoadIndex(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
		if n := apptest.ItemCount(c, ""); n != 100_000 {
			b.Fatalf("%d items loaded, want 100,000", n)
		}
		runtime.KeepAlive(c)
		_ = c.Close()
		b.StartTimer()
	}
	b.ReportMetric(heap, "heap-MB")
}
