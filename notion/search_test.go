package notion

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// pagedServer answers /v1/search with n items, pageSize per page, cursors
// "c1", "c2", …, and records every request body.
func pagedServer(t *testing.T, n int) (*Client, func() []map[string]any) {
	var mu sync.Mutex
	var bodies []map[string]any
	c, _ := fakeNotion(t, func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
			t.Errorf("body: %v", err)
		}
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
		start := 0
		if cur, ok := b["start_cursor"].(string); ok {
			fmt.Sscanf(cur, "c%d", &start)
		}
		size := int(b["page_size"].(float64))
		var results []string
		for i := start; i < min(start+size, n); i++ {
			results = append(results, fmt.Sprintf(`{"object":"page","id":"id-%d","last_edited_time":"2026-01-01T00:00:00.000Z",
				"properties":{"title":{"type":"title","title":[{"plain_text":"Item %d"}]}}}`, i, i))
		}
		next, more := "null", start+size < n
		if more {
			next = fmt.Sprintf(`"c%d"`, start+size)
		}
		writeJSON(w, 200, fmt.Sprintf(`{"object":"list","results":[%s],"next_cursor":%s,"has_more":%v}`, strings.Join(results, ","), next, more))
	})
	return c, func() []map[string]any {
		mu.Lock()
		defer mu.Unlock()
		return bodies
	}
}

func TestSearchFollowsCursors(t *testing.T) {
	c, bodies := pagedServer(t, 250)
	var ids []string
	for it, err := range c.Search(context.Background(), "tok", SearchOptions{Query: "plan", Filter: FilterPages}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	if len(ids) != 250 || ids[0] != "id-0" || ids[249] != "id-249" {
		t.Fatalf("got %d items", len(ids))
	}
	bs := bodies()
	if len(bs) != 3 {
		t.Fatalf("%d requests, want 3", len(bs))
	}
	first := bs[0]
	if first["page_size"].(float64) != 100 || first["query"] != "plan" {
		t.Errorf("first body = %v", first)
	}
	if sort := first["sort"].(map[string]any); sort["timestamp"] != "last_edited_time" || sort["direction"] != "descending" {
		t.Errorf("sort = %v", sort)
	}
	if f := first["filter"].(map[string]any); f["property"] != "object" || f["value"] != "page" {
		t.Errorf("filter = %v", f)
	}
	if _, ok := first["start_cursor"]; ok {
		t.Error("the first request has no cursor")
	}
	if bs[1]["start_cursor"] != "c100" || bs[2]["start_cursor"] != "c200" {
		t.Errorf("cursors = %v, %v", bs[1]["start_cursor"], bs[2]["start_cursor"])
	}
}

func TestSearchStopsEarly(t *testing.T) {
	c, bodies := pagedServer(t, 1000)
	n := 0
	for _, err := range c.Search(context.Background(), "tok", SearchOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 150 {
			break
		}
	}
	if got := len(bodies()); got != 2 {
		t.Errorf("stopping after 150 items made %d requests, want 2", got)
	}
	pages := 0
	for range c.SearchPages(context.Background(), "tok", SearchOptions{PageSize: 10}) {
		pages++
		break
	}
	if bs := bodies(); len(bs) != 3 || bs[2]["page_size"].(float64) != 10 {
		t.Errorf("page size was not passed through: %v", bs[len(bs)-1])
	}
}

func TestSearchNoFilterOrQueryOmitted(t *testing.T) {
	c, bodies := pagedServer(t, 1)
	for _, err := range c.Search(context.Background(), "tok", SearchOptions{PageSize: 500}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	b := bodies()[0]
	if _, ok := b["filter"]; ok {
		t.Error("no filter was asked for")
	}
	if _, ok := b["query"]; ok {
		t.Error("no query was asked for")
	}
	if b["page_size"].(float64) != 100 {
		t.Errorf("page_size = %v, want capped at 100", b["page_size"])
	}
}

func TestSearchBadFilter(t *testing.T) {
	c, bodies := pagedServer(t, 1)
	for _, err := range c.Search(context.Background(), "tok", SearchOptions{Filter: "database"}) {
		if err == nil || !strings.Contains(err.Error(), "filter") {
			t.Errorf("err = %v", err)
		}
	}
	if len(bodies()) != 0 {
		t.Error("a bad filter must not reach Notion")
	}
}

func TestSearchRepeatedCursor(t *testing.T) {
	c, _ := fakeNotion(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"object":"list","results":[],"next_cursor":"same","has_more":true}`)
	})
	var last error
	pages := 0
	for _, err := range c.SearchPages(context.Background(), "tok", SearchOptions{}) {
		if err != nil {
			last = err
			break
		}
		if pages++; pages > 5 {
			t.Fatal("paging did not stop on a repeated cursor")
		}
	}
	if !errors.Is(last, ErrMalformedResponse) {
		t.Errorf("err = %v", last)
	}
}

func TestSearchErrorEndsTheSequence(t *testing.T) {
	c, _ := fakeNotion(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, `{"object":"error","status":401,"code":"unauthorized","message":"API token is invalid."}`)
	})
	n := 0
	for _, err := range c.Search(context.Background(), "tok", SearchOptions{}) {
		n++
		if !errors.Is(err, ErrUnauthorized) {
			t.Errorf("err = %v", err)
		}
	}
	if n != 1 {
		t.Errorf("yielded %d times, want 1", n)
	}
}
