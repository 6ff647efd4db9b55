package index

import (
	"fmt"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
)

func TestFold(t *testing.T) {
	tests := map[string]string{
		"Café menu: crème brûlée": "cafe menu creme brulee",
		"Q3 Roadmap":              "q3 roadmap",
		"  Hello,   World!  ":     "hello world",
		"Don't panic":             "dont panic",
		"Don’t panic":             "dont panic",
		"Straße":                  "strasse",
		"ÆSIR œuvre Øl Łódź":      "aesir oeuvre ol lodz",
		"🚀 Launch 🚀":              "🚀 launch 🚀",
		"naïve façade":            "naive facade",
		"ＦＵＬＬ ｗｉｄｔｈ":              "full width",
		"Ελληνικά Τίτλος":         "ελληνικα τιτλοσ",
		"ΟΔΟΣ":                    "οδοσ",
		"οδος":                    "οδοσ",
		"日本語のページ":                 "日本語のページ",
		"q3-roadmap/v2":           "q3 roadmap v2",
		"":                        "",
	}
	for in, want := range tests {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

var t0 = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func item(id, title string, kind store.Kind, ageMin int) store.Item {
	return store.Item{ID: id, Title: title, Kind: kind, LastEdited: t0.Add(-time.Duration(ageMin) * time.Minute)}
}

func ids(es []Result) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func TestSearchRankingAndMatching(t *testing.T) {
	ix := New()
	ix.Replace("w1", []store.Item{
		item("plural", "Planning roadmaps", store.KindPage, 1),
		item("wordstart-old", "The Q3 Roadmap", store.KindPage, 50),
		item("wordstart-new", "Q3 team roadmap review", store.KindPage, 2),
		item("prefix", "Roadmap Q3 draft", store.KindPage, 30),
		item("exact", "Roadmap: Q3", store.KindDatabase, 40),
		item("cafe", "Café menu: crème brûlée", store.KindPage, 5),
		item("none", "Budget", store.KindPage, 0),
	})
	tests := []struct {
		q    string
		want []string
	}{
		{"roadmap q3", []string{"exact", "prefix", "wordstart-new", "wordstart-old"}},
		// Every word at a word start; ties by recency.
		{"q3 roadmap", []string{"wordstart-new", "prefix", "exact", "wordstart-old"}},
		// "roadmaps" starts with the word too.
		{"ROADMAP", []string{"prefix", "exact", "plural", "wordstart-new", "wordstart-old"}},
		{"oadma", []string{"plural", "wordstart-new", "prefix", "exact", "wordstart-old"}},
		{"maps", []string{"plural"}},
		{"view q3", []string{"wordstart-new"}},
		{"cafe brulee", []string{"cafe"}},
		{"crème", []string{"cafe"}},
		{"brulee cafe menu", []string{"cafe"}},
		{"roadmap budget", nil},
		{"  ", []string{"none", "plural", "wordstart-new", "cafe", "prefix", "exact", "wordstart-old"}},
	}
	for _, tt := range tests {
		got := ids(ix.Search(Query{Text: tt.q}))
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestSearchFiltersAndLimit(t *testing.T) {
	ix := New()
	ix.Replace("w1", []store.Item{item("a", "Alpha notes", store.KindPage, 1), item("b", "Alpha DB", store.KindDatabase, 2)})
	ix.Replace("w2", []store.Item{item("c", "Alpha plan", store.KindPage, 0), item("d", "Beta", store.KindPage, 3)})
	cases := []struct {
		q    Query
		want string
	}{
		{Query{Text: "alpha"}, "[c a b]"},
		{Query{Text: "alpha", Workspace: "w1"}, "[a b]"},
		{Query{Text: "alpha", Kind: store.KindDatabase}, "[b]"},
		{Query{Text: "alpha", Kind: store.KindPage, Workspace: "w2"}, "[c]"},
		{Query{Text: "alpha", Limit: 2}, "[c a]"},
		{Query{Limit: 3}, "[c a b]"},
		{Query{Workspace: "w2"}, "[c d]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(ids(ix.Search(c.q))); got != c.want {
			t.Errorf("%+v = %s, want %s", c.q, got, c.want)
		}
	}
	if ix.Count("") != 4 || ix.Count("w1") != 2 || ix.Count("nope") != 0 {
		t.Errorf("counts %d %d", ix.Count(""), ix.Count("w1"))
	}
}

func TestApplyAndRemove(t *testing.T) {
	ix := New()
	ix.Replace("w", []store.Item{item("a", "Old title", store.KindPage, 10), item("b", "Gone soon", store.KindPage, 5)})
	ix.Apply("w", []store.Item{item("a", "New title", store.KindPage, 0)}, []string{"b"})
	if got := ids(ix.Search(Query{Text: "title"})); fmt.Sprint(got) != "[a]" {
		t.Fatalf("after apply: %v", got)
	}
	if len(ix.Search(Query{Text: "old"})) != 0 || len(ix.Search(Query{Text: "gone"})) != 0 {
		t.Error("stale entries survive")
	}
	if e, ok := ix.Get("a"); !ok || e.Title != "New title" || e.WorkspaceID != "w" {
		t.Errorf("Get = %+v", e)
	}
	ix.Apply("fresh", []store.Item{item("z", "Zed", store.KindPage, 0)}, nil)
	ix.Remove("w")
	if ix.Count("") != 1 {
		t.Errorf("count after remove = %d", ix.Count(""))
	}
	if _, ok := ix.Get("a"); ok {
		t.Error("removed workspace's item still found")
	}
}

// TestApplyKeepsTheOrder: after many small changes (merged into the old
// order rather than sorted again) the order is the one a fresh index has.
func TestApplyKeepsTheOrder(t *testing.T) {
	ix := New()
	cur := map[string]store.Item{}
	for i := range 400 {
		it := item(fmt.Sprint("i", i), fmt.Sprint("Item ", i), store.KindPage, (i*37)%500)
		cur[it.ID] = it
	}
	all := func() []store.Item {
		var out []store.Item
		for _, it := range cur {
			out = append(out, it)
		}
		return out
	}
	ix.Replace("w", all())
	for round := range 60 {
		var ups []store.Item
		var dels []string
		for k := range 3 {
			id := fmt.Sprint("i", (round*31+k*7)%460) // some new, most known
			it := item(id, fmt.Sprint("Item ", id, " r", round), store.KindPage, (round*13+k*101)%600)
			cur[id] = it
			ups = append(ups, it)
		}
		del := fmt.Sprint("i", (round*17)%400)
		if _, ok := cur[del]; ok && round%2 == 0 {
			delete(cur, del)
			dels = append(dels, del)
		}
		ix.Apply("w", ups, dels)
	}
	fresh := New()
	fresh.Replace("w", all())
	if got, want := fmt.Sprint(ids(ix.Search(Query{}))), fmt.Sprint(ids(fresh.Search(Query{}))); got != want {
		t.Errorf("after 60 small changes:\n%s\nwant\n%s", got, want)
	}
}

// A workspace that shares nothing sits beside the others.
func TestEmptyWorkspace(t *testing.T) {
	ix := New()
	ix.Replace("empty", nil)
	ix.Replace("w", []store.Item{item("a", "Alpha", store.KindPage, 1)})
	ix.Replace("empty2", []store.Item{})
	if got := fmt.Sprint(ids(ix.Search(Query{}))); got != "[a]" || ix.Count("empty") != 0 {
		t.Errorf("search %s, count %d", got, ix.Count("empty"))
	}
}
