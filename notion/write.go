package notion

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf16"
)

// Notion's limits on what one write may carry.
const (
	// MaxTextLen is the most characters (UTF-16 code units, as Notion
	// counts) one rich-text object holds.
	MaxTextLen = 2000
	// MaxRichText is the most rich-text objects one block's text holds.
	MaxRichText = 100
	// MaxAppendBlocks is the most blocks one append (or one new page's
	// children) carries.
	MaxAppendBlocks = 100
)

// ErrNoInsertAccess: Notion refused a write (403 restricted_resource): the
// connection lacks the "Insert content" capability in that workspace.
var ErrNoInsertAccess = errors.New("notion: the connection may not insert content")

// Block is one block of a page's content, as the block API lists it.
type Block struct {
	ID          string
	Type        string // "paragraph", "heading_1", "child_page", …
	Text        string // the plain text of its rich text; a child page's title
	Checked     bool   // to_do
	HasChildren bool
	Created     time.Time
	CreatedBy   string // user or bot id
}

// NewBlock is a block to write: Type is one of paragraph, heading_1,
// heading_2, heading_3, bulleted_list_item, numbered_list_item, to_do,
// quote or code.
type NewBlock struct {
	Type    string
	Text    string
	Checked bool // to_do
}

// wire is the block object Notion takes: the text split into rich-text
// objects of at most MaxTextLen characters.
func (b NewBlock) wire() map[string]any {
	parts := SplitText(b.Text, MaxTextLen)
	rt := make([]any, 0, len(parts))
	for _, p := range parts {
		rt = append(rt, map[string]any{"type": "text", "text": map[string]any{"content": p}})
	}
	body := map[string]any{"rich_text": rt}
	switch b.Type {
	case "to_do":
		body["checked"] = b.Checked
	case "code":
		body["language"] = "plain text"
	}
	return map[string]any{"object": "block", "type": b.Type, b.Type: body}
}

// SplitText cuts s into pieces of at most max UTF-16 code units, never
// inside a character; "" gives no pieces.
func SplitText(s string, max int) []string {
	var out []string
	start, n := 0, 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1 // an invalid rune is sent as U+FFFD, one unit
		}
		if n+w > max {
			out = append(out, s[start:i])
			start, n = i, 0
		}
		n += w
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// MarkdownBlocks turns markdown into the blocks an append writes: headings
// (#, ##, ###), bullets (- or *), numbered items (1.), to-dos (- [ ] and
// - [x]), quotes (>), fenced code, and paragraphs (lines joined until a
// blank line). Text longer than one block holds (MaxRichText objects of
// MaxTextLen) goes on in the next block of the same type. Inline markup is
// kept as typed.
func MarkdownBlocks(md string) []NewBlock {
	var out []NewBlock
	add := func(typ, text string, checked bool) {
		parts := SplitText(text, MaxTextLen)
		if len(parts) == 0 {
			parts = []string{""}
		}
		for len(parts) > 0 {
			n := min(len(parts), MaxRichText)
			out = append(out, NewBlock{Type: typ, Text: strings.Join(parts[:n], ""), Checked: checked})
			parts = parts[n:]
		}
	}
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	var para []string
	flush := func() {
		if len(para) > 0 {
			add("paragraph", strings.Join(para, "\n"), false)
			para = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t")
		t := strings.TrimLeft(l, " ")
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "```"):
			flush()
			var code []string
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimLeft(lines[i], " "), "```"); i++ {
				code = append(code, lines[i])
			}
			add("code", strings.Join(code, "\n"), false)
		case strings.HasPrefix(t, "### "):
			flush()
			add("heading_3", strings.TrimSpace(t[4:]), false)
		case strings.HasPrefix(t, "## "):
			flush()
			add("heading_2", strings.TrimSpace(t[3:]), false)
		case strings.HasPrefix(t, "# "):
			flush()
			add("heading_1", strings.TrimSpace(t[2:]), false)
		case strings.HasPrefix(t, "- [ ] "), strings.HasPrefix(t, "- [x] "), strings.HasPrefix(t, "- [X] "):
			flush()
			add("to_do", t[6:], t[3] != ' ')
		case strings.HasPrefix(t, "- "), strings.HasPrefix(t, "* "):
			flush()
			add("bulleted_list_item", t[2:], false)
		case strings.HasPrefix(t, "> "):
			flush()
			add("quote", t[2:], false)
		case numbered(t) > 0:
			flush()
			add("numbered_list_item", t[numbered(t):], false)
		default:
			para = append(para, l)
		}
	}
	flush()
	return out
}

