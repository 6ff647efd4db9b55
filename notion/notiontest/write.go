package notiontest

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// This file serves the writes: POST /v1/pages under a page parent (rows:
// writerow.go), PATCH
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

// handleCreatePage is POST /v1/pages; a data source or database parent
// makes a row (writerow.go).
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
	if _, ok := parent["data_source_id"]; ok {
		s.handleCreateRow(w, c, g, version, m, parent)
		return
	}
	if _, ok := parent["database_id"]; ok {
		s.handleCreateRow(w, c, g, version, m, parent)
		return
	}
	for _, k := range sortedKeys(parent) {
		if k != "page_id" && k != "type" {
			validation(w, c, "body.parent."+k, "not present (this emulator takes page, data source and database parents)", parent[k])
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
	markdown, children, ok := parseContent(w, c, m)
	if !ok {
		return
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
