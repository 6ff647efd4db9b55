package cli_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

type rowOut struct {
	ID         string         `json:"id"`
	Title      string         `json:"title"`
	URL        string         `json:"url"`
	LastEdited string         `json:"last_edited_time"`
	Properties map[string]any `json:"properties"`
}

func (w *world) rows(args ...string) []rowOut {
	w.T.Helper()
	code, out, errOut := w.run(append([]string{"rows", "--json"}, args...)...)
	if code != 0 {
		w.T.Fatalf("rows %q: exit %d: %s", args, code, errOut)
	}
	var rs []rowOut
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		w.T.Fatalf("rows %q: %v\n%s", args, err, out)
	}
	return rs
}

func titles(rs []rowOut) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Title
	}
	return out
}

func TestRowsCommand(t *testing.T) {
	w := newWorld(t)
	acme := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	ds := w.Emu.AddItem(acme, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks", TitleProperty: "Task"})
	var ids []string
	for i := range 12 {
		ids = append(ids, w.Emu.AddItem(acme, notiontest.ItemSpec{Title: fmt.Sprintf("Task %02d", i), ParentType: "data_source_id", ParentID: ds}))
	}
	w.Emu.SetRowValue(ids[0], "Status", "Doing")
	w.Emu.SetRowValue(ids[0], "Estimate", 130.0)
	w.Emu.SetRowValue(ids[0], "Tags", []string{"Café", "Backend"})
	w.Emu.SetRowValue(ids[0], "Due", "2026-12-24")
	w.Emu.SetRowValue(ids[1], "Estimate", 2.0)
	w.Emu.SetRowValue(ids[1], "Reviewed", true)
	// The other rows' generated checkboxes hang on their random ids: set
	// them, so exactly one row is reviewed (the search below counts on it).
	for _, id := range append([]string{ids[0]}, ids[2:]...) {
		w.Emu.SetRowValue(id, "Reviewed", false)
	}
	w.connect(acme)
	if code, out, errOut := w.run("sync"); code != 0 || !strings.Contains(out, "rows Acme: 1 databases, 12 rows read") {
		t.Fatalf("sync: %d %s %s", code, out, errOut)
	}

	all := w.rows("Tasks")
	if len(all) != 12 {
		t.Fatalf("%d rows", len(all))
	}
	var wss []struct{ Rows int }
	if _, out, _ := w.run("workspaces", "--json"); json.Unmarshal([]byte(out), &wss) != nil || len(wss) != 1 || wss[0].Rows != 12 {
		t.Errorf("workspaces --json: %s", out)
	}
	var first rowOut
	for _, r := range all {
		if r.ID == ids[0] {
			first = r
		}
	}
	p := first.Properties
	if first.Title != "Task 00" || !strings.HasPrefix(first.URL, "https://") || first.LastEdited == "" ||
		p["Status"] != "Doing" || p["Estimate"] != 130.0 || !slices.Equal(toStrings(p["Tags"]), []string{"Café", "Backend"}) ||
		fmt.Sprint(p["Due"]) != "map[end:<nil> start:2026-12-24]" || p["Task"] != "Task 00" {
		t.Fatalf("row %+v", first)
	}
	if _, ok := p["Reviewed"].(bool); !ok {
		t.Errorf("a checkbox is a bool: %#v", p["Reviewed"])
	}
	if _, ok := p["Owner"].([]any); !ok {
		t.Errorf("people are a list: %#v", p["Owner"])
	}
	if _, ok := p["Score"].(float64); !ok {
		t.Errorf("a numeric formula is a number: %#v", p["Score"])
	}

	// Each operator, names in any case, values folded.
	for _, tc := range []struct {
		where []string
		want  func(r rowOut) bool
	}{
		{[]string{"status=doing"}, func(r rowOut) bool { return r.Properties["Status"] == "Doing" }},
		{[]string{"Status!=Doing"}, func(r rowOut) bool { return r.Properties["Status"] != "Doing" }},
		{[]string{"tags=cafe"}, func(r rowOut) bool { return slices.Contains(toStrings(r.Properties["Tags"]), "Café") }},
		{[]string{"Task~task 0"}, func(r rowOut) bool { return strings.HasPrefix(r.Title, "Task 0") }},
		{[]string{"Estimate>100"}, func(r rowOut) bool { n, ok := r.Properties["Estimate"].(float64); return ok && n > 100 }},
		{[]string{"Estimate<=2"}, func(r rowOut) bool { n, ok := r.Properties["Estimate"].(float64); return ok && n <= 2 }},
		{[]string{"Due>=2026-12-24", "Due<2026-12-25"}, func(r rowOut) bool {
			d, _ := r.Properties["Due"].(map[string]any)
			return d != nil && d["start"] == "2026-12-24"
		}},
		{[]string{"Reviewed=true", "Estimate?"}, func(r rowOut) bool {
			n, ok := r.Properties["Estimate"]
			return r.Properties["Reviewed"] == true && ok && n != nil
		}},
	} {
		var args []string
		for _, e := range tc.where {
			args = append(args, "--where", e)
		}
		got := w.rows(append([]string{"Tasks"}, args...)...)
		var want []string
		for _, r := range all {
			if tc.want(r) {
				want = append(want, r.ID)
			}
		}
		gotIDs := make([]string, len(got))
		for i, r := range got {
			gotIDs[i] = r.ID
		}
		slices.Sort(gotIDs)
		slices.Sort(want)
		if len(want) == 0 || !slices.Equal(gotIDs, want) {
			t.Errorf("--where %q: %v, want %v", tc.where, gotIDs, want)
		}
	}

	// Sorts, and the database by id.
	asc := titles(w.rows(ds, "--sort", "task:asc", "--limit", "3"))
	if !slices.Equal(asc, []string{"Task 00", "Task 01", "Task 02"}) {
		t.Errorf("sorted ascending: %v", asc)
	}
	desc := w.rows("tasks", "--sort", "Estimate:desc", "--limit", "1")
	if len(desc) != 1 || desc[0].ID != ids[0] {
		t.Errorf("sorted by estimate: %v", titles(desc))
	}

	// Usage errors name what would be valid.
	for _, tc := range []struct{ args, want []string }{
		{[]string{"Tasks", "--where", "Statuz=Done"}, []string{"no such property", "Status", "Estimate"}},
		{[]string{"Tasks", "--where", "Status=Blocked"}, []string{"no such option", "Not started", "Doing"}},
		{[]string{"Tasks", "--where", "Estimate>lots"}, []string{"number"}},
		{[]string{"Tasks", "--sort", "Nope"}, []string{"no such property"}},
		{[]string{"Tasks", "--limit", "-1"}, []string{"--limit"}},
		{[]string{}, []string{"missing argument"}},
	} {
		code, _, errOut := w.run(append([]string{"rows"}, tc.args...)...)
		if code != 2 {
			t.Errorf("rows %q: exit %d, want 2 (%s)", tc.args, code, errOut)
		}
		for _, s := range tc.want {
			if !strings.Contains(errOut, s) {
				t.Errorf("rows %q: %q does not say %q", tc.args, errOut, s)
			}
		}
	}
	if code, _, errOut := w.run("rows", "Nothing"); code != 1 || !strings.Contains(errOut, "pagedeck sync") {
		t.Errorf("an unknown database: %d %s", code, errOut)
	}

	// Filters in search: words naming a property; the rest is text.
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"status:doing", []string{"Task 00"}},
		{"task 00 status:doing estimate>100", []string{"Task 00"}},
		{"task 01 status:doing", nil},
		{"Reviewed:true Estimate<=2", []string{"Task 01"}},
	} {
		code, out, errOut := w.run("search", tc.query, "--json")
		var hits []struct{ Title string }
		if code != 0 || json.Unmarshal([]byte(out), &hits) != nil {
			t.Fatalf("search %q: %d %s %s", tc.query, code, out, errOut)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.Title)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("search %q: %v, want %v", tc.query, got, tc.want)
		}
	}
	if code, _, errOut := w.run("search", "status:blocked"); code != 2 || !strings.Contains(errOut, "Not started") {
		t.Errorf("search with an unknown option: %d %s", code, errOut)
	}
	if code, out, _ := w.run("search", "10:30"); code != 0 || strings.Contains(out, "Task") {
		t.Errorf("a word that names no property is text: %d %s", code, out)
	}

	// The table: the title, then the most telling columns, status first.
	code, out, _ := w.run("rows", "Tasks", "--where", "Status=Doing")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || !strings.HasPrefix(strings.Join(strings.Fields(lines[0]), " "), "TITLE STATUS PRIORITY DUE OWNER") || !strings.HasPrefix(lines[1], "Task 00") || !strings.Contains(lines[1], "Doing") {
		t.Errorf("table: %d\n%s", code, out)
	}

	// An edit to one row changes only that row after a quick sync; a new
	// option is accepted at once.
	w.Emu.SetRowValue(ids[5], "Status", "Review")
	if code, out, errOut := w.run("sync"); code != 0 || !strings.Contains(out, "rows Acme: 1 databases") {
		t.Fatalf("sync: %d %s %s", code, out, errOut)
	}
	if got := w.rows("Tasks", "--where", "Status=review"); len(got) != 1 || got[0].ID != ids[5] {
		t.Errorf("after an edit: %v", titles(got))
	}
	after := w.rows("Tasks")
	for _, r := range after {
		for _, b := range all {
			if b.ID == r.ID && r.ID != ids[5] && fmt.Sprint(r) != fmt.Sprint(b) {
				t.Errorf("row %s changed:\n%v\n%v", r.Title, r, b)
			}
		}
	}

	// A row moved out of the source: a quick sync looks only at the
	// source's newest rows and keeps it; the next full sync drops it.
	w.Emu.Move(ids[7], "workspace", "")
	if code, out, errOut := w.run("sync", "--full"); code != 0 {
		t.Fatalf("full sync: %d %s %s", code, out, errOut)
	}
	for _, r := range w.rows("Tasks") {
		if r.ID == ids[7] {
			t.Errorf("the moved row %s is still among the rows", r.Title)
		}
	}
	if got := w.rows("Tasks"); len(got) != len(after)-1 {
		t.Errorf("after a move: %d rows, want %d", len(got), len(after)-1)
	}

	// A renamed property; a data source no longer shared.
	w.Emu.RenameProperty(ds, "Status", "State")
	w.run("sync")
	if got := w.rows("Tasks", "--where", "state=doing"); len(got) != 1 {
		t.Errorf("after a rename: %v", titles(got))
	}
	w.Emu.Unshare(ds)
	w.run("sync", "--full")
	if code, _, _ := w.run("rows", "Tasks"); code != 1 {
		t.Errorf("an unshared database still lists rows: exit %d", code)
	}
}

func toStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
