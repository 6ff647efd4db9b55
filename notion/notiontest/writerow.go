package notiontest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// POST /v1/pages with a data_source_id parent (or a database_id parent
// naming a database with one data source): a row, its properties checked
// against the schema as strictly as Notion. A property that does not
// exist, a value of the wrong shape, a status option that does not exist
// or a computed property is a 400 validation_error. A select or
// multi-select option that is new is added to the schema, as Notion does
// (a name with a comma is refused); status options never are. Properties
// not given are empty, and the row is in the data source's queries.

// rowValue is one parsed property value, and the options it adds.
type rowValue struct {
	col     int
	v       cell
	newOpts []string
}

// handleCreateRow serves a create whose parent is a data source or a
// database.
func (s *Server) handleCreateRow(w http.ResponseWriter, c *call, g *grant, version string, m, parent map[string]json.RawMessage) {
	for _, k := range sortedKeys(parent) {
		if k != "data_source_id" && k != "database_id" && k != "type" {
			validation(w, c, "body.parent."+k, "not present", parent[k])
			return
		}
	}
	key := "data_source_id"
	if _, ok := parent[key]; !ok {
		key = "database_id"
	}
	raw, _ := rawString(parent[key])
	id, ok := normalizeUUID(raw)
	if !ok {
		validation(w, c, "body.parent."+key, "a valid uuid", parent[key])
		return
	}
	props := map[string]json.RawMessage{}
	if rp, present := m["properties"]; present {
		if props, ok = rawObject(rp); !ok {
			validation(w, c, "body.properties", "an object", rp)
			return
		}
	}
	markdown, children, ok := parseContent(w, c, m)
	if !ok {
		return
	}

	s.mu.Lock()
	ds, status, msg := s.rowParentLocked(g, key, id, version)
	if ds == nil {
		s.mu.Unlock()
		code := "validation_error"
		if status == http.StatusNotFound {
			code = "object_not_found"
		}
		writeError(w, c, status, code, msg)
		return
	}
	wr := s.wrLocked()
	if wr.noInsert[g.ws] {
		s.mu.Unlock()
		restricted(w, c)
		return
	}
	var vals []rowValue
	for _, name := range sortedKeys(props) {
		i, found := findColumn(ds, name)
		if !found {
			s.mu.Unlock()
			writeError(w, c, http.StatusBadRequest, "validation_error", fmt.Sprintf("%s is not a property that exists.", name))
			return
		}
		rv, msg := parseRowValue(ds.columns[i], "body.properties."+name, props[name])
		if msg != "" {
			s.mu.Unlock()
			writeError(w, c, http.StatusBadRequest, "validation_error", msg)
			return
		}
		rv.col = i
		vals = append(vals, rv)
	}
	// Valid: new options join the schema, then the row is made.
	values := map[string]cell{}
	for _, col := range ds.columns {
		switch col.typ {
		case "created_by", "last_edited_by":
			values[col.id] = cell{text: g.botID}
		case "title", "formula", "rollup", "created_time", "last_edited_time", "unique_id", "verification":
			// The title is the item's; computed values: the generated ones stand.
		default:
			values[col.id] = cell{}
		}
	}
	var title []string
	for _, rv := range vals {
		col := &ds.columns[rv.col]
		for _, n := range rv.newOpts {
			col.options = append(col.options, option{id: derivedUUID("option", ds.ID, n), name: n, color: "default"})
			ds.LastEdited = s.editedNow()
		}
		if col.typ == "title" {
			title = rv.v.list
			continue
		}
		values[col.id] = rv.v
	}
	now := s.editedNow()
	rowID := s.addItemLocked(g.ws, ItemSpec{Title: strings.Join(title, ""), TitleParts: title,
		ParentType: "data_source_id", ParentID: ds.ID, Created: now, LastEdited: now})
	it := s.items[rowID]
	it.createdBy = g.botID
	it.values = values
	s.mdLocked().bodies[rowID] = markdown
	for _, b := range children {
		b.created, b.createdBy = it.Created, g.botID
	}
	wr.tail[rowID] = children
	body := s.renderLocked(it, version, s.now())
	s.webhookLocked("created", it)
	s.mu.Unlock()
	body["request_id"] = c.rid
	writeJSON(w, http.StatusOK, body)
}

