package notiontest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file gives every emulated data source a schema with a column of
// every property type Notion documents, and every row a value in each,
// derived from the row's id so they are stable. Tests change them through
// SetRowValue, RenameProperty and AddOption.

// column is one property of a data source's schema.
type column struct {
	id, name, typ string
	options       []option // select, multi_select, status
	// generated is how many of options generated values choose from: the
	// ones the column started with, so adding an option changes no row.
	generated int
}

type option struct{ id, name, color, group string }

// cell is one row's value in one column, in a form both the renderer and
// the query filter read. The zero cell is empty.
type cell struct {
	text string   // text types, select and status names, people and relation ids in list
	num  *float64 // number, unique_id, formula and rollup numbers
	b    *bool    // checkbox
	list []string // multi_select names, people ids, relation ids, file names
	date string   // date start (YYYY-MM-DD), created/edited times (RFC 3339)
	end  string   // date end
}

var statusOptions = []option{
	{"5c7e3a1b-1f0e-4d8e-9b1c-2a6f0c1d9e01", "Not started", "default", "To-do"},
	{"8f2d6b4c-3a5e-4c7f-8d2e-4b9a1c3e5f02", "In progress", "blue", "In progress"},
	{"a1b3c5d7-e9f0-4a2b-9c4d-6e8f0a2b4c03", "Done", "green", "Complete"},
}

var priorityOptions = []option{{"p-high", "High", "red", ""}, {"p-med", "Medium", "yellow", ""}, {"p-low", "Low", "gray", ""}}
var tagOptions = []option{{"t-fe", "Frontend", "blue", ""}, {"t-be", "Backend", "green", ""},
	{"t-design", "Design", "pink", ""}, {"t-urgent", "Urgent", "red", ""}}

// columnsFor is a new data source's schema: its title column, then one of
// every type. "Verified" is a verification property, a type clients may
// not know.
func columnsFor(titleName string) []column {
	cols := []column{
		{id: "title", name: titleName, typ: "title"},
		{id: "%5EOE%40", name: "Status", typ: "status", options: slices.Clone(statusOptions)},
		{id: "Vx%7Bf", name: "Due", typ: "date"},
		{id: "prio", name: "Priority", typ: "select", options: slices.Clone(priorityOptions)},
		{id: "tags", name: "Tags", typ: "multi_select", options: slices.Clone(tagOptions)},
		{id: "note", name: "Notes", typ: "rich_text"},
		{id: "est", name: "Estimate", typ: "number"},
		{id: "done", name: "Reviewed", typ: "checkbox"},
		{id: "link", name: "Link", typ: "url"},
		{id: "mail", name: "Contact", typ: "email"},
		{id: "tel", name: "Phone", typ: "phone_number"},
		{id: "own", name: "Owner", typ: "people"},
		{id: "rel", name: "Related", typ: "relation"},
		{id: "frm", name: "Score", typ: "formula"},
		{id: "rol", name: "Subtasks", typ: "rollup"},
		{id: "att", name: "Attachments", typ: "files"},
		{id: "ct", name: "Created", typ: "created_time"},
		{id: "cb", name: "Created by", typ: "created_by"},
		{id: "et", name: "Edited", typ: "last_edited_time"},
		{id: "eb", name: "Edited by", typ: "last_edited_by"},
		{id: "uid", name: "ID", typ: "unique_id"},
		{id: "ver", name: "Verified", typ: "verification"},
	}
	for i := range cols {
		cols[i].generated = len(cols[i].options)
	}
	return cols
}

var (
	noteTexts = []string{"Waiting on design", "Blocked by legal review", "Ship behind a flag", "Café menu follow-up", "Needs a second pair of eyes"}
	ownerIDs  = []string{"9a1e6f3c-2b4d-4c8e-8f1a-3d5b7c9e1f01", "9a1e6f3c-2b4d-4c8e-8f1a-3d5b7c9e1f02", "9a1e6f3c-2b4d-4c8e-8f1a-3d5b7c9e1f03"}
)

// OwnerNames are the emulated people a row's Owner names, by id.
var OwnerNames = map[string]string{ownerIDs[0]: "Ada Lovelace", ownerIDs[1]: "Grace Hopper", ownerIDs[2]: "Émile Borel"}

