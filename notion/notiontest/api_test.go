package notiontest

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestUsersMe(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme", OwnerName: "Dana", OwnerEmail: "dana@acme.test"})
	unnamed := s.AddWorkspace(WorkspaceSpec{})
	public := s.IssueGrant(ws)
	internal := s.AddInternalToken(ws)
	if !strings.HasPrefix(internal, "ntn_") {
		t.Fatalf("internal token %q", internal)
	}
	cases := []struct {
		name, token, ws string
		wsName          any
		owner           string
	}{
		{"public", public.AccessToken, ws, "Acme", "user"},
		{"internal", internal, ws, "Acme", "workspace"},
		{"unnamed workspace", s.AddInternalToken(unnamed), unnamed, nil, "workspace"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := api(t, s, tc.token, "GET", "/v1/users/me", nil)
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			m := r.json(t)
			bot := m["bot"].(map[string]any)
			owner := bot["owner"].(map[string]any)
			if m["object"] != "user" || m["type"] != "bot" || m["name"] != "Pagedeck" || m["request_id"] != r.header.Get("X-Request-Id") {
				t.Fatalf("user %v", m)
			}
			if v, ok := m["avatar_url"]; !ok || v != nil {
				t.Fatal("avatar_url should be null")
			}
			if bot["workspace_id"] != tc.ws || bot["workspace_name"] != tc.wsName || owner["type"] != tc.owner {
				t.Fatalf("bot %v", bot)
			}
			switch tc.owner {
			case "user":
				if m["id"] != public.BotID || owner["user"].(map[string]any)["person"].(map[string]any)["email"] != "dana@acme.test" {
					t.Fatalf("public bot %v", m)
				}
			case "workspace":
				if owner["workspace"] != true || m["id"] == public.BotID {
					t.Fatalf("internal bot %v", m)
				}
			}
		})
	}
}

func TestAPIRequestChecks(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	g := s.IssueGrant(ws)
	cases := []struct {
		name   string
		q      req
		status int
		code   string
	}{
		{"no token", req{method: "GET", path: "/v1/users/me", version: testVersion}, 401, "unauthorized"},
		{"bad token", req{method: "GET", path: "/v1/users/me", bearer: "ntn_nope", version: testVersion}, 401, "unauthorized"},
		{"refresh token as bearer", req{method: "GET", path: "/v1/users/me", bearer: g.RefreshToken, version: testVersion}, 401, "unauthorized"},
		{"basic instead of bearer", req{method: "GET", path: "/v1/users/me", basic: []string{s.ClientID(), s.ClientSecret()}, version: testVersion}, 401, "unauthorized"},
		{"no version users/me", req{method: "GET", path: "/v1/users/me", bearer: g.AccessToken}, 400, "missing_version"},
		{"no version search", req{method: "POST", path: "/v1/search", bearer: g.AccessToken, body: []byte(`{}`), contentType: "application/json"}, 400, "missing_version"},
		{"unknown version", req{method: "GET", path: "/v1/users/me", bearer: g.AccessToken, version: "2024-01-01"}, 400, "validation_error"},
		{"search by GET", req{method: "GET", path: "/v1/search", bearer: g.AccessToken, version: testVersion}, 400, "invalid_request_url"},
		{"users/me by POST", req{method: "POST", path: "/v1/users/me", bearer: g.AccessToken, version: testVersion}, 400, "invalid_request_url"},
		{"unknown endpoint", req{method: "GET", path: "/v1/pages", bearer: g.AccessToken, version: testVersion}, 400, "invalid_request_url"},
		{"trailing slash", req{method: "POST", path: "/v1/search/", bearer: g.AccessToken, version: testVersion}, 400, "invalid_request_url"},
		{"huge body", req{method: "POST", path: "/v1/search", bearer: g.AccessToken, version: testVersion, contentType: "application/json",
			body: append(append([]byte(`{"query":"`), bytes.Repeat([]byte("a"), maxBody)...), `"}`...)}, 413, "validation_error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, send(t, s, tc.q), tc.status, tc.code)
		})
	}
	for _, v := range []string{"2022-06-28", "2025-09-03", "2026-03-11"} {
		if r := send(t, s, req{method: "GET", path: "/v1/users/me", bearer: g.AccessToken, version: v}); r.status != http.StatusOK {
			t.Errorf("version %s: %d", v, r.status)
		}
	}
}

