package index

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
)

func aged(it store.Item, ageMin int) store.Item {
	it.LastEdited = t0.Add(-time.Duration(ageMin) * time.Minute)
	return it
}

// TestPathSearch: every word must be in the title or the path; matches
// that needed the path come after those that did not.
func TestPathSearch(t *testing.T) {
	ix := New()
	ix.Replace("w", []store.Item{
		aged(page("eng", "Engineering", store.ParentWorkspace, ""), 50),
		aged(page("q3", "Q3 roadmap", store.ParentPage, "eng"), 1), // the newest of all
		aged(page("engmap", "Eng roadmap", store.ParentWorkspace, ""), 40),
		aged(page("engroad", "Engineering roadmap review", store.ParentWorkspace, ""), 30),
		aged(page("mkt", "Marketing", store.ParentWorkspace, ""), 50),
		aged(page("mktmap", "Roadmap", store.ParentPage, "mkt"), 2),
		aged(page("challenge", "Challenge roadmap", store.ParentWorkspace, ""), 20),
	})
	res := ix.Search(Query{Text: "eng roadmap"})
	if got := fmt.Sprint(ids(res)); got != "[engmap engroad challenge q3]" {
		t.Errorf("eng roadmap = %s", got)
	}
	for _, r := range res {
		if r.ViaPath != (r.ID == "q3") || r.Typo {
			t.Errorf("%s: via path %v, typo %v", r.ID, r.ViaPath, r.Typo)
		}
	}
	// Word order does not matter, and a word can be in the path alone.
	if got := fmt.Sprint(ids(ix.Search(Query{Text: "roadmap engineering"}))); got != "[engroad q3]" {
		t.Errorf("roadmap engineering = %s", got)
	}
	if got := fmt.Sprint(ids(ix.Search(Query{Text: "marketing"}))); got != "[mkt mktmap]" {
		t.Errorf("marketing = %s", got)
	}
	// A word must be in the title or the path, not merely in a sibling.
	if got := ids(ix.Search(Query{Text: "marketing q3"})); len(got) != 0 {
		t.Errorf("marketing q3 = %v", got)
	}
}

// TestFrecency: the formula with a fixed clock.
func TestFrecency(t *testing.T) {
	now := t0
	ago := func(d ...time.Duration) []time.Time {
		var out []time.Time
		for _, x := range d {
			out = append(out, now.Add(-x))
		}
		return out
	}
	cases := []struct {
		u    Usage
		want float64
	}{
		{Usage{}, 0},
		{Usage{Pinned: true}, 0},
		{Usage{Opens: 1, Recent: ago(time.Hour)}, 100},
		{Usage{Opens: 2, Recent: ago(time.Hour, 10*day)}, 2 * (100 + 70) / 2.0},
		{Usage{Opens: 20, Recent: ago(20*day, 25*day, 30*day)}, 20 * 50},
		{Usage{Opens: 3, Recent: ago(60*day, 100*day, 400*day)}, 3 * (30 + 10 + 10) / 3.0},
		{Usage{Opens: 1, Recent: ago(-time.Hour)}, 100}, // a clock that went back
	}
	for _, c := range cases {
		if got := Frecency(c.u, now); got != c.want {
			t.Errorf("Frecency(%d opens at %v) = %v, want %v", c.u.Opens, c.u.Recent, got, c.want)
		}
	}
}

