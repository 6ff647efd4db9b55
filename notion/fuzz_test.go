package notion

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func FuzzDecodeSearchPage(f *testing.F) {
	f.Add([]byte(`{"object":"list","results":[{"object":"page","id":"a","properties":{"t":{"type":"title","title":[{"plain_text":"x"}]}}}],"next_cursor":null,"has_more":false}`))
	f.Add([]byte(`{"object":"list","results":[{"object":"data_source","id":"d","title":[{"plain_text":"D"}],"icon":{"type":"file","file":{"url":"u"}}}]}`))
	f.Add([]byte(`{"object":"list","results":[{"object":"block"},{"object":"page","id":""},null,7,"x"]}`))
	f.Add([]byte(`{"object":"list","results":[{"object":"page","id":"a","in_trash":true,"parent":{"type":"page_id","page_id":"p"}}],"has_more":true,"next_cursor":"c"}`))
	f.Add([]byte(`{"object":"list","results":[{"object":"data_source","id":"d","parent":{"type":"database_id","database_id":"x"},"database_parent":{"type":"agent_id","agent_id":"a"}}]}`))
	c := New(Options{})
	f.Fuzz(func(t *testing.T, body []byte) {
		page, err := c.DecodeSearchPage(body)
		if err != nil {
			return
		}
		var l struct {
			Results []json.RawMessage `json:"results"`
		}
		if json.Unmarshal(body, &l) != nil {
			t.Fatalf("decoded a page from a body that is not JSON: %q", body)
		}
		if len(page.Items)+page.Skipped != len(l.Results) {
			t.Fatalf("%d items + %d skipped != %d results", len(page.Items), page.Skipped, len(l.Results))
		}
		for _, it := range page.Items {
			if it.ID == "" || (it.Kind != KindPage && it.Kind != KindDatabase) {
				t.Fatalf("bad item %+v", it)
			}
			if it.DisplayTitle() == "" {
				t.Fatal("an item always has a display title")
			}
			if it.Parent.Type == "" || it.ParentID != it.Parent.ID {
				t.Fatalf("an item always has a parent type: %+v", it)
			}
		}
	})
}

// FuzzTitle checks title extraction two ways: arbitrary bytes as a title
// property never panic, and any set of parts joins back to their concatenation
// whatever the property is called.
func FuzzTitle(f *testing.F) {
	f.Add("Name", "Q3 ", "road", "map", []byte(`[{"plain_text":"a"}]`))
	f.Add("Task", "Café ", "crème brûlée", "", []byte(`{}`))
	f.Add("", "\x00", "\"", "\\u0000", []byte(`[{"text":{"content":7}}]`))
	f.Fuzz(func(t *testing.T, propName, a, b, c string, raw []byte) {
		_ = joinRichText(raw)
		_ = pageTitle(map[string]wireProperty{"x": {Type: "title", Title: raw}})

		parts := []map[string]string{{"plain_text": a}, {"plain_text": b}, {"plain_text": c}}
		titleJSON, _ := json.Marshal(parts)
		props, _ := json.Marshal(map[string]any{
			propName: map[string]any{"type": "title", "title": json.RawMessage(titleJSON)},
		})
		body := fmt.Sprintf(`{"object":"page","id":"p","properties":%s}`, props)
		it, err := decodeResult([]byte(body))
		if err != nil {
			t.Fatalf("valid page refused: %v\n%s", err, body)
		}
		// JSON replaces invalid UTF-8, so compare against what survives it.
		var want []map[string]string
		_ = json.Unmarshal(titleJSON, &want)
		var sb strings.Builder
		for _, p := range want {
			sb.WriteString(p["plain_text"])
		}
		if it.Title != sb.String() {
			t.Fatalf("title = %q, want %q", it.Title, sb.String())
		}
	})
}