// numbered is the length of a "12. " prefix, or 0.
func numbered(t string) int {
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && strings.HasPrefix(t[i:], ". ") {
		return i + 2
	}
	return 0
}

// writeErr maps a refused write onto ErrNoInsertAccess.
func writeErr(err error) error {
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusForbidden {
		return fmt.Errorf("%w: %w", ErrNoInsertAccess, err)
	}
	return err
}

// CreatePage creates a page titled title under the page parentPageID
// (POST /v1/pages), with markdown as its body. The body goes as Notion's
// markdown field, not as children: one string has no 100-block or
// 2,000-character splitting to get wrong, and is what the markdown
// endpoint gives back. Writes are never retried here (Notion has no
// idempotency key): a network error or a 5xx may or may not have created
// the page, and only the caller, who can look, may try again.
func (c *Client) CreatePage(ctx context.Context, token Secret, parentPageID, title, markdown string) (Item, error) {
	parent, ok := NormalizeID(parentPageID)
	if !ok {
		return Item{}, fmt.Errorf("%w: %.40q", ErrInvalidID, parentPageID)
	}
	titleParts := SplitText(title, MaxTextLen)
	rt := make([]any, 0, len(titleParts))
	for _, p := range titleParts {
		rt = append(rt, map[string]any{"type": "text", "text": map[string]any{"content": p}})
	}
	body := map[string]any{
		"parent":     map[string]any{"page_id": parent},
		"properties": map[string]any{"title": map[string]any{"title": rt}},
	}
	if markdown != "" {
		body["markdown"] = markdown
	}
	ctx = WithPriority(ctx, PriorityInteractive)
	var raw json.RawMessage
	if err := c.do(ctx, request{method: http.MethodPost, path: "/v1/pages", body: body, bearer: token}, &raw); err != nil {
		return Item{}, writeErr(err)
	}
	var w wireResult
	if err := json.Unmarshal(raw, &w); err != nil {
		return Item{}, fmt.Errorf("%w from /v1/pages: %v", ErrMalformedResponse, err)
	}
	if w.Object != "page" {
		return Item{}, fmt.Errorf("%w from /v1/pages: object is %.40q, not \"page\"", ErrMalformedResponse, w.Object)
	}
	it, err := w.item()
	if err != nil {
		return Item{}, fmt.Errorf("%w from /v1/pages: %v", ErrMalformedResponse, err)
	}
	return it, nil
}

// AppendBlocks appends at most MaxAppendBlocks blocks to the end of a page
// or block (PATCH /v1/blocks/{id}/children) and returns the new blocks.
// Like CreatePage, it is never retried on an ambiguous failure.
func (c *Client) AppendBlocks(ctx context.Context, token Secret, blockID string, blocks []NewBlock) ([]Block, error) {
	id, ok := NormalizeID(blockID)
	if !ok {
		return nil, fmt.Errorf("%w: %.40q", ErrInvalidID, blockID)
	}
	if len(blocks) == 0 || len(blocks) > MaxAppendBlocks {
		return nil, fmt.Errorf("notion: an append takes 1 to %d blocks, not %d", MaxAppendBlocks, len(blocks))
	}
	children := make([]any, 0, len(blocks))
	for _, b := range blocks {
		children = append(children, b.wire())
	}
	ctx = WithPriority(ctx, PriorityInteractive)
	var w wireBlockList
	err := c.do(ctx, request{method: http.MethodPatch, path: "/v1/blocks/" + id + "/children",
		body: map[string]any{"children": children}, bearer: token}, &w)
	if err != nil {
		return nil, writeErr(err)
	}
	return w.blocks("/v1/blocks/" + id + "/children")
}