// rowParentLocked resolves a row's parent to its data source, or says why
// not (a status and Notion's message).
func (s *Server) rowParentLocked(g *grant, key, id, version string) (*item, int, string) {
	notFound := func(what string) (*item, int, string) {
		return nil, http.StatusNotFound, fmt.Sprintf("Could not find %s with ID: %s. Make sure the relevant pages and databases are shared with your integration.", what, id)
	}
	visible := func(it *item) bool {
		return it != nil && it.ws == g.ws && !it.Unshared && !it.InTrash && it.Kind == KindDataSource
	}
	if key == "data_source_id" {
		if version < versionDataSources {
			return nil, http.StatusBadRequest, "body failed validation: body.parent.data_source_id should be not present, instead was `\"" + id + "\"`."
		}
		if ds := s.items[id]; visible(ds) {
			return ds, 0, ""
		}
		return notFound("data source")
	}
	var found []*item
	for _, it := range s.items {
		if visible(it) && it.DatabaseID == id {
			found = append(found, it)
		}
	}
	switch {
	case len(found) == 0:
		return notFound("database")
	case len(found) > 1:
		return nil, http.StatusBadRequest, "Databases with multiple data sources are not supported in this API version. Use a data_source_id parent."
	}
	return found[0], 0, ""
}

// parseContent reads a create's body: markdown or children, not both.
func parseContent(w http.ResponseWriter, c *call, m map[string]json.RawMessage) (string, []*blockRec, bool) {
	markdown := ""
	if raw, ok := m["markdown"]; ok {
		if markdown, ok = rawString(raw); !ok {
			validation(w, c, "body.markdown", "a string", raw)
			return "", nil, false
		}
	}
	var children []*blockRec
	if raw, ok := m["children"]; ok {
		if _, md := m["markdown"]; md {
			writeError(w, c, http.StatusBadRequest, "validation_error",
				"body failed validation: body.markdown and body.children should not both be present.")
			return "", nil, false
		}
		if children, ok = parseBlocks(w, c, raw); !ok {
			return "", nil, false
		}
	}
	return markdown, children, true
}

