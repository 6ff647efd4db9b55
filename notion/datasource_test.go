package notion_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func TestDataSourceSchemaAgainstEmulator(t *testing.T) {
	emu, c, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	ds := emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks", TitleProperty: "Task"})
	hidden := emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Secret", Unshared: true})
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	ctx := t.Context()

	s, err := c.DataSourceSchema(ctx, tok, strings.ReplaceAll(ds, "-", ""))
	if err != nil {
		t.Fatal(err)
	}
	if s.DataSourceID != ds || s.Title != "Tasks" || s.DatabaseID == "" || s.Properties[0].Name != "Task" || s.Properties[0].Type != notion.PropTitle {
		t.Fatalf("schema = %+v", s)
	}
	want := emu.Schema(ds)
	if len(s.Properties) != len(want) {
		t.Fatalf("%d properties, emulator has %d", len(s.Properties), len(want))
	}
	for _, p := range s.Properties {
		if want[p.Name] != string(p.Type) || p.ID == "" {
			t.Errorf("property %+v, emulator says %q", p, want[p.Name])
		}
	}
	st, ok := s.Property("status") // any case
	if !ok || st.Type != notion.PropStatus || len(st.Options) != 3 || st.Options[1].Name != "In progress" || len(st.Groups) != 3 {
		t.Errorf("status = %+v", st)
	}
	if v, ok := s.Property("Verified"); !ok || v.Type.Known() || !strings.Contains(string(v.Config), "{") {
		t.Errorf("a type this client does not know is kept: %+v", v)
	}
	if f, ok := s.Property("Score"); !ok || !strings.Contains(string(f.Config), "expression") {
		t.Errorf("formula configuration %+v", f)
	}
	if _, err := c.DataSourceSchema(ctx, tok, hidden); !notion.IsNotFound(err) {
		t.Errorf("unshared: %v", err)
	}
	if _, err := c.DataSourceSchema(ctx, tok, "../search"); !errors.Is(err, notion.ErrInvalidID) {
		t.Errorf("bad id: %v", err)
	}
}

