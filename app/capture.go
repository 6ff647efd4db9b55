// What a capture targets: a page, or a database's data source whose rows
// take properties typed by a person and read against its schema.

package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// Errors a capture into a database can meet.
var (
	// ErrPropsOnPage: properties were given for a page under a page, which
	// has only its title.
	ErrPropsOnPage = errors.New("a page under a page has only a title; properties are set on a database's rows")
	// ErrSeveralDataSources: a database id names a database with several
	// data sources; a row goes into one of them.
	ErrSeveralDataSources = errors.New("that database has several data sources; give the id of one")
)

// Capture is what a person typed to capture: a new page (under a page, or
// a row of a database with its properties) or a note to append.
type Capture struct {
	Kind store.OutboxKind
	// Parent is the page (or, for a new page, the data source or
	// database) by id, as listed.
	Parent string
	Title  string
	Body   string // markdown
	// Props are a row's property values as typed, by property name
	// (matched ignoring case); an empty value sets nothing. The title
	// property may stand for Title. Only a database's rows take them.
	Props map[string]string
}

// FormField is one property a new row's form asks for.
type FormField struct {
	Name string
	// Type is Notion's property type: title, rich_text, number, checkbox,
	// select, multi_select, status, date, url, email or phone_number.
	Type string
	// Options are the choices of a select, multi_select or status, in
	// Notion's order.
	Options []string
}

// target is where a capture goes.
type target struct {
	ws, id, title string
	kind          store.Kind
	schema        *notion.Schema // a data source's
	fresh         bool           // schema was read from Notion just now
}

// captureTarget resolves a capture's parent among the listed items: a page,
// a data source, or a database whose single data source is meant. A data
// source's schema is the stored one; when none is stored it is read from
// Notion.
func (c *Core) captureTarget(ctx context.Context, id string, withSchema bool) (target, error) {
	h, err := c.Item(id)
	if errors.Is(err, ErrUnknownItem) {
		h, err = c.dataSourceOf(id)
	}
	if err != nil {
		return target{}, err
	}
	t := target{ws: h.WorkspaceID, id: h.ID, title: DisplayTitle(h.Title), kind: h.Kind}
	if h.Kind != store.KindDatabase || !withSchema {
		return t, nil
	}
	t.schema, t.fresh, err = c.schemaOf(ctx, h.WorkspaceID, h.ID, false)
	return t, err
}

// dataSourceOf finds the one listed data source of the database id.
func (c *Core) dataSourceOf(id string) (*Hit, error) {
	norm, ok := notion.NormalizeID(id)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownItem, id)
	}
	all, err := c.store.AllItems()
	if err != nil {
		return nil, err
	}
	var ids, named []string
	for _, items := range all {
		for _, it := range items {
			if it.Kind == store.KindDatabase && it.DatabaseID == norm {
				ids = append(ids, it.ID)
				named = append(named, it.ID+" ("+DisplayTitle(it.Title)+")")
			}
		}
	}
	switch len(ids) {
	case 0:
		return nil, fmt.Errorf("%w: %s", ErrUnknownItem, id)
	case 1:
		return c.Item(ids[0])
	}
	slices.Sort(named)
	return nil, fmt.Errorf("%w: %s", ErrSeveralDataSources, strings.Join(named, ", "))
}

// schemaOf is a data source's schema: the stored one, unless fresh is
// asked for or none is stored, then Notion's (fromNotion).
func (c *Core) schemaOf(ctx context.Context, ws, ds string, fresh bool) (_ *notion.Schema, fromNotion bool, _ error) {
	if !fresh {
		rec, err := c.store.RowSource(ws, ds)
		if err == nil {
			var s notion.Schema
			if err := json.Unmarshal(rec.Schema, &s); err == nil {
				return &s, false, nil
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, false, err
		}
	}
	w, err := c.store.Workspace(ws)
	if err != nil {
		return nil, false, fmt.Errorf("%w: %s", ErrUnknownWorkspace, ws)
	}
	// A person waits on it: interactive, like the send that follows.
	ctx = notion.WithPriority(ctx, notion.PriorityInteractive)
	var s *notion.Schema
	err = c.withToken(ctx, w, func(tok notion.Secret) error {
		var ferr error
		s, ferr = c.api.DataSourceSchema(ctx, tok, ds)
		return ferr
	})
	if err != nil {
		return nil, false, fmt.Errorf("reading the database's properties, to check the values given (a sync keeps them for offline use): %w", err)
	}
	return s, true, nil
}

// Form is what the window's form for a new page in parentID asks for: the
// title alone under a page; a data source's settable properties in its
// schema's order, the title first, with their options.
func (o Outbox) Form(ctx context.Context, parentID string) ([]FormField, error) {
	t, err := o.c.captureTarget(ctx, parentID, true)
	if err != nil {
		return nil, err
	}
	if t.schema == nil {
		return []FormField{{Name: "title", Type: string(notion.PropTitle)}}, nil
	}
	var out []FormField
	for _, p := range t.schema.Properties {
		if !rows.Writable(p.Type) {
			continue
		}
		f := FormField{Name: p.Name, Type: string(p.Type)}
		for _, op := range p.Options {
			f.Options = append(f.Options, op.Name)
		}
		out = append(out, f)
	}
	return out, nil
}

// rowProps reads a row capture's typed values against the schema, the
// title among them. A refusal by a stored schema is checked against
// Notion's current one (an option added since the last sync), when it can
// be read. Errors are *rows.ValueError.
func (c *Core) rowProps(ctx context.Context, t *target, cp *Capture) (map[string]notion.Value, error) {
	parse := func() (map[string]notion.Value, error) {
		vals, err := rows.ParseValues(t.schema, cp.Props, c.now())
		if err != nil {
			return nil, err
		}
		tp, ok := t.schema.TitleProperty()
		if !ok {
			return nil, fmt.Errorf("the database %s has no title property", t.title)
		}
		if v, ok := vals[tp.Name]; ok {
			switch {
			case cp.Title == "":
				cp.Title = v.Text
			case v.Text != cp.Title:
				return nil, &rows.ValueError{Prop: tp.Name, Err: rows.ErrBadValue, Why: "the title is given twice"}
			}
		}
		vals[tp.Name] = notion.Value{Type: notion.PropTitle, Text: cp.Title}
		return vals, nil
	}
	vals, err := parse()
	var ve *rows.ValueError
	if errors.As(err, &ve) && !errors.Is(err, rows.ErrBadValue) && !t.fresh {
		if s, _, ferr := c.schemaOf(ctx, t.ws, t.id, true); ferr == nil {
			t.schema, t.fresh = s, true
			vals, err = parse()
		}
	}
	return vals, err
}
