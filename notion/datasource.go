package notion

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// Row is a page of a data source with all its property values.
type Row struct {
	ID         string
	Title      string // "" when untitled
	URL        string
	Parent     Parent
	Created    time.Time
	LastEdited time.Time
	InTrash    bool
	// CreatedBy is the id of the user or bot that made the row.
	CreatedBy string
	// Properties are keyed by property name, every column the answer had.
	Properties map[string]Value
}

// RowPage is one answer of a data-source query.
type RowPage struct {
	Rows       []Row
	NextCursor string
	HasMore    bool
	// Skipped counts results that were not pages or had no id.
	Skipped int
}

// SortDirection orders a query by last_edited_time.
type SortDirection string

const (
	SortNone       SortDirection = ""
	SortDescending SortDirection = "descending"
	SortAscending  SortDirection = "ascending"
)

// RowFilter is one condition of a data-source query, or an And/Or of them.
// A property condition names the property, its type (which selects
// Notion's condition object) and the condition: {"property":"Status",
// "status":{"equals":"Done"}} is RowFilter{Property: "Status", Type:
// PropStatus, Condition: "equals", Value: "Done"}. A timestamp condition
// sets Timestamp ("last_edited_time" or "created_time") instead of
// Property and Type. Value is sent as JSON (true for is_empty).
type RowFilter struct {
	Property  string
	Type      PropertyType
	Timestamp string
	Condition string
	Value     any
	And, Or   []RowFilter
}

// MarshalJSON writes Notion's filter object.
func (f RowFilter) MarshalJSON() ([]byte, error) {
	switch {
	case len(f.And) > 0:
		return json.Marshal(map[string]any{"and": f.And})
	case len(f.Or) > 0:
		return json.Marshal(map[string]any{"or": f.Or})
	case f.Timestamp != "":
		return json.Marshal(map[string]any{"timestamp": f.Timestamp, f.Timestamp: map[string]any{f.Condition: f.Value}})
	}
	return json.Marshal(map[string]any{"property": f.Property, string(f.Type): map[string]any{f.Condition: f.Value}})
}

// QueryOptions shape POST /v1/data_sources/{id}/query.
type QueryOptions struct {
	PageSize    int // default and maximum 100
	StartCursor string
	// Sort by last_edited_time; SortNone leaves Notion's order.
	Sort   SortDirection
	Filter *RowFilter
}

type querySort struct {
	Timestamp string `json:"timestamp"`
	Direction string `json:"direction"`
}

type queryBody struct {
	PageSize    int         `json:"page_size"`
	StartCursor string      `json:"start_cursor,omitempty"`
	Sorts       []querySort `json:"sorts,omitempty"`
	Filter      *RowFilter  `json:"filter,omitempty"`
}

// DataSourceSchema reads a data source's columns (GET /v1/data_sources/{id}).
// An unknown or unshared data source is ErrNotFound.
func (c *Client) DataSourceSchema(ctx context.Context, token Secret, id string) (*Schema, error) {
	norm, ok := NormalizeID(id)
	if !ok {
		return nil, fmt.Errorf("%w: %.40q", ErrInvalidID, id)
	}
	var raw json.RawMessage
	if err := c.do(ctx, request{method: http.MethodGet, path: "/v1/data_sources/" + norm, bearer: token, idempotent: true}, &raw); err != nil {
		return nil, err
	}
	s, err := DecodeSchema(raw)
	if err != nil {
		return nil, err
	}
	if n, ok := NormalizeID(s.DataSourceID); !ok || n != norm {
		return nil, fmt.Errorf("%w from /v1/data_sources: asked for %s, got another id", ErrMalformedResponse, norm)
	}
	s.DataSourceID = norm
	return s, nil
}