func TestQueryDataSourceAgainstEmulator(t *testing.T) {
	emu, c, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	ds := emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	const n = 250
	for i := range n {
		emu.AddItem(ws, notiontest.ItemSpec{Title: fmt.Sprintf("Task %03d", i), ParentType: "data_source_id", ParentID: ds})
	}
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	ctx := t.Context()
	path := "/v1/data_sources/" + ds + "/query"

	var rows []notion.Row
	for page, err := range c.QueryDataSource(ctx, tok, ds, notion.QueryOptions{Sort: notion.SortDescending}) {
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, page.Rows...)
	}
	if len(rows) != n {
		t.Fatalf("%d rows, want %d", len(rows), n)
	}
	if calls := emu.Count(http.MethodPost, path); calls != 3 {
		t.Errorf("%d calls for %d rows, want one per 100", calls, n)
	}
	seen := map[string]bool{}
	for i, r := range rows {
		if seen[r.ID] {
			t.Fatalf("row %s twice", r.ID)
		}
		seen[r.ID] = true
		if i > 0 && r.LastEdited.After(rows[i-1].LastEdited) {
			t.Fatalf("not newest first at %d", i)
		}
		if !strings.HasPrefix(r.Title, "Task ") || r.Parent.Type != notion.ParentDataSource || r.Parent.ID != ds ||
			len(r.Properties) != len(emu.Schema(ds)) {
			t.Fatalf("row %+v", r)
		}
		p := r.Properties
		if p["Status"].Text == "" || p["ID"].Text == "" || !strings.HasPrefix(p["ID"].Text, "T-") || p["Score"].Result == nil ||
			p["Score"].Result.Number == nil || p["Created"].Time.IsZero() || p["Edited"].Time != r.LastEdited ||
			p["Verified"].Raw == nil || p["Verified"].Empty() {
			t.Fatalf("values %+v", p)
		}
		for _, name := range p["Owner"].List {
			if !isOwnerName(name) {
				t.Fatalf("people are named when the connection may read them: %q", name)
			}
		}
		for _, id := range p["Related"].List {
			if _, ok := notion.NormalizeID(id); !ok {
				t.Fatalf("relation ids: %q", id)
			}
		}
		if d := p["Due"].Date; d != nil && len(d.Start) != len("2006-01-02") {
			t.Fatalf("date %+v", d)
		}
	}

	// Stopping early stops paging.
	before := emu.Count(http.MethodPost, path)
	for range c.QueryDataSource(ctx, tok, ds, notion.QueryOptions{Sort: notion.SortDescending}) {
		break
	}
	if got := emu.Count(http.MethodPost, path) - before; got != 1 {
		t.Errorf("%d calls after stopping at the first page", got)
	}

	// A filter is Notion's, and the emulator checks it.
	var inProgress []string
	for _, r := range rows {
		if r.Properties["Status"].Text == "In progress" {
			inProgress = append(inProgress, r.ID)
		}
	}
	var got []string
	for page, err := range c.QueryDataSource(ctx, tok, ds, notion.QueryOptions{PageSize: 7,
		Filter: &notion.RowFilter{And: []notion.RowFilter{
			{Property: "Status", Type: notion.PropStatus, Condition: "equals", Value: "In progress"},
			{Timestamp: "last_edited_time", Condition: "on_or_before", Value: "2100-01-01"},
		}}}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Rows {
			got = append(got, r.ID)
		}
	}
	if len(got) == 0 || len(got) != len(inProgress) {
		t.Errorf("filtered %d rows, want %d", len(got), len(inProgress))
	}
	for _, err := range c.QueryDataSource(ctx, tok, ds, notion.QueryOptions{
		Filter: &notion.RowFilter{Property: "Nope", Type: notion.PropStatus, Condition: "equals", Value: "x"}}) {
		var ae *notion.APIError
		if !errors.As(err, &ae) || ae.Status != 400 || ae.Code != "validation_error" || !strings.Contains(ae.Message, "Nope") {
			t.Errorf("unknown property: %v", err)
		}
	}
}

func isOwnerName(s string) bool {
	for _, name := range notiontest.OwnerNames {
		if name == s {
			return true
		}
	}
	return false
}

