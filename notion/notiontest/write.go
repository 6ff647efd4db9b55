package notiontest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// This file serves the writes: POST /v1/pages under a page parent, PATCH
// /v1/blocks/{id}/children (append) and GET /v1/blocks/{id}/children. As at
// Notion, a write needs the connection's "Insert content" capability (a
// per-workspace switch, SetInsertAccess), and a bad body is a 400
// validation_error naming the field.
//
// A page's children are its markdown body (each non-blank line listed as a
// paragraph block), then its older child pages, then whatever was appended
// or created under it through the API, in that order. What the API added is
// also in the markdown the content endpoint serves.

// writeState is the written side of the emulator; guarded by Server.mu.
type writeState struct {
	tail     map[string][]*blockRec // page id → blocks added through the API
	noInsert map[string]bool        // workspace id → its connection lacks "Insert content"
}

// blockRec is a block added through the API: text, or a child page.
type blockRec struct {
	id        string
	typ       string
	parts     []string // rich text contents
	checked   bool
	created   time.Time
	createdBy string
	page      string // a child_page's item id
}

func (s *Server) wrLocked() *writeState {
	if s.wr == nil {
		s.wr = &writeState{tail: map[string][]*blockRec{}, noInsert: map[string]bool{}}
	}
	return s.wr
}

// SetInsertAccess gives or takes away the "Insert content" capability of
// the connection in a workspace; without it every write answers 403
// restricted_resource. Workspaces have it by default.
func (s *Server) SetInsertAccess(workspaceID string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustWorkspace(workspaceID)
	s.wrLocked().noInsert[workspaceID] = !on
}

// WrittenBlock is a block added to a page through the API.
type WrittenBlock struct {
	ID, Type, Text string
	Checked        bool
	Created        time.Time
	CreatedBy      string
}

// Written returns, in order, the blocks added to a page through the API: the
// appended blocks and the child pages created under it ("child_page", with
// the page's title as Text).
func (s *Server) Written(pageID string) []WrittenBlock {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []WrittenBlock
	for _, b := range s.wrLocked().tail[normalizeID(pageID)] {
		out = append(out, WrittenBlock{ID: b.id, Type: b.typ, Text: s.blockTextLocked(b), Checked: b.checked,
			Created: b.created, CreatedBy: b.createdBy})
	}
	return out
}

func (s *Server) blockTextLocked(b *blockRec) string {
	if b.typ == "child_page" {
		if it, ok := s.items[b.page]; ok {
			return it.Title
		}
		return ""
	}
	return strings.Join(b.parts, "")
}

// tailMarkdownLocked renders what the API added to a page, for the
// markdown endpoint.
func (s *Server) tailMarkdownLocked(pageID string) string {
	var lines []string
	for _, b := range s.wrLocked().tail[pageID] {
		text := s.blockTextLocked(b)
		switch b.typ {
		case "child_page":
			it, ok := s.items[b.page]
			if !ok || it.InTrash || it.Unshared {
				continue
			}
			lines = append(lines, fmt.Sprintf(`<page url="%s">%s</page>`, it.URL, text))
		case "heading_1":
			lines = append(lines, "# "+text)
		case "heading_2":
			lines = append(lines, "## "+text)
		case "heading_3":
			lines = append(lines, "### "+text)
		case "bulleted_list_item":
			lines = append(lines, "- "+text)
		case "numbered_list_item":
			lines = append(lines, "1. "+text)
		case "to_do":
			box := "[ ]"
			if b.checked {
				box = "[x]"
			}
			lines = append(lines, "- "+box+" "+text)
		case "quote":
			lines = append(lines, "> "+text)
		case "code":
			lines = append(lines, "```", text, "```")
		default:
			lines = append(lines, text)
		}
	}
	return strings.Join(lines, "\n")
}

// textTypes are the block types an append may carry, with rich text.
var textTypes = []string{"paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item",
	"numbered_list_item", "to_do", "quote", "code", "callout", "toggle"}

