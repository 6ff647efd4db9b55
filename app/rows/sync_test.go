package rows_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

type fixture struct {
	emu   *notiontest.Server
	clock *notiontest.Clock
	ws    string
	ds    string
	rows  []string
	sync  *rows.Syncer
	tok   notion.Secret
	st    *store.Store
}

func newFixture(t *testing.T, n int) *fixture {
	t.Helper()
	f := &fixture{clock: notiontest.NewClock(time.Date(2026, 12, 7, 9, 0, 30, 0, time.UTC))}
	f.emu = notiontest.NewServer(notiontest.Options{RateLimit: -1, Clock: f.clock.Now})
	t.Cleanup(f.emu.Close)
	f.ws = f.emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	f.ds = f.emu.AddItem(f.ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	for i := range n {
		if i%50 == 0 {
			f.clock.Advance(time.Minute)
		}
		f.rows = append(f.rows, f.emu.AddItem(f.ws, notiontest.ItemSpec{Title: fmt.Sprintf("Task %03d", i), ParentType: "data_source_id", ParentID: f.ds}))
	}
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.st = st
	c := notion.New(notion.Options{BaseURL: f.emu.URL(), RateLimit: rate.Inf,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	f.tok = notion.Secret(f.emu.IssueGrant(f.ws).AccessToken)
	f.sync = &rows.Syncer{Client: c, Store: st, Workspace: f.ws, Now: f.clock.Now}
	return f
}

func (f *fixture) queries() int {
	return f.emu.Count(http.MethodPost, "/v1/data_sources/"+f.ds+"/query")
}

func (f *fixture) load(t *testing.T) (rows.Source, map[string]rows.Row) {
	t.Helper()
	src, list, err := rows.Load(f.st, f.ws, f.ds)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]rows.Row{}
	for _, r := range list {
		m[r.ID] = r
	}
	if len(m) != src.Rows {
		t.Fatalf("%d rows stored, the source says %d", len(m), src.Rows)
	}
	return src, m
}

func TestSyncFullThenIncremental(t *testing.T) {
	f := newFixture(t, 250)
	ctx := t.Context()
	res, err := f.sync.Sync(ctx, f.tok, f.ds, false)
	// One call per 100 rows, and one more to re-read the newest, which
	// may have been edited while the sync paged.
	if err != nil || !res.Full || res.Read != 250 || res.Calls != 4 || f.queries() != 4 {
		t.Fatalf("first sync %+v, %v (%d queries)", res, err, f.queries())
	}
	src, before := f.load(t)
	if len(before) != 250 || src.Schema.Title != "Tasks" || src.Mark != f.clock.Now().Truncate(time.Minute) {
		t.Fatalf("stored %d rows, source %+v", len(before), src)
	}
	r := before[f.rows[7]]
	if r.Title != "Task 007" || r.Properties["Status"].Text == "" || r.Properties["ID"].Text == "" || r.LastEdited.IsZero() {
		t.Fatalf("row %+v", r)
	}

	// An edit to one row, minutes later: one call, and only that row changes.
	f.clock.Advance(3 * time.Minute)
	f.emu.SetRowValue(f.rows[7], "Status", "Blocked")
	res, err = f.sync.Sync(ctx, f.tok, f.ds, false)
	// The rows edited in the mark's minute are read again, with the edit.
	if err != nil || res.Full || res.Calls != 1 || res.Read != 1+50 {
		t.Fatalf("quick sync %+v, %v", res, err)
	}
	_, after := f.load(t)
	for id, want := range before {
		got := after[id]
		if id == f.rows[7] {
			if got.Properties["Status"].Text != "Blocked" || !got.LastEdited.After(want.LastEdited) {
				t.Errorf("edited row %+v", got.Properties["Status"])
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("row %s changed: %+v\nwas %+v", id, got, want)
		}
	}

	// An edit in the same minute as the mark, after the sync, is not missed.
	f.emu.SetRowValue(f.rows[9], "Estimate", 99.0)
	if res, err = f.sync.Sync(ctx, f.tok, f.ds, false); err != nil || res.Full || res.Read != 2 {
		t.Fatalf("same-minute sync %+v, %v", res, err)
	}
	if _, m := f.load(t); *m[f.rows[9]].Properties["Estimate"].Number != 99 {
		t.Errorf("same-minute edit missed: %+v", m[f.rows[9]].Properties["Estimate"])
	}
}

func TestSyncSchemaChangesMovesAndUnsharing(t *testing.T) {
	f := newFixture(t, 30)
	ctx := t.Context()
	if _, err := f.sync.Sync(ctx, f.tok, f.ds, false); err != nil {
		t.Fatal(err)
	}
	// A new option: the schema has it, no full sync needed.
	f.clock.Advance(time.Minute)
	f.emu.AddOption(f.ds, "Priority", "Someday")
	res, err := f.sync.Sync(ctx, f.tok, f.ds, false)
	src, _ := f.load(t)
	if p, _ := src.Schema.Property("Priority"); err != nil || res.Full || len(p.Options) != 4 || p.Options[3].Name != "Someday" {
		t.Fatalf("after a new option: %+v %+v, %v", res, p, err)
	}
	// A renamed property: every row is read again under the new name.
	f.emu.RenameProperty(f.ds, "Status", "State")
	res, err = f.sync.Sync(ctx, f.tok, f.ds, false)
	src, m := f.load(t)
	if err != nil || !res.Full || res.Read != 30 {
		t.Fatalf("after a rename: %+v, %v", res, err)
	}
	if _, ok := src.Schema.Property("Status"); ok {
		t.Error("the old name is still in the schema")
	}
	for id, r := range m {
		if _, ok := r.Properties["Status"]; ok || r.Properties["State"].Text == "" {
			t.Fatalf("row %s: %+v", id, r.Properties["State"])
		}
	}
	// A full sync comes by itself once the last is older than FullEvery.
	f.sync.FullEvery = time.Hour
	if res, err = f.sync.Sync(ctx, f.tok, f.ds, false); err != nil || res.Full {
		t.Fatalf("within FullEvery: %+v, %v", res, err)
	}
	f.clock.Advance(61 * time.Minute)
	if res, err = f.sync.Sync(ctx, f.tok, f.ds, false); err != nil || !res.Full {
		t.Fatalf("past FullEvery: %+v, %v", res, err)
	}
	f.sync.FullEvery = 0

	// A row moved out of the source goes at the next full sync.
	other := f.emu.AddItem(f.ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Archive"})
	f.emu.Move(f.rows[0], "data_source_id", other)
	f.emu.Trash(f.rows[1])
	if res, err = f.sync.Sync(ctx, f.tok, f.ds, true); err != nil || !res.Full || res.Read != 28 {
		t.Fatalf("full sync %+v, %v", res, err)
	}
	if _, m = f.load(t); len(m) != 28 || m[f.rows[0]].ID != "" || m[f.rows[1]].ID != "" {
		t.Fatalf("%d rows after a move and a trash", len(m))
	}
	// No longer shared: forgotten.
	f.emu.Unshare(f.ds)
	if res, err = f.sync.Sync(ctx, f.tok, f.ds, false); err != nil || !res.Gone {
		t.Fatalf("unshared: %+v, %v", res, err)
	}
	if _, _, err := rows.Load(f.st, f.ws, f.ds); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rows of an unshared source: %v", err)
	}
}

// editAfterFirstQuery edits a row once the first query has answered: the
// edit lands while a sync pages.
type editAfterFirstQuery struct {
	next http.RoundTripper
	mu   sync.Mutex
	done bool
	edit func()
}

func (e *editAfterFirstQuery) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := e.next.RoundTrip(r)
	e.mu.Lock()
	defer e.mu.Unlock()
	if err == nil && !e.done && strings.HasSuffix(r.URL.Path, "/query") {
		e.done = true
		e.edit()
	}
	return resp, err
}

// TestFullSyncKeepsARowEditedWhileItPages: the oldest row, edited after
// the first page, jumps ahead of the cursor; the full sync still has it,
// with the edit.
func TestFullSyncKeepsARowEditedWhileItPages(t *testing.T) {
	f := newFixture(t, 250)
	f.clock.Advance(time.Minute)
	tr := &editAfterFirstQuery{next: http.DefaultTransport, edit: func() { f.emu.SetRowValue(f.rows[0], "Estimate", 77.0) }}
	f.sync.Client = notion.New(notion.Options{BaseURL: f.emu.URL(), RateLimit: rate.Inf, HTTPClient: &http.Client{Transport: tr},
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	res, err := f.sync.Sync(t.Context(), f.tok, f.ds, true)
	if err != nil || !tr.done || res.Read != 250 {
		t.Fatalf("%+v, %v", res, err)
	}
	if _, m := f.load(t); len(m) != 250 || m[f.rows[0]].Properties["Estimate"].Number == nil || *m[f.rows[0]].Properties["Estimate"].Number != 77 {
		t.Fatalf("%d rows; the row edited during the sync: %+v", len(m), m[f.rows[0]].Properties["Estimate"])
	}
}
