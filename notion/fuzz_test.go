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

// FuzzDecodeValue feeds hostile property values: decoding fails only for
// what is not a JSON object, never panics, and whatever it keeps can be
// shown and written back out as JSON.
func FuzzDecodeValue(f *testing.F) {
	for _, s := range []string{
		`{"type":"title","title":[{"plain_text":"x"}]}`,
		`{"type":"rollup","rollup":{"type":"array","array":[{"type":"rollup","rollup":{"type":"array","array":[{"type":"number","number":1}]}}]}}`,
		`{"type":"formula","formula":{"type":"date","date":{"start":"2026-01-02","end":7}}}`,
		`{"type":"unique_id","unique_id":{"prefix":"T","number":1e308}}`,
		`{"type":"people","people":[null,{"id":3}]}`,
		`{"type":"date","date":{"start":""}}`,
		`{"type":7}`, `{"type":"button","button":{}}`, `{}`, `[]`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		v, err := DecodeValue(raw)
		var m map[string]json.RawMessage
		isObject := json.Unmarshal(raw, &m) == nil && m != nil
		if (err == nil) != isObject {
			t.Fatalf("err = %v for %q (object: %v)", err, raw, isObject)
		}
		if err != nil {
			return
		}
		_ = v.String()
		_ = v.Empty()
		if _, err := json.Marshal(v.Plain()); err != nil {
			t.Fatalf("Plain() of %q does not marshal: %v", raw, err)
		}
		if _, err := json.Marshal(v); err != nil {
			t.Fatalf("value of %q does not marshal: %v", raw, err)
		}
		if len(v.Raw) > 0 && !json.Valid(v.Raw) {
			t.Fatalf("raw kept is not JSON: %q", v.Raw)
		}
	})
}

// FuzzDecodeRowPage: a query answer never panics, and rows plus skipped
// results account for every result.
func FuzzDecodeRowPage(f *testing.F) {
	f.Add([]byte(`{"object":"list","results":[{"object":"page","id":"a","properties":{"N":{"type":"title","title":[]},"X":7}},{"object":"block"},null],"has_more":false}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		page, err := DecodeRowPage(body)
		if err != nil {
			return
		}
		var l struct {
			Results []json.RawMessage `json:"results"`
		}
		_ = json.Unmarshal(body, &l)
		if len(page.Rows)+page.Skipped != len(l.Results) {
			t.Fatalf("%d rows + %d skipped != %d results", len(page.Rows), page.Skipped, len(l.Results))
		}
		for _, r := range page.Rows {
			if r.ID == "" || r.Properties == nil {
				t.Fatalf("row %+v", r)
			}
		}
	})
}