// parseRichText validates a rich-text array: at most 100 text objects of
// at most 2,000 characters each.
func parseRichText(w http.ResponseWriter, c *call, path string, raw json.RawMessage) ([]string, bool) {
	var arr []json.RawMessage
	if raw == nil || string(raw) == "null" || json.Unmarshal(raw, &arr) != nil {
		validation(w, c, path, "an array", raw)
		return nil, false
	}
	if len(arr) > 100 {
		writeError(w, c, http.StatusBadRequest, "validation_error",
			fmt.Sprintf("body failed validation: %s.length should be ≤ `100`, instead was `%d`.", path, len(arr)))
		return nil, false
	}
	parts := make([]string, 0, len(arr))
	for i, el := range arr {
		p := fmt.Sprintf("%s[%d]", path, i)
		m, ok := rawObject(el)
		if !ok {
			validation(w, c, p, "an object", el)
			return nil, false
		}
		if typ, ok := m["type"]; ok {
			if t, ok := rawString(typ); !ok || t != "text" {
				validation(w, c, p+".type", `"text"`, typ)
				return nil, false
			}
		}
		txt, ok := rawObject(m["text"])
		if !ok {
			validation(w, c, p+".text", "an object", m["text"])
			return nil, false
		}
		content, ok := rawString(txt["content"])
		if !ok {
			validation(w, c, p+".text.content", "a string", txt["content"])
			return nil, false
		}
		if n := len(utf16.Encode([]rune(content))); n > 2000 {
			writeError(w, c, http.StatusBadRequest, "validation_error",
				fmt.Sprintf("body failed validation: %s.text.content.length should be ≤ `2000`, instead was `%d`.", p, n))
			return nil, false
		}
		parts = append(parts, content)
	}
	return parts, true
}

// parseBlocks validates children: 1 to 100 blocks of the text types.
func parseBlocks(w http.ResponseWriter, c *call, raw json.RawMessage) ([]*blockRec, bool) {
	var arr []json.RawMessage
	if raw == nil || string(raw) == "null" || json.Unmarshal(raw, &arr) != nil {
		validation(w, c, "body.children", "an array", raw)
		return nil, false
	}
	if len(arr) > 100 {
		writeError(w, c, http.StatusBadRequest, "validation_error",
			fmt.Sprintf("body failed validation: body.children.length should be ≤ `100`, instead was `%d`.", len(arr)))
		return nil, false
	}
	out := make([]*blockRec, 0, len(arr))
	for i, el := range arr {
		p := fmt.Sprintf("body.children[%d]", i)
		m, ok := rawObject(el)
		if !ok {
			validation(w, c, p, "an object", el)
			return nil, false
		}
		typ, ok := rawString(m["type"])
		if !ok || !slices.Contains(textTypes, typ) {
			validation(w, c, p+".type", "one of "+strings.Join(textTypes, ", "), m["type"])
			return nil, false
		}
		body, ok := rawObject(m[typ])
		if !ok {
			validation(w, c, p+"."+typ, "an object", m[typ])
			return nil, false
		}
		parts, ok := parseRichText(w, c, p+"."+typ+".rich_text", body["rich_text"])
		if !ok {
			return nil, false
		}
		b := &blockRec{id: newUUID(), typ: typ, parts: parts}
		if typ == "to_do" {
			if v, ok := body["checked"]; ok {
				if string(v) != "true" && string(v) != "false" {
					validation(w, c, p+".to_do.checked", "a boolean", v)
					return nil, false
				}
				b.checked = string(v) == "true"
			}
		}
		out = append(out, b)
	}
	return out, true
}

// parseWriteBody decodes a JSON object body and refuses keys not allowed.
func parseWriteBody(w http.ResponseWriter, c *call, allowed ...string) (map[string]json.RawMessage, bool) {
	if !json.Valid(c.body) {
		writeError(w, c, http.StatusBadRequest, "invalid_json", "Error parsing JSON body.")
		return nil, false
	}
	m, ok := rawObject(c.body)
	if !ok {
		validation(w, c, "body", "an object", c.body)
		return nil, false
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(allowed, k) {
			validation(w, c, "body."+k, "not present", m[k])
			return nil, false
		}
	}
	return m, true
}

