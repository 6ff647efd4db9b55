package notiontest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// queryAll pages through a query and returns every row.
func queryAll(t *testing.T, s *Server, tok, ds string, body map[string]any) []map[string]any {
	t.Helper()
	var out []map[string]any
	body = clone(body)
	for range 1000 {
		r := api(t, s, tok, "POST", "/v1/data_sources/"+ds+"/query", body)
		if r.status != 200 {
			t.Fatalf("query: %d %s", r.status, r.body)
		}
		m := r.json(t)
		for _, res := range m["results"].([]any) {
			out = append(out, res.(map[string]any))
		}
		if m["has_more"] != true {
			if m["next_cursor"] != nil {
				t.Fatalf("next_cursor %v without has_more", m["next_cursor"])
			}
			return out
		}
		body["start_cursor"] = m["next_cursor"]
	}
	t.Fatal("query never ended")
	return nil
}

func clone(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func prop(t *testing.T, row map[string]any, name string) map[string]any {
	t.Helper()
	p, ok := row["properties"].(map[string]any)[name].(map[string]any)
	if !ok {
		t.Fatalf("row %v has no property %q", row["id"], name)
	}
	return p
}

func TestQueryDataSourceSchemaAndValues(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	ds := s.AddItem(ws, ItemSpec{Kind: KindDataSource, Title: "Tasks", TitleProperty: "Task"})
	var rows []string
	for i := range 7 {
		rows = append(rows, s.AddItem(ws, ItemSpec{Title: fmt.Sprintf("Row %d", i), ParentType: "data_source_id", ParentID: ds}))
	}
	tok := s.IssueGrant(ws).AccessToken

	m := api(t, s, tok, "GET", "/v1/data_sources/"+ds, nil).json(t)
	props := m["properties"].(map[string]any)
	var types []string
	for name, p := range props {
		pm := p.(map[string]any)
		if pm["name"] != name || pm["id"] == "" {
			t.Errorf("schema property %q: %v", name, pm)
		}
		if _, ok := pm[pm["type"].(string)].(map[string]any); !ok {
			t.Errorf("property %q has no %v configuration", name, pm["type"])
		}
		types = append(types, pm["type"].(string))
	}
	for _, want := range []string{"title", "rich_text", "number", "select", "multi_select", "status", "date", "people",
		"files", "checkbox", "url", "email", "phone_number", "formula", "relation", "rollup", "created_time",
		"created_by", "last_edited_time", "last_edited_by", "unique_id", "verification"} {
		if !slices.Contains(types, want) {
			t.Errorf("schema lacks a %s property: %v", want, types)
		}
	}
	opts := props["Priority"].(map[string]any)["select"].(map[string]any)["options"].([]any)
	if len(opts) != 3 || opts[0].(map[string]any)["name"] != "High" {
		t.Errorf("select options %v", opts)
	}

	got := queryAll(t, s, tok, ds, map[string]any{"page_size": 2})
	if len(got) != len(rows) {
		t.Fatalf("%d rows, want %d", len(got), len(rows))
	}
	for _, r := range got {
		if len(r["properties"].(map[string]any)) != len(props) {
			t.Errorf("row %v has %d properties, schema %d", r["id"], len(r["properties"].(map[string]any)), len(props))
		}
		for name, p := range r["properties"].(map[string]any) {
			pm := p.(map[string]any)
			if _, ok := pm[pm["type"].(string)]; !ok || props[name].(map[string]any)["type"] != pm["type"] {
				t.Errorf("row value %q = %v", name, pm)
			}
		}
	}
	// The same row from search and from the query.
	if q := queryAll(t, s, tok, ds, nil); len(q) != len(rows) || mustString(t, q[0]["properties"]) !=
		mustString(t, api(t, s, tok, "GET", "/v1/pages/"+q[0]["id"].(string), nil).json(t)["properties"]) {
		t.Error("a query's row differs from the page")
	}
}

func TestQueryDataSourceSortsFiltersAndEdits(t *testing.T) {
	clock := newFakeClock()
	s := newTestServer(t, Options{RateLimit: -1, Clock: clock.Now})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	ds := s.AddItem(ws, ItemSpec{Kind: KindDataSource, Title: "Tasks"})
	other := s.AddItem(ws, ItemSpec{Kind: KindDataSource, Title: "Other"})
	var rows []string
	for i := range 12 {
		clock.Advance(time.Minute)
		rows = append(rows, s.AddItem(ws, ItemSpec{Title: fmt.Sprintf("Row %02d", i), ParentType: "data_source_id", ParentID: ds}))
	}
	tok := s.IssueGrant(ws).AccessToken
	path := "/v1/data_sources/" + ds + "/query"

	// Newest edit first, across pages.
	desc := queryAll(t, s, tok, ds, map[string]any{"page_size": 5, "sorts": []any{map[string]any{"timestamp": "last_edited_time", "direction": "descending"}}})
	for i, r := range desc {
		if r["id"] != rows[len(rows)-1-i] {
			t.Fatalf("descending[%d] = %v, want %v", i, r["id"], rows[len(rows)-1-i])
		}
	}
	// By a property, ascending: titles in order.
	asc := queryAll(t, s, tok, ds, map[string]any{"page_size": 4, "sorts": []any{map[string]any{"property": "Name", "direction": "ascending"}}})
	for i, r := range asc {
		if titleOf(t, r) != fmt.Sprintf("Row %02d", i) {
			t.Fatalf("by name [%d] = %q", i, titleOf(t, r))
		}
	}

	// An edit: the value, the edit time, the filter and the sort all see it.
	clock.Advance(time.Hour)
	s.SetRowValue(rows[3], "Status", "Blocked")
	s.SetRowValue(rows[3], "Estimate", 42.5)
	s.SetRowValue(rows[3], "Tags", []string{"Backend", "Launch"})
	for _, tc := range []struct {
		name   string
		filter map[string]any
		want   func(row map[string]any) bool
	}{
		{"status equals", map[string]any{"property": "Status", "status": map[string]any{"equals": "blocked"}},
			func(r map[string]any) bool { return r["id"] == rows[3] }},
		{"number", map[string]any{"property": "Estimate", "number": map[string]any{"greater_than": 40}},
			func(r map[string]any) bool { return r["id"] == rows[3] }},
		{"multi_select contains", map[string]any{"property": "Tags", "multi_select": map[string]any{"contains": "Launch"}},
			func(r map[string]any) bool { return r["id"] == rows[3] }},
		{"edited after", map[string]any{"timestamp": "last_edited_time", "last_edited_time": map[string]any{"after": clock.Now().Add(-time.Minute).UTC().Format(time.RFC3339)}},
			func(r map[string]any) bool { return r["id"] == rows[3] }},
		{"title contains, or", map[string]any{"or": []any{
			map[string]any{"property": "Name", "title": map[string]any{"contains": "row 01"}},
			map[string]any{"and": []any{map[string]any{"property": "Name", "title": map[string]any{"ends_with": "02"}}}},
		}}, func(r map[string]any) bool { return titleOf(t, r) == "Row 01" || titleOf(t, r) == "Row 02" }},
		{"checkbox", map[string]any{"property": "Reviewed", "checkbox": map[string]any{"equals": true}},
			func(r map[string]any) bool { return prop(t, r, "Reviewed")["checkbox"] == true }},
		{"select empty", map[string]any{"property": "Priority", "select": map[string]any{"is_empty": true}},
			func(r map[string]any) bool { return prop(t, r, "Priority")["select"] == nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			all := queryAll(t, s, tok, ds, nil)
			var want []string
			for _, r := range all {
				if tc.want(r) {
					want = append(want, r["id"].(string))
				}
			}
			got := ids(queryAll(t, s, tok, ds, map[string]any{"filter": tc.filter, "page_size": 3}))
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) || (tc.name != "select empty" && tc.name != "checkbox" && len(want) == 0) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
	row := api(t, s, tok, "GET", "/v1/pages/"+rows[3], nil).json(t)
	if prop(t, row, "Status")["status"].(map[string]any)["name"] != "Blocked" || prop(t, row, "Estimate")["number"] != 42.5 ||
		row["last_edited_time"] != notionTime(clock.Now().Truncate(time.Minute)) {
		t.Errorf("edited row %v", row)
	}
	// Notion adds the new option to the schema.
	if !strings.Contains(string(api(t, s, tok, "GET", "/v1/data_sources/"+ds, nil).body), `"name":"Blocked"`) {
		t.Error("the new status option is not in the schema")
	}

	// Strictness.
	for name, body := range map[string]map[string]any{
		"unknown property":  {"filter": map[string]any{"property": "Nope", "status": map[string]any{"equals": "x"}}},
		"wrong type key":    {"filter": map[string]any{"property": "Status", "select": map[string]any{"equals": "x"}}},
		"unknown condition": {"filter": map[string]any{"property": "Estimate", "number": map[string]any{"contains": 1}}},
		"wrong operand":     {"filter": map[string]any{"property": "Estimate", "number": map[string]any{"equals": "1"}}},
		"bad date":          {"filter": map[string]any{"property": "Due", "date": map[string]any{"after": "soon"}}},
		"three levels": {"filter": map[string]any{"and": []any{map[string]any{"or": []any{map[string]any{"and": []any{
			map[string]any{"property": "Name", "title": map[string]any{"contains": "x"}}}}}}}}},
		"sort unknown":   {"sorts": []any{map[string]any{"property": "Nope", "direction": "ascending"}}},
		"sort direction": {"sorts": []any{map[string]any{"timestamp": "last_edited_time", "direction": "up"}}},
		"page_size":      {"page_size": 101},
		"unknown field":  {"query": "x"},
		"foreign cursor": {"start_cursor": "abc.0123456789abcdef0123456789abcdef"},
	} {
		t.Run(name, func(t *testing.T) {
			wantError(t, api(t, s, tok, "POST", path, body), 400, "validation_error")
		})
	}
	// A cursor from another query is refused.
	first := api(t, s, tok, "POST", path, map[string]any{"page_size": 2}).json(t)
	wantError(t, api(t, s, tok, "POST", "/v1/data_sources/"+other+"/query", map[string]any{"page_size": 2, "start_cursor": first["next_cursor"]}), 400, "validation_error")
	wantError(t, api(t, s, tok, "POST", path, map[string]any{"page_size": 3, "start_cursor": first["next_cursor"]}), 400, "validation_error")
	wantError(t, api(t, s, tok, "GET", path, nil), 400, "invalid_request_url")

	// A renamed property: the schema, the rows and filters use the new name.
	s.RenameProperty(ds, "Status", "State")
	if sch := s.Schema(ds); sch["State"] != "status" || sch["Status"] != "" {
		t.Errorf("schema after rename %v", sch)
	}
	wantError(t, api(t, s, tok, "POST", path, map[string]any{"filter": map[string]any{"property": "Status", "status": map[string]any{"equals": "Done"}}}), 400, "validation_error")
	if got := queryAll(t, s, tok, ds, map[string]any{"filter": map[string]any{"property": "State", "status": map[string]any{"equals": "Blocked"}}}); len(got) != 1 {
		t.Errorf("filter on the renamed property: %d rows", len(got))
	}

	// A row moved out, a trashed row and an unshared data source.
	s.Move(rows[0], "data_source_id", other)
	s.Trash(rows[1])
	left := ids(queryAll(t, s, tok, ds, nil))
	if len(left) != len(rows)-2 || slices.Contains(left, rows[0]) || slices.Contains(left, rows[1]) {
		t.Errorf("after move and trash: %v", left)
	}
	if got := ids(queryAll(t, s, tok, other, nil)); !slices.Equal(got, []string{rows[0]}) {
		t.Errorf("other data source: %v", got)
	}
	s.Unshare(ds)
	wantError(t, api(t, s, tok, "POST", path, nil), 404, "object_not_found")
	wantError(t, api(t, s, tok, "GET", "/v1/data_sources/"+ds, nil), 404, "object_not_found")
}