// QueryDataSource pages through a data source's rows (POST
// /v1/data_sources/{id}/query), up to 100 per call, through the token's
// budget like every call. Stop ranging to stop paging: an incremental sync
// sorted newest first stops at its watermark. After an error the sequence
// ends.
func (c *Client) QueryDataSource(ctx context.Context, token Secret, id string, o QueryOptions) iter.Seq2[*RowPage, error] {
	return func(yield func(*RowPage, error) bool) {
		norm, ok := NormalizeID(id)
		if !ok {
			yield(nil, fmt.Errorf("%w: %.40q", ErrInvalidID, id))
			return
		}
		body := queryBody{PageSize: o.PageSize, StartCursor: o.StartCursor, Filter: o.Filter}
		if body.PageSize <= 0 || body.PageSize > maxPageSize {
			body.PageSize = maxPageSize
		}
		switch o.Sort {
		case SortNone:
		case SortAscending, SortDescending:
			body.Sorts = []querySort{{Timestamp: "last_edited_time", Direction: string(o.Sort)}}
		default:
			yield(nil, fmt.Errorf("notion: unknown sort direction %q", o.Sort))
			return
		}
		path := "/v1/data_sources/" + norm + "/query"
		walkCursors("query", body.StartCursor, func(cursor string) (*RowPage, error) {
			body.StartCursor = cursor
			var raw json.RawMessage
			if err := c.do(ctx, request{method: http.MethodPost, path: path, body: body, bearer: token, idempotent: true}, &raw); err != nil {
				return nil, err
			}
			return DecodeRowPage(raw)
		}, yield)
	}
}

type wireRow struct {
	Object     string                     `json:"object"`
	ID         string                     `json:"id"`
	URL        string                     `json:"url"`
	Parent     *wireParent                `json:"parent"`
	Created    time.Time                  `json:"created_time"`
	LastEdited time.Time                  `json:"last_edited_time"`
	InTrash    *bool                      `json:"in_trash"`
	Archived   *bool                      `json:"archived"`
	CreatedBy  wireRef                    `json:"created_by"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// wireRef is a partial object: a user's, a bot's.
type wireRef struct {
	ID string `json:"id"`
}

// DecodeRowPage decodes one query answer. A result that is not a page, or
// does not decode, is skipped and counted; a property value that does not
// decode is kept raw. Neither is fatal.
func DecodeRowPage(body []byte) (*RowPage, error) {
	var l wireList
	if err := json.Unmarshal(body, &l); err != nil {
		return nil, fmt.Errorf("%w from a data-source query: %v", ErrMalformedResponse, err)
	}
	if l.Object != "list" {
		return nil, fmt.Errorf("%w from a data-source query: object is %.40q, not \"list\"", ErrMalformedResponse, l.Object)
	}
	page := &RowPage{NextCursor: deref(l.NextCursor), HasMore: l.HasMore, Rows: make([]Row, 0, len(l.Results))}
	for _, raw := range l.Results {
		row, ok := decodeRow(raw)
		if !ok {
			page.Skipped++
			continue
		}
		page.Rows = append(page.Rows, row)
	}
	return page, nil
}

func decodeRow(raw json.RawMessage) (Row, bool) {
	var w wireRow
	if json.Unmarshal(raw, &w) != nil || w.Object != "page" || w.ID == "" {
		return Row{}, false
	}
	row := Row{
		ID: w.ID, URL: w.URL, Parent: w.Parent.parent(), Created: w.Created, LastEdited: w.LastEdited, CreatedBy: w.CreatedBy.ID,
		InTrash:    (w.InTrash != nil && *w.InTrash) || (w.Archived != nil && *w.Archived),
		Properties: make(map[string]Value, len(w.Properties)),
	}
	for name, pv := range w.Properties {
		v, err := DecodeValue(pv)
		if err != nil {
			v = Value{Raw: compact(pv)}
		}
		if v.Type == PropTitle && row.Title == "" {
			row.Title = v.Text
		}
		row.Properties[name] = v
	}
	return row, true
}
