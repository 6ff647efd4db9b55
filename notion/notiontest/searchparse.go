package notiontest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
)

// POST /v1/search's body, read as strictly as Notion reads it.

// searchParams is a validated search body.
type searchParams struct {
	query    string
	filter   string // "", "page", "data_source" (or "database" for old versions)
	sortDir  string // "", "ascending", "descending"
	cursor   string
	pageSize int
}

// parseSearch validates the body as strictly as Notion: unknown fields,
// nulls and wrong types are all validation errors.
func parseSearch(w http.ResponseWriter, c *call, version string) (searchParams, bool) {
	p := searchParams{pageSize: 100}
	body := bytes.TrimSpace(c.body)
	if len(body) == 0 {
		return p, true
	}
	if !json.Valid(body) {
		writeError(w, c, http.StatusBadRequest, "invalid_json", "Error parsing JSON body.")
		return p, false
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		validation(w, c, "body", "an object", body)
		return p, false
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the first problem reported is stable
	for _, k := range keys {
		v := raw[k]
		switch k {
		case "query":
			q, ok := rawString(v)
			if !ok {
				validation(w, c, "body.query", "a string or `undefined`", v)
				return p, false
			}
			p.query = q
		case "start_cursor":
			cur, ok := rawString(v)
			if !ok {
				validation(w, c, "body.start_cursor", "a string or `undefined`", v)
				return p, false
			}
			p.cursor = cur
		case "page_size":
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil {
				validation(w, c, "body.page_size", "a number or `undefined`", v)
				return p, false
			}
			if n < 1 || n > 100 {
				validation(w, c, "body.page_size", "a number between 1 and 100", v)
				return p, false
			}
			p.pageSize = int(n)
		case "filter":
			if !parseFilter(w, c, v, version, &p) {
				return p, false
			}
		case "sort":
			if !parseSort(w, c, v, &p) {
				return p, false
			}
		default:
			validation(w, c, "body."+k, "not present", v)
			return p, false
		}
	}
	return p, true
}

func parseFilter(w http.ResponseWriter, c *call, v json.RawMessage, version string, p *searchParams) bool {
	values := `"page" or "data_source"`
	allowed := []string{"page", "data_source"}
	if version < versionDataSources {
		values = `"page" or "database"`
		allowed = []string{"page", "database"}
	}
	m, ok := rawObject(v)
	if !ok {
		validation(w, c, "body.filter", "an object or `undefined`", v)
		return false
	}
	for _, k := range sortedKeys(m) {
		if k != "property" && k != "value" {
			validation(w, c, "body.filter."+k, "not present", m[k])
			return false
		}
	}
	prop, ok := rawString(m["property"])
	if !ok || prop != "object" {
		validation(w, c, "body.filter.property", `"object"`, m["property"])
		return false
	}
	val, ok := rawString(m["value"])
	if !ok || !slices.Contains(allowed, val) {
		validation(w, c, "body.filter.value", values, m["value"])
		return false
	}
	p.filter = val
	return true
}

func parseSort(w http.ResponseWriter, c *call, v json.RawMessage, p *searchParams) bool {
	m, ok := rawObject(v)
	if !ok {
		validation(w, c, "body.sort", "an object or `undefined`", v)
		return false
	}
	for _, k := range sortedKeys(m) {
		if k != "timestamp" && k != "direction" {
			validation(w, c, "body.sort."+k, "not present", m[k])
			return false
		}
	}
	ts, ok := rawString(m["timestamp"])
	if !ok || ts != "last_edited_time" {
		validation(w, c, "body.sort.timestamp", `"last_edited_time"`, m["timestamp"])
		return false
	}
	dir, ok := rawString(m["direction"])
	if !ok || (dir != "ascending" && dir != "descending") {
		validation(w, c, "body.sort.direction", `"ascending" or "descending"`, m["direction"])
		return false
	}
	p.sortDir = dir
	return true
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
