package notiontest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A data-source query's filter: checked against the schema as Notion
// checks it, then matched against each row.

// cond is a parsed filter: a compound or one condition on a column (col)
// or a timestamp.
type cond struct {
	and, or   []*cond
	col       int
	timestamp string
	op        string
	value     json.RawMessage
}

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