// seedFlat adds n plain pages with distinct edit times, some sharing a
// minute so tie-breaking matters.
func seedFlat(s *Server, ws string, n int, base time.Time) []string {
	var out []string
	for i := range n {
		out = append(out, s.AddItem(ws, ItemSpec{
			Title:      fmt.Sprintf("Page %03d", i),
			LastEdited: base.Add(-time.Duration(i/2) * time.Hour),
		}))
	}
	return out
}

func TestSearchPaging(t *testing.T) {
	clock := newFakeClock()
	s := newTestServer(t, Options{RateLimit: -1, Clock: clock.Now})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	want := seedFlat(s, ws, 250, clock.Now())
	slices.Sort(want)
	for _, body := range []map[string]any{
		{},
		{"sort": map[string]any{"timestamp": "last_edited_time", "direction": "descending"}},
		{"sort": map[string]any{"timestamp": "last_edited_time", "direction": "ascending"}, "page_size": 37},
	} {
		t.Run(fmt.Sprint(body), func(t *testing.T) {
			all, pages := searchAll(t, s, s.IssueGrant(ws).AccessToken, body)
			wantPages := 3
			if body["page_size"] == 37 {
				wantPages = 7
			}
			if pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}
			got := ids(all)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("paging returned %d items (%d unique), want 250", len(got), len(slices.Compact(got)))
			}
		})
	}
	m := searchPage(t, s, s.IssueGrant(ws).AccessToken, map[string]any{"page_size": 100})
	if len(m["results"].([]any)) != 100 || m["has_more"] != true || m["object"] != "list" ||
		m["type"] != "page_or_data_source" || m["page_or_data_source"] == nil || m["request_id"] == nil {
		t.Fatalf("first page envelope: %v", m["type"])
	}
}

