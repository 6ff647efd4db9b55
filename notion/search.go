package notion

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"
)

const (
	KindPage     Kind = "page"
	KindDatabase Kind = "database"
)

// Filter narrows a search to one object type.
type Filter string

const (
	FilterNone        Filter = ""
	FilterPages       Filter = "page"
	FilterDataSources Filter = "data_source"
)

// SearchOptions are passed through to POST /v1/search.
type SearchOptions struct {
	Query    string
	Filter   Filter
	PageSize int // default and maximum 100
}

// SearchPage is one answer of /v1/search.
type SearchPage struct {
	Items      []Item
	NextCursor string
	HasMore    bool
	// Incomplete is Notion's request_status "incomplete": the index could not
	// answer everything this time.
	Incomplete bool
	// Skipped counts results that were not a page or data source, or were
	// malformed.
	Skipped int
}

const maxPageSize = 100

type searchBody struct {
	Query       string            `json:"query,omitempty"`
	Filter      map[string]string `json:"filter,omitempty"`
	Sort        map[string]string `json:"sort"`
	StartCursor string            `json:"start_cursor,omitempty"`
	PageSize    int               `json:"page_size"`
}

// SearchPages pages through every item shared with token, newest edit first.
// Stop ranging to stop paging: the quick refresh reads only what changed.
// After an error the sequence ends.
func (c *Client) SearchPages(ctx context.Context, token Secret, o SearchOptions) iter.Seq2[*SearchPage, error] {
	return func(yield func(*SearchPage, error) bool) {
		body := searchBody{
			Query:    o.Query,
			Sort:     map[string]string{"timestamp": "last_edited_time", "direction": "descending"},
			PageSize: o.PageSize,
		}
		if body.PageSize <= 0 || body.PageSize > maxPageSize {
			body.PageSize = maxPageSize
		}
		switch o.Filter {
		case FilterNone:
		case FilterPages, FilterDataSources:
			body.Filter = map[string]string{"property": "object", "value": string(o.Filter)}
		default:
			yield(nil, fmt.Errorf("notion: unknown search filter %q (want %q or %q)", o.Filter, FilterPages, FilterDataSources))
			return
		}
		walkCursors("search", "", func(cursor string) (*SearchPage, error) {
			body.StartCursor = cursor
			return c.searchOnce(ctx, token, body)
		}, yield)
	}
}

// Search yields every shared item, newest edit first, across pages.
func (c *Client) Search(ctx context.Context, token Secret, o SearchOptions) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		for page, err := range c.SearchPages(ctx, token, o) {
			if err != nil {
				yield(Item{}, err)
				return
			}
			for _, it := range page.Items {
				if !yield(it, nil) {
					return
				}
			}
		}
	}
}

func (c *Client) searchOnce(ctx context.Context, token Secret, body searchBody) (*SearchPage, error) {
	var raw json.RawMessage
	if err := c.do(ctx, request{method: http.MethodPost, path: "/v1/search", body: body, bearer: token, idempotent: true}, &raw); err != nil {
		return nil, err
	}
	page, err := c.DecodeSearchPage(raw)
	if err != nil {
		return nil, err
	}
	return page, nil
}

// wireList is a search answer; results stay raw so one odd result cannot
// spoil the page.
type wireList struct {
	Object        string            `json:"object"`
	Results       []json.RawMessage `json:"results"`
	NextCursor    *string           `json:"next_cursor"`
	HasMore       bool              `json:"has_more"`
	RequestStatus *struct {
		Type string `json:"type"`
	} `json:"request_status"`
}

// wireListFast decodes the results in the same pass: the common case, where
// every result is a well-formed page or data source.
type wireListFast struct {
	Object        string       `json:"object"`
	Results       []wireResult `json:"results"`
	NextCursor    *string      `json:"next_cursor"`
	HasMore       bool         `json:"has_more"`
	RequestStatus *struct {
		Type string `json:"type"`
	} `json:"request_status"`
}

type wireRichText struct {
	PlainText string `json:"plain_text"`
	Text      *struct {
		Content string `json:"content"`
	} `json:"text"`
}

type wireIcon struct {
	Type     string `json:"type"`
	Emoji    string `json:"emoji"`
	External *struct {
		URL string `json:"url"`
	} `json:"external"`
	File *struct {
		URL string `json:"url"`
	} `json:"file"`
	CustomEmoji *struct {
		URL string `json:"url"`
	} `json:"custom_emoji"`
}

type wireProperty struct {
	Type string `json:"type"`
	// Title stays raw: in a data source's schema it is an object, in a page a
	// rich-text array.
	Title json.RawMessage `json:"title"`
}

// wireResult covers pages, data sources and the older database objects.
type wireResult struct {
	Object     string                  `json:"object"`
	ID         string                  `json:"id"`
	URL        string                  `json:"url"`
	Icon       *wireIcon               `json:"icon"`
	Parent     *wireParent             `json:"parent"`
	DBParent   *wireParent             `json:"database_parent"`
	Properties map[string]wireProperty `json:"properties"`
	Title      json.RawMessage         `json:"title"`
	LastEdited time.Time               `json:"last_edited_time"`
	InTrash    *bool                   `json:"in_trash"`
	Archived   *bool                   `json:"archived"`
}

