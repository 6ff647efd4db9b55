package notion

import (
	"fmt"
	"strings"
	"testing"
)

// searchPageJSON builds a realistic 100-result answer: pages in a data source
// with several properties, a few data sources, mixed icons.
func searchPageJSON(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"object":"list","type":"page_or_data_source","page_or_data_source":{},"has_more":true,"next_cursor":"cursor-abc","results":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if i%10 == 9 {
			fmt.Fprintf(&b, `{"object":"data_source","id":"2f1c8a8e-0000-4000-8000-%012d","created_time":"2025-01-01T00:00:00.000Z",
			"last_edited_time":"2026-03-0%dT10:00:00.000Z","title":[{"type":"text","text":{"content":"Projects %d","link":null},
			"annotations":{"bold":false,"italic":false,"strikethrough":false,"underline":false,"code":false,"color":"default"},
			"plain_text":"Projects %d","href":null}],"description":[],"icon":{"type":"emoji","emoji":"🗂️"},"cover":null,
			"parent":{"type":"database_id","database_id":"db-%d"},"database_parent":{"type":"workspace","workspace":true},
			"in_trash":false,"url":"https://app.notion.com/p/ds%d","public_url":null,
			"properties":{"Name":{"id":"title","name":"Name","type":"title","title":{}},"Status":{"id":"s","name":"Status","type":"status","status":{"options":[]}}}}`,
				i, i%9+1, i, i, i, i)
			continue
		}
		fmt.Fprintf(&b, `{"object":"page","id":"7a9b3c1d-0000-4000-8000-%012d","created_time":"2025-01-01T00:00:00.000Z",
		"last_edited_time":"2026-03-0%dT10:00:00.000Z","created_by":{"object":"user","id":"u1"},"last_edited_by":{"object":"user","id":"u1"},
		"cover":null,"icon":{"type":"file","file":{"url":"https://prod-files.example/%d.png?X-Amz-Signature=abc","expiry_time":"2026-03-01T11:00:00.000Z"}},
		"parent":{"type":"data_source_id","data_source_id":"ds-1","database_id":"db-1"},"in_trash":false,"is_locked":false,
		"properties":{"Status":{"id":"a","type":"status","status":{"id":"x","name":"In progress","color":"blue"}},
		"Due":{"id":"b","type":"date","date":{"start":"2026-04-01","end":null,"time_zone":null}},
		"Owner":{"id":"c","type":"people","people":[{"object":"user","id":"u1"}]},
		"Name":{"id":"title","type":"title","title":[{"type":"text","text":{"content":"Meeting notes ","link":null},
		"annotations":{"bold":false,"italic":false,"strikethrough":false,"underline":false,"code":false,"color":"default"},
		"plain_text":"Meeting notes ","href":null},{"type":"text","text":{"content":"week %d","link":null},
		"annotations":{"bold":true,"italic":false,"strikethrough":false,"underline":false,"code":false,"color":"default"},
		"plain_text":"week %d","href":null}]}},"url":"https://app.notion.com/p/Meeting-notes-%d","public_url":null}`,
			i, i%9+1, i, i, i, i)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func BenchmarkDecodeSearchPage(b *testing.B) {
	body := searchPageJSON(100)
	c := New(Options{})
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		page, err := c.DecodeSearchPage(body)
		if err != nil || len(page.Items) != 100 {
			b.Fatalf("%v %d", err, len(page.Items))
		}
	}
}
