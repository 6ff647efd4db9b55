package app_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/content"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// The content benchmarks share one data dir: 20,000 pages of about 4 KB,
// crawled once with the rate limit off.
var bench20k struct {
	h   *harness
	ws  string
	raw int64 // bytes of markdown stored
}

const benchPages = 20_000

// BenchmarkContent20k: crawl then search 20,000 pages of 4 KB.
func BenchmarkContent20k(b *testing.B) {
	b.Run("crawl", func(sb *testing.B) { benchContentCrawl20k(sb, b) })
	if bench20k.h == nil {
		b.Fatal("the crawl failed")
	}
	b.Run("search", benchContentSearch20k)
	bench20k.h = nil
}

// benchContentCrawl20k: fetch, store and index 20,000 pages of 4 KB from
// the emulator on loopback, rate limit off: pages/s end to end.
func benchContentCrawl20k(b, parentB *testing.B) {
	for b.Loop() {
		// The parent's TempDir outlives this sub-benchmark: search needs it.
		h := newHarness(parentB, apptest.WithEmulator(func(o *notiontest.Options) { o.ContentBytes = 4096 }))
		ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Big"})
		now := time.Now().UTC()
		for i := range benchPages {
			h.Emu.AddItem(ws, notiontest.ItemSpec{Title: fmt.Sprintf("Page %d", i), LastEdited: now.Add(-time.Duration(i+2) * time.Minute)})
		}
		h.connect(ws)
		start := time.Now()
		res, err := h.core.CrawlContent(context.Background(), ws, nil)
		el := time.Since(start)
		if err != nil || res.Fetched != benchPages {
			b.Fatalf("crawl: %d pages, %v", res.Fetched, err)
		}
		b.ReportMetric(float64(benchPages)/el.Seconds(), "pages/s")
		bench20k.h, bench20k.ws = h, ws
		for _, it := range h.Emu.Items(ws)[:200] {
			bench20k.raw += int64(len(h.Emu.Content(it.ID)))
		}
		bench20k.raw = bench20k.raw * benchPages / 200
	}
}

// benchContentSearch20k: content searches over the 20,000 pages,
// with Notion out of reach (as offline), through Core.Find: index query,
// snippets and all. Reports p50 and p95, the heap with the index open,
// and the index's size on disk against the markdown it holds.
func benchContentSearch20k(b *testing.B) {
	h := bench20k.h
	h.Emu.Close()
	// The window's Core, which keeps the index open between keystrokes
	// (the test harness's lets go at once, as another process would).
	c, err := h.NewCoreWith(app.Options{Config: h.Config, Vault: h.Vault})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	queries := []string{"roadmap", "launch review", "customer feed", "security audit", "zurich", "cafe cr",
		"incident post", "budget q", "hiring onboarding", "deploy server ret", "sprint est", "naive", "retention churn",
		"garden kitchen recipe", "invoice contract", "quote idea", "me", "schema migration database", "flight hotel", "ka"}
	var lat []time.Duration
	found := 0
	for i := 0; b.Loop(); i++ {
		q := queries[i%len(queries)]
		start := time.Now()
		r, err := c.Search(app.SearchQuery{Text: q, In: app.ScopeContent, Limit: 50})
		lat = append(lat, time.Since(start))
		if err != nil || r.Notice != "" {
			b.Fatalf("%q: %v %s", q, err, r.Notice)
		}
		found += len(r.Hits)
	}
	if found == 0 {
		b.Fatal("no query found anything")
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")

	size := func(dir string) int64 {
		var n int64
		_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if fi, err := d.Info(); err == nil {
					n += fi.Size()
				}
			}
			return nil
		})
		return n
	}
	idx := size(filepath.Join(h.Dir, content.IndexDir))
	stored := size(filepath.Join(h.Dir, content.PagesDir))
	b.ReportMetric(float64(idx)/float64(bench20k.raw), "index/markdown")
	b.ReportMetric(float64(stored)/float64(bench20k.raw), "store/markdown")
	b.ReportMetric(float64(bench20k.raw)/(1<<20), "markdown-MB")
	if os.Getenv("PAGEDECK_BENCH_VERBOSE") != "" {
		b.Logf("index %d B, store %d B, markdown %d B", idx, stored, bench20k.raw)
	}
}
