package notion

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrNoContentAccess: Notion refused to read page content (403
// restricted_resource): the connection lacks the "Read content" capability.
var ErrNoContentAccess = errors.New("notion: the connection may not read page content")

// Bounds on splicing a truncated page back together: a hostile or huge page
// costs at most this many extra calls and this much memory.
const (
	MaxSubtrees      = 100
	MaxMarkdownBytes = 8 << 20
)

// PageMarkdown is a page's content as Notion-flavoured markdown.
type PageMarkdown struct {
	ID       string
	Markdown string
	// Partial: Notion cut the page and some parts could not be added back
	// (not shared with the connection, gone, or past the bounds); Missing
	// lists their block ids.
	Partial bool
	Missing []string
	// Subtrees counts the extra calls made for truncated parts.
	Subtrees int
	// Fetched is when Notion answered, by Notion's clock (the Date header),
	// or by ours when it sent none.
	Fetched time.Time
}

type wireMarkdown struct {
	Object          string   `json:"object"`
	ID              string   `json:"id"`
	Markdown        string   `json:"markdown"`
	Truncated       bool     `json:"truncated"`
	UnknownBlockIDs []string `json:"unknown_block_ids"`
	tooLarge        bool     // cut at MaxResponseBytes (salvageMarkdown)
}

// salvageMarkdown reads the markdown string of an answer cut short: the
// JSON is incomplete, so the string is decoded by hand up to where it
// stops (a half escape or half character at the cut is dropped).
func salvageMarkdown(body []byte) (string, bool) {
	_, after, ok := bytes.Cut(body, []byte(`"markdown"`))
	if !ok {
		return "", false
	}
	after = bytes.TrimLeft(after, " \t\r\n")
	if len(after) == 0 || after[0] != ':' {
		return "", false
	}
	after = bytes.TrimLeft(after[1:], " \t\r\n")
	if len(after) == 0 || after[0] != '"' {
		return "", false
	}
	after = after[1:]
	var out strings.Builder
	for i := 0; i < len(after); {
		c := after[i]
		switch {
		case c == '"':
			return out.String(), true
		case c != '\\':
			out.WriteByte(c)
			i++
			continue
		}
		// An escape: decode it with encoding/json, whole or not at all.
		n := 2
		if i+1 < len(after) && after[i+1] == 'u' {
			n = 6
			if i+11 < len(after) && after[i+6] == '\\' && after[i+7] == 'u' {
				n = 12 // a surrogate pair
			}
		}
		if i+n > len(after) {
			break
		}
		var r string
		if err := json.Unmarshal(append(append([]byte{'"'}, after[i:i+n]...), '"'), &r); err != nil {
			if n == 12 {
				n = 6
				if err := json.Unmarshal(append(append([]byte{'"'}, after[i:i+n]...), '"'), &r); err != nil {
					break
				}
			} else {
				break
			}
		}
		out.WriteString(r)
		i += n
	}
	return strings.ToValidUTF8(out.String(), ""), true
}

// PageMarkdown fetches a page's content. When Notion truncates it, the
// subtrees named in unknown_block_ids are fetched and put back where their
// <unknown …> tags stood, breadth first, within MaxSubtrees calls and
// MaxMarkdownBytes. A 404 for the page is ErrNotFound; a 404 for a subtree
// (not shared, or deleted) leaves that part out. A 403 is ErrNoContentAccess.
func (c *Client) PageMarkdown(ctx context.Context, token Secret, id string) (*PageMarkdown, error) {
	root, date, err := c.markdownOnce(ctx, token, id)
	if err != nil {
		return nil, err
	}
	out := &PageMarkdown{ID: id, Markdown: root.Markdown, Fetched: date, Partial: root.tooLarge}
	queue := root.UnknownBlockIDs
	seen := map[string]bool{compactUUID(id): true}
	for len(queue) > 0 {
		bid := queue[0]
		queue = queue[1:]
		if seen[compactUUID(bid)] {
			continue
		}
		seen[compactUUID(bid)] = true
		if out.Subtrees >= MaxSubtrees || len(out.Markdown) >= MaxMarkdownBytes || !validID(bid) {
			out.Missing = append(out.Missing, bid)
			continue
		}
		out.Subtrees++
		sub, _, err := c.markdownOnce(ctx, token, bid)
		switch {
		case err == nil:
		case IsNotFound(err):
			out.Missing = append(out.Missing, bid)
			continue
		default:
			return nil, err
		}
		body := sub.Markdown
		if room := MaxMarkdownBytes - len(out.Markdown); len(body) > room {
			body = cutUTF8(body, max(room, 0))
			out.Partial = true
		}
		out.Markdown = splice(out.Markdown, bid, body)
		queue = append(queue, sub.UnknownBlockIDs...)
	}
	if len(out.Missing) > 0 {
		out.Partial = true
	}
	if out.Fetched.IsZero() {
		out.Fetched = time.Now()
	}
	return out, nil
}

func (c *Client) markdownOnce(ctx context.Context, token Secret, id string) (*wireMarkdown, time.Time, error) {
	if !validID(id) {
		return nil, time.Time{}, fmt.Errorf("notion: %q is not a page or block id", id)
	}
	var w wireMarkdown
	var date time.Time
	var capped []byte
	path := "/v1/pages/" + url.PathEscape(id) + "/markdown"
	err := c.do(ctx, request{method: http.MethodGet, path: path, bearer: token, idempotent: true, date: &date, capped: &capped}, &w)
	if errors.Is(err, ErrBodyTooLarge) {
		// A page past the cap keeps what fits: the start of its markdown,
		// marked truncated with nothing to fetch back.
		if md, ok := salvageMarkdown(capped); ok {
			return &wireMarkdown{Object: "page_markdown", ID: id, Markdown: md, Truncated: true, tooLarge: true}, date, nil
		}
	}
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusForbidden {
		return nil, date, fmt.Errorf("%w: %w", ErrNoContentAccess, err)
	}
	if err != nil {
		return nil, date, err
	}
	if w.Object != "page_markdown" {
		return nil, date, fmt.Errorf("%w from %s: object is %q, not \"page_markdown\"", ErrMalformedResponse, path, w.Object)
	}
	return &w, date, nil
}

// validID accepts Notion ids, dashed or not: they go into a URL path, and
// unknown_block_ids come from the server.
func validID(id string) bool {
	n := 0
	for _, r := range id {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'f', r >= 'A' && r <= 'F':
			n++
		case r == '-':
		default:
			return false
		}
	}
	return n == 32 && len(id) <= 36
}