// TestFrecencyOrdering: within a tier what is opened comes first, by
// frecency, then recency; the exact title stays first; an empty query
// lists pins, then opened items, then the newest.
func TestFrecencyOrdering(t *testing.T) {
	ix := New()
	ix.Replace("w", []store.Item{
		aged(page("exact", "Notes", store.ParentWorkspace, ""), 500),
		aged(page("new", "Meeting notes", store.ParentWorkspace, ""), 1),
		aged(page("mid", "Design notes", store.ParentWorkspace, ""), 10),
		aged(page("old", "Research notes", store.ParentWorkspace, ""), 100),
		aged(page("older", "Launch notes", store.ParentWorkspace, ""), 200),
		aged(page("pinned", "Budget", store.ParentWorkspace, ""), 300),
		aged(page("fresh", "Inbox", store.ParentWorkspace, ""), 0),
	})
	opens := func(n int, ages ...time.Duration) Usage {
		u := Usage{Opens: n}
		for _, a := range ages {
			u.Recent = append(u.Recent, t0.Add(-a))
		}
		return u
	}
	ix.SetUsage("w", "old", opens(20, 20*day))              // 20 × 50 = 1000
	ix.SetUsage("w", "older", opens(3, time.Hour))          // 3 × 100 = 300
	ix.SetUsage("w", "mid", opens(1, 200*day))              // 1 × 10 = 10
	ix.SetUsage("w", "pinned", Usage{Pinned: true})         // never opened
	ix.SetUsage("w", "new", Usage{})                        // forgets nothing that was not there
	ix.SetUsage("w", "exact", Usage{Opens: 0, Recent: nil}) // nor this
	q := Query{Text: "notes", Now: t0}
	if got := fmt.Sprint(ids(ix.Search(q))); got != "[exact old older mid new]" {
		t.Errorf("notes = %s", got)
	}
	// Every match is in the word-start tier but "exact": the order is
	// frecency, then the newest edit for those never opened.
	q.Text = ""
	if got := fmt.Sprint(ids(ix.Search(q))); got != "[pinned old older mid fresh new exact]" {
		t.Errorf("empty query = %s", got)
	}
	// Time passes: the hour-old opens age into the 31-day bucket and the
	// 20-day ones into the 90-day one: 3 × 50 = 150 against 20 × 30 = 600.
	q.Now = t0.Add(25 * day)
	if got := fmt.Sprint(ids(ix.Search(q))[:4]); got != "[pinned old older mid]" {
		t.Errorf("25 days later = %s", got)
	}
	q.Now = t0.Add(80 * day) // 3 × 30 = 90 against 20 × 10 = 200: still old first
	q.Text = "notes"
	res := ix.Search(q)
	if got := fmt.Sprint(ids(res)); got != "[exact old older mid new]" {
		t.Errorf("80 days later = %s", got)
	}
	if res[1].Opens != 20 || res[1].Pinned {
		t.Errorf("result usage: %+v", res[1])
	}
	// A pin does not lift a match above better ones.
	if got := ids(ix.Search(Query{Text: "budget", Now: t0})); fmt.Sprint(got) != "[pinned]" {
		t.Errorf("budget = %v", got)
	}
	// Limits cut after the order.
	if got := fmt.Sprint(ids(ix.Search(Query{Text: "", Now: t0, Limit: 2}))); got != "[pinned old]" {
		t.Errorf("limit 2 = %s", got)
	}
	// Usage goes with its item.
	ix.Apply("w", nil, []string{"old"})
	if u := ix.Usage("w", "old"); u.Opens != 0 {
		t.Errorf("usage of a deleted item: %+v", u)
	}
	ix.Replace("w", []store.Item{page("older", "Launch notes", store.ParentWorkspace, "")})
	if u := ix.Usage("w", "pinned"); u.Pinned {
		t.Error("the pin of an item a full sync dropped survived")
	}
	if u := ix.Usage("w", "older"); u.Opens != 3 {
		t.Errorf("usage of a kept item: %+v", u)
	}
}

// TestEmojiQueries: an emoji or symbol is a word of its own.
func TestEmojiQueries(t *testing.T) {
	ix := New()
	ix.Replace("w", []store.Item{
		aged(page("rocket", "🚀 Launch plan", store.ParentWorkspace, ""), 30),
		aged(page("number", "Launch 523", store.ParentWorkspace, ""), 1),
		aged(page("glued", "🚀Launch party", store.ParentWorkspace, ""), 20),
		aged(page("plane", "✈️ Trip to Kyōto", store.ParentWorkspace, ""), 5),
		aged(page("euro", "Budget €", store.ParentWorkspace, ""), 5),
		aged(page("dev", "👩🏽‍💻 Dev notes", store.ParentWorkspace, ""), 5),
		aged(page("space", "Space 🚀", store.ParentWorkspace, ""), 5),
		aged(page("under", "Countdown", store.ParentPage, "rocket"), 2),
	})
	for q, want := range map[string]string{
		"launch 🚀":   "[glued rocket under]",
		"🚀 launch":   "[glued rocket under]", // both start so: the newer first
		"🚀":          "[glued rocket space under]",
		"✈ trip":     "[plane]",
		"✈️":         "[plane]",
		"€":          "[euro]",
		"👩‍💻":        "[dev]",
		"👩🏽‍💻 notes": "[dev]",
		"launch":     "[number glued rocket under]",
	} {
		if got := fmt.Sprint(ids(ix.Search(Query{Text: q}))); got != want {
			t.Errorf("Search(%q) = %s, want %s", q, got, want)
		}
	}
}

