package notion

// Writing a row: POST /v1/pages with a data_source_id parent, its
// properties typed as the schema says.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// richTextWire is text as Notion's rich-text array, split into objects of
// at most MaxTextLen characters.
func richTextWire(s string) []any {
	parts := SplitText(s, MaxTextLen)
	rt := make([]any, 0, len(parts))
	for _, p := range parts {
		rt = append(rt, map[string]any{"type": "text", "text": map[string]any{"content": p}})
	}
	return rt
}

// WriteWire is the value as a page's property value in a write: {"number":
// 3}, {"select": {"name": "High"}}…, for the types a value is typed for
// (title, rich_text, number, checkbox, select, multi_select, status,
// date, url, email, phone_number).
func (v Value) WriteWire() (map[string]any, error) {
	switch v.Type {
	case PropTitle, PropRichText:
		return map[string]any{string(v.Type): richTextWire(v.Text)}, nil
	case PropNumber:
		if v.Number == nil {
			return map[string]any{"number": nil}, nil
		}
		return map[string]any{"number": *v.Number}, nil
	case PropCheckbox:
		return map[string]any{"checkbox": v.Bool != nil && *v.Bool}, nil
	case PropSelect, PropStatus:
		if v.Text == "" {
			return map[string]any{string(v.Type): nil}, nil
		}
		return map[string]any{string(v.Type): map[string]any{"name": v.Text}}, nil
	case PropMultiSelect:
		l := make([]any, 0, len(v.List))
		for _, n := range v.List {
			l = append(l, map[string]any{"name": n})
		}
		return map[string]any{"multi_select": l}, nil
	case PropDate:
		if v.Date == nil || v.Date.Start == "" {
			return map[string]any{"date": nil}, nil
		}
		d := map[string]any{"start": v.Date.Start}
		if v.Date.End != "" {
			d["end"] = v.Date.End
		}
		return map[string]any{"date": d}, nil
	case PropURL, PropEmail, PropPhoneNumber:
		if v.Text == "" {
			return map[string]any{string(v.Type): nil}, nil
		}
		return map[string]any{string(v.Type): v.Text}, nil
	}
	return nil, fmt.Errorf("notion: a %s value cannot be written", v.Type)
}

// CreateRow creates a row of a data source (POST /v1/pages with a
// data_source_id parent) with the given property values, keyed by the
// schema's property names (the title among them), and markdown as its
// body. Like CreatePage, it is never retried on an ambiguous failure. It
// answers the new page both as a listed Item and as a Row.
func (c *Client) CreateRow(ctx context.Context, token Secret, dataSourceID string, props map[string]Value, markdown string) (Item, Row, error) {
	ds, ok := NormalizeID(dataSourceID)
	if !ok {
		return Item{}, Row{}, fmt.Errorf("%w: %.40q", ErrInvalidID, dataSourceID)
	}
	wire := make(map[string]any, len(props))
	for name, v := range props {
		w, err := v.WriteWire()
		if err != nil {
			return Item{}, Row{}, fmt.Errorf("%s: %w", name, err)
		}
		wire[name] = w
	}
	body := map[string]any{
		"parent":     map[string]any{"data_source_id": ds},
		"properties": wire,
	}
	if markdown != "" {
		body["markdown"] = markdown
	}
	ctx = WithPriority(ctx, PriorityInteractive)
	var raw json.RawMessage
	if err := c.do(ctx, request{method: http.MethodPost, path: "/v1/pages", body: body, bearer: token}, &raw); err != nil {
		return Item{}, Row{}, writeErr(err)
	}
	var w wireResult
	if err := json.Unmarshal(raw, &w); err != nil {
		return Item{}, Row{}, fmt.Errorf("%w from /v1/pages: %v", ErrMalformedResponse, err)
	}
	if w.Object != "page" {
		return Item{}, Row{}, fmt.Errorf("%w from /v1/pages: object is %.40q, not \"page\"", ErrMalformedResponse, w.Object)
	}
	it, err := w.item()
	if err != nil {
		return Item{}, Row{}, fmt.Errorf("%w from /v1/pages: %v", ErrMalformedResponse, err)
	}
	row, ok := decodeRow(raw)
	if !ok {
		return Item{}, Row{}, fmt.Errorf("%w from /v1/pages: not a row", ErrMalformedResponse)
	}
	return it, row, nil
}

// RowsCreatedSince lists a data source's rows titled title (Notion's
// equals, which ignores case) created at or after since: what a writer
// looks at before sending a row again. The caller checks the exact
// title and who made each.
func (c *Client) RowsCreatedSince(ctx context.Context, token Secret, dataSourceID, titleProp, title string, since time.Time) ([]Row, error) {
	f := &RowFilter{And: []RowFilter{
		{Timestamp: "created_time", Condition: "on_or_after", Value: since.UTC().Format(time.RFC3339)},
		{Property: titleProp, Type: PropTitle, Condition: "equals", Value: title},
	}}
	ctx = WithPriority(ctx, PriorityInteractive)
	var out []Row
	for page, err := range c.QueryDataSource(ctx, token, dataSourceID, QueryOptions{Filter: f}) {
		if err != nil {
			return nil, err
		}
		out = append(out, page.Rows...)
	}
	return out, nil
}
