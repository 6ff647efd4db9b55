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
	"time"
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

// cond is a parsed filter: a compound or one condition on a column (col)
// or a timestamp.
type cond struct {
	and, or   []*cond
	col       int
	timestamp string
	op        string
	value     json.RawMessage
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

func opsFor(typ string) []string {
	switch typ {
	case "title", "rich_text", "url", "email", "phone_number":
		return textOps
	case "number", "unique_id":
		return numberOps
	case "select", "status":
		return selectOps
	case "multi_select", "people", "relation", "created_by", "last_edited_by", "files":
		return listOps
	case "date", "created_time", "last_edited_time":
		return dateOps
	case "checkbox":
		return boolOps
	}
	return nil
}

func parseCond(v json.RawMessage, ds *item, path string, depth int) (*cond, *queryError, string) {
	m, ok := rawObject(v)
	if !ok {
		return nil, &queryError{path, "an object", compactJSON(v)}, ""
	}
	for _, comp := range []string{"and", "or"} {
		raw, ok := m[comp]
		if !ok {
			continue
		}
		if len(m) != 1 {
			return nil, &queryError{path, "an object with exactly one of `and`, `or`, `property`, `timestamp`", compactJSON(v)}, ""
		}
		if depth >= 2 {
			return nil, nil, "body failed validation: filter nests compound filters more than two levels deep."
		}
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil || list == nil {
			return nil, &queryError{path + "." + comp, "an array", compactJSON(raw)}, ""
		}
		out := &cond{}
		for i, e := range list {
			sub, qe, msg := parseCond(e, ds, fmt.Sprintf("%s.%s[%d]", path, comp, i), depth+1)
			if qe != nil || msg != "" {
				return nil, qe, msg
			}
			if comp == "and" {
				out.and = append(out.and, sub)
			} else {
				out.or = append(out.or, sub)
			}
		}
		if comp == "and" && out.and == nil {
			out.and = []*cond{}
		}
		if comp == "or" && out.or == nil {
			out.or = []*cond{}
		}
		return out, nil, ""
	}
	c := &cond{col: -1}
	var typ string
	if ts, ok := m["timestamp"]; ok {
		name, ok := rawString(ts)
		if !ok || (name != "created_time" && name != "last_edited_time") {
			return nil, &queryError{path + ".timestamp", `"created_time" or "last_edited_time"`, compactJSON(ts)}, ""
		}
		c.timestamp, typ = name, name
	} else {
		name, ok := rawString(m["property"])
		if !ok {
			return nil, &queryError{path + ".property", "a string", compactJSON(m["property"])}, ""
		}
		i, found := findColumn(ds, name)
		if !found {
			return nil, nil, fmt.Sprintf("Could not find property with name or id: %s", name)
		}
		c.col, typ = i, ds.columns[i].typ
	}
	for _, k := range sortedKeys(m) {
		if k != "property" && k != "timestamp" && k != typ {
			return nil, &queryError{path + "." + k, "not present (the property is of type `" + typ + "`)", compactJSON(m[k])}, ""
		}
	}
	ops := opsFor(typ)
	if ops == nil {
		return nil, nil, fmt.Sprintf("body failed validation: filtering on a %s property is not supported.", typ)
	}
	inner, ok := rawObject(m[typ])
	if !ok || len(inner) != 1 {
		return nil, &queryError{path + "." + typ, "an object with one condition (" + strings.Join(ops, ", ") + ")", compactJSON(m[typ])}, ""
	}
	for op, val := range inner {
		if !slices.Contains(ops, op) {
			return nil, &queryError{path + "." + typ + "." + op, "one of " + strings.Join(ops, ", "), compactJSON(val)}, ""
		}
		if !validOperand(typ, op, val) {
			return nil, &queryError{path + "." + typ + "." + op, "a value of the right type", compactJSON(val)}, ""
		}
		c.op, c.value = op, val
	}
	return c, nil, ""
}

func validOperand(typ, op string, val json.RawMessage) bool {
	if op == "is_empty" || op == "is_not_empty" {
		return string(val) == "true"
	}
	switch {
	case typ == "number" || typ == "unique_id":
		_, err := strconv.ParseFloat(string(val), 64)
		return err == nil
	case typ == "checkbox":
		return string(val) == "true" || string(val) == "false"
	case slices.Contains(dateOps, op) && (typ == "date" || typ == "created_time" || typ == "last_edited_time"):
		s, ok := rawString(val)
		_, okd := dateOf(s)
		return ok && okd
	}
	_, ok := rawString(val)
	return ok
}

// match evaluates a condition on a row.
func (s *Server) matchLocked(c *cond, row, ds *item) bool {
	switch {
	case c.and != nil:
		for _, sub := range c.and {
			if !s.matchLocked(sub, row, ds) {
				return false
			}
		}
		return true
	case c.or != nil:
		for _, sub := range c.or {
			if s.matchLocked(sub, row, ds) {
				return true
			}
		}
		return false
	}
	var v cell
	typ := c.timestamp
	if c.timestamp != "" {
		t := row.LastEdited
		if c.timestamp == "created_time" {
			t = row.Created
		}
		v = cell{date: notionTime(t)}
	} else {
		col := ds.columns[c.col]
		typ = col.typ
		v = s.cellLocked(row, ds, col)
	}
	empty := v.text == "" && v.num == nil && v.b == nil && len(v.list) == 0 && v.date == ""
	switch c.op {
	case "is_empty":
		return empty
	case "is_not_empty":
		return !empty
	}
	switch typ {
	case "number", "unique_id":
		want, _ := strconv.ParseFloat(string(c.value), 64)
		if v.num == nil {
			return c.op == "does_not_equal"
		}
		n := *v.num
		switch c.op {
		case "equals":
			return n == want
		case "does_not_equal":
			return n != want
		case "greater_than":
			return n > want
		case "less_than":
			return n < want
		case "greater_than_or_equal_to":
			return n >= want
		case "less_than_or_equal_to":
			return n <= want
		}
	case "checkbox":
		got := v.b != nil && *v.b
		return (got == (string(c.value) == "true")) == (c.op == "equals")
	case "date", "created_time", "last_edited_time":
		ws, _ := rawString(c.value)
		want, _ := dateOf(ws)
		got, ok := dateOf(v.date)
		if !ok {
			return false
		}
		if len(ws) == len("2006-01-02") {
			// A date compares by day; a date-time exactly.
			got = time.Date(got.Year(), got.Month(), got.Day(), 0, 0, 0, 0, time.UTC)
		}
		switch c.op {
		case "equals":
			return got.Equal(want)
		case "before":
			return got.Before(want)
		case "after":
			return got.After(want)
		case "on_or_before":
			return !got.After(want)
		case "on_or_after":
			return !got.Before(want)
		}
	case "multi_select", "people", "relation", "files", "created_by", "last_edited_by":
		want, _ := rawString(c.value)
		list := v.list
		if typ == "created_by" || typ == "last_edited_by" {
			list = []string{v.text}
		}
		return slices.Contains(list, want) == (c.op == "contains")
	default: // text, select, status: Notion's text conditions are case-insensitive
		want, _ := rawString(c.value)
		got, w := strings.ToLower(v.text), strings.ToLower(want)
		switch c.op {
		case "equals":
			return got == w
		case "does_not_equal":
			return got != w
		case "contains":
			return strings.Contains(got, w)
		case "does_not_contain":
			return !strings.Contains(got, w)
		case "starts_with":
			return strings.HasPrefix(got, w)
		case "ends_with":
			return strings.HasSuffix(got, w)
		}
	}
	return false
}

// sortKey is one sort's value for a row, comparable across rows; empty
// values sort last whatever the direction, as in Notion.
type sortKey struct {
	N     float64 `json:"n,omitempty"`
	S     string  `json:"s,omitempty"`
	Empty bool    `json:"e,omitempty"`
}

type rowHit struct {
	ID   string    `json:"id"`
	Keys []sortKey `json:"k"`
	it   *item
}

func (s *Server) keysLocked(p queryParams, row, ds *item) []sortKey {
	keys := make([]sortKey, 0, len(p.sorts))
	for _, sp := range p.sorts {
		var k sortKey
		switch {
		case sp.timestamp == "created_time":
			k.N = float64(row.Created.Unix())
		case sp.timestamp == "last_edited_time":
			k.N = float64(row.LastEdited.Unix())
		default:
			v := s.cellLocked(row, ds, ds.columns[sp.col])
			switch {
			case v.num != nil:
				k.N = *v.num
			case v.b != nil:
				if *v.b {
					k.N = 1
				}
			case v.date != "":
				t, _ := dateOf(v.date)
				k.N = float64(t.Unix())
			default:
				k.S = strings.ToLower(cellText(v))
				k.Empty = k.S == ""
			}
		}
		keys = append(keys, k)
	}
	return keys
}

func compareHits(p queryParams, a, b rowHit) int {
	for i, sp := range p.sorts {
		ka, kb := a.Keys[i], b.Keys[i]
		if ka.Empty != kb.Empty {
			if ka.Empty {
				return 1
			}
			return -1
		}
		c := 0
		switch {
		case ka.N < kb.N:
			c = -1
		case ka.N > kb.N:
			c = 1
		default:
			c = strings.Compare(ka.S, kb.S)
		}
		if sp.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	if len(p.sorts) == 0 {
		// Unsorted: a stable order that is not the edit order.
		if ha, hb := idHash(a.ID), idHash(b.ID); ha != hb {
			if ha < hb {
				return -1
			}
			return 1
		}
	}
	return strings.Compare(a.ID, b.ID)
}

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
