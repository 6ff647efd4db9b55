package notiontest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// POST /v1/data_sources/{id}/query, validated as strictly as Notion:
// page_size 1–100, a start_cursor this query gave, sorts by timestamp or by
// a property that exists, and a filter whose every property exists and is
// named with its own type's condition, compounds at most two levels deep.

var queryPath = regexp.MustCompile(`^/v1/data_sources/([^/]+)/query$`)

type sortSpec struct {
	timestamp string // "created_time" or "last_edited_time"
	col       int    // a property's column, when timestamp is ""
	desc      bool
}

type queryParams struct {
	pageSize int
	cursor   string
	sorts    []sortSpec
	filter   *cond
}

type queryError struct{ path, want, got string }

func (s *Server) handleQuery(id string) func(http.ResponseWriter, *call, *grant, string) {
	return func(w http.ResponseWriter, c *call, g *grant, version string) {
		if version < versionDataSources {
			writeError(w, c, http.StatusBadRequest, "invalid_request_url", "Invalid request URL.")
			return
		}
		norm, ok := normalizeUUID(id)
		if !ok {
			writeError(w, c, http.StatusBadRequest, "validation_error",
				fmt.Sprintf("path failed validation: path.data_source_id should be a valid uuid, instead was `%s`.", strconv.Quote(id)))
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		ds, found := s.items[norm]
		if !found || ds.ws != g.ws || ds.Unshared || ds.Kind != KindDataSource {
			writeError(w, c, http.StatusNotFound, "object_not_found",
				fmt.Sprintf("Could not find data source with ID: %s. Make sure the relevant pages and databases are shared with your integration.", norm))
			return
		}
		p, qe, msg := parseQuery(c.body, ds)
		if msg != "" {
			writeError(w, c, http.StatusBadRequest, "validation_error", msg)
			return
		}
		if qe != nil {
			writeError(w, c, http.StatusBadRequest, "validation_error",
				fmt.Sprintf("body failed validation: %s should be %s, instead was `%s`.", qe.path, qe.want, qe.got))
			return
		}
		s.answerQueryLocked(w, c, g, ds, p, version)
	}
}

func parseQuery(body []byte, ds *item) (queryParams, *queryError, string) {
	p := queryParams{pageSize: 100}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return p, nil, ""
	}
	raw, ok := rawObject(body)
	if !ok {
		return p, &queryError{"body", "an object", compactJSON(body)}, ""
	}
	for _, k := range sortedKeys(raw) {
		v := raw[k]
		switch k {
		case "page_size":
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil || n < 1 || n > 100 {
				return p, &queryError{"body.page_size", "a number between 1 and 100", compactJSON(v)}, ""
			}
			p.pageSize = int(n)
		case "start_cursor":
			cur, ok := rawString(v)
			if !ok {
				return p, &queryError{"body.start_cursor", "a string or `undefined`", compactJSON(v)}, ""
			}
			p.cursor = cur
		case "in_trash":
			if string(v) != "false" {
				// Trashed rows are not emulated in queries.
				return p, &queryError{"body.in_trash", "`false` or `undefined`", compactJSON(v)}, ""
			}
		case "sorts":
			var list []json.RawMessage
			if json.Unmarshal(v, &list) != nil || list == nil {
				return p, &queryError{"body.sorts", "an array or `undefined`", compactJSON(v)}, ""
			}
			for i, e := range list {
				sp, qe, msg := parseSortSpec(e, ds, fmt.Sprintf("body.sorts[%d]", i))
				if qe != nil || msg != "" {
					return p, qe, msg
				}
				p.sorts = append(p.sorts, sp)
			}
		case "filter":
			f, qe, msg := parseCond(v, ds, "body.filter", 0)
			if qe != nil || msg != "" {
				return p, qe, msg
			}
			p.filter = f
		default:
			return p, &queryError{"body." + k, "not present", compactJSON(v)}, ""
		}
	}
	return p, nil, ""
}

