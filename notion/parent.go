package notion

import (
	"bytes"
	"encoding/json"
	"errors"
)

// ParentType says what an item's parent is, as Notion's parent.type does.
type ParentType string

const (
	// ParentWorkspace: the item is at the top of its workspace.
	ParentWorkspace ParentType = "workspace"
	// ParentPage: a page.
	ParentPage ParentType = "page_id"
	// ParentDataSource: a data source (the page is a row of a database);
	// DatabaseID names the database that holds it.
	ParentDataSource ParentType = "data_source_id"
	// ParentDatabase: a database container. A data source's parent is its
	// own container, whose place is in the data source's database_parent.
	ParentDatabase ParentType = "database_id"
	// ParentBlock: a block inside a page (a column, a toggle); not an item.
	ParentBlock ParentType = "block_id"
	// ParentUnknown: a type this client does not know (agent_id and
	// whatever comes next), or no usable parent at all: the path is unknown.
	ParentUnknown ParentType = "unknown"
)

// Parent is where Notion says an item lives.
type Parent struct {
	Type ParentType
	ID   string // "" for the workspace and unknown parents
	// DatabaseID is the database of a data_source_id parent.
	DatabaseID string
}

// maxParentID bounds a parent id: Notion's are UUIDs (36 characters). A
// longer one is not an id this client can look up.
const maxParentID = 64

// wireParent decodes a parent leniently: whatever the shape, it never fails
// the item it belongs to. Anything odd becomes ParentUnknown.
type wireParent struct{ p Parent }

func (w *wireParent) UnmarshalJSON(b []byte) error {
	w.p = decodeParent(b)
	return nil
}

func decodeParent(b []byte) Parent {
	unknown := Parent{Type: ParentUnknown}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return unknown
	}
	var w struct {
		Type         string `json:"type"`
		PageID       string `json:"page_id"`
		DatabaseID   string `json:"database_id"`
		DataSourceID string `json:"data_source_id"`
		BlockID      string `json:"block_id"`
	}
	// A field of the wrong type stays empty while the others decode: an
	// UnmarshalTypeError is not fatal here.
	var syntax *json.SyntaxError
	if err := json.Unmarshal(b, &w); errors.As(err, &syntax) {
		return unknown
	}
	valid := func(id string) bool { return id != "" && len(id) <= maxParentID }
	t := ParentType(w.Type)
	var id string
	switch t {
	case ParentWorkspace:
		return Parent{Type: ParentWorkspace}
	case ParentPage:
		id = w.PageID
	case ParentDatabase:
		id = w.DatabaseID
	case ParentBlock:
		id = w.BlockID
	case ParentDataSource:
		id = w.DataSourceID
	default:
		return unknown
	}
	if !valid(id) {
		return unknown
	}
	p := Parent{Type: t, ID: id}
	if t == ParentDataSource && valid(w.DatabaseID) {
		p.DatabaseID = w.DatabaseID
	}
	return p
}

// parent is the decoded parent; an absent or null one is unknown.
func (w *wireParent) parent() Parent {
	if w == nil || w.p.Type == "" {
		return Parent{Type: ParentUnknown}
	}
	return w.p
}