// TestTypos: one wrong, missing, extra or swapped letter in a word of five
// or more letters still matches, below exact matches.
func TestTypos(t *testing.T) {
	ix := New()
	ix.Replace("w", []store.Item{
		aged(page("roadmap", "Product roadmap", store.ParentWorkspace, ""), 50),
		aged(page("planning", "Planning", store.ParentWorkspace, ""), 40),
		aged(page("plant", "Plant care", store.ParentWorkspace, ""), 1),
		aged(page("eng", "Engineering", store.ParentWorkspace, ""), 60),
		aged(page("q3", "Q3 goals", store.ParentPage, "eng"), 2),
		aged(page("cafe", "Café menu", store.ParentWorkspace, ""), 3),
		aged(page("plan", "Plan", store.ParentWorkspace, ""), 4),
	})
	for q, want := range map[string]string{
		"roadmpa":         "[roadmap]", // swapped
		"raodmap":         "[roadmap]", // swapped at the start
		"roadnap":         "[roadmap]", // wrong
		"roadmp":          "[roadmap]", // missing
		"roadmaap":        "[roadmap]", // extra
		"product roadmpa": "[roadmap]",
		"raodmpa":         "[]",                    // two typos
		"rodmp":           "[]",                    // two missing
		"plam":            "[]",                    // four letters: no typo matching
		"plann":           "[planning plant plan]", // "plan": one letter extra
		"cafe mneu":       "[]",                    // "mneu" has four letters
		"enginering":      "[eng q3]",
		"enginering q3":   "[q3]",
	} {
		if got := fmt.Sprint(ids(ix.Search(Query{Text: q}))); got != want {
			t.Errorf("Search(%q) = %s, want %s", q, got, want)
		}
	}
	res := ix.Search(Query{Text: "plann"})
	if res[0].Typo || !res[1].Typo || res[1].ViaPath {
		t.Errorf("plann: %+v %+v", res[0], res[1])
	}
	res = ix.Search(Query{Text: "enginering q3"})
	if !res[0].Typo || !res[0].ViaPath {
		t.Errorf("a typo in a path word: %+v", res[0])
	}
	// An exact match outranks a fresher typo match, whatever the opens.
	ix.SetUsage("w", "plant", Usage{Opens: 50, Recent: []time.Time{t0}})
	if got := fmt.Sprint(ids(ix.Search(Query{Text: "plann", Now: t0}))); got != "[planning plant plan]" {
		t.Errorf("plann with plant opened = %s", got)
	}
}

func TestOneEditPrefixes(t *testing.T) {
	cases := []struct {
		q, v string
		want uint8 // bit k: the prefix of v of length len(q)-1+k is one edit from q
	}{
		{"roadmpa", "roadmap", 0b011},  // "roadma" (one letter extra), "roadmap" (swapped)
		{"roadmp", "roadmap", 0b111},   // "roadm", "roadma", "roadmap"
		{"roadmaap", "roadmap", 0b001}, // "roadmap": one letter extra
		{"roadnap", "roadmaps", 0b010}, // "roadmap": one letter wrong
		{"roadmap", "roadmaps", 0},     // v starts with q: exact, not a typo
		{"plann", "planning", 0},
		{"raodmpa", "roadmap", 0}, // two swaps
		{"abcde", "xyz", 0},
		{"plann", "plant", 0b011}, // "plan", "plant"
		{"zzzzz", "roadmap", 0},
	}
	for _, c := range cases {
		if got := oneEditPrefixes([]rune(c.q), []rune(c.v)); got != c.want {
			t.Errorf("oneEditPrefixes(%q, %q) = %03b, want %03b", c.q, c.v, got, c.want)
		}
	}
}

// TestSearchWhileSyncing: searches run while the index is rebuilt (go test
// -race checks that they share nothing they should not).
func TestSearchWhileSyncing(t *testing.T) {
	ix := New()
	var items []store.Item
	for i := range 2000 {
		parent, pt := "", store.ParentWorkspace
		if i > 0 {
			parent, pt = fmt.Sprint("p", i/3), store.ParentPage
		}
		items = append(items, aged(page(fmt.Sprint("p", i), fmt.Sprint("Page ", i, " roadmap"), pt, parent), i))
	}
	ix.Replace("w", items)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, r := range ix.Search(Query{Text: "page roadmp", Limit: 20}) {
					_ = len(r.Path) + len(r.Title)
				}
				ix.SetUsage("w", "p5", Usage{Opens: 1, Recent: []time.Time{t0}})
			}
		}()
	}
	for i := range 20 {
		ix.Apply("w", []store.Item{page("p1", fmt.Sprint("Renamed ", i), store.ParentWorkspace, "")}, nil)
	}
	close(stop)
	wg.Wait()
	if got := pathOf(t, ix, "p3"); got != "Renamed 19" {
		t.Errorf("path after the renames: %q", got)
	}
}