func restricted(w http.ResponseWriter, c *call) {
	writeError(w, c, http.StatusForbidden, "restricted_resource", "Insufficient permissions for this endpoint.")
}

// visiblePageLocked is a page the grant may see, or nil.
func (s *Server) visiblePageLocked(g *grant, id string) *item {
	it, ok := s.items[id]
	if !ok || it.ws != g.ws || it.Unshared || it.Kind != KindPage {
		return nil
	}
	return it
}

func pageNotFound(w http.ResponseWriter, c *call, id string) {
	writeError(w, c, http.StatusNotFound, "object_not_found",
		fmt.Sprintf("Could not find page with ID: %s. Make sure the relevant pages and databases are shared with your integration.", id))
}

// handleCreatePage is POST /v1/pages with a page parent.
func (s *Server) handleCreatePage(w http.ResponseWriter, c *call, g *grant, version string) {
	m, ok := parseWriteBody(w, c, "parent", "properties", "markdown", "children", "icon", "cover")
	if !ok {
		return
	}
	parent, ok := rawObject(m["parent"])
	if !ok {
		validation(w, c, "body.parent", "an object", m["parent"])
		return
	}
	for _, k := range sortedKeys(parent) {
		if k != "page_id" && k != "type" {
			validation(w, c, "body.parent."+k, "not present (this emulator takes page parents)", parent[k])
			return
		}
	}
	rawParent, _ := rawString(parent["page_id"])
	parentID, ok := normalizeUUID(rawParent)
	if !ok {
		validation(w, c, "body.parent.page_id", "a valid uuid", parent["page_id"])
		return
	}
	props, ok := rawObject(m["properties"])
	if !ok {
		validation(w, c, "body.properties", "an object", m["properties"])
		return
	}
	var parts []string
	for _, k := range sortedKeys(props) {
		if k != "title" {
			writeError(w, c, http.StatusBadRequest, "validation_error",
				fmt.Sprintf("%s is not a property that exists. A page under a page has only the title property.", k))
			return
		}
		tp, ok := rawObject(props[k])
		if !ok {
			validation(w, c, "body.properties.title", "an object", props[k])
			return
		}
		if parts, ok = parseRichText(w, c, "body.properties.title.title", tp["title"]); !ok {
			return
		}
	}
	markdown := ""
	if raw, ok := m["markdown"]; ok {
		if markdown, ok = rawString(raw); !ok {
			validation(w, c, "body.markdown", "a string", raw)
			return
		}
	}
	var children []*blockRec
	if raw, ok := m["children"]; ok {
		if _, md := m["markdown"]; md {
			writeError(w, c, http.StatusBadRequest, "validation_error",
				"body failed validation: body.markdown and body.children should not both be present.")
			return
		}
		if children, ok = parseBlocks(w, c, raw); !ok {
			return
		}
	}

	s.mu.Lock()
	p := s.visiblePageLocked(g, parentID)
	if p == nil {
		s.mu.Unlock()
		pageNotFound(w, c, parentID)
		return
	}
	wr := s.wrLocked()
	if wr.noInsert[g.ws] {
		s.mu.Unlock()
		restricted(w, c)
		return
	}
	// Notion keeps created_time to the minute, like last_edited_time.
	now := s.editedNow()
	id := s.addItemLocked(g.ws, ItemSpec{Title: strings.Join(parts, ""), TitleParts: parts,
		ParentType: "page_id", ParentID: parentID, Created: now, LastEdited: now})
	it := s.items[id]
	it.createdBy = g.botID
	s.mdLocked().bodies[id] = markdown
	for _, b := range children {
		b.created, b.createdBy = it.Created, g.botID
	}
	wr.tail[id] = children
	// The child_page block's id is the page's id, as at Notion.
	wr.tail[parentID] = append(wr.tail[parentID], &blockRec{id: id, typ: "child_page", page: id,
		created: it.Created, createdBy: g.botID})
	p.LastEdited = s.editedNow()
	body := s.renderLocked(it, version, s.now())
	s.webhookLocked("created", it)
	s.mu.Unlock()
	body["request_id"] = c.rid
	writeJSON(w, http.StatusOK, body)
}

