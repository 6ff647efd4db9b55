package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// TestRowsThroughProcesses: sync and rows as processes of their own (this
// test binary standing in for pagedeck), against a generated workspace
// and an emulator limited as Notion is.
func TestRowsThroughProcesses(t *testing.T) {
	w := newBudgetWorld(t, 120)
	// The generated data source with the most rows.
	ds, most := "", 0
	for _, it := range w.emu.Items(w.ws) {
		if it.Kind == notiontest.KindDataSource && !it.Unshared && !it.InTrash {
			if n := len(w.emu.Rows(it.ID)); n > most {
				ds, most = it.ID, n
			}
		}
	}
	if most < 3 {
		t.Fatalf("the generated workspace has no data source with rows")
	}
	w.connect()
	p := w.start("sync", "--no-content")
	if code := p.wait(); code != 0 || !strings.Contains(p.stdout.String(), "rows Acme: ") {
		t.Fatalf("sync: exit %d\n%s%s", code, p.stdout, p.stderr)
	}
	rowsOf := func(args ...string) []map[string]any {
		t.Helper()
		p := w.start(append([]string{"rows", ds, "--json"}, args...)...)
		if code := p.wait(); code != 0 {
			t.Fatalf("rows %q: exit %d: %s", args, code, p.stderr)
		}
		var out []map[string]any
		if err := json.Unmarshal([]byte(p.stdout.String()), &out); err != nil {
			t.Fatalf("rows %q: %v\n%s", args, err, p.stdout)
		}
		return out
	}
	all := rowsOf()
	if len(all) != most {
		t.Fatalf("%d rows, the emulator has %d", len(all), most)
	}
	want := 0
	for _, r := range all {
		if r["properties"].(map[string]any)["Status"] == "In progress" {
			want++
		}
	}
	got := rowsOf("--where", "status=in progress")
	if len(got) != want {
		t.Errorf("%d rows in progress, want %d", len(got), want)
	}
	for _, r := range got {
		if r["properties"].(map[string]any)["Status"] != "In progress" {
			t.Errorf("row %v", r)
		}
	}
	p = w.start("rows", ds, "--where", "Stat=Done")
	if code := p.wait(); code != 2 || !strings.Contains(p.stderr.String(), "Status") {
		t.Errorf("an unknown property: exit %d: %s", code, p.stderr)
	}
}