func fptr(f float64) *float64 { return &f }
func bptr(b bool) *bool       { return &b }

// generatedCell is a row's value in a column before any SetRowValue: a
// mix of empty and filled values, stable for the row's id.
func (s *Server) generatedCell(row *item, ds *item, c column) cell {
	h := idHash(row.ID + "/" + c.id)
	empty := h%5 == 0
	switch c.typ {
	case "title":
		return cell{text: row.Title}
	case "status":
		return cell{text: c.options[idHash(row.ID)%uint64(c.generated)].name}
	case "date":
		if idHash(row.ID)%3 == 0 {
			return cell{}
		}
		d := row.LastEdited.AddDate(0, 0, int((idHash(row.ID)>>8)%40)-10)
		out := cell{date: d.Format("2006-01-02")}
		if h%4 == 0 {
			out.end = d.AddDate(0, 0, 3).Format("2006-01-02")
		}
		return out
	case "created_time":
		return cell{date: notionTime(row.Created)}
	case "last_edited_time":
		return cell{date: notionTime(row.LastEdited)}
	case "created_by", "last_edited_by":
		owner := ""
		if ws, ok := s.workspaces[row.ws]; ok {
			owner = ws.ownerID
		}
		return cell{text: owner}
	case "unique_id":
		return cell{num: fptr(float64(1 + idHash(row.ID)%9000))}
	case "formula":
		return cell{num: fptr(float64(h % 100))}
	case "rollup":
		return cell{num: fptr(float64(h % 7))}
	case "verification":
		return cell{text: "unverified"}
	}
	if empty {
		return cell{}
	}
	switch c.typ {
	case "select":
		return cell{text: c.options[h%uint64(c.generated)].name}
	case "multi_select":
		var l []string
		for i, o := range c.options[:c.generated] {
			if h>>(8+i)&1 == 1 {
				l = append(l, o.name)
			}
		}
		return cell{list: l}
	case "rich_text":
		return cell{text: noteTexts[h%uint64(len(noteTexts))]}
	case "number":
		return cell{num: fptr(float64(h%40) / 2)}
	case "checkbox":
		return cell{b: bptr(h&1 == 1)}
	case "url":
		return cell{text: "https://example.com/" + compactID(row.ID)[:8]}
	case "email":
		return cell{text: "team" + strconv.Itoa(int(h%9)) + "@example.com"}
	case "phone_number":
		return cell{text: "+41 44 555 0" + strconv.Itoa(int(h%90+10))}
	case "people":
		return cell{list: []string{ownerIDs[h%uint64(len(ownerIDs))]}}
	case "relation":
		return cell{list: []string{derivedUUID("related", row.ID)}}
	case "files":
		return cell{list: []string{"spec-" + strconv.Itoa(int(h%9)) + ".pdf"}}
	}
	return cell{}
}

// cellLocked is a row's current value in a column.
func (s *Server) cellLocked(row, ds *item, c column) cell {
	if v, ok := row.values[c.id]; ok {
		return v
	}
	if c.typ == "title" {
		return cell{text: row.Title}
	}
	return s.generatedCell(row, ds, c)
}

