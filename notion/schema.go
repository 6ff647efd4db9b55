package notion

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// PropertyType is a data-source property's type, as Notion names it.
// Types this client does not know keep their name and their raw JSON.
type PropertyType string

// The property types Notion documents (notion-api.md, "Data sources").
const (
	PropTitle          PropertyType = "title"
	PropRichText       PropertyType = "rich_text"
	PropNumber         PropertyType = "number"
	PropSelect         PropertyType = "select"
	PropMultiSelect    PropertyType = "multi_select"
	PropStatus         PropertyType = "status"
	PropDate           PropertyType = "date"
	PropPeople         PropertyType = "people"
	PropFiles          PropertyType = "files"
	PropCheckbox       PropertyType = "checkbox"
	PropURL            PropertyType = "url"
	PropEmail          PropertyType = "email"
	PropPhoneNumber    PropertyType = "phone_number"
	PropFormula        PropertyType = "formula"
	PropRelation       PropertyType = "relation"
	PropRollup         PropertyType = "rollup"
	PropCreatedTime    PropertyType = "created_time"
	PropCreatedBy      PropertyType = "created_by"
	PropLastEditedTime PropertyType = "last_edited_time"
	PropLastEditedBy   PropertyType = "last_edited_by"
	PropUniqueID       PropertyType = "unique_id"
	PropVerification   PropertyType = "verification"
	PropButton         PropertyType = "button"
)

// Known reports a type whose values this client decodes; any other type's
// values are kept raw (Value.Raw).
func (t PropertyType) Known() bool {
	switch t {
	case PropTitle, PropRichText, PropNumber, PropSelect, PropMultiSelect, PropStatus, PropDate,
		PropPeople, PropFiles, PropCheckbox, PropURL, PropEmail, PropPhoneNumber, PropFormula,
		PropRelation, PropRollup, PropCreatedTime, PropCreatedBy, PropLastEditedTime,
		PropLastEditedBy, PropUniqueID:
		return true
	}
	return false
}

// HasOptions reports the types whose values are chosen from a list of options.
func (t PropertyType) HasOptions() bool {
	return t == PropSelect || t == PropMultiSelect || t == PropStatus
}

// Option is one choice of a select, multi-select or status property.
type Option struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name"`
	Color string `json:"color,omitempty"`
}

// StatusGroup is a status property's group ("To-do", "In progress",
// "Complete") and the options in it.
type StatusGroup struct {
	ID        string   `json:"id,omitempty"`
	Name      string   `json:"name"`
	Color     string   `json:"color,omitempty"`
	OptionIDs []string `json:"option_ids,omitempty"`
}

// PropertySchema is one column of a data source.
type PropertySchema struct {
	ID   string       `json:"id"`
	Name string       `json:"name"`
	Type PropertyType `json:"type"`
	// Options are a select, multi-select or status property's choices, in
	// Notion's order.
	Options []Option `json:"options,omitempty"`
	// Groups are a status property's groups.
	Groups []StatusGroup `json:"groups,omitempty"`
	// Config is the type's whole configuration object as Notion sent it (a
	// formula's expression, a relation's data source, a number's format, or
	// anything of a type this client does not know), so nothing is lost.
	Config json.RawMessage `json:"config,omitempty"`
}

// Option finds an option by its exact name.
func (p PropertySchema) Option(name string) (Option, bool) {
	for _, o := range p.Options {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

// Schema is a data source's columns: what GET /v1/data_sources/{id}
// answers, and what both reading rows and writing them (capture) go by.
type Schema struct {
	DataSourceID string `json:"data_source_id"`
	// DatabaseID is the database container holding the data source.
	DatabaseID string `json:"database_id,omitempty"`
	Title      string `json:"title"`
	URL        string `json:"url,omitempty"`
	// Properties are the columns: the title column first, then the others
	// by name. (Notion's properties object carries no order, and the API
	// does not expose a view's column order.)
	Properties []PropertySchema `json:"properties"`
}

// Property finds a column by name, ignoring case as a person typing it
// would; an exact match wins over a case-insensitive one.
func (s *Schema) Property(name string) (PropertySchema, bool) {
	for _, p := range s.Properties {
		if p.Name == name {
			return p, true
		}
	}
	for _, p := range s.Properties {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return PropertySchema{}, false
}

// TitleProperty is the title column (every data source has exactly one).
func (s *Schema) TitleProperty() (PropertySchema, bool) {
	for _, p := range s.Properties {
		if p.Type == PropTitle {
			return p, true
		}
	}
	return PropertySchema{}, false
}

// Names lists the column names, in Properties' order.
func (s *Schema) Names() []string {
	out := make([]string, len(s.Properties))
	for i, p := range s.Properties {
		out[i] = p.Name
	}
	return out
}

type wireSchemaProp struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

type wireOptions struct {
	Options []Option      `json:"options"`
	Groups  []StatusGroup `json:"groups"`
}

// DecodeSchema reads a data source object. A column that does not decode
// is kept by name with its raw JSON as Config, never an error; only a body
// that is not a data source fails.
func DecodeSchema(body []byte) (*Schema, error) {
	var w struct {
		Object string                     `json:"object"`
		ID     string                     `json:"id"`
		URL    string                     `json:"url"`
		Title  json.RawMessage            `json:"title"`
		Parent *wireParent                `json:"parent"`
		Props  map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("%w: data source: %v", ErrMalformedResponse, err)
	}
	if w.Object != "data_source" || w.ID == "" {
		return nil, fmt.Errorf("%w: not a data source (object %.40q)", ErrMalformedResponse, w.Object)
	}
	s := &Schema{DataSourceID: w.ID, URL: w.URL, Title: joinRichText(w.Title)}
	if p := w.Parent.parent(); p.Type == ParentDatabase {
		s.DatabaseID = p.ID
	}
	for key, raw := range w.Props {
		s.Properties = append(s.Properties, decodeSchemaProp(key, raw))
	}
	sortProperties(s.Properties)
	return s, nil
}

func decodeSchemaProp(key string, raw json.RawMessage) PropertySchema {
	p := PropertySchema{Name: key}
	var w wireSchemaProp
	if json.Unmarshal(raw, &w) != nil {
		p.Config = raw
		return p
	}
	p.ID, p.Type = w.ID, PropertyType(w.Type)
	if w.Name != "" {
		p.Name = w.Name
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) == nil && w.Type != "" {
		p.Config = m[w.Type]
	}
	if p.Type.HasOptions() && len(p.Config) > 0 {
		var o wireOptions
		if json.Unmarshal(p.Config, &o) == nil {
			p.Options, p.Groups = o.Options, o.Groups
		}
	}
	return p
}

func sortProperties(ps []PropertySchema) {
	slices.SortStableFunc(ps, func(a, b PropertySchema) int {
		if (a.Type == PropTitle) != (b.Type == PropTitle) {
			if a.Type == PropTitle {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
}