func TestDecodeValueEveryType(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want any // Plain()
		str  string
	}{
		{`{"id":"title","type":"title","title":[{"plain_text":"Café "},{"text":{"content":"menu"}}]}`, "Café menu", "Café menu"},
		{`{"type":"rich_text","rich_text":[]}`, "", ""},
		{`{"type":"number","number":3.5}`, 3.5, "3.5"},
		{`{"type":"number","number":null}`, nil, ""},
		{`{"type":"select","select":{"id":"x","name":"High","color":"red"}}`, "High", "High"},
		{`{"type":"select","select":null}`, nil, ""},
		{`{"type":"status","status":{"name":"Done"}}`, "Done", "Done"},
		{`{"type":"multi_select","multi_select":[{"name":"a"},{"name":"b"}]}`, []string{"a", "b"}, "a, b"},
		{`{"type":"multi_select","multi_select":[]}`, []string{}, ""},
		{`{"type":"date","date":{"start":"2026-12-24","end":null,"time_zone":null}}`, map[string]any{"start": "2026-12-24", "end": nil}, "2026-12-24"},
		{`{"type":"date","date":{"start":"2026-12-24T10:00:00.000+01:00","end":"2026-12-26","time_zone":"Europe/Zurich"}}`,
			map[string]any{"start": "2026-12-24T10:00:00.000+01:00", "end": "2026-12-26"}, "2026-12-24T10:00:00.000+01:00 → 2026-12-26"},
		{`{"type":"checkbox","checkbox":false}`, false, "false"},
		{`{"type":"url","url":"https://example.com"}`, "https://example.com", "https://example.com"},
		{`{"type":"email","email":null}`, nil, ""},
		{`{"type":"phone_number","phone_number":"+41 44"}`, "+41 44", "+41 44"},
		{`{"type":"people","people":[{"object":"user","id":"u1","name":"Ada"},{"object":"user","id":"u2"}]}`, []string{"Ada", "u2"}, "Ada, u2"},
		{`{"type":"relation","relation":[{"id":"r1"}],"has_more":true}`, []string{"r1"}, "r1"},
		{`{"type":"files","files":[{"name":"a.pdf","type":"external","external":{"url":"u"}}]}`, []string{"a.pdf"}, "a.pdf"},
		{`{"type":"formula","formula":{"type":"string","string":"hi"}}`, "hi", "hi"},
		{`{"type":"formula","formula":{"type":"number","number":7}}`, 7.0, "7"},
		{`{"type":"formula","formula":{"type":"boolean","boolean":true}}`, true, "true"},
		{`{"type":"formula","formula":{"type":"date","date":{"start":"2026-01-02"}}}`, map[string]any{"start": "2026-01-02", "end": nil}, "2026-01-02"},
		{`{"type":"rollup","rollup":{"type":"number","number":4,"function":"count"}}`, 4.0, "4"},
		{`{"type":"rollup","rollup":{"type":"array","array":[{"type":"title","title":[{"plain_text":"A"}]},{"type":"number","number":2}]}}`, []string{"A", "2"}, "A, 2"},
		{`{"type":"rollup","rollup":{"type":"incomplete","incomplete":{}}}`, `{"type":"incomplete","incomplete":{}}`, `{"type":"incomplete","incomplete":{}}`},
		{`{"type":"created_time","created_time":"2026-12-07T10:00:00.000Z"}`, "2026-12-07T10:00:00Z", "2026-12-07T10:00:00Z"},
		{`{"type":"last_edited_by","last_edited_by":{"object":"user","id":"u9"}}`, "u9", "u9"},
		{`{"type":"created_by","created_by":{"object":"user","id":"u9","name":"Grace"}}`, "Grace", "Grace"},
		{`{"type":"unique_id","unique_id":{"prefix":"T","number":12}}`, "T-12", "T-12"},
		{`{"type":"unique_id","unique_id":{"prefix":null,"number":3}}`, "3", "3"},
		{`{"type":"verification","verification":{"state":"verified"}}`, `{"type":"verification","verification":{"state":"verified"}}`, `{"type":"verification","verification":{"state":"verified"}}`},
		{`{"type":"number","number":"seven"}`, `{"type":"number","number":"seven"}`, `{"type":"number","number":"seven"}`},
	} {
		v, err := notion.DecodeValue([]byte(tc.in))
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if got := v.Plain(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Plain() = %#v, want %#v", tc.in, got, tc.want)
		}
		if got := v.String(); got != tc.str {
			t.Errorf("%s: String() = %q, want %q", tc.in, got, tc.str)
		}
		if v.Empty() != (tc.str == "") {
			t.Errorf("%s: Empty() = %v", tc.in, v.Empty())
		}
	}
	for _, bad := range []string{``, `null`, `[]`, `"x"`, `{`} {
		if _, err := notion.DecodeValue([]byte(bad)); !errors.Is(err, notion.ErrMalformedResponse) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestRowFilterJSON(t *testing.T) {
	f := notion.RowFilter{Or: []notion.RowFilter{
		{Property: "Status", Type: notion.PropStatus, Condition: "equals", Value: "Done"},
		{Timestamp: "last_edited_time", Condition: "after", Value: "2026-12-01"},
	}}
	b, err := json.Marshal(f)
	want := `{"or":[{"property":"Status","status":{"equals":"Done"}},{"last_edited_time":{"after":"2026-12-01"},"timestamp":"last_edited_time"}]}`
	if err != nil || string(b) != want {
		t.Errorf("%s, %v\nwant %s", b, err, want)
	}
}