func parseSortSpec(v json.RawMessage, ds *item, path string) (sortSpec, *queryError, string) {
	m, ok := rawObject(v)
	if !ok {
		return sortSpec{}, &queryError{path, "an object", compactJSON(v)}, ""
	}
	sp := sortSpec{col: -1}
	dir, ok := rawString(m["direction"])
	if !ok || (dir != "ascending" && dir != "descending") {
		return sp, &queryError{path + ".direction", `"ascending" or "descending"`, compactJSON(m["direction"])}, ""
	}
	sp.desc = dir == "descending"
	for _, k := range sortedKeys(m) {
		if k != "direction" && k != "timestamp" && k != "property" {
			return sp, &queryError{path + "." + k, "not present", compactJSON(m[k])}, ""
		}
	}
	_, hasTS := m["timestamp"]
	_, hasProp := m["property"]
	switch {
	case hasTS && !hasProp:
		ts, ok := rawString(m["timestamp"])
		if !ok || (ts != "created_time" && ts != "last_edited_time") {
			return sp, &queryError{path + ".timestamp", `"created_time" or "last_edited_time"`, compactJSON(m["timestamp"])}, ""
		}
		sp.timestamp = ts
	case hasProp && !hasTS:
		name, ok := rawString(m["property"])
		if !ok {
			return sp, &queryError{path + ".property", "a string", compactJSON(m["property"])}, ""
		}
		i, found := findColumn(ds, name)
		if !found {
			return sp, nil, fmt.Sprintf("Could not find sort property with name or id: %s", name)
		}
		sp.col = i
	default:
		return sp, &queryError{path, "an object with either `property` or `timestamp`", compactJSON(v)}, ""
	}
	return sp, nil, ""
}

// condition names per type family, as Notion documents them.
var (
	textOps   = []string{"equals", "does_not_equal", "contains", "does_not_contain", "starts_with", "ends_with", "is_empty", "is_not_empty"}
	numberOps = []string{"equals", "does_not_equal", "greater_than", "less_than", "greater_than_or_equal_to", "less_than_or_equal_to", "is_empty", "is_not_empty"}
	selectOps = []string{"equals", "does_not_equal", "is_empty", "is_not_empty"}
	listOps   = []string{"contains", "does_not_contain", "is_empty", "is_not_empty"}
	dateOps   = []string{"equals", "before", "after", "on_or_before", "on_or_after", "is_empty", "is_not_empty"}
	boolOps   = []string{"equals", "does_not_equal"}
)

func (s *Server) answerQueryLocked(w http.ResponseWriter, c *call, g *grant, ds *item, p queryParams, version string) {
	scope := func(payload string) []string {
		return []string{"query", g.id, ds.ID, bodyWithoutCursor(c.body), payload}
	}
	var start *rowHit
	if p.cursor != "" {
		enc, sig, ok := strings.Cut(p.cursor, ".")
		payload, err := base64.RawURLEncoding.DecodeString(enc)
		var h rowHit
		if !ok || err != nil || len(sig) != 32 || !constEq(sig, s.sign(scope(string(payload))...)[:32]) ||
			json.Unmarshal(payload, &h) != nil || len(h.Keys) != len(p.sorts) {
			writeError(w, c, http.StatusBadRequest, "validation_error",
				fmt.Sprintf("body failed validation: body.start_cursor should be a cursor returned by this query, instead was `%s`.", strconv.Quote(p.cursor)))
			return
		}
		start = &h
	}
	var hits []rowHit
	for _, id := range s.workspaces[ds.ws].order {
		row := s.items[id]
		if row.Kind != KindPage || row.Unshared || row.InTrash || s.dataSourceOfLocked(row) != ds {
			continue
		}
		if p.filter != nil && !s.matchLocked(p.filter, row, ds) {
			continue
		}
		hits = append(hits, rowHit{ID: row.ID, Keys: s.keysLocked(p, row, ds), it: row})
	}
	slices.SortFunc(hits, func(a, b rowHit) int { return compareHits(p, a, b) })
	from := 0
	if start != nil {
		from = len(hits)
		for i, h := range hits {
			if compareHits(p, *start, h) < 0 {
				from = i
				break
			}
		}
	}
	to := min(from+p.pageSize, len(hits))
	now := s.now()
	results := make([]any, 0, to-from)
	for _, h := range hits[from:to] {
		results = append(results, s.renderLocked(h.it, version, now))
	}
	var next any
	if to < len(hits) {
		payload, _ := json.Marshal(hits[to-1])
		next = base64.RawURLEncoding.EncodeToString(payload) + "." + s.sign(scope(string(payload))...)[:32]
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"object":              "list",
		"results":             results,
		"next_cursor":         next,
		"has_more":            to < len(hits),
		"type":                "page_or_data_source",
		"page_or_data_source": map[string]any{},
		"request_id":          c.rid,
	})
}

// bodyWithoutCursor is the query a cursor belongs to: its body, canonical,
// without the cursor itself.
func bodyWithoutCursor(body []byte) string {
	m, ok := rawObject(bytes.TrimSpace(body))
	if !ok {
		return ""
	}
	delete(m, "start_cursor")
	b, _ := json.Marshal(m)
	return string(b)
}
