package rows_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/app/store"
)

// benchStore holds n rows of one data source with testSchema's columns,
// written as a sync writes them: 2,000 per transaction, newest edit
// first, so the ids (UUIDs, as Notion's) arrive in no order.
func benchStore(b *testing.B, n int) *store.Store {
	b.Helper()
	st, err := store.Open(b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	schema := testSchema
	schema.DataSourceID = "ds"
	sj, _ := json.Marshal(schema)
	src := store.SourceRecord{ID: "ds", Schema: sj}
	proto := testRows(b)
	edited := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	for i := 0; i < n; i += 2000 {
		put := make([]store.RowRecord, 0, 2000)
		for j := i; j < min(i+2000, n); j++ {
			r := proto[j%len(proto)]
			r.Title = fmt.Sprintf("Row %d", j)
			put = append(put, store.RowRecord{ID: benchID(j), LastEdited: edited.Add(-time.Duration(j) * time.Minute), Data: rows.EncodeRow(r)})
		}
		if err := st.WriteRows("ws", store.RowWrite{Source: src, Put: put}); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("wrote %d rows in %v", n, time.Since(start).Round(time.Millisecond))
	return st
}

// benchID is row j's id: a UUID that hashes j.
func benchID(j int) string {
	h := sha256.Sum256([]byte(strconv.Itoa(j)))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// BenchmarkRowsFilter100k: `rows DB --where Status=Doing --where
// Due<=today+7` over 100,000 stored rows, as a process that keeps the
// data source's Table (the window, the Core) answers it: ask the store
// whether the rows changed, parse the filters, filter the cells, sort the
// 25,000 rows that match, and decode the first 50 (a screenful; the
// command's own benchmark in app/cli prints them all). heap-MiB is the heap after GC with
// the Table and its two columns held. (Before the Table, every query
// decoded every row's JSON: 2.2 s and 294 MiB.)
func BenchmarkRowsFilter100k(b *testing.B) {
	st := benchStore(b, 100_000)
	var cache rows.Cache
	if _, err := cache.Table(st, "ws", "ds"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := processCPU()
	for b.Loop() {
		benchQuery(b, &cache, st)
	}
	b.StopTimer()
	reportCPU(b, cpu)
	reportHeap(b)
	runtime.KeepAlive(&cache)
}

// BenchmarkRowsFilter100kFirst: the same query with nothing kept, as the
// first query of a process (`pagedeck rows` besides opening the store):
// read the 100,000 rows from the store, build the two columns the filter
// reads, then the query.
func BenchmarkRowsFilter100kFirst(b *testing.B) {
	st := benchStore(b, 100_000)
	b.ResetTimer()
	cpu := processCPU()
	for b.Loop() {
		benchQuery(b, &rows.Cache{}, st)
	}
	reportCPU(b, cpu)
}

// BenchmarkRowsFilter100kOnce: the same query as a command asks it
// (QueryOnce): each row read once from the store, only the matches kept.
func BenchmarkRowsFilter100kOnce(b *testing.B) {
	st := benchStore(b, 100_000)
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	b.ResetTimer()
	cpu := processCPU()
	defer reportCPU(b, cpu)
	for b.Loop() {
		_, out, total, err := rows.QueryOnce(st, "ws", "ds", func(s *rows.Source) (rows.Filter, string, bool, error) {
			f, err := rows.ParseFilters([]string{"Status=Doing", "Due<=today+7"}, &s.Schema, now)
			return f, "", true, err
		}, 0)
		if err != nil || out.Len() != 25_000 || total != 100_000 {
			b.Fatalf("%d of %d rows matched, want 25,000 of 100,000 (%v)", out.Len(), total, err)
		}
		for i := range 50 {
			if _, err := out.Row(i); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func benchQuery(b *testing.B, cache *rows.Cache, st *store.Store) {
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	tab, err := cache.Table(st, "ws", "ds")
	if err != nil {
		b.Fatal(err)
	}
	f, err := rows.ParseFilters([]string{"Status=Doing", "Due<=today+7"}, &tab.Source.Schema, now)
	if err != nil {
		b.Fatal(err)
	}
	out, err := tab.Query(f, "", true, 0)
	if err != nil || out.Len() != 25_000 {
		b.Fatalf("%d rows matched, want 25,000 (%v)", out.Len(), err)
	}
	// What a window shows of them: a screenful.
	for i := range 50 {
		if _, err := out.Row(i); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU reports the process's CPU time per op since start: on a
// machine shared with other work, ns/op also counts the waits for a core.
func reportCPU(b *testing.B, start time.Duration) {
	if start > 0 {
		b.ReportMetric(float64(processCPU()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

// reportHeap reports the heap in use after GC, in MiB.
func reportHeap(b *testing.B) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "heap-MiB")
}
