// Databases' rows: synced per data source (app/rows), queried offline.

package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pagedeck/pagedeck/app/index"
	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// Errors a user sees about databases' rows.
var (
	// ErrNoSuchDatabase: no stored data source has that id or title.
	ErrNoSuchDatabase = errors.New("no database with that id or title has rows stored")
	// ErrAmbiguousDatabase: the title names several data sources.
	ErrAmbiguousDatabase = errors.New("several databases have that title")
)

// RowsSyncResult is what SyncRows did in one workspace.
type RowsSyncResult struct {
	Sources int // data sources synced
	Rows    int // rows read
	Calls   int // query calls
	Gone    int // data sources no longer shared, forgotten
}

// Databases is the core's side of databases: each data source's schema and
// its rows with their property values, kept here and queried offline.
type Databases struct{ c *Core }

// Databases is the workspaces' databases.
func (c *Core) Databases() Databases { return Databases{c} }

// Sync brings the rows of every data source the workspace lists up to
// date, at background priority, and forgets the rows of data sources that
// left the list. Run it after Sync. A data source that fails does not stop
// the others; their errors are joined.
func (d Databases) Sync(ctx context.Context, ws string, full bool) (RowsSyncResult, error) {
	c := d.c
	unlock, err := c.lockWorkspace(ctx, ws)
	if err != nil {
		return RowsSyncResult{}, err
	}
	defer unlock()
	w, err := c.store.Workspace(ws)
	if err != nil {
		return RowsSyncResult{}, fmt.Errorf("%w: %s", ErrUnknownWorkspace, ws)
	}
	if w.Status == store.StatusNeedsReconnect {
		return RowsSyncResult{}, nil
	}
	items, err := c.store.Items(ws)
	if err != nil {
		return RowsSyncResult{}, err
	}
	listed := map[string]bool{}
	var sources []string
	for _, it := range items {
		if it.Kind == store.KindDatabase {
			listed[it.ID] = true
			sources = append(sources, it.ID)
		}
	}
	var res RowsSyncResult
	stored, err := c.store.RowSources(ws)
	if err != nil {
		return res, err
	}
	for _, s := range stored {
		if !listed[s.ID] {
			if err := c.store.DeleteRowSource(ws, s.ID); err != nil {
				return res, err
			}
			res.Gone++
		}
	}
	// Like the items, a full read now and then drops rows that are gone.
	syncer := &rows.Syncer{Client: c.api, Store: c.store, Workspace: ws, Now: c.now, FullEvery: FullSyncEvery}
	bg := notion.WithPriority(ctx, notion.PriorityBackground)
	var errs []error
	err = c.withToken(bg, w, func(tok notion.Secret) error {
		res.Sources, res.Rows, res.Calls, errs = 0, 0, 0, nil
		for _, id := range sources {
			r, err := syncer.Sync(bg, tok, id, full)
			res.Calls += r.Calls
			switch {
			case notion.IsUnauthorized(err) || ctx.Err() != nil:
				return err
			case err != nil:
				errs = append(errs, err)
			case r.Gone:
				res.Gone++
			default:
				res.Sources++
				res.Rows += r.Read
			}
		}
		return nil
	})
	return res, errors.Join(append(errs, err)...)
}

// Count is how many database rows the workspace has stored with their
// properties (0 when they cannot be read).
func (d Databases) Count(ws string) int {
	c := d.c
	srcs, err := c.store.RowSources(ws)
	if err != nil {
		return 0
	}
	n := 0
	for _, s := range srcs {
		n += s.Rows
	}
	return n
}

// RowsQuery asks for a database's rows.
type RowsQuery struct {
	// DB is a data source or database id, or a title naming exactly one.
	DB    string
	Where []string // filter expressions, all of which must hold
	Sort  string   // PROP[:asc|desc]; "" is newest edit first
	Limit int      // 0 is all
	// Text is what a person typed in the search box over the table:
	// words naming a property (status:doing, due<today+7) are filters,
	// the others must each occur in the title.
	Text string
}

