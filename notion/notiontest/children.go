package notiontest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// GET and PATCH /v1/blocks/{id}/children: the blocks a page holds, and
// appending to them.

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
