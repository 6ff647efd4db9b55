package notiontest

import (
	"net/http"
	"strings"
	"testing"
)

func TestRetrieve(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	other := s.AddWorkspace(WorkspaceSpec{Name: "Other"})
	page := s.AddItem(ws, ItemSpec{Title: "Roadmap", Icon: IconSpec{Type: "emoji", Emoji: "🗺"}})
	ds := s.AddItem(ws, ItemSpec{Kind: KindDataSource, Title: "Tasks"})
	row := s.AddItem(ws, ItemSpec{Title: "Row", ParentType: "data_source_id", ParentID: ds})
	hidden := s.AddItem(ws, ItemSpec{Title: "Hidden", Unshared: true})
	trashed := s.AddItem(ws, ItemSpec{Title: "Old", InTrash: true})
	elsewhere := s.AddItem(other, ItemSpec{Title: "Elsewhere"})
	tok := s.IssueGrant(ws).AccessToken

	r := api(t, s, tok, "GET", "/v1/pages/"+page, nil)
	m := r.json(t)
	if r.status != 200 || m["object"] != "page" || m["id"] != page || m["in_trash"] != false || m["request_id"] != r.header.Get("X-Request-Id") {
		t.Fatalf("page: %d %v", r.status, m)
	}
	props, _ := m["properties"].(map[string]any)
	title, _ := props["title"].(map[string]any)
	if parts, _ := title["title"].([]any); len(parts) != 1 || parts[0].(map[string]any)["plain_text"] != "Roadmap" {
		t.Errorf("title %v", title)
	}
	// The same object search returns.
	found := false
	for _, res := range api(t, s, tok, "POST", "/v1/search", map[string]any{"query": "Roadmap"}).json(t)["results"].([]any) {
		sr := res.(map[string]any)
		if sr["id"] == page {
			found = true
			for k, v := range sr {
				if k != "request_id" && mustString(t, m[k]) != mustString(t, v) {
					t.Errorf("%s differs from search: %v vs %v", k, m[k], v)
				}
			}
		}
	}
	if !found {
		t.Error("search does not find the page")
	}
	// Without dashes, in capitals: the same page.
	if r := api(t, s, tok, "GET", "/v1/pages/"+strings.ToUpper(strings.ReplaceAll(page, "-", "")), nil); r.status != 200 || r.json(t)["id"] != page {
		t.Errorf("undashed id: %d %s", r.status, r.body)
	}
	if r := api(t, s, tok, "GET", "/v1/pages/"+row, nil); r.status != 200 || r.json(t)["parent"].(map[string]any)["data_source_id"] != ds {
		t.Errorf("row: %d %s", r.status, r.body)
	}
	d := api(t, s, tok, "GET", "/v1/data_sources/"+ds, nil).json(t)
	if d["object"] != "data_source" || d["id"] != ds {
		t.Errorf("data source: %v", d)
	}
	if r := api(t, s, tok, "GET", "/v1/pages/"+trashed, nil); r.status != 200 || r.json(t)["in_trash"] != true {
		t.Errorf("trashed: %d %s", r.status, r.body)
	}
	for name, path := range map[string]string{
		"unshared":              "/v1/pages/" + hidden,
		"another workspace":     "/v1/pages/" + elsewhere,
		"unknown":               "/v1/pages/" + newUUID(),
		"a data source as page": "/v1/pages/" + ds,
		"a page as data source": "/v1/data_sources/" + page,
	} {
		r := api(t, s, tok, "GET", path, nil)
		wantError(t, r, http.StatusNotFound, "object_not_found")
		if name == "unshared" && strings.Contains(string(r.body), "Hidden") {
			t.Errorf("%s: the 404 names the page", name)
		}
	}
	s.Delete(trashed)
	wantError(t, api(t, s, tok, "GET", "/v1/pages/"+trashed, nil), http.StatusNotFound, "object_not_found")

	wantError(t, api(t, s, tok, "GET", "/v1/pages/not-a-uuid", nil), http.StatusBadRequest, "validation_error")
	wantError(t, api(t, s, tok, "GET", "/v1/pages/"+page+"0", nil), http.StatusBadRequest, "validation_error")
	wantError(t, api(t, s, "ntn_wrong", "GET", "/v1/pages/"+page, nil), http.StatusUnauthorized, "unauthorized")
	wantError(t, api(t, s, tok, "POST", "/v1/pages/"+page, map[string]any{}), http.StatusBadRequest, "invalid_request_url")
	wantError(t, send(t, s, req{method: "GET", path: "/v1/pages/" + page, bearer: tok}), http.StatusBadRequest, "missing_version")
	// Data sources are a 2025-09-03 endpoint.
	wantError(t, send(t, s, req{method: "GET", path: "/v1/data_sources/" + ds, bearer: tok, version: "2022-06-28"}), http.StatusBadRequest, "invalid_request_url")
	// Paths below an item are not this endpoint.
	wantError(t, api(t, s, tok, "GET", "/v1/pages/"+page+"/nothing-here", nil), http.StatusBadRequest, "invalid_request_url")
}

func mustString(t *testing.T, v any) string {
	t.Helper()
	return string(mustJSON(t, v))
}
