package cli_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// searchJSON runs `pagedeck search ARGS --json` and decodes its rows.
func (w *world) searchJSON(args ...string) []map[string]any {
	w.T.Helper()
	code, out, errOut := w.run(append([]string{"search", "--json"}, args...)...)
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil {
		w.T.Fatalf("search %v: %d %s %s", args, code, out, errOut)
	}
	return rows
}

// TestCLIPathsPinsAndOpens: search --json rows carry path, pinned, opened
// and match; pin and unpin work by id; opens are counted; the command line
// ranks as the window does (one Core.Search).
func TestCLIPathsPinsAndOpens(t *testing.T) {
	w := newWorld(t)
	ws := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	w.Emu.Seed(ws, 4, 120)
	eng := w.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Engineering"})
	maps := w.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Roadmaps", ParentType: "page_id", ParentID: eng})
	q3 := w.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Q3 plan", ParentType: "page_id", ParentID: maps, URL: "https://app.notion.com/p/q3"})
	hidden := w.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Board", Unshared: true})
	minutes := w.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Board minutes zeta", ParentType: "page_id", ParentID: hidden})
	w.connect(ws)

	rows := w.searchJSON("engineering", "q3")
	if len(rows) != 1 || rows[0]["id"] != q3 || rows[0]["match"] != "path" || fmt.Sprint(rows[0]["path"]) != "[Engineering Roadmaps]" ||
		rows[0]["pinned"] != false || rows[0]["opened"] != 0.0 {
		t.Fatalf("engineering q3 = %v", rows)
	}
	for _, k := range []string{"id", "workspace_id", "kind", "title", "url", "icon", "last_edited_time", "path", "pinned", "opened", "match"} {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("search --json lacks %q", k)
		}
	}
	// The top level, and a page whose parent is out of view: [] (never null).
	for _, q := range []string{"engineering", "minutes zeta"} {
		rows = w.searchJSON(q)
		if p, ok := rows[0]["path"].([]any); !ok || len(p) != 0 || rows[0]["match"] != "title" {
			t.Errorf("%s: path %#v match %v", q, rows[0]["path"], rows[0]["match"])
		}
	}
	if code, out, _ := w.run("search", "minutes", "zeta"); code != 0 || !strings.Contains(out, "Board minutes zeta") || !strings.Contains(out, minutes) {
		t.Errorf("text search: %q", out)
	}
	if _, out, _ := w.run("search", "q3", "plan"); !strings.Contains(out, "Engineering › Roadmaps") {
		t.Errorf("text search shows no path: %q", out)
	}

	// Opens are counted, and ranked: the empty query lists it first.
	for range 3 {
		if code, _, errOut := w.run("open", q3); code != 0 {
			t.Fatalf("open: %s", errOut)
		}
	}
	rows = w.searchJSON("--limit", "1")
	if rows[0]["id"] != q3 || rows[0]["opened"] != 3.0 {
		t.Errorf("after three opens: %v", rows[0])
	}

	// Pins.
	if code, out, errOut := w.run("pin", eng); code != 0 || out != fmt.Sprintf("pinned: Engineering (%s)\n", eng) || errOut != "" {
		t.Errorf("pin: %d %q %q", code, out, errOut)
	}
	rows = w.searchJSON("--limit", "2")
	if rows[0]["id"] != eng || rows[0]["pinned"] != true || rows[1]["id"] != q3 {
		t.Errorf("pinned first, then opened: %v", rows)
	}
	if _, out, _ := w.run("search", "engineering"); !strings.Contains(out, "★ Engineering") {
		t.Errorf("text search does not mark the pin: %q", out)
	}
	if code, out, _ := w.run("unpin", eng); code != 0 || out != fmt.Sprintf("unpinned: Engineering (%s)\n", eng) {
		t.Errorf("unpin: %d %q", code, out)
	}
	if rows = w.searchJSON("--limit", "1"); rows[0]["id"] != q3 {
		t.Errorf("after unpin: %v", rows[0])
	}
	if code, _, errOut := w.run("pin", "no-such-id"); code != 1 || !strings.Contains(errOut, "no cached page or database") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("pin unknown: %d %q", code, errOut)
	}

	// Pins survive a full sync from the command line.
	w.run("pin", maps)
	if code, _, errOut := w.run("sync", "--full"); code != 0 {
		t.Fatal(errOut)
	}
	if rows = w.searchJSON("--limit", "1"); rows[0]["id"] != maps || rows[0]["pinned"] != true {
		t.Errorf("after a full sync: %v", rows[0])
	}

	// Same query, same scope, same order as the core the window uses.
	core, err := w.env("", nil, nil).NewCore(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{"", "notes", "roadmap", "plan", "meetnig"}
	window := map[string][]*app.Hit{}
	for _, q := range queries {
		window[q], _ = apptest.SearchHits(core, q, ws, "", 30)
	}
	// One process at a time holds the content index; the window lets go.
	core.Close()
	for _, q := range queries {
		hits := window[q]
		rows := w.searchJSON(q, "-w", ws, "--limit", "30")
		if len(hits) != len(rows) {
			t.Fatalf("%q: window %d hits, command line %d", q, len(hits), len(rows))
		}
		for i := range hits {
			if hits[i].ID != rows[i]["id"] {
				t.Errorf("%q: row %d is %v in the window, %v on the command line", q, i, hits[i].ID, rows[i]["id"])
				break
			}
		}
	}
}
