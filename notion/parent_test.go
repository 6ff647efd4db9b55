package notion

import (
	"strings"
	"testing"
)

// TestParentMapping covers every parent shape notion-api.md lists, a data
// source's database_parent, and the odd and hostile shapes: none of them
// may lose the item, and none may pass for a real place.
func TestParentMapping(t *testing.T) {
	const page = `{"object":"page","id":"p","last_edited_time":"2026-05-04T10:31:00.000Z","properties":{},"parent":%s}`
	const ds = `{"object":"data_source","id":"d","title":[],"parent":{"type":"database_id","database_id":"db"},"database_parent":%s}`
	long := `"` + strings.Repeat("a", 65) + `"`
	tests := []struct {
		name, body, parent string
		want, wantDB       Parent
	}{
		{name: "workspace", body: page, parent: `{"type":"workspace","workspace":true}`, want: Parent{Type: ParentWorkspace}},
		{name: "page", body: page, parent: `{"type":"page_id","page_id":"p0"}`, want: Parent{Type: ParentPage, ID: "p0"}},
		{name: "data source row", body: page, parent: `{"type":"data_source_id","data_source_id":"ds","database_id":"db"}`,
			want: Parent{Type: ParentDataSource, ID: "ds", DatabaseID: "db"}},
		{name: "data source row without its database", body: page, parent: `{"type":"data_source_id","data_source_id":"ds"}`,
			want: Parent{Type: ParentDataSource, ID: "ds"}},
		{name: "database row (older versions)", body: page, parent: `{"type":"database_id","database_id":"db"}`, want: Parent{Type: ParentDatabase, ID: "db"}},
		{name: "block", body: page, parent: `{"type":"block_id","block_id":"b"}`, want: Parent{Type: ParentBlock, ID: "b"}},
		{name: "agent (newer type)", body: page, parent: `{"type":"agent_id","agent_id":"a"}`, want: Parent{Type: ParentUnknown}},
		{name: "null", body: page, parent: `null`, want: Parent{Type: ParentUnknown}},
		{name: "a string", body: page, parent: `"p0"`, want: Parent{Type: ParentUnknown}},
		{name: "a number", body: page, parent: `7`, want: Parent{Type: ParentUnknown}},
		{name: "an array", body: page, parent: `[{"type":"page_id","page_id":"p0"}]`, want: Parent{Type: ParentUnknown}},
		{name: "no type", body: page, parent: `{"page_id":"p0"}`, want: Parent{Type: ParentUnknown}},
		{name: "type is not a string", body: page, parent: `{"type":1,"page_id":"p0"}`, want: Parent{Type: ParentUnknown}},
		{name: "type without its id", body: page, parent: `{"type":"page_id"}`, want: Parent{Type: ParentUnknown}},
		{name: "id of the wrong type", body: page, parent: `{"type":"page_id","page_id":{"id":"p0"}}`, want: Parent{Type: ParentUnknown}},
		{name: "empty id", body: page, parent: `{"type":"page_id","page_id":""}`, want: Parent{Type: ParentUnknown}},
		{name: "id far too long", body: page, parent: `{"type":"page_id","page_id":` + long + `}`, want: Parent{Type: ParentUnknown}},
		{name: "id under another type's key", body: page, parent: `{"type":"page_id","block_id":"b"}`, want: Parent{Type: ParentUnknown}},
		{name: "database id too long is dropped, the row kept", body: page,
			parent: `{"type":"data_source_id","data_source_id":"ds","database_id":` + long + `}`, want: Parent{Type: ParentDataSource, ID: "ds"}},

		{name: "data source in a page", body: ds, parent: `{"type":"page_id","page_id":"p0"}`,
			want: Parent{Type: ParentDatabase, ID: "db"}, wantDB: Parent{Type: ParentPage, ID: "p0"}},
		{name: "data source at the top", body: ds, parent: `{"type":"workspace","workspace":true}`,
			want: Parent{Type: ParentDatabase, ID: "db"}, wantDB: Parent{Type: ParentWorkspace}},
		{name: "data source in a block", body: ds, parent: `{"type":"block_id","block_id":"b"}`,
			want: Parent{Type: ParentDatabase, ID: "db"}, wantDB: Parent{Type: ParentBlock, ID: "b"}},
		{name: "data source without a database_parent", body: ds, parent: `null`,
			want: Parent{Type: ParentDatabase, ID: "db"}, wantDB: Parent{Type: ParentUnknown}},
		{name: "data source with a hostile database_parent", body: ds, parent: `{"type":"page_id","page_id":["x"]}`,
			want: Parent{Type: ParentDatabase, ID: "db"}, wantDB: Parent{Type: ParentUnknown}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Replace(tt.body, "%s", tt.parent, 1)
			it, err := decodeResult([]byte(body))
			if err != nil {
				t.Fatalf("the item was lost: %v", err)
			}
			if it.Parent != tt.want || it.DatabaseParent != tt.wantDB || it.ParentID != tt.want.ID {
				t.Errorf("parent %+v, database parent %+v, ParentID %q; want %+v and %+v", it.Parent, it.DatabaseParent, it.ParentID, tt.want, tt.wantDB)
			}
		})
	}
}

// TestOddParentKeepsThePage: one result with a hostile parent in a page of
// good ones costs nothing, not even itself.
func TestOddParentKeepsThePage(t *testing.T) {
	body := `{"object":"list","has_more":false,"next_cursor":null,"results":[
		{"object":"page","id":"a","properties":{},"parent":{"type":"page_id","page_id":"b"}},
		{"object":"page","id":"b","properties":{},"parent":"workspace"},
		{"object":"page","id":"c","properties":{},"parent":{"type":{"nested":true}}}]}`
	page, err := New(Options{}).DecodeSearchPage([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 3 || page.Skipped != 0 {
		t.Fatalf("items %+v, skipped %d", page.Items, page.Skipped)
	}
	if page.Items[0].Parent.Type != ParentPage || page.Items[1].Parent.Type != ParentUnknown || page.Items[2].Parent.Type != ParentUnknown {
		t.Errorf("parents %+v %+v %+v", page.Items[0].Parent, page.Items[1].Parent, page.Items[2].Parent)
	}
}