// Columns are the properties a table of the answer shows: the title, then
// up to n others, the most telling first (a status, a select, a date…), as
// the command line's table does.
func (a RowsAnswer) Columns(n int) []string {
	var out []string
	if t, ok := a.Source.Schema.TitleProperty(); ok {
		out = append(out, t.Name)
	}
	for _, p := range rows.Columns(&a.Source.Schema, n) {
		out = append(out, p.Name)
	}
	return out
}

// glanceColumns is how many of a row's values a result line shows.
const glanceColumns = 3

// Glance is a database row's most telling values (a status, a select, a
// date…) for its line among the results, the empty ones left out; nil
// when its data source's rows are not stored. The first glance into a
// data source reads its rows from the store: call it off the UI goroutine.
func (d Databases) Glance(h *Hit) []string {
	if h.ParentType != store.ParentDataSource {
		return nil
	}
	t, err := d.c.rowTables.Table(d.c.store, h.WorkspaceID, h.ParentID)
	if err != nil {
		return nil
	}
	r, ok, err := t.RowByID(h.ID)
	if !ok || err != nil {
		return nil
	}
	var out []string
	for _, p := range rows.Columns(&t.Source.Schema, glanceColumns) {
		if s := r.Properties[p.Name].String(); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// textWhere reads the words of text as filters over s: property words as
// they are, the rest as "the title contains".
func textWhere(text string, s *notion.Schema) []string {
	var where []string
	title, hasTitle := s.TitleProperty()
	for _, w := range strings.Fields(text) {
		if expr, name, ok := rows.FilterWord(w); ok {
			if _, known := s.Property(name); known {
				where = append(where, expr)
				continue
			}
		}
		if hasTitle {
			where = append(where, title.Name+"~"+w)
		}
	}
	return where
}

// RowsAnswer is a database's matching rows.
type RowsAnswer struct {
	Workspace string
	Source    rows.Source
	Rows      rows.Answer // read as they are asked for
	Total     int         // rows stored before filtering
}

// Rows answers a query from the stored rows, offline. A filter or sort
// naming a property or option that does not exist is a *rows.FilterError.
// A window's Core reads the rows from the store once and keeps them while
// they are current; a command's reads only what its one answer needs.
func (d Databases) Rows(q RowsQuery) (RowsAnswer, error) {
	c := d.c
	ws, src, err := c.findRowSource(q.DB)
	if err != nil {
		return RowsAnswer{}, err
	}
	if c.opts.ReadOnly {
		// A command's Core: it asks once, so it reads each row once and
		// keeps only those that match.
		parse := func(s *rows.Source) (rows.Filter, string, bool, error) {
			f, err := rows.ParseFilters(append(slices.Clip(q.Where), textWhere(q.Text, &s.Schema)...), &s.Schema, c.now())
			if err != nil {
				return nil, "", false, err
			}
			prop, desc, err := rows.ParseSort(q.Sort, &s.Schema)
			return f, prop, desc, err
		}
		src, ans, total, err := rows.QueryOnce(c.store, ws, src.Schema.DataSourceID, parse, q.Limit)
		if err != nil {
			return RowsAnswer{}, err
		}
		return RowsAnswer{Workspace: ws, Source: src, Rows: ans, Total: total}, nil
	}
	t, err := c.rowTables.Table(c.store, ws, src.Schema.DataSourceID)
	if err != nil {
		return RowsAnswer{}, err
	}
	f, err := rows.ParseFilters(append(slices.Clip(q.Where), textWhere(q.Text, &t.Source.Schema)...), &t.Source.Schema, c.now())
	if err != nil {
		return RowsAnswer{}, err
	}
	prop, desc, err := rows.ParseSort(q.Sort, &t.Source.Schema)
	if err != nil {
		return RowsAnswer{}, err
	}
	ans, err := t.Query(f, prop, desc, q.Limit)
	if err != nil {
		return RowsAnswer{}, err
	}
	return RowsAnswer{Workspace: ws, Source: t.Source, Rows: ans, Total: t.Len()}, nil
}

// findRowSource resolves an id (of the data source or its database) or a
// title among every workspace's stored data sources.
func (c *Core) findRowSource(db string) (string, rows.Source, error) {
	wss, err := c.store.Workspaces()
	if err != nil {
		return "", rows.Source{}, err
	}
	norm, isID := notion.NormalizeID(db)
	type hit struct {
		ws  string
		src rows.Source
	}
	var byTitle []hit
	for _, w := range wss {
		srcs, err := rows.Sources(c.store, w.ID)
		if err != nil {
			return "", rows.Source{}, err
		}
		for _, s := range srcs {
			if isID && (s.Schema.DataSourceID == norm || s.Schema.DatabaseID == norm) {
				return w.ID, s, nil
			}
			if index.Fold(s.Schema.Title) == index.Fold(db) {
				byTitle = append(byTitle, hit{w.ID, s})
			}
		}
	}
	switch len(byTitle) {
	case 0:
		return "", rows.Source{}, fmt.Errorf("%w: %q", ErrNoSuchDatabase, db)
	case 1:
		return byTitle[0].ws, byTitle[0].src, nil
	}
	ids := make([]string, len(byTitle))
	for i, h := range byTitle {
		ids[i] = h.src.Schema.DataSourceID
	}
	return "", rows.Source{}, fmt.Errorf("%w: %q is %s", ErrAmbiguousDatabase, db, strings.Join(ids, ", "))
}

// searchFilters takes the filter words out of a search's text (status:doing,
// due<today+7: words naming a property some stored data source has) and
// returns the rest of the text and the ids of the rows that pass every
// filter, in the data sources that have all those properties. active is
// false when the text has no filter words. A filter that no data source
// can read (an unknown option, a malformed value) is a *rows.FilterError.
func (c *Core) searchFilters(text, ws string) (rest string, ids map[string]bool, active bool, err error) {
	words := strings.Fields(text)
	type source struct {
		ws  string
		src rows.Source
	}
	var sources []source
	loaded := false
	load := func() error {
		if loaded {
			return nil
		}
		loaded = true
		wss, err := c.store.Workspaces()
		if err != nil {
			return err
		}
		for _, w := range wss {
			if ws != "" && w.ID != ws {
				continue
			}
			srcs, err := rows.Sources(c.store, w.ID)
			if err != nil {
				return err
			}
			for _, s := range srcs {
				sources = append(sources, source{w.ID, s})
			}
		}
		return nil
	}
	var exprs, plain []string
	for _, w := range words {
		expr, name, ok := rows.FilterWord(w)
		if ok {
			if err := load(); err != nil {
				return "", nil, false, err
			}
			known := false
			for _, s := range sources {
				if _, found := s.src.Schema.Property(name); found {
					known = true
					break
				}
			}
			if known {
				exprs = append(exprs, expr)
				continue
			}
		}
		plain = append(plain, w)
	}
	if len(exprs) == 0 {
		return text, nil, false, nil
	}
	ids = map[string]bool{}
	var firstErr error
	parsed := false
	now := c.now()
	for _, s := range sources {
		f, err := rows.ParseFilters(exprs, &s.src.Schema, now)
		var fe *rows.FilterError
		if errors.As(err, &fe) && errors.Is(err, rows.ErrUnknownProperty) {
			continue // this data source lacks one of the properties
		}
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		parsed = true
		t, err := c.rowTables.Table(c.store, s.ws, s.src.Schema.DataSourceID)
		if err != nil {
			return "", nil, false, err
		}
		match, err := t.Match(f)
		if err != nil {
			return "", nil, false, err
		}
		for _, i := range match {
			ids[t.ID(i)] = true
		}
	}
	if !parsed && firstErr != nil {
		return "", nil, false, firstErr
	}
	return strings.Join(plain, " "), ids, true, nil
}
