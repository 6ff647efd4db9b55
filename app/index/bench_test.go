package index

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
)

var words = []string{"roadmap", "meeting", "notes", "Q3", "design", "review", "hiring", "plan", "café", "budget", "launch",
	"retro", "spec", "onboarding", "customer", "interview", "weekly", "sync", "research", "crème", "brûlée", "OKR", "draft", "API",
	"Engineering", "🚀", "✅"}

// benchItems makes n items shaped like a large workspace: titles from the
// common words above and from a vocabulary of 20,000 rarer ones, a unique
// number each; a quarter at the top, pages under pages, databases (data
// sources) with rows, pages inside blocks, and some under pages the
// connection cannot see, so paths are 0 to about 10 levels deep.
func benchItems(n int) []store.Item {
	r := rand.New(rand.NewPCG(1, 2))
	rare := make([]string, 20_000)
	for i := range rare {
		b := make([]byte, 4+r.IntN(7))
		for j := range b {
			b[j] = byte('a' + r.IntN(26))
		}
		rare[i] = string(b)
	}
	items := make([]store.Item, n)
	var pages, sources []int
	for i := range items {
		title := ""
		for w := range 3 + r.IntN(4) {
			if w > 0 {
				title += " "
			}
			if r.IntN(2) == 0 {
				title += words[r.IntN(len(words))]
			} else {
				title += rare[r.IntN(len(rare))]
			}
		}
		it := store.Item{ID: fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i), Kind: store.KindPage, Title: fmt.Sprintf("%s %d", title, i),
			URL: "https://app.notion.com/p/x", Icon: "📄", LastEdited: time.Unix(int64(1.7e9)+int64(r.IntN(3e7)), 0), ParentType: store.ParentWorkspace}
		switch roll := r.IntN(100); {
		case roll < 6:
			it.Kind, it.ParentType, it.ParentID, it.DatabaseID = store.KindDatabase, store.ParentDatabase, fmt.Sprintf("db-%d", i), fmt.Sprintf("db-%d", i)
			it.DatabaseParentType = store.ParentWorkspace
			if len(pages) > 0 && r.IntN(2) == 0 {
				it.DatabaseParentType, it.DatabaseParentID = store.ParentPage, items[pages[r.IntN(len(pages))]].ID
			}
			sources = append(sources, i)
		case roll < 30 && len(sources) > 0:
			ds := items[sources[r.IntN(len(sources))]]
			it.ParentType, it.ParentID, it.DatabaseID = store.ParentDataSource, ds.ID, ds.DatabaseID
		case roll < 70 && len(pages) > 0:
			it.ParentType, it.ParentID = store.ParentPage, items[pages[r.IntN(len(pages))]].ID
		case roll < 73:
			it.ParentType, it.ParentID = store.ParentBlock, "block"
		case roll < 75:
			it.ParentType, it.ParentID = store.ParentPage, "not-shared" // an ancestor the connection cannot see
		}
		if it.Kind == store.KindPage {
			pages = append(pages, i)
		}
		items[i] = it
	}
	return items
}

func bigIndex(n int) *Index { return bigIndexCache(n, true) }

// bigIndexCache is bigIndex, with or without the per-word cache that
// typing relies on.
func bigIndexCache(n int, cache bool) *Index {
	items := benchItems(n)
	ix := New()
	ix.noCache = !cache
	ix.Replace("ws-a", items[:n/2])
	ix.Replace("ws-b", items[n/2:])
	return ix
}

// BenchmarkSearch runs typical queries over 100,000 items with paths, each
// cold (no word cache): one letter, a word, two words out of order with
// accents, words found only in the path, an emoji, a typo, a miss, and the
// empty query.
func BenchmarkSearch(b *testing.B) {
	ix := bigIndexCache(100_000, false)
	for _, q := range []string{"r", "roadmap", "creme review", "cafe brulee plan", "engineering budget", "launch 🚀", "meetnig", "zzzzz", ""} {
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

// BenchmarkSearchLatency types queries as a person does, a letter at a
// time, with words from titles and paths, typos and misses, over 100,000
// items with paths, typo matching on and some items opened and pinned; it
// reports the p50 and p95 of a single search (limit 200, as the window and
// launchers ask for about a screenful). "typing" is what a person gets,
// with the word cache; "cold" runs every query with no cache at all.
func BenchmarkSearchLatency(b *testing.B) {
	b.Run("typing", func(b *testing.B) { searchLatency(b, bigIndexCache(100_000, true)) })
	b.Run("cold", func(b *testing.B) { searchLatency(b, bigIndexCache(100_000, false)) })
}

func searchLatency(b *testing.B, ix *Index) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		e := ix.snap.entries[r.IntN(len(ix.snap.entries))]
		u := Usage{Opens: 1 + r.IntN(30), Pinned: r.IntN(10) == 0}
		for k := range min(u.Opens, 10) {
			u.Recent = append(u.Recent, time.Unix(int64(1.73e9)-int64(k*86400*r.IntN(20)), 0))
		}
		ix.SetUsage(e.WorkspaceID, e.ID, u)
	}
	var queries []string
	for _, full := range []string{"roadmap", "roadmpa", "eng roadmap", "meeting notes", "meetnig notes", "cafe brulee", "onbaording plan",
		"launch 🚀", "budget 2026", "interview customer", "weekly sync review", "zzzzzz", "design spec draft"} {
		for i := 1; i <= len(full); i++ {
			queries = append(queries, full[:i])
		}
	}
	now := time.Unix(1.73e9, 0)
	var took []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		ix.Search(Query{Text: queries[i%len(queries)], Limit: 200, Now: now})
		took = append(took, time.Since(start))
		i++
	}
	slices.Sort(took)
	pct := func(p float64) float64 {
		return float64(took[min(len(took)-1, int(p*float64(len(took))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

// BenchmarkIndexBuild folds, places and sorts 100,000 items, as after a load.
func BenchmarkIndexBuild(b *testing.B) {
	items := benchItems(100_000)
	b.ReportAllocs()
	for b.Loop() {
		New().Replace("ws", items)
	}
}

// BenchmarkRenameAncestor is the quick refresh that brings one renamed
// page: its descendants' paths change without their records.
func BenchmarkRenameAncestor(b *testing.B) {
	items := benchItems(100_000)
	ix := New()
	ix.Replace("ws", items)
	top := items[0]
	b.ReportAllocs()
	for b.Loop() {
		top.Title += "!"
		ix.Apply("ws", []store.Item{top}, nil)
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
	t.Logf("heap for 100,000 indexed items with paths: %.1f MB", mb)
	if ix.Count("") != 100_000 {
		t.Fatal("wrong count")
	}
}