// parseRowValue reads one property value of a row being created: the
// object {<type>: …} (optionally with "type" and "id") for its column.
// A title's parts come back in the cell's list.
func parseRowValue(col column, path string, raw json.RawMessage) (rowValue, string) {
	should := func(path, want string, raw json.RawMessage) (rowValue, string) {
		return rowValue{}, fmt.Sprintf("body failed validation: %s should be %s, instead was `%s`.", path, want, compactJSON(raw))
	}
	obj, ok := rawObject(raw)
	if !ok {
		return should(path, "an object", raw)
	}
	switch col.typ {
	case "formula", "rollup", "created_time", "created_by", "last_edited_time", "last_edited_by", "unique_id", "verification", "button", "files":
		return rowValue{}, fmt.Sprintf("%s is a %s property, which cannot be set through the API.", col.name, col.typ)
	}
	for _, k := range sortedKeys(obj) {
		switch k {
		case col.typ, "id":
		case "type":
			if t, ok := rawString(obj[k]); !ok || t != col.typ {
				return should(path+".type", "`"+col.typ+"`", obj[k])
			}
		default:
			return should(path+"."+k, "not present (the property is of type `"+col.typ+"`)", obj[k])
		}
	}
	v, present := obj[col.typ]
	if !present {
		return should(path+"."+col.typ, "defined", nil)
	}
	path += "." + col.typ
	isNull := string(v) == "null"
	var rv rowValue
	switch col.typ {
	case "title", "rich_text":
		parts, msg := richTextParts(path, v)
		if msg != "" {
			return rowValue{}, msg
		}
		rv.v = cell{text: strings.Join(parts, "")}
		if col.typ == "title" {
			rv.v.list = parts
		}
	case "number":
		if !isNull {
			n, err := strconv.ParseFloat(string(v), 64)
			if err != nil || strings.HasPrefix(string(v), "\"") {
				return should(path, "a number or `null`", v)
			}
			rv.v.num = &n
		}
	case "checkbox":
		if string(v) != "true" && string(v) != "false" {
			return should(path, "a boolean", v)
		}
		rv.v.b = bptr(string(v) == "true")
	case "select", "status":
		if !isNull {
			name, added, msg := pickOption(col, path, v)
			if msg != "" {
				return rowValue{}, msg
			}
			rv.v.text, rv.newOpts = name, added
		}
	case "multi_select":
		var arr []json.RawMessage
		if json.Unmarshal(v, &arr) != nil || arr == nil {
			return should(path, "an array", v)
		}
		for i, el := range arr {
			name, added, msg := pickOption(col, fmt.Sprintf("%s[%d]", path, i), el)
			if msg != "" {
				return rowValue{}, msg
			}
			if !slices.Contains(rv.v.list, name) {
				rv.v.list = append(rv.v.list, name)
			}
			for _, a := range added {
				if !slices.Contains(rv.newOpts, a) {
					rv.newOpts = append(rv.newOpts, a)
				}
			}
		}
	case "date":
		if !isNull {
			d, ok := rawObject(v)
			if !ok {
				return should(path, "an object or `null`", v)
			}
			start, ok := rawString(d["start"])
			if _, valid := dateOf(start); !ok || !valid {
				return should(path+".start", "an ISO 8601 date or date-time", d["start"])
			}
			rv.v.date = start
			if e, ok := d["end"]; ok && string(e) != "null" {
				end, ok := rawString(e)
				if _, valid := dateOf(end); !ok || !valid {
					return should(path+".end", "an ISO 8601 date or date-time or `null`", e)
				}
				rv.v.end = end
			}
		}
	case "url", "email", "phone_number":
		if !isNull {
			t, ok := rawString(v)
			if !ok {
				return should(path, "a string or `null`", v)
			}
			rv.v.text = t
		}
	case "people", "relation":
		var arr []json.RawMessage
		if json.Unmarshal(v, &arr) != nil || arr == nil {
			return should(path, "an array", v)
		}
		for i, el := range arr {
			o, _ := rawObject(el)
			ref, ok := rawString(o["id"])
			id, valid := normalizeUUID(ref)
			if !ok || !valid {
				return should(fmt.Sprintf("%s[%d].id", path, i), "a valid uuid", o["id"])
			}
			rv.v.list = append(rv.v.list, id)
		}
	default:
		return rowValue{}, fmt.Sprintf("%s is a %s property, which cannot be set through the API.", col.name, col.typ)
	}
	return rv, ""
}

// pickOption reads {"name": …} or {"id": …} for a select, multi-select or
// status: an existing option, or (select and multi-select, by name) a new
// one, returned in added.
func pickOption(col column, path string, raw json.RawMessage) (name string, added []string, msg string) {
	o, ok := rawObject(raw)
	if !ok {
		return "", nil, fmt.Sprintf("body failed validation: %s should be an object, instead was `%s`.", path, compactJSON(raw))
	}
	if idRaw, ok := o["id"]; ok {
		id, _ := rawString(idRaw)
		for _, op := range col.options {
			if op.id == id {
				return op.name, nil, ""
			}
		}
		return "", nil, fmt.Sprintf("Invalid %s option id: %s.", col.typ, compactJSON(idRaw))
	}
	n, ok := rawString(o["name"])
	if !ok || strings.TrimSpace(n) == "" {
		return "", nil, fmt.Sprintf("body failed validation: %s.name should be a non-empty string, instead was `%s`.", path, compactJSON(o["name"]))
	}
	for _, op := range col.options {
		if op.name == n {
			return op.name, nil, ""
		}
	}
	switch {
	case col.typ == "status":
		return "", nil, fmt.Sprintf("Invalid status option. Status option %q does not exist.", n)
	case strings.Contains(n, ","):
		return "", nil, fmt.Sprintf("Invalid %s option, commas not allowed: %s", col.typ, n)
	}
	return n, []string{n}, ""
}