var childrenPath = regexp.MustCompile(`^/v1/blocks/([^/]+)/children$`)

// handleChildren is GET (list) or PATCH (append) /v1/blocks/{id}/children.
func (s *Server) handleChildren(w http.ResponseWriter, r *http.Request, c *call) {
	rawID := childrenPath.FindStringSubmatch(r.URL.Path)[1]
	method := http.MethodGet
	if r.Method == http.MethodPatch {
		method = http.MethodPatch
	}
	s.apiEndpoint(w, r, c, method, func(w http.ResponseWriter, c *call, g *grant, version string) {
		id, ok := normalizeUUID(rawID)
		if !ok {
			writeError(w, c, http.StatusBadRequest, "validation_error",
				fmt.Sprintf("path failed validation: path.block_id should be a valid uuid, instead was `%s`.", strconv.Quote(rawID)))
			return
		}
		if method == http.MethodPatch {
			s.appendBlocks(w, c, g, id, version)
			return
		}
		s.listChildren(w, r, c, g, id)
	})
}

func (s *Server) appendBlocks(w http.ResponseWriter, c *call, g *grant, id, version string) {
	allowed := []string{"children", "position"}
	if version < versionNoArchived {
		allowed = []string{"children", "after"}
	}
	m, ok := parseWriteBody(w, c, allowed...)
	if !ok {
		return
	}
	atStart := false
	if raw, ok := m["position"]; ok {
		pos, ok := rawObject(raw)
		typ, _ := rawString(pos["type"])
		if !ok || (typ != "end" && typ != "start") {
			validation(w, c, "body.position.type", `"end" or "start"`, pos["type"])
			return
		}
		atStart = typ == "start"
	}
	if _, ok := m["after"]; ok {
		validation(w, c, "body.after", "not present (this emulator appends at the end)", m["after"])
		return
	}
	blocks, ok := parseBlocks(w, c, m["children"])
	if !ok {
		return
	}
	if len(blocks) == 0 {
		validation(w, c, "body.children", "a non-empty array", m["children"])
		return
	}
	s.mu.Lock()
	p := s.visiblePageLocked(g, id)
	if p == nil {
		s.mu.Unlock()
		writeError(w, c, http.StatusNotFound, "object_not_found",
			fmt.Sprintf("Could not find block with ID: %s. Make sure the relevant pages and databases are shared with your integration.", id))
		return
	}
	wr := s.wrLocked()
	if wr.noInsert[g.ws] {
		s.mu.Unlock()
		restricted(w, c)
		return
	}
	now := s.editedNow()
	for _, b := range blocks {
		b.created, b.createdBy = now, g.botID
	}
	if atStart {
		wr.tail[id] = append(slices.Clone(blocks), wr.tail[id]...)
	} else {
		wr.tail[id] = append(wr.tail[id], blocks...)
	}
	p.LastEdited = s.editedNow()
	results := make([]any, 0, len(blocks))
	for _, b := range blocks {
		results = append(results, s.renderBlockLocked(id, b))
	}
	s.webhookLocked("content_updated", p)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "results": results, "next_cursor": nil,
		"has_more": false, "type": "block", "block": map[string]any{}, "request_id": c.rid})
}

