package rows_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// storeTestRows keeps testRows as a sync does, in a fresh store.
func storeTestRows(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	writeTestRows(t, st, testRows(t))
	return st
}

func writeTestRows(t *testing.T, st *store.Store, list []rows.Row) {
	t.Helper()
	schema := testSchema
	schema.DataSourceID = "ds"
	sj, _ := json.Marshal(schema)
	var put []store.RowRecord
	for _, r := range list {
		put = append(put, store.RowRecord{ID: r.ID, LastEdited: r.LastEdited, Data: rows.EncodeRow(r)})
	}
	if err := st.WriteRows("ws", store.RowWrite{Source: store.SourceRecord{ID: "ds", Schema: sj}, Put: put}); err != nil {
		t.Fatal(err)
	}
}

// TestStoredRowsReadAsWritten: every value of every type reads back from
// the store as it was kept (the same as through JSON, the encoding before).
func TestStoredRowsReadAsWritten(t *testing.T) {
	st := storeTestRows(t)
	_, got, err := rows.Load(st, "ws", "ds")
	if err != nil {
		t.Fatal(err)
	}
	want := testRows(t)
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		// What JSON kept of it: the stored form before this one.
		b, _ := json.Marshal(w)
		var viaJSON rows.Row
		if err := json.Unmarshal(b, &viaJSON); err != nil {
			t.Fatal(err)
		}
		g := got[i]
		if g.ID != w.ID || g.Title != w.Title || g.URL != w.URL || !reflect.DeepEqual(g.Properties, viaJSON.Properties) {
			t.Errorf("row %s reads back as\n%+v\nwant\n%+v", w.ID, g, viaJSON)
		}
		for name, v := range w.Properties {
			pg, _ := json.Marshal(g.Properties[name].Plain())
			pw, _ := json.Marshal(v.Plain())
			if string(pg) != string(pw) {
				t.Errorf("row %s %s: --json shows %s, want %s", w.ID, name, pg, pw)
			}
		}
	}
}

// TestAnswerTexts: a column read as text is each row's value as text,
// the same for a value met before (read once) as for a new one.
func TestAnswerTexts(t *testing.T) {
	tab, err := (&rows.Cache{}).Table(storeTestRows(t), "ws", "ds")
	if err != nil {
		t.Fatal(err)
	}
	ans, err := tab.Query(nil, "ID", false, 0)
	if err != nil {
		t.Fatal(err)
	}
	names := append(testSchema.Names(), "Missing")
	text := ans.Texts(names...)
	got := make([]string, len(names))
	for round := range 2 {
		for i := range ans.Len() {
			r, _ := ans.Row(i)
			if err := text(i, got); err != nil {
				t.Fatal(err)
			}
			for k, name := range names {
				if want := r.Properties[name].String(); got[k] != want {
					t.Errorf("round %d, row %s %s: %q, want %q", round, r.ID, name, got[k], want)
				}
			}
		}
	}
}

