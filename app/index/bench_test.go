package index

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
)

var words = []string{"roadmap", "meeting", "notes", "Q3", "design", "review", "hiring", "plan", "café", "budget", "launch",
	"retro", "spec", "onboarding", "customer", "interview", "weekly", "sync", "research", "crème", "brûlée", "OKR", "draft", "API"}

func bigIndex(n int) *Index {
	r := rand.New(rand.NewPCG(1, 2))
	items := make([]store.Item, n)
	for i := range items {
		title := ""
		for w := range 3 + r.IntN(4) {
			if w > 0 {
				title += " "
			}
			title += words[r.IntN(len(words))]
		}
		items[i] = store.Item{ID: fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i), Kind: store.KindPage, Title: fmt.Sprintf("%s %d", title, i),
			URL: "https://app.notion.com/p/x", Icon: "📄", LastEdited: time.Unix(int64(1.7e9)+int64(r.IntN(3e7)), 0)}
	}
	ix := New()
	ix.Replace("ws-a", items[:n/2])
	ix.Replace("ws-b", items[n/2:])
	return ix
}

// BenchmarkSearch runs typical queries over 100,000 items: one letter, a
// word, two words out of order with accents, and a miss.
func BenchmarkSearch(b *testing.B) {
	ix := bigIndex(100_000)
	for _, q := range []string{"r", "roadmap", "creme review", "cafe brulee plan", "zzz", ""} {
		b.Run(fmt.Sprintf("q=%q", q), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix.Search(Query{Text: q, Limit: 200})
			}
		})
	}
	b.Run("all-results", func(b *testing.B) {
		for b.Loop() {
			ix.Search(Query{Text: "e"})
		}
	})
}

// BenchmarkIndexBuild folds and sorts 100,000 titles, as after a load.
func BenchmarkIndexBuild(b *testing.B) {
	ix := bigIndex(100_000)
	var items []store.Item
	for _, e := range ix.snap.entries {
		items = append(items, e.Item)
	}
	b.ReportAllocs()
	for b.Loop() {
		New().Replace("ws", items)
	}
}

// TestHeapFor100k reports the heap that 100,000 indexed items cost.
func TestHeapFor100k(t *testing.T) {
	if testing.Short() {
		t.Skip("measures memory; skipped in -short")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix := bigIndex(100_000)
	runtime.GC()
	runtime.ReadMemStats(&after)
	mb := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
	t.Logf("heap for 100,000 indexed items: %.1f MB", mb)
	if ix.Count("") != 100_000 {
		t.Fatal("wrong count")
	}
}