// childrenLocked is every child block of a page, first to last.
func (s *Server) childrenLocked(p *item) []*blockRec {
	var out []*blockRec
	for i, line := range strings.Split(s.bodyLocked(p), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		out = append(out, &blockRec{id: derivedUUID("line", p.ID, strconv.Itoa(i)), typ: "paragraph",
			parts: []string{line}, created: p.Created})
	}
	tail := s.wrLocked().tail[p.ID]
	var older []*item
	for _, it := range s.items {
		if it.ParentType == "page_id" && it.ParentID == p.ID && it.createdBy == "" {
			older = append(older, it)
		}
	}
	slices.SortFunc(older, func(a, b *item) int {
		if !a.Created.Equal(b.Created) {
			return a.Created.Compare(b.Created)
		}
		return strings.Compare(a.ID, b.ID)
	})
	for _, it := range older {
		out = append(out, &blockRec{id: it.ID, typ: "child_page", page: it.ID, created: it.Created})
	}
	for _, b := range tail {
		if b.typ == "child_page" {
			if it, ok := s.items[b.page]; !ok || it.InTrash {
				continue
			}
		}
		out = append(out, b)
	}
	return out
}

func (s *Server) listChildren(w http.ResponseWriter, r *http.Request, c *call, g *grant, id string) {
	size := 100
	if v := r.URL.Query().Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeError(w, c, http.StatusBadRequest, "validation_error",
				fmt.Sprintf("query failed validation: query.page_size should be a number between 1 and 100, instead was `%s`.", strconv.Quote(v)))
			return
		}
		size = n
	}
	cursor := r.URL.Query().Get("start_cursor")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mdLocked().noContent[g.ws] {
		// Listing blocks reads content: it needs "Read content".
		restricted(w, c)
		return
	}
	p := s.visiblePageLocked(g, id)
	var all []*blockRec
	if p != nil {
		all = s.childrenLocked(p)
	} else if !s.isWrittenBlockLocked(id) {
		writeError(w, c, http.StatusNotFound, "object_not_found",
			fmt.Sprintf("Could not find block with ID: %s. Make sure the relevant pages and databases are shared with your integration.", id))
		return
	}
	from := 0
	if cursor != "" {
		from = -1
		for i, b := range all {
			if b.id == cursor {
				from = i
			}
		}
		if from < 0 {
			writeError(w, c, http.StatusBadRequest, "validation_error",
				fmt.Sprintf("query failed validation: query.start_cursor should be a cursor returned by this list, instead was `%s`.", strconv.Quote(cursor)))
			return
		}
	}
	to := min(from+size, len(all))
	results := make([]any, 0, to-from)
	for _, b := range all[from:to] {
		results = append(results, s.renderBlockLocked(id, b))
	}
	var next any
	if to < len(all) {
		next = all[to].id
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "results": results, "next_cursor": next,
		"has_more": to < len(all), "type": "block", "block": map[string]any{}, "request_id": c.rid})
}

// isWrittenBlockLocked: an appended block (which has no children here).
func (s *Server) isWrittenBlockLocked(id string) bool {
	for _, tail := range s.wrLocked().tail {
		for _, b := range tail {
			if b.id == id && b.typ != "child_page" {
				return true
			}
		}
	}
	return false
}

func (s *Server) renderBlockLocked(parentID string, b *blockRec) map[string]any {
	by := b.createdBy
	if by == "" {
		if p, ok := s.items[parentID]; ok {
			if ws, ok := s.workspaces[p.ws]; ok {
				by = ws.ownerID
			}
		}
	}
	m := map[string]any{
		"object":           "block",
		"id":               b.id,
		"parent":           map[string]any{"type": "page_id", "page_id": parentID},
		"created_time":     notionTime(b.created),
		"last_edited_time": notionTime(b.created),
		"created_by":       partialUser(by),
		"last_edited_by":   partialUser(by),
		"has_children":     false,
		"in_trash":         false,
		"type":             b.typ,
	}
	if b.typ == "child_page" {
		title := ""
		if it, ok := s.items[b.page]; ok {
			title = it.Title
		}
		m["child_page"] = map[string]any{"title": title}
		return m
	}
	body := map[string]any{"rich_text": richText(b.parts, ""), "color": "default"}
	switch b.typ {
	case "to_do":
		body["checked"] = b.checked
	case "code":
		body["language"] = "plain text"
		delete(body, "color")
	}
	m[b.typ] = body
	return m
}