func TestSearchValidation(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	seedFlat(s, ws, 30, time.Now())
	g := s.IssueGrant(ws)
	other := s.IssueGrant(ws)
	m := searchPage(t, s, g.AccessToken, map[string]any{"page_size": 10, "query": "page"})
	cursor := m["next_cursor"].(string)
	cases := []struct {
		name  string
		token string
		body  string
		code  string
	}{
		{"page_size 101", "", `{"page_size":101}`, "validation_error"},
		{"page_size 0", "", `{"page_size":0}`, "validation_error"},
		{"page_size string", "", `{"page_size":"10"}`, "validation_error"},
		{"page_size float", "", `{"page_size":10.5}`, "validation_error"},
		{"filter database", "", `{"filter":{"property":"object","value":"database"}}`, "validation_error"},
		{"filter other property", "", `{"filter":{"property":"type","value":"page"}}`, "validation_error"},
		{"filter extra key", "", `{"filter":{"property":"object","value":"page","x":1}}`, "validation_error"},
		{"filter string", "", `{"filter":"page"}`, "validation_error"},
		{"sort created_time", "", `{"sort":{"timestamp":"created_time","direction":"descending"}}`, "validation_error"},
		{"sort desc", "", `{"sort":{"timestamp":"last_edited_time","direction":"desc"}}`, "validation_error"},
		{"sort no direction", "", `{"sort":{"timestamp":"last_edited_time"}}`, "validation_error"},
		{"bogus cursor", "", `{"start_cursor":"bogus"}`, "validation_error"},
		{"forged cursor", "", `{"start_cursor":"` + cursor[:len(cursor)-1] + `0"}`, "validation_error"},
		{"cursor for another query", "", `{"page_size":10,"start_cursor":"` + cursor + `"}`, "validation_error"},
		{"cursor of another token", other.AccessToken, `{"page_size":10,"query":"page","start_cursor":"` + cursor + `"}`, "validation_error"},
		{"null cursor", "", `{"start_cursor":null}`, "validation_error"},
		{"null query", "", `{"query":null}`, "validation_error"},
		{"unknown field", "", `{"limit":10}`, "validation_error"},
		{"array body", "", `[1]`, "validation_error"},
		{"malformed", "", `{"query":`, "invalid_json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := tc.token
			if tok == "" {
				tok = g.AccessToken
			}
			wantError(t, send(t, s, req{method: "POST", path: "/v1/search", bearer: tok, version: testVersion,
				contentType: "application/json", body: []byte(tc.body)}), 400, tc.code)
		})
	}
	// The real cursor works, and an empty body is a search for everything.
	searchPage(t, s, g.AccessToken, map[string]any{"page_size": 10, "query": "page", "start_cursor": cursor})
	if r := send(t, s, req{method: "POST", path: "/v1/search", bearer: g.AccessToken, version: testVersion}); r.status != 200 {
		t.Fatalf("empty body: %d %s", r.status, r.body)
	}
	// Before 2025-09-03 the filter value was "database".
	r := send(t, s, req{method: "POST", path: "/v1/search", bearer: g.AccessToken, version: "2022-06-28",
		contentType: "application/json", body: []byte(`{"filter":{"property":"object","value":"database"}}`)})
	if r.status != http.StatusOK || r.json(t)["type"] != "page_or_database" {
		t.Fatalf("old version database filter: %d %s", r.status, r.body)
	}
	wantError(t, send(t, s, req{method: "POST", path: "/v1/search", bearer: g.AccessToken, version: "2022-06-28",
		contentType: "application/json", body: []byte(`{"filter":{"property":"object","value":"data_source"}}`)}), 400, "validation_error")
}

func editedTimes(t *testing.T, rs []map[string]any) []time.Time {
	t.Helper()
	out := make([]time.Time, len(rs))
	for i, r := range rs {
		s, _ := r["last_edited_time"].(string)
		tm, err := time.Parse("2006-01-02T15:04:05.000Z", s)
		if err != nil {
			t.Fatalf("last_edited_time %q: %v", s, err)
		}
		out[i] = tm
	}
	return out
}

func TestSearchOrder(t *testing.T) {
	clock := newFakeClock()
	s := newTestServer(t, Options{RateLimit: -1, Clock: clock.Now})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	seedFlat(s, ws, 120, clock.Now())
	tok := s.IssueGrant(ws).AccessToken

	unsorted, _ := searchAll(t, s, tok, map[string]any{})
	desc, _ := searchAll(t, s, tok, map[string]any{"sort": map[string]any{"timestamp": "last_edited_time", "direction": "descending"}})
	asc, _ := searchAll(t, s, tok, map[string]any{"sort": map[string]any{"timestamp": "last_edited_time", "direction": "ascending"}})

	isSorted := func(rs []map[string]any, dir int) bool {
		ts := editedTimes(t, rs)
		for i := 1; i < len(ts); i++ {
			c := ts[i-1].Compare(ts[i]) * dir
			if c > 0 || c == 0 && rs[i-1]["id"].(string) > rs[i]["id"].(string) {
				return false
			}
		}
		return true
	}
	if !isSorted(desc, -1) {
		t.Error("descending sort is not newest first (ties by id)")
	}
	if !isSorted(asc, 1) {
		t.Error("ascending sort is not oldest first (ties by id)")
	}
	if isSorted(unsorted, -1) || isSorted(unsorted, 1) {
		t.Error("unsorted search came back in last-edited order")
	}
	again, _ := searchAll(t, s, tok, map[string]any{})
	if !slices.Equal(ids(unsorted), ids(again)) {
		t.Error("unsorted order is not stable")
	}
}

