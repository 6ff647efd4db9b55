package cli

// Rows captured into a database through the real command line: `new DB
// TITLE --prop NAME=VALUE`, against the emulator's data sources.

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// rowWorld is a connected machine with a page "Inbox" and a database
// "Tasks" (one data source) in the list; the rows are not synced.
type rowWorld struct {
	*captureWorld
	tasks string // the data source's id
}

// tasksDB is the id of the database container of "Tasks".
const tasksDB = "5f1c2e3a-8b7d-4c6e-9a1b-2c3d4e5f6a7b"

func newRowWorld(t *testing.T) *rowWorld {
	t.Helper()
	w := newBudgetWorld(t, 10)
	inbox := w.emu.AddItem(w.ws, notiontest.ItemSpec{Title: "Inbox"})
	tasks := w.emu.AddItem(w.ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks", DatabaseID: tasksDB})
	w.connect()
	return &rowWorld{captureWorld: &captureWorld{budgetWorld: w, inbox: inbox}, tasks: tasks}
}

// titled are the data source's rows with that title, at Notion.
func (w *rowWorld) titled(title string) []string {
	var out []string
	for _, id := range w.emu.Rows(w.tasks) {
		if w.emu.RowValue(id, "Name") == title {
			out = append(out, id)
		}
	}
	return out
}

func TestCaptureNewRowWithProperties(t *testing.T) {
	w := newRowWorld(t)
	// The schema and rows are stored by a sync: the properties are read
	// against the stored schema, and the new row joins the stored rows.
	if code, _, errs := w.run("sync", "--no-content"); code != 0 {
		t.Fatalf("sync: exit %d: %s", code, errs)
	}
	code, out, errs := w.run("new", w.tasks, "Ship the release", "--json",
		"--prop", "status=In progress", "--prop", "Priority=high", "--prop", "tags=Frontend, design",
		"--prop", "Due=2026-12-24", "--prop", "Estimate=2.5", "--prop", "Reviewed=true",
		"--prop", "Notes=Behind a flag", "--prop", "Contact=ops@example.com")
	if code != 0 {
		t.Fatalf("new: exit %d: %s", code, errs)
	}
	var got captureJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if got.Status != "sent" || got.Title != "Ship the release" || got.ParentID != w.tasks || got.ID == "" {
		t.Errorf("new --json = %+v", got)
	}
	if ids := w.titled("Ship the release"); len(ids) != 1 || ids[0] != got.ID {
		t.Fatalf("Notion has rows %v, want [%s]", ids, got.ID)
	}
	want := map[string]string{"Status": "In progress", "Priority": "High", "Tags": "Frontend,Design",
		"Due": "2026-12-24", "Estimate": "2.5", "Reviewed": "true", "Notes": "Behind a flag",
		"Contact": "ops@example.com", "Link": "", "Phone": ""}
	for prop, v := range want {
		if g := w.emu.RowValue(got.ID, prop); g != v {
			t.Errorf("%s = %q at Notion, want %q", prop, g, v)
		}
	}
	// In the list and in the stored rows at once, before any sync.
	if code, out, errs := w.run("search", "Ship the release", "--json"); code != 0 || !strings.Contains(out, got.ID) {
		t.Errorf("search after new: exit %d: %s %s", code, out, errs)
	}
	code, out, errs = w.run("rows", w.tasks, "--where", "Priority=High", "--where", "Estimate=2.5", "--json")
	if code != 0 || !strings.Contains(out, got.ID) {
		t.Errorf("rows after new: exit %d: %s %s", code, out, errs)
	}
	if n := w.emu.Count(http.MethodGet, "/v1/data_sources/"+w.tasks); n != 1 {
		t.Errorf("the schema was read %d times: the sync's read should serve", n)
	}
	// An option added in Notion since the sync: the stored schema does not
	// know it, Notion's does, and the row goes.
	w.emu.AddOption(w.tasks, "Priority", "Someday")
	code, out, errs = w.run("new", w.tasks, "Learn the banjo", "--prop", "priority=someday")
	if code != 0 || !strings.HasPrefix(out, "created: Learn the banjo (") {
		t.Fatalf("new with a new option: exit %d: %q %s", code, out, errs)
	}
	if ids := w.titled("Learn the banjo"); len(ids) != 1 || w.emu.RowValue(ids[0], "Priority") != "Someday" {
		t.Errorf("Notion has %v", ids)
	}
}

func TestCaptureNewRowUsageErrors(t *testing.T) {
	w := newRowWorld(t)
	cases := []struct {
		args []string
		want []string // in stderr
	}{
		{[]string{"new", w.tasks, "Bad option", "--prop", "Priority=Urgent"}, []string{"Priority", "Urgent", "valid: High, Medium, Low"}},
		{[]string{"new", w.tasks, "Bad status", "--prop", "Status=Blocked"}, []string{"valid: Not started, In progress, Done"}},
		{[]string{"new", w.tasks, "Bad name", "--prop", "Colour=red"}, []string{"no such property", "Name, Contact, Due"}},
		{[]string{"new", w.tasks, "Bad date", "--prop", "Due=someday"}, []string{"Due is a date"}},
		{[]string{"new", w.tasks, "Bad number", "--prop", "Estimate=lots"}, []string{"Estimate is a number"}},
		{[]string{"new", w.tasks, "Bad box", "--prop", "Reviewed=maybe"}, []string{"true or false"}},
		{[]string{"new", w.tasks, "Computed", "--prop", "Score=3"}, []string{"formula"}},
		{[]string{"new", w.tasks, "No value", "--prop", "Priority"}, []string{"NAME=VALUE"}},
		{[]string{"new", w.inbox, "On a page", "--prop", "Priority=High"}, []string{"only a title"}},
	}
	// Once the schema is fetched (nothing synced), every mistake is found
	// before anything is kept or sent.
	for _, c := range cases {
		code, _, errs := w.run(c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", c.args[2:], code, errs)
			continue
		}
		for _, s := range c.want {
			if !strings.Contains(errs, s) {
				t.Errorf("%v: stderr %q lacks %q", c.args[2:], errs, s)
			}
		}
	}
	// A database with two data sources: which one?
	second := w.emu.AddItem(w.ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Archive", DatabaseID: tasksDB})
	if code, _, errs := w.run("sync", "--no-content"); code != 0 {
		t.Fatalf("sync: exit %d: %s", code, errs)
	}
	code, _, errs := w.run("new", tasksDB, "Which one")
	if code != 2 || !strings.Contains(errs, "several data sources") || !strings.Contains(errs, w.tasks) || !strings.Contains(errs, second) {
		t.Errorf("new in a database of two data sources: exit %d: %s", code, errs)
	}
	if n := w.emu.Count(http.MethodPost, "/v1/pages"); n != 0 {
		t.Errorf("%d creates reached Notion", n)
	}
	if items := w.outbox(t); len(items) != 0 {
		t.Errorf("the outbox keeps %+v", items)
	}
}

func TestCaptureLostAnswerOnNewRow(t *testing.T) {
	w := newRowWorld(t)
	// The same title twice: the second must not be taken for the first.
	if code, _, errs := w.run("new", w.tasks, "Weekly review", "--prop", "Priority=Low"); code != 0 {
		t.Fatalf("new: exit %d: %s", code, errs)
	}
	w.emu.FailNext("/v1/pages", 1, notiontest.FaultLostAnswer)
	code, out, errs := w.run("new", w.tasks, "Weekly review", "--prop", "Priority=High")
	if code != 0 || !strings.HasPrefix(out, "queued: Weekly review") {
		t.Fatalf("new: exit %d: %q %s", code, out, errs)
	}
	for range 2 {
		if code, _, errs := w.run("outbox", "send"); code != 0 {
			t.Fatalf("outbox send: exit %d: %s", code, errs)
		}
	}
	ids := w.titled("Weekly review")
	if len(ids) != 2 {
		t.Fatalf("Notion has %d rows titled Weekly review, want 2", len(ids))
	}
	var prios []string
	for _, id := range ids {
		prios = append(prios, w.emu.RowValue(id, "Priority"))
	}
	if strings.Join(prios, ",") != "Low,High" {
		t.Errorf("priorities %v", prios)
	}
	if n := w.emu.Count(http.MethodPost, "/v1/pages"); n != 2 {
		t.Errorf("%d creates for 2 captures", n)
	}
	if n := w.emu.Count(http.MethodPost, "/v1/data_sources/"+w.tasks+"/query"); n != 1 {
		t.Errorf("looked %d times, want once", n)
	}
	if items := w.outbox(t); len(items) != 0 {
		t.Errorf("the outbox keeps %+v", items)
	}
}

func TestCaptureNewRowWithoutInsertContent(t *testing.T) {
	w := newRowWorld(t)
	w.emu.SetInsertAccess(w.ws, false)
	code, _, errs := w.run("new", w.tasks, "Needs a permission", "--prop", "Tags=Backend")
	if code != 1 || !strings.Contains(errs, "Insert content") || !strings.Contains(errs, "outbox") {
		t.Errorf("new without Insert content: exit %d: %s", code, errs)
	}
	items := w.outbox(t)
	if len(items) != 1 || items[0].State != "needs_permission" || items[0].Attempts != 1 {
		t.Fatalf("outbox = %+v", items)
	}
	// No retry loop.
	if code, _, errs := w.run("sync", "--no-content"); code != 0 {
		t.Fatalf("sync: exit %d: %s", code, errs)
	}
	if n := w.emu.Count(http.MethodPost, "/v1/pages"); n != 1 {
		t.Errorf("%d creates while held", n)
	}
	// Nothing lost: once allowed, the row goes with its properties.
	w.emu.SetInsertAccess(w.ws, true)
	if code, out, errs := w.run("outbox", "send"); code != 0 || !strings.Contains(out, "Needs a permission") {
		t.Fatalf("outbox send: exit %d: %s %s", code, out, errs)
	}
	ids := w.titled("Needs a permission")
	if len(ids) != 1 || w.emu.RowValue(ids[0], "Tags") != "Backend" {
		t.Errorf("Notion has %v", ids)
	}
}

func TestCaptureNewRowWhileNotionIsDownThenSync(t *testing.T) {
	w := newRowWorld(t)
	w.down(t)
	// No schema stored and none to read: properties cannot be checked, so
	// they are refused, and nothing is kept.
	code, _, errs := w.run("new", w.tasks, "Checked later", "--prop", "Priority=High")
	if code != 1 || !strings.Contains(errs, "properties") {
		t.Errorf("new --prop while down: exit %d: %s", code, errs)
	}
	if items := w.outbox(t); len(items) != 0 {
		t.Fatalf("outbox = %+v", items)
	}
	// A title alone needs no schema: it waits in the outbox.
	code, out, errs := w.run("new", w.tasks, "Offline row", "--json")
	if code != 0 || !strings.Contains(out, `"status": "queued"`) || !strings.Contains(errs, "waits in the outbox") {
		t.Fatalf("new while down: exit %d: %s %s", code, out, errs)
	}
	w.up()
	if code, _, errs := w.run("sync", "--no-content"); code != 0 {
		t.Fatalf("sync: exit %d: %s", code, errs)
	}
	if code, _, errs := w.run("sync", "--no-content"); code != 0 {
		t.Fatalf("sync: exit %d: %s", code, errs)
	}
	if ids := w.titled("Offline row"); len(ids) != 1 {
		t.Errorf("Notion has %d rows titled Offline row, want 1", len(ids))
	}
	if n := w.emu.Count(http.MethodPost, "/v1/pages"); n != 1 {
		t.Errorf("%d creates reached Notion", n)
	}
	if items := w.outbox(t); len(items) != 0 {
		t.Errorf("the outbox keeps %+v", items)
	}
}
