package notion

import (
	"strings"
	"testing"
	"time"
)

func TestDecodeResultMapping(t *testing.T) {
	unknown := Parent{Type: ParentUnknown}
	edited := time.Date(2026, 5, 4, 10, 31, 0, 0, time.UTC)
	const ts = `"last_edited_time":"2026-05-04T10:31:00.000Z"`
	tests := []struct {
		name string
		json string
		want Item
		skip bool
	}{
		{
			name: "page with emoji and a title property named Name",
			json: `{"object":"page","id":"p1","url":"https://app.notion.com/p/p1",` + ts + `,
				"icon":{"type":"emoji","emoji":"🚀"},"parent":{"type":"workspace","workspace":true},"in_trash":false,
				"properties":{"Status":{"id":"s","type":"status","status":{"name":"Done"}},
				"Name":{"id":"title","type":"title","title":[{"type":"text","text":{"content":"Launch plan"},"plain_text":"Launch plan"}]}}}`,
			want: Item{ID: "p1", Kind: KindPage, Title: "Launch plan", URL: "https://app.notion.com/p/p1", Icon: Icon{Emoji: "🚀"}, Parent: Parent{Type: ParentWorkspace}, LastEdited: edited},
		},
		{
			name: "title property with any name, multi-part rich text joined",
			json: `{"object":"page","id":"p2",` + ts + `,"parent":{"type":"data_source_id","data_source_id":"ds1","database_id":"db1"},
				"properties":{"Task":{"type":"title","title":[{"plain_text":"Q3 "},{"plain_text":"road"},{"plain_text":"map"}]}}}`,
			want: Item{ID: "p2", Kind: KindPage, Title: "Q3 roadmap", ParentID: "ds1", Parent: Parent{Type: ParentDataSource, ID: "ds1", DatabaseID: "db1"}, LastEdited: edited},
		},
		{
			name: "plain_text missing falls back to text.content",
			json: `{"object":"page","id":"p2b",` + ts + `,"properties":{"title":{"type":"title","title":[{"text":{"content":"Raw"}}]}}}`,
			want: Item{ID: "p2b", Kind: KindPage, Title: "Raw", Parent: unknown, LastEdited: edited},
		},
		{
			name: "empty title",
			json: `{"object":"page","id":"p3",` + ts + `,"properties":{"title":{"type":"title","title":[]}}}`,
			want: Item{ID: "p3", Kind: KindPage, Title: "", Parent: unknown, LastEdited: edited},
		},
		{
			name: "no title property at all",
			json: `{"object":"page","id":"p3b",` + ts + `,"properties":{}}`,
			want: Item{ID: "p3b", Kind: KindPage, Parent: unknown, LastEdited: edited},
		},
		{
			name: "external image icon, page parent",
			json: `{"object":"page","id":"p4",` + ts + `,"icon":{"type":"external","external":{"url":"https://example.com/i.png"}},
				"parent":{"type":"page_id","page_id":"p1"},"properties":{"title":{"type":"title","title":[{"plain_text":"Child"}]}}}`,
			want: Item{ID: "p4", Kind: KindPage, Title: "Child", Icon: Icon{URL: "https://example.com/i.png"}, ParentID: "p1", Parent: Parent{Type: ParentPage, ID: "p1"}, LastEdited: edited},
		},
		{
			name: "file icon expires",
			json: `{"object":"page","id":"p5",` + ts + `,"icon":{"type":"file","file":{"url":"https://files.example/x.png?sig=1","expiry_time":"2026-05-04T11:31:00.000Z"}},
				"parent":{"type":"block_id","block_id":"b1"},"properties":{}}`,
			want: Item{ID: "p5", Kind: KindPage, Icon: Icon{URL: "https://files.example/x.png?sig=1", Expires: true}, ParentID: "b1", Parent: Parent{Type: ParentBlock, ID: "b1"}, LastEdited: edited},
		},
		{
			name: "custom emoji",
			json: `{"object":"page","id":"p6",` + ts + `,"icon":{"type":"custom_emoji","custom_emoji":{"id":"c","name":"party","url":"https://n.example/c.png"}},"properties":{}}`,
			want: Item{ID: "p6", Kind: KindPage, Icon: Icon{URL: "https://n.example/c.png", Expires: true}, Parent: unknown, LastEdited: edited},
		},
		{
			name: "built-in icon has no image",
			json: `{"object":"page","id":"p7",` + ts + `,"icon":{"type":"icon","icon":{"name":"document","color":"gray"}},"properties":{}}`,
			want: Item{ID: "p7", Kind: KindPage, Parent: unknown, LastEdited: edited},
		},
		{
			name: "null icon",
			json: `{"object":"page","id":"p8",` + ts + `,"icon":null,"properties":{}}`,
			want: Item{ID: "p8", Kind: KindPage, Parent: unknown, LastEdited: edited},
		},
		{
			name: "unknown icon type",
			json: `{"object":"page","id":"p8b",` + ts + `,"icon":{"type":"hologram"},"properties":{}}`,
			want: Item{ID: "p8b", Kind: KindPage, Parent: unknown, LastEdited: edited},
		},
		{
			name: "trashed page",
			json: `{"object":"page","id":"p9",` + ts + `,"in_trash":true,"properties":{}}`,
			want: Item{ID: "p9", Kind: KindPage, InTrash: true, Parent: unknown, LastEdited: edited},
		},
		{
			name: "archived page from an older API version",
			json: `{"object":"page","id":"p10",` + ts + `,"archived":true,"properties":{}}`,
			want: Item{ID: "p10", Kind: KindPage, InTrash: true, Parent: unknown, LastEdited: edited},
		},
		{
			name: "data source is a database; its schema title is an object",
			json: `{"object":"data_source","id":"ds1","url":"https://www.notion.so/ds1",` + ts + `,
				"title":[{"plain_text":"Tasks"}],"icon":{"type":"emoji","emoji":"✅"},
				"parent":{"type":"database_id","database_id":"db1"},"database_parent":{"type":"workspace","workspace":true},
				"properties":{"Name":{"id":"title","name":"Name","type":"title","title":{}}}}`,
			want: Item{ID: "ds1", Kind: KindDatabase, Title: "Tasks", URL: "https://www.notion.so/ds1", Icon: Icon{Emoji: "✅"}, ParentID: "db1", Parent: Parent{Type: ParentDatabase, ID: "db1"}, DatabaseParent: Parent{Type: ParentWorkspace}, LastEdited: edited},
		},
		{
			name: "database object from an older API version",
			json: `{"object":"database","id":"db2",` + ts + `,"title":[{"plain_text":"Old "},{"plain_text":"DB"}],"properties":{}}`,
			want: Item{ID: "db2", Kind: KindDatabase, Title: "Old DB", Parent: unknown, LastEdited: edited},
		},
		{name: "unknown object type is skipped", json: `{"object":"block","id":"b1","type":"paragraph"}`, skip: true},
		{name: "unknown object whose fields clash is skipped", json: `{"object":"widget","id":"w","title":"a string","properties":7}`, skip: true},
		{name: "page without an id is skipped", json: `{"object":"page",` + ts + `}`, skip: true},
		{name: "page with a malformed field is skipped", json: `{"object":"page","id":"x","last_edited_time":"yesterday"}`, skip: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeResult([]byte(tt.json))
			if tt.skip {
				if err == nil {
					t.Fatalf("decoded %+v, want it skipped", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.LastEdited.Equal(tt.want.LastEdited) {
				t.Errorf("LastEdited = %v, want %v", got.LastEdited, tt.want.LastEdited)
			}
			got.LastEdited, tt.want.LastEdited = time.Time{}, time.Time{}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDisplayTitle(t *testing.T) {
	for title, want := range map[string]string{"": "Untitled", "  ": "Untitled", "Plan": "Plan"} {
		if got := (Item{Title: title}).DisplayTitle(); got != want {
			t.Errorf("DisplayTitle(%q) = %q, want %q", title, got, want)
		}
	}
}

func TestIconString(t *testing.T) {
	if (Icon{}).String() != "" || !(Icon{}).IsZero() {
		t.Error("zero icon should be empty")
	}
	if (Icon{Emoji: "📄"}).String() != "📄" || (Icon{URL: "https://x/y.png"}).String() != "https://x/y.png" {
		t.Error("icon string should be the emoji or the URL")
	}
}

func TestDecodeSearchPage(t *testing.T) {
	c := New(Options{})
	body := `{"object":"list","type":"page_or_data_source","page_or_data_source":{},"has_more":true,"next_cursor":"c2",
		"request_status":{"type":"incomplete"},
		"results":[
			{"object":"page","id":"a","last_edited_time":"2026-01-01T00:00:00.000Z","properties":{"title":{"type":"title","title":[{"plain_text":"A"}]}}},
			{"object":"block","id":"b"},
			{"object":"widget","id":"w","properties":7},
			{"object":"data_source","id":"c","last_edited_time":"2026-01-01T00:00:00.000Z","title":[{"plain_text":"C"}]}
		]}`
	page, err := c.DecodeSearchPage([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].Title != "A" || page.Items[1].Kind != KindDatabase {
		t.Errorf("items = %+v", page.Items)
	}
	if page.Skipped != 2 || !page.HasMore || page.NextCursor != "c2" || !page.Incomplete {
		t.Errorf("page = %+v", page)
	}

	for _, bad := range []string{`{"object":"list","results":[`, `{"object":"error","status":400}`, `[]`, ``} {
		if _, err := c.DecodeSearchPage([]byte(bad)); err == nil || !strings.Contains(err.Error(), "malformed") {
			t.Errorf("DecodeSearchPage(%q) err = %v, want malformed", bad, err)
		}
	}
}