func TestSearchQueryFilterAndShapes(t *testing.T) {
	clock := newFakeClock()
	s := newTestServer(t, Options{RateLimit: -1, Clock: clock.Now})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	home := s.AddItem(ws, ItemSpec{Title: "Home", Icon: IconSpec{Type: "icon", Name: "home"}})
	ds := s.AddItem(ws, ItemSpec{Kind: KindDataSource, Title: "Tasks", TitleProperty: "Task", ParentType: "page_id", ParentID: home,
		Icon: IconSpec{Type: "emoji", Emoji: "✅"}})
	row := s.AddItem(ws, ItemSpec{TitleParts: []string{"Café ", "menu: ", "crème brûlée"}, ParentType: "data_source_id", ParentID: ds,
		Icon: IconSpec{Type: "external", URL: "https://example.com/i.png"}})
	legacy := s.AddItem(ws, ItemSpec{Title: "Old row", ParentType: "database_id", ParentID: ds})
	inBlock := s.AddItem(ws, ItemSpec{Title: "In a toggle", ParentType: "block_id", ParentID: "0b6c6a5e-6d3c-4b47-9f0e-7b2d9a1c3e55",
		Icon: IconSpec{Type: "custom_emoji", Name: "shipit"}})
	s.AddItem(ws, ItemSpec{Title: "Secret", Unshared: true})
	otherWS := s.AddWorkspace(WorkspaceSpec{Name: "Other"})
	s.AddItem(otherWS, ItemSpec{Title: "Café elsewhere"})
	tok := s.IssueGrant(ws).AccessToken
	dbID := s.Items(ws)[1].DatabaseID

	byID := func(rs []map[string]any) map[string]map[string]any {
		m := map[string]map[string]any{}
		for _, r := range rs {
			m[r["id"].(string)] = r
		}
		return m
	}
	cases := []struct {
		name string
		body map[string]any
		want []string
	}{
		{"all", map[string]any{}, []string{home, ds, row, legacy, inBlock}},
		{"query ignores case", map[string]any{"query": "CAFÉ MENU"}, []string{row}},
		{"query substring", map[string]any{"query": "o"}, []string{home, legacy, inBlock}},
		{"pages", map[string]any{"filter": map[string]any{"property": "object", "value": "page"}}, []string{home, row, legacy, inBlock}},
		{"data sources", map[string]any{"filter": map[string]any{"property": "object", "value": "data_source"}}, []string{ds}},
		{"no match", map[string]any{"query": "zzz"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			all, _ := searchAll(t, s, tok, tc.body)
			got := ids(all)
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}

	all, _ := searchAll(t, s, tok, map[string]any{})
	got := byID(all)
	// A page in a data source.
	p := got[row]
	props := p["properties"].(map[string]any)
	title := props["Task"].(map[string]any)
	if p["object"] != "page" || title["type"] != "title" || len(title["title"].([]any)) != 3 || titleOf(t, p) != "Café menu: crème brûlée" {
		t.Fatalf("row page %v", p)
	}
	part := title["title"].([]any)[0].(map[string]any)
	if part["type"] != "text" || part["text"].(map[string]any)["content"] != "Café " || part["href"] != nil ||
		part["annotations"].(map[string]any)["color"] != "default" {
		t.Fatalf("rich text %v", part)
	}
	if props["Status"].(map[string]any)["type"] != "status" {
		t.Fatalf("row properties %v", props)
	}
	parent := p["parent"].(map[string]any)
	if parent["type"] != "data_source_id" || parent["data_source_id"] != ds || parent["database_id"] != dbID {
		t.Fatalf("row parent %v", parent)
	}
	if got[legacy]["parent"].(map[string]any)["database_id"] != dbID {
		t.Fatalf("database_id parent %v", got[legacy]["parent"])
	}
	if got[inBlock]["parent"].(map[string]any)["type"] != "block_id" {
		t.Fatalf("block parent %v", got[inBlock]["parent"])
	}
	ce := got[inBlock]["icon"].(map[string]any)["custom_emoji"].(map[string]any)
	if ce["name"] != "shipit" || !strings.HasPrefix(ce["url"].(string), s.URL()+"/files/") {
		t.Fatalf("custom emoji %v", ce)
	}
	if ic := got[row]["icon"].(map[string]any); ic["type"] != "external" || ic["external"].(map[string]any)["url"] != "https://example.com/i.png" {
		t.Fatalf("external icon %v", ic)
	}
	if ic := got[home]["icon"].(map[string]any); ic["type"] != "icon" || ic["icon"].(map[string]any)["name"] != "home" {
		t.Fatalf("built-in icon %v", ic)
	}
	// A top-level page.
	h := got[home]
	if h["properties"].(map[string]any)["title"] == nil || h["parent"].(map[string]any)["workspace"] != true ||
		!strings.HasPrefix(h["url"].(string), "https://app.notion.com/p/Home-") || h["public_url"] != nil ||
		h["last_edited_time"] != "2026-05-04T10:30:00.000Z" || h["in_trash"] != false || h["archived"] != nil {
		t.Fatalf("home page %v", h)
	}
	for _, k := range []string{"created_time", "created_by", "last_edited_by", "cover", "is_locked"} {
		if _, ok := h[k]; !ok {
			t.Errorf("page lacks %s", k)
		}
	}
	// The data source.
	d := got[ds]
	if d["object"] != "data_source" || titleOf(t, d) != "Tasks" || d["parent"].(map[string]any)["database_id"] != dbID ||
		d["database_parent"].(map[string]any)["page_id"] != home || d["icon"].(map[string]any)["emoji"] != "✅" {
		t.Fatalf("data source %v", d)
	}
	schema := d["properties"].(map[string]any)
	if schema["Task"].(map[string]any)["type"] != "title" {
		t.Fatalf("schema %v", schema)
	}

	// Before data sources, the same search returns the database and rows
	// point at it.
	r := send(t, s, req{method: "POST", path: "/v1/search", bearer: tok, version: "2022-06-28", body: []byte(`{}`), contentType: "application/json"})
	old := byID(func() []map[string]any {
		var out []map[string]any
		for _, x := range r.json(t)["results"].([]any) {
			out = append(out, x.(map[string]any))
		}
		return out
	}())
	if old[dbID] == nil || old[dbID]["object"] != "database" || old[row]["parent"].(map[string]any)["type"] != "database_id" {
		t.Fatalf("2022-06-28 shapes: %v", old[dbID])
	}
}

func TestSearchSeesEdits(t *testing.T) {
	clock := newFakeClock()
	s := newTestServer(t, Options{RateLimit: -1, Clock: clock.Now})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	old := clock.Now().Add(-48 * time.Hour)
	a := s.AddItem(ws, ItemSpec{Title: "Alpha", LastEdited: old})
	b := s.AddItem(ws, ItemSpec{Title: "Beta", LastEdited: old})
	c := s.AddItem(ws, ItemSpec{Title: "Gamma", LastEdited: old})
	tok := s.IssueGrant(ws).AccessToken
	clock.Advance(90 * time.Second)

	s.Rename(a, "Alpha two")
	s.Trash(b)
	s.Unshare(c)
	find := func(version string) map[string]map[string]any {
		r := send(t, s, req{method: "POST", path: "/v1/search", bearer: tok, version: version,
			body: []byte(`{"sort":{"timestamp":"last_edited_time","direction":"descending"}}`), contentType: "application/json"})
		out := map[string]map[string]any{}
		for _, x := range r.json(t)["results"].([]any) {
			out[x.(map[string]any)["id"].(string)] = x.(map[string]any)
		}
		return out
	}
	got := find(testVersion)
	wantTime := "2026-05-04T10:31:00.000Z"
	if titleOf(t, got[a]) != "Alpha two" || got[a]["last_edited_time"] != wantTime {
		t.Fatalf("renamed %v", got[a])
	}
	if got[b]["in_trash"] != true || got[b]["last_edited_time"] != wantTime {
		t.Fatalf("trashed %v", got[b])
	}
	if _, ok := got[b]["archived"]; ok {
		t.Fatal("2026-03-11 has no archived field")
	}
	if _, ok := got[c]; ok {
		t.Fatal("unshared item still in search")
	}
	if got := find("2025-09-03"); got[b]["archived"] != true || got[a]["archived"] != false {
		t.Fatal("2025-09-03 should send archived")
	}
	s.Share(c)
	got = find(testVersion)
	if got[c] == nil || got[c]["last_edited_time"] != notionTime(old.Truncate(time.Minute)) {
		t.Fatalf("shared again: %v", got[c])
	}
	s.Restore(b)
	s.Delete(c)
	got = find(testVersion)
	if got[b]["in_trash"] != false || got[c] != nil {
		t.Fatal("restore/delete not visible")
	}
}

func TestRateLimit(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: 0.5, Burst: 3})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	g := s.IssueGrant(ws)
	for i := range 3 {
		if r := api(t, s, g.AccessToken, "GET", "/v1/users/me", nil); r.status != http.StatusOK {
			t.Fatalf("request %d within burst: %d", i, r.status)
		}
	}
	r := api(t, s, g.AccessToken, "POST", "/v1/search", map[string]any{})
	wantError(t, r, 429, "rate_limited")
	if r.header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	s.SetRetryAfter(75)
	if r := api(t, s, g.AccessToken, "GET", "/v1/users/me", nil); r.status != 429 || r.header.Get("Retry-After") != "75" {
		t.Fatalf("after SetRetryAfter: %d %q", r.status, r.header.Get("Retry-After"))
	}
	// The budget belongs to the connection: rotating tokens does not reset it.
	ref := oauth(t, s, "/v1/oauth/token", map[string]any{"grant_type": "refresh_token", "refresh_token": g.RefreshToken}).json(t)
	if r := api(t, s, ref["access_token"].(string), "GET", "/v1/users/me", nil); r.status != 429 {
		t.Fatalf("rotated token got a fresh budget: %d", r.status)
	}
	// Other connections and the OAuth endpoints are not limited by it.
	if r := api(t, s, s.AddInternalToken(ws), "GET", "/v1/users/me", nil); r.status != http.StatusOK {
		t.Fatalf("another token: %d", r.status)
	}
}

// TestConcurrentUse is for the race detector: searches, edits, token
// calls and log reads at once.
func TestConcurrentUse(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	items := seedFlat(s, ws, 40, time.Now())
	// Raw calls here: t.Fatal must not run outside the test goroutine.
	post := func(path, token string, body string) {
		hr, _ := http.NewRequest("POST", s.URL()+path, strings.NewReader(body))
		hr.Header.Set("Authorization", "Bearer "+token)
		hr.Header.Set("Notion-Version", testVersion)
		hr.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Error(err)
			return
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := s.IssueGrant(ws)
			for j := range 8 {
				switch (i + j) % 4 {
				case 0:
					post("/v1/search", g.AccessToken, `{"page_size":15,"sort":{"timestamp":"last_edited_time","direction":"descending"}}`)
				case 1:
					s.Rename(items[(i*5+j)%len(items)], fmt.Sprint("renamed ", i, j))
				case 2:
					_ = s.Requests()
					_ = s.Count("POST", "/v1/search")
					_ = s.Items(ws)
				case 3:
					s.FailNext("/v1/nothing", 1, FaultServerError)
					post("/v1/search", g.AccessToken, `{"query":"renamed"}`)
				}
			}
		}()
	}
	wg.Wait()
}