// BlockChildren lists every child block of a page or block (GET
// /v1/blocks/{id}/children, following the cursor), first to last. Child
// pages appear as "child_page" blocks with their titles: what a writer
// looks at before sending again.
func (c *Client) BlockChildren(ctx context.Context, token Secret, blockID string) ([]Block, error) {
	id, ok := NormalizeID(blockID)
	if !ok {
		return nil, fmt.Errorf("%w: %.40q", ErrInvalidID, blockID)
	}
	ctx = WithPriority(ctx, PriorityInteractive)
	var out []Block
	cursor := ""
	for range 10000 {
		path := "/v1/blocks/" + id + "/children?page_size=100"
		if cursor != "" {
			path += "&start_cursor=" + url.QueryEscape(cursor)
		}
		var w wireBlockList
		if err := c.do(ctx, request{method: http.MethodGet, path: path, bearer: token, idempotent: true}, &w); err != nil {
			var ae *APIError
			if errors.As(err, &ae) && ae.Status == http.StatusForbidden {
				// Reading blocks needs "Read content", not "Insert content".
				return nil, fmt.Errorf("%w: %w", ErrNoContentAccess, err)
			}
			return nil, err
		}
		bs, err := w.blocks("/v1/blocks/" + id + "/children")
		if err != nil {
			return nil, err
		}
		out = append(out, bs...)
		if !w.HasMore {
			return out, nil
		}
		if w.NextCursor == nil || *w.NextCursor == "" || *w.NextCursor == cursor {
			return nil, fmt.Errorf("%w from /v1/blocks/%s/children: has_more without a new cursor", ErrMalformedResponse, id)
		}
		cursor = *w.NextCursor
	}
	return nil, fmt.Errorf("%w from /v1/blocks/%s/children: more than a million blocks", ErrMalformedResponse, id)
}

type wireBlockList struct {
	Object     string            `json:"object"`
	Results    []json.RawMessage `json:"results"`
	NextCursor *string           `json:"next_cursor"`
	HasMore    bool              `json:"has_more"`
}

func (w wireBlockList) blocks(path string) ([]Block, error) {
	if w.Object != "list" {
		return nil, fmt.Errorf("%w from %s: object is %.40q, not \"list\"", ErrMalformedResponse, path, w.Object)
	}
	out := make([]Block, 0, len(w.Results))
	for _, raw := range w.Results {
		var b struct {
			Object      string    `json:"object"`
			ID          string    `json:"id"`
			Type        string    `json:"type"`
			HasChildren bool      `json:"has_children"`
			CreatedTime time.Time `json:"created_time"`
			CreatedBy   struct {
				ID string `json:"id"`
			} `json:"created_by"`
		}
		if err := json.Unmarshal(raw, &b); err != nil || b.Object != "block" || b.ID == "" || b.Type == "" {
			return nil, fmt.Errorf("%w from %s: not a block", ErrMalformedResponse, path)
		}
		var all map[string]json.RawMessage
		_ = json.Unmarshal(raw, &all)
		var body struct {
			Title    string `json:"title"`
			Checked  bool   `json:"checked"`
			RichText []struct {
				PlainText string `json:"plain_text"`
			} `json:"rich_text"`
		}
		// A block type we do not know keeps its id and type, with no text.
		_ = json.Unmarshal(all[b.Type], &body)
		text := body.Title
		if b.Type != "child_page" {
			var sb strings.Builder
			for _, r := range body.RichText {
				sb.WriteString(r.PlainText)
			}
			text = sb.String()
		}
		out = append(out, Block{ID: b.ID, Type: b.Type, Text: text, Checked: body.Checked,
			HasChildren: b.HasChildren, Created: b.CreatedTime, CreatedBy: b.CreatedBy.ID})
	}
	return out, nil
}