// DecodeSearchPage decodes one /v1/search answer and maps its results.
// Results of an unknown object type are skipped (logged at debug level);
// known ones that do not decode are skipped with a warning. Neither is fatal.
func (c *Client) DecodeSearchPage(body []byte) (*SearchPage, error) {
	var fast wireListFast
	if err := json.Unmarshal(body, &fast); err == nil {
		if fast.Object != "list" {
			return nil, fmt.Errorf("%w from /v1/search: object is %q, not \"list\"", ErrMalformedResponse, fast.Object)
		}
		page := newSearchPage(fast.NextCursor, fast.HasMore, fast.RequestStatus)
		for i := range fast.Results {
			it, err := fast.Results[i].item()
			c.add(page, it, err)
		}
		return page, nil
	}
	// Something in the body did not fit; decode result by result so only
	// the odd ones are lost.
	var l wireList
	if err := json.Unmarshal(body, &l); err != nil {
		return nil, fmt.Errorf("%w from /v1/search: %v", ErrMalformedResponse, err)
	}
	if l.Object != "list" {
		return nil, fmt.Errorf("%w from /v1/search: object is %q, not \"list\"", ErrMalformedResponse, l.Object)
	}
	page := newSearchPage(l.NextCursor, l.HasMore, l.RequestStatus)
	for _, raw := range l.Results {
		it, err := decodeResult(raw)
		c.add(page, it, err)
	}
	return page, nil
}

func newSearchPage(next *string, more bool, status *struct {
	Type string `json:"type"`
}) *SearchPage {
	return &SearchPage{
		NextCursor: deref(next),
		HasMore:    more,
		Incomplete: status != nil && status.Type == "incomplete",
	}
}

func (c *Client) add(page *SearchPage, it Item, err error) {
	if err != nil {
		page.Skipped++
		if errors.Is(err, errUnknownObject) {
			c.log.Debug("notion: skipping search result", "err", err)
		} else {
			c.log.Warn("notion: skipping search result", "err", err)
		}
		return
	}
	page.Items = append(page.Items, it)
}

var errUnknownObject = errors.New("unknown object type")

func decodeResult(raw json.RawMessage) (Item, error) {
	var w wireResult
	if err := json.Unmarshal(raw, &w); err != nil {
		var probe struct {
			Object string `json:"object"`
		}
		if json.Unmarshal(raw, &probe) == nil && !knownObject(probe.Object) {
			return Item{}, fmt.Errorf("%w %q", errUnknownObject, probe.Object)
		}
		return Item{}, fmt.Errorf("malformed %s: %v", probe.Object, err)
	}
	return w.item()
}

func (w *wireResult) item() (Item, error) {
	var kind Kind
	var title string
	switch w.Object {
	case "page":
		kind = KindPage
		title = pageTitle(w.Properties)
	case "data_source", "database":
		kind = KindDatabase
		title = joinRichText(w.Title)
	default:
		return Item{}, fmt.Errorf("%w %q", errUnknownObject, w.Object)
	}
	if w.ID == "" {
		return Item{}, fmt.Errorf("malformed %s: no id", w.Object)
	}
	var dbParent Parent
	if w.Object == "data_source" {
		dbParent = w.DBParent.parent()
	}
	parent := w.Parent.parent()
	return Item{
		ID:             w.ID,
		Kind:           kind,
		Title:          title,
		URL:            w.URL,
		Icon:           w.Icon.icon(),
		ParentID:       parent.ID,
		Parent:         parent,
		DatabaseParent: dbParent,
		LastEdited:     w.LastEdited,
		// Versions before 2025-09-03 call it archived.
		InTrash: (w.InTrash != nil && *w.InTrash) || (w.Archived != nil && *w.Archived),
	}, nil
}

func knownObject(o string) bool { return o == "page" || o == "data_source" || o == "database" }

// pageTitle finds the one property of type title, whatever its name.
func pageTitle(props map[string]wireProperty) string {
	for _, p := range props {
		if p.Type == "title" {
			return joinRichText(p.Title)
		}
	}
	return ""
}

// joinRichText joins the plain text of a rich-text array; anything that is
// not an array (a schema's {}) has no text.
func joinRichText(raw json.RawMessage) string {
	if len(raw) == 0 || raw[0] != '[' {
		return ""
	}
	var parts []wireRichText
	if json.Unmarshal(raw, &parts) != nil {
		return ""
	}
	if len(parts) == 1 {
		return parts[0].text()
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.text())
	}
	return b.String()
}

func (r wireRichText) text() string {
	if r.PlainText == "" && r.Text != nil {
		return r.Text.Content
	}
	return r.PlainText
}

func (w *wireIcon) icon() Icon {
	if w == nil {
		return Icon{}
	}
	switch w.Type {
	case "emoji":
		return Icon{Emoji: w.Emoji}
	case "external":
		if w.External != nil {
			return Icon{URL: w.External.URL}
		}
	case "file":
		if w.File != nil {
			return Icon{URL: w.File.URL, Expires: true}
		}
	case "custom_emoji":
		if w.CustomEmoji != nil {
			// Hosted by Notion like files; treat the URL as short-lived.
			return Icon{URL: w.CustomEmoji.URL, Expires: true}
		}
	}
	// Notion's built-in "icon" glyphs have no documented image URL.
	return Icon{}
}
