package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/content"
	"github.com/pagedeck/pagedeck/app/store"
)

// searchBenchWords make the benchmark workspace's titles: "plan" is in one
// title of 16, as a common word is in a real workspace.
var searchBenchWords = []string{"roadmap", "hiring", "budget", "notes", "weekly", "retro", "design", "launch",
	"plan", "review", "café", "onboarding", "metrics", "incident", "ops", "draft", "spec"}

// searchBenchDir writes a data directory as a sync leaves it: one
// workspace of n items (a tenth of them top-level pages, the rest under
// them; one in fifty a database), some opened and pinned, and the stored
// content of 300 pages in the content index.
func searchBenchDir(tb testing.TB, dir string, n int) {
	tb.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := st.UpsertWorkspace("ws", func(w *store.Workspace, _ bool) { w.Name, w.Auth, w.Status = "Acme", "oauth", store.StatusOK }); err != nil {
		tb.Fatal(err)
	}
	id := func(i int) string { return fmt.Sprintf("%08x-6b1e-4c5f-9a3d-%012x", i*2654435761%(1<<32), i) }
	base := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	items := make([]store.Item, n)
	for i := range items {
		w := searchBenchWords
		title := fmt.Sprintf("%s %s %s %d", strings.ToUpper(w[i%len(w)][:1])+w[i%len(w)][1:], w[(i/len(w))%len(w)], w[(i*7+3)%len(w)], i)
		it := store.Item{ID: id(i), Kind: store.KindPage, Title: title, Icon: "📝",
			URL:        fmt.Sprintf("https://www.notion.so/%s-%032x", strings.ReplaceAll(title, " ", "-"), i),
			ParentType: store.ParentWorkspace, LastEdited: base.Add(-time.Duration(i) * time.Minute)}
		if i >= n/10 {
			it.ParentType, it.ParentID = store.ParentPage, id(i%(n/10))
		}
		if i%50 == 7 {
			it.Kind = store.KindDatabase
		}
		items[i] = it
	}
	if _, err := st.ReplaceItems("ws", items, func(*store.Workspace) {}); err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if _, err := st.RecordOpen("ws", items[i*37%n].ID, base.Add(-time.Duration(i)*time.Hour)); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 0; i < 5; i++ {
		if err := st.Pin("ws", items[i*101%n].ID, base); err != nil {
			tb.Fatal(err)
		}
	}
	cs := content.Open(dir, content.Options{CheckFile: store.CheckFile})
	pages := make([]content.Page, 0, 300)
	for i := 0; len(pages) < 300; i++ {
		if items[i].Kind != store.KindPage {
			continue
		}
		pages = append(pages, content.Page{ID: items[i].ID, Edited: items[i].LastEdited, Fetched: base,
			Markdown: fmt.Sprintf("# %s\n\nWe plan the %s and the %s this quarter.\n\n- owner: Ada\n- due: Friday\n", items[i].Title, searchBenchWords[i%7], searchBenchWords[i%5])})
	}
	if err := cs.Put("ws", pages...); err != nil {
		tb.Fatal(err)
	}
	if err := cs.Close(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkColdSearchProcess20k: `pagedeck search plan` as a whole
// process (this test binary standing in for pagedeck, which adds only
// its window's package inits) over a cached 20,000-item workspace, as a
// launcher script (fzf, rofi) starts one per keystroke: process start,
// opening the store, reading what a title search needs, ranking, printing
// 50 rows.
func BenchmarkColdSearchProcess20k(b *testing.B) {
	benchSearchProcess(b, []string{"search", "plan"})
}

// BenchmarkColdSearchProcess20kJSON: the same with --json.
func BenchmarkColdSearchProcess20kJSON(b *testing.B) {
	benchSearchProcess(b, []string{"search", "--json", "plan"})
}

func benchSearchProcess(b *testing.B, args []string) {
	dir := b.TempDir()
	searchBenchDir(b, dir, 20_000)
	cpu := benchProcess(b, dir, args, func(out []byte, errOut string) { checkSearchOutput(b, args, out, errOut) })
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// checkSearchOutput checks the command printed 50 results, each with
// "plan" in its title.
func checkSearchOutput(b *testing.B, args []string, out []byte, stderr string) {
	b.Helper()
	if stderr != "" {
		b.Fatalf("stderr: %s", stderr)
	}
	var titles []string
	if strings.Contains(strings.Join(args, " "), "--json") {
		var hits []hitJSON
		if err := json.Unmarshal(out, &hits); err != nil {
			b.Fatalf("--json: %v", err)
		}
		for _, h := range hits {
			titles = append(titles, h.Title)
		}
	} else {
		titles = strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	}
	if len(titles) != 50 {
		b.Fatalf("%d results, want 50:\n%s", len(titles), out)
	}
	for _, t := range titles {
		if !strings.Contains(strings.ToLower(t), "plan") {
			b.Fatalf("result %q has no plan", t)
		}
	}
}