func (s *Server) renderCellLocked(row *item, c column, v cell) map[string]any {
	m := map[string]any{"id": c.id, "type": c.typ}
	optColor := func(name string) map[string]any {
		for _, o := range c.options {
			if o.name == name {
				return map[string]any{"id": o.id, "name": o.name, "color": o.color}
			}
		}
		return map[string]any{"id": derivedUUID("option", name), "name": name, "color": "default"}
	}
	user := func(id string) map[string]any {
		u := map[string]any{"object": "user", "id": id}
		if name, ok := OwnerNames[id]; ok {
			u["name"], u["avatar_url"], u["type"] = name, nil, "person"
		}
		return u
	}
	nullText := func(t string) any {
		if t == "" {
			return nil
		}
		return t
	}
	switch c.typ {
	case "title":
		m["title"] = richText(row.TitleParts, v.text)
	case "rich_text":
		m["rich_text"] = richText(nil, v.text)
	case "number":
		m["number"] = numOrNil(v.num)
	case "select", "status":
		if v.text == "" {
			m[c.typ] = nil
		} else {
			m[c.typ] = optColor(v.text)
		}
	case "multi_select":
		l := []any{}
		for _, n := range v.list {
			l = append(l, optColor(n))
		}
		m["multi_select"] = l
	case "date":
		if v.date == "" {
			m["date"] = nil
		} else {
			m["date"] = map[string]any{"start": v.date, "end": nullText(v.end), "time_zone": nil}
		}
	case "checkbox":
		m["checkbox"] = v.b != nil && *v.b
	case "url", "email", "phone_number":
		m[c.typ] = nullText(v.text)
	case "people":
		l := []any{}
		for _, id := range v.list {
			l = append(l, user(id))
		}
		m["people"] = l
	case "relation":
		l := []any{}
		for _, id := range v.list {
			l = append(l, map[string]any{"id": id})
		}
		m["relation"], m["has_more"] = l, false
	case "files":
		l := []any{}
		for _, n := range v.list {
			l = append(l, map[string]any{"name": n, "type": "external", "external": map[string]any{"url": "https://example.com/" + n}})
		}
		m["files"] = l
	case "formula":
		m["formula"] = map[string]any{"type": "number", "number": numOrNil(v.num)}
	case "rollup":
		m["rollup"] = map[string]any{"type": "number", "number": numOrNil(v.num), "function": "count"}
	case "created_time", "last_edited_time":
		m[c.typ] = v.date
	case "created_by", "last_edited_by":
		m[c.typ] = user(v.text)
	case "unique_id":
		m["unique_id"] = map[string]any{"prefix": "T", "number": numOrNil(v.num)}
	case "verification":
		m["verification"] = map[string]any{"state": v.text, "verified_by": nil, "date": nil}
	}
	return m
}

func numOrNil(n *float64) any {
	if n == nil {
		return nil
	}
	return *n
}

// rowPropertiesLocked renders a row's values for its data source's schema.
func (s *Server) rowPropertiesLocked(row, ds *item) map[string]any {
	props := make(map[string]any, len(ds.columns))
	for _, c := range ds.columns {
		props[c.name] = s.renderCellLocked(row, c, s.cellLocked(row, ds, c))
	}
	return props
}

// schemaLocked renders a data source's properties object.
func schemaLocked(ds *item) map[string]any {
	out := make(map[string]any, len(ds.columns))
	for _, c := range ds.columns {
		conf := map[string]any{}
		switch c.typ {
		case "select", "multi_select", "status":
			opts := make([]any, 0, len(c.options))
			for _, o := range c.options {
				opts = append(opts, map[string]any{"id": o.id, "name": o.name, "color": o.color, "description": nil})
			}
			conf["options"] = opts
			if c.typ == "status" {
				var groups []any
				for _, g := range []string{"To-do", "In progress", "Complete"} {
					var ids []string
					for _, o := range c.options {
						if o.group == g {
							ids = append(ids, o.id)
						}
					}
					groups = append(groups, map[string]any{"id": derivedUUID("group", g), "name": g, "color": "default", "option_ids": ids})
				}
				conf["groups"] = groups
			}
		case "number":
			conf["format"] = "number"
		case "formula":
			conf["expression"] = "prop(\"Estimate\") * 2"
		case "relation":
			conf["data_source_id"] = ds.ID
			conf["type"] = "single_property"
			conf["single_property"] = map[string]any{}
		case "rollup":
			conf["function"] = "count"
			conf["relation_property_name"] = "Related"
			conf["rollup_property_name"] = "Name"
		case "unique_id":
			conf["prefix"] = "T"
		}
		out[c.name] = map[string]any{"id": c.id, "name": c.name, "type": c.typ, "description": "", c.typ: conf}
	}
	return out
}

func (s *Server) mustDataSourceLocked(id string) *item {
	ds := s.mustItem(id)
	if ds.Kind != KindDataSource {
		panic(fmt.Sprintf("notiontest: %q is not a data source", id))
	}
	return ds
}

func findColumn(ds *item, name string) (int, bool) {
	for i, c := range ds.columns {
		if c.name == name || c.id == name {
			return i, true
		}
	}
	return -1, false
}

// dateOf parses a cell's date for comparisons: a date or a date-time.
func dateOf(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// cellText is what text conditions and sorts compare.
func cellText(v cell) string {
	if v.text != "" {
		return v.text
	}
	return strings.Join(v.list, ",")
}
