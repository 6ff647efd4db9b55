package notiontest

import (
	"fmt"
	"slices"
	"strconv"
)

// What tests do to data sources as a person would in Notion: edit a row,
// rename a property, add an option; and what they read back.

// SetRowValue sets a row's value in one column of its data source and
// bumps its last_edited_time, as an edit in Notion does. value is a
// string (text types, select, status, a date "2006-01-02"), a float64, a
// bool, a []string (multi_select, people ids, relation ids, files) or nil
// (empty). A select, multi-select or status value that is not an option
// becomes one, as Notion does.
func (s *Server) SetRowValue(rowID, prop string, value any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	row := s.mustItem(rowID)
	ds := s.dataSourceOfLocked(row)
	if ds == nil {
		panic(fmt.Sprintf("notiontest: %q is not a row of a data source", rowID))
	}
	i, ok := findColumn(ds, prop)
	if !ok {
		panic(fmt.Sprintf("notiontest: data source has no property %q", prop))
	}
	c := &ds.columns[i]
	var v cell
	switch x := value.(type) {
	case nil:
	case string:
		if c.typ == "date" {
			v.date = x
		} else {
			v.text = x
		}
	case float64:
		v.num = &x
	case bool:
		v.b = &x
	case []string:
		v.list = slices.Clone(x)
	default:
		panic(fmt.Sprintf("notiontest: unsupported value %T", value))
	}
	if c.typ == "title" {
		row.Title, row.TitleParts = v.text, nil
	}
	if c.options != nil {
		for _, n := range append([]string{v.text}, v.list...) {
			if n != "" && !slices.ContainsFunc(c.options, func(o option) bool { return o.name == n }) {
				c.options = append(c.options, option{id: derivedUUID("option", ds.ID, n), name: n, color: "default", group: "To-do"})
			}
		}
	}
	if row.values == nil {
		row.values = map[string]cell{}
	}
	row.values[c.id] = v
	row.LastEdited = s.editedNow()
	s.webhookLocked("properties_updated", row)
}

// RenameProperty renames a data source's column; rows keep their values.
// The webhook hears data_source.schema_updated.
func (s *Server) RenameProperty(dataSourceID, from, to string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.mustDataSourceLocked(dataSourceID)
	i, ok := findColumn(ds, from)
	if !ok {
		panic(fmt.Sprintf("notiontest: data source has no property %q", from))
	}
	ds.columns[i].name = to
	if ds.columns[i].typ == "title" {
		ds.TitleProperty = to
		for _, it := range s.items {
			if s.dataSourceOfLocked(it) == ds {
				it.TitleProperty = to
			}
		}
	}
	ds.LastEdited = s.editedNow()
	s.webhookLocked("properties_updated", ds) // data_source.schema_updated
}

// AddOption adds an option to a select, multi-select or status column.
func (s *Server) AddOption(dataSourceID, prop, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.mustDataSourceLocked(dataSourceID)
	i, ok := findColumn(ds, prop)
	if !ok || ds.columns[i].options == nil {
		panic(fmt.Sprintf("notiontest: data source has no option property %q", prop))
	}
	ds.columns[i].options = append(ds.columns[i].options, option{id: derivedUUID("option", ds.ID, name), name: name, color: "default", group: "To-do"})
	ds.LastEdited = s.editedNow()
	s.webhookLocked("properties_updated", ds) // data_source.schema_updated
}

// Schema returns a data source's property names and types, name → type.
func (s *Server) Schema(dataSourceID string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.mustDataSourceLocked(dataSourceID)
	out := map[string]string{}
	for _, c := range ds.columns {
		out[c.name] = c.typ
	}
	return out
}

// Rows returns the ids of a data source's rows that a query would list
// (shared, not in the trash), in no particular order.
func (s *Server) Rows(dataSourceID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.mustDataSourceLocked(dataSourceID)
	var out []string
	for _, id := range s.workspaces[ds.ws].order {
		if it := s.items[id]; s.dataSourceOfLocked(it) == ds && !it.InTrash && !it.Unshared {
			out = append(out, id)
		}
	}
	return out
}

// RowValue returns a row's value in one column as text: text, an option's
// name, a number (3, 2.5), true or false, a date's start (and " → end"),
// a list joined by ","; "" when empty.
func (s *Server) RowValue(rowID, prop string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	row := s.mustItem(rowID)
	ds := s.dataSourceOfLocked(row)
	if ds == nil {
		panic(fmt.Sprintf("notiontest: %q is not a row of a data source", rowID))
	}
	i, ok := findColumn(ds, prop)
	if !ok {
		panic(fmt.Sprintf("notiontest: data source has no property %q", prop))
	}
	v := s.cellLocked(row, ds, ds.columns[i])
	switch {
	case v.num != nil:
		return strconv.FormatFloat(*v.num, 'f', -1, 64)
	case v.b != nil:
		return strconv.FormatBool(*v.b)
	case v.date != "" && v.end != "":
		return v.date + " → " + v.end
	case v.date != "":
		return v.date
	}
	return cellText(v)
}

// Options returns the names of a select, multi-select or status column's
// options, in order.
func (s *Server) Options(dataSourceID, prop string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.mustDataSourceLocked(dataSourceID)
	i, ok := findColumn(ds, prop)
	if !ok {
		panic(fmt.Sprintf("notiontest: data source has no property %q", prop))
	}
	var out []string
	for _, o := range ds.columns[i].options {
		out = append(out, o.name)
	}
	return out
}