// TestRowsWrittenAsJSONStillRead: rows a sync wrote before the compact
// encoding read, filter and sort as ever.
func TestRowsWrittenAsJSONStillRead(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	schema := testSchema
	schema.DataSourceID = "ds"
	sj, _ := json.Marshal(schema)
	var put []store.RowRecord
	for _, r := range testRows(t) {
		b, _ := json.Marshal(r)
		put = append(put, store.RowRecord{ID: r.ID, Data: b})
	}
	if err := st.WriteRows("ws", store.RowWrite{Source: store.SourceRecord{ID: "ds", Schema: sj}, Put: put}); err != nil {
		t.Fatal(err)
	}
	tab, err := (&rows.Cache{}).Table(st, "ws", "ds")
	if err != nil {
		t.Fatal(err)
	}
	f, err := rows.ParseFilters([]string{"Tags=Backend"}, &testSchema, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got, err := tab.Query(f, "Estimate", true, 0)
	if err != nil {
		t.Fatal(err)
	}
	if owner, err := got.Value(0, "Owner"); answerIDs(t, got) != "ba" || err != nil || owner.List[0] != "Grace" {
		t.Fatalf("%q, %v %v", answerIDs(t, got), owner, err)
	}
	texts := make([]string, 2)
	if err := got.Texts("Due", "Status")(0, texts); err != nil || texts[0] != "2026-12-14T09:00:00.000+00:00 → 2026-12-15" || texts[1] != "Done" {
		t.Fatalf("texts %q, %v", texts, err)
	}
}

func ids(list []rows.Row) string {
	var b strings.Builder
	for _, r := range list {
		b.WriteString(r.ID)
	}
	return b.String()
}

// answerIDs are an answer's row ids, each read from the row itself.
func answerIDs(t *testing.T, a rows.Answer) string {
	t.Helper()
	list, err := a.Rows()
	if err != nil {
		t.Fatal(err)
	}
	for i := range list {
		if a.ID(i) != list[i].ID {
			t.Fatalf("row %d: id %s, its row says %s", i, a.ID(i), list[i].ID)
		}
	}
	return ids(list)
}

// TestTableFilters: every filter answers the same from the stored rows as
// from the rows themselves.
func TestTableFilters(t *testing.T) {
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	tab, err := (&rows.Cache{}).Table(storeTestRows(t), "ws", "ds")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range operatorCases {
		f, err := rows.ParseFilters(tc.exprs, &testSchema, now)
		if err != nil {
			t.Fatalf("%q: %v", tc.exprs, err)
		}
		got, err := tab.Query(f, "ID", false, 0)
		if err != nil || answerIDs(t, got) != tc.want {
			t.Errorf("%q matched %q (%v), want %q", tc.exprs, answerIDs(t, got), err, tc.want)
		}
	}
}

// sortCases are every column of testRows in both directions ("" is the
// last edit, the same for all four, so the titles order them), and the
// order of the rows' ids, as rows were sorted before they had cells.
var sortCases = []struct {
	prop string
	desc bool
	want string
}{
	{"", false, "dcab"}, {"", true, "dcab"},
	{"Name", false, "cabd"}, {"Name", true, "bacd"},
	{"Status", false, "abcd"}, {"Status", true, "cbad"},
	{"Priority", false, "abdc"}, {"Priority", true, "badc"},
	{"Tags", false, "badc"}, {"Tags", true, "abdc"},
	{"Due", false, "cabd"}, {"Due", true, "bacd"},
	{"Estimate", false, "cabd"}, {"Estimate", true, "bacd"},
	{"Reviewed", false, "dcba"}, {"Reviewed", true, "adcb"},
	{"Owner", false, "abdc"}, {"Owner", true, "badc"},
	{"Notes", false, "cadb"}, {"Notes", true, "acdb"},
	{"Score", false, "acbd"}, {"Score", true, "bcad"},
	{"ID", false, "abcd"}, {"ID", true, "dcba"},
	{"Edited", false, "dcba"}, {"Edited", true, "abcd"},
	{"Verified", false, "dcab"}, {"Verified", true, "dcab"},
}

// TestSorts: each column sorts the same in memory and from the store,
// with a limit taking the first rows of that order.
func TestSorts(t *testing.T) {
	tab, err := (&rows.Cache{}).Table(storeTestRows(t), "ws", "ds")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range sortCases {
		all := testRows(t)
		rows.Sort(all, tc.prop, tc.desc)
		if got := ids(all); got != tc.want {
			t.Errorf("Sort %q desc=%v: %q, want %q", tc.prop, tc.desc, got, tc.want)
		}
		got, err := tab.Query(nil, tc.prop, tc.desc, 0)
		if err != nil || answerIDs(t, got) != tc.want {
			t.Errorf("Query %q desc=%v: %q (%v), want %q", tc.prop, tc.desc, answerIDs(t, got), err, tc.want)
		}
		if got, err := tab.Query(nil, tc.prop, tc.desc, 2); err != nil || answerIDs(t, got) != tc.want[:2] {
			t.Errorf("Query %q desc=%v limit 2: %q (%v)", tc.prop, tc.desc, answerIDs(t, got), err)
		}
	}
}

// TestCacheSeesWrites: the cache answers from what it read until a sync
// writes the source (here, or in another process: the store's record says
// so), then reads the rows again; a source that is forgotten is gone.
func TestCacheSeesWrites(t *testing.T) {
	st := storeTestRows(t)
	var cache rows.Cache
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	doing := func() string {
		t.Helper()
		tab, err := cache.Table(st, "ws", "ds")
		if err != nil {
			t.Fatal(err)
		}
		f, err := rows.ParseFilters([]string{"Status=Doing"}, &testSchema, now)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tab.Query(f, "ID", false, 0)
		if err != nil {
			t.Fatal(err)
		}
		return answerIDs(t, got)
	}
	if got := doing(); got != "a" {
		t.Fatalf("doing: %q", got)
	}
	first, _ := cache.Table(st, "ws", "ds")
	if again, _ := cache.Table(st, "ws", "ds"); again != first {
		t.Error("the rows were read again though nothing changed")
	}
	// Another process's sync: c is now Doing.
	other, err := store.Open(st.Dir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := testRows(t)[2]
	c.Properties["Status"] = notion.Value{Type: notion.PropStatus, Text: "Doing"}
	writeTestRows(t, other, []rows.Row{c})
	if got := doing(); got != "ac" {
		t.Errorf("after a sync wrote c: %q", got)
	}
	if err := other.DeleteRowSource("ws", "ds"); err != nil {
		t.Fatal(err)
	}
	if _, err := cache.Table(st, "ws", "ds"); err == nil {
		t.Error("a forgotten source still answers")
	}
}

// TestQueryOnce: the one-shot query (a command's) answers every filter
// and every sort as a kept Table does, with the stored total, and a
// filter's error as it is.
func TestQueryOnce(t *testing.T) {
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	st := storeTestRows(t)
	once := func(exprs []string, prop string, desc bool, limit int) (rows.Answer, int, error) {
		_, ans, total, err := rows.QueryOnce(st, "ws", "ds", func(s *rows.Source) (rows.Filter, string, bool, error) {
			f, err := rows.ParseFilters(exprs, &s.Schema, now)
			return f, prop, desc, err
		}, limit)
		return ans, total, err
	}
	for _, tc := range operatorCases {
		got, total, err := once(tc.exprs, "ID", false, 0)
		if err != nil || answerIDs(t, got) != tc.want || total != 4 {
			t.Errorf("%q matched %q of %d (%v), want %q of 4", tc.exprs, answerIDs(t, got), total, err, tc.want)
		}
	}
	for _, tc := range sortCases {
		got, _, err := once(nil, tc.prop, tc.desc, 0)
		if err != nil || answerIDs(t, got) != tc.want {
			t.Errorf("%q desc=%v: %q (%v), want %q", tc.prop, tc.desc, answerIDs(t, got), err, tc.want)
		}
		if got, _, err := once([]string{"Verified?"}, tc.prop, tc.desc, 3); err != nil || answerIDs(t, got) != tc.want[:3] {
			t.Errorf("%q desc=%v limit 3: %q (%v)", tc.prop, tc.desc, answerIDs(t, got), err)
		}
	}
	// Values met again come from the memo: many rows, few values.
	var many []rows.Row
	for i := range 3000 {
		r := testRows(t)[i%4]
		r.ID = fmt.Sprintf("r%04d", i)
		many = append(many, r)
	}
	writeTestRows(t, st, many)
	if got, total, err := once([]string{"Status=Doing", "Due<=today+7"}, "", true, 0); err != nil || got.Len() != 751 || total != 3004 {
		t.Errorf("doing and due: %d of %d (%v), want 751 of 3004", got.Len(), total, err)
	}
	if _, _, err := once([]string{"Status=Blocked"}, "", true, 0); !errors.Is(err, rows.ErrUnknownOption) {
		t.Errorf("an unknown option: %v", err)
	}
}