func compactUUID(id string) string { return strings.ToLower(strings.ReplaceAll(id, "-", "")) }

// splice puts a subtree where the <unknown …> tag naming bid stands, with
// the tag's indentation on every line; with no such tag it goes at the end.
func splice(md, bid, sub string) string {
	sub = strings.TrimRight(sub, "\n")
	start, end := findUnknownTag(md, bid)
	if start < 0 {
		if sub == "" {
			return md
		}
		return strings.TrimRight(md, "\n") + "\n" + sub + "\n"
	}
	lineStart := strings.LastIndexByte(md[:start], '\n') + 1
	indent := md[lineStart:start]
	if strings.Trim(indent, "\t ") != "" {
		indent = "" // the tag sits inside a line of text
	}
	sub = strings.ReplaceAll(sub, "\n", "\n"+indent)
	return md[:start] + sub + md[end:]
}

// findUnknownTag finds the <unknown …> tag whose attributes name bid, as a
// dashed or compact id.
func findUnknownTag(md, bid string) (int, int) {
	dashed, compact := strings.ToLower(bid), compactUUID(bid)
	for from := 0; from < len(md); {
		i := strings.Index(md[from:], "<unknown")
		if i < 0 {
			break
		}
		i += from
		j := strings.IndexByte(md[i:], '>')
		if j < 0 {
			break
		}
		j += i + 1
		tag := strings.ToLower(md[i:j])
		if strings.Contains(tag, dashed) || strings.Contains(tag, compact) {
			if strings.HasPrefix(md[j:], "</unknown>") {
				j += len("</unknown>")
			}
			return i, j
		}
		from = j
	}
	return -1, -1
}

// cutUTF8 shortens s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
