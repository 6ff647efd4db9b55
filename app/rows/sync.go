// Package rows keeps databases' rows offline: it syncs each data source's
// schema and its rows' property values into the store, reads them back,
// and filters them with the expressions people type (filter.go).
package rows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// Row is a stored row of a data source.
type Row struct {
	ID         string                  `json:"-"`
	Title      string                  `json:"title"`
	URL        string                  `json:"url"`
	LastEdited time.Time               `json:"-"`
	Properties map[string]notion.Value `json:"properties"`
}

// Source is a stored data source: its schema and how far it is synced.
type Source struct {
	Schema     notion.Schema
	Mark       time.Time // newest edit synced
	Synced     time.Time
	FullSynced time.Time
	Rows       int
}

// Result says what a sync did.
type Result struct {
	Full  bool // every row was read (asked for, first sync, or the schema changed)
	Read  int  // rows read from Notion
	Calls int  // query calls made
	// Gone: the data source is no longer shared (or no longer exists); what
	// was kept of it is forgotten.
	Gone bool
}

// Syncer syncs the data sources of one workspace.
type Syncer struct {
	Client    *notion.Client
	Store     *store.Store
	Workspace string
	// Now tells the time of a sync; default time.Now.
	Now func() time.Time
	// FullEvery makes a sync full when the data source's last full sync
	// is older (rows deleted or moved out go only then); 0 never does.
	FullEvery time.Duration
}

func (s *Syncer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Sync brings one data source up to date, at background priority.
//
// An incremental sync reads rows newest edit first and stops at the stored
// watermark; rows edited in the watermark's minute are read again, as
// Notion's edit times are cut to the minute. A full sync (asked for, the
// first one, or after the schema's columns changed) reads every row, then
// the newest again (one more call, when there was more than one page), and
// drops those it did not see: rows deleted, trashed or moved out. Every
// call goes through the token's budget, one per 100 rows; rows are written
// every 2,000, and the watermark moves only when the sync ends, so an
// interrupted sync loses nothing (the next reads again what it missed).
//
// tok is the workspace's token; a caller that refreshes it on a 401 runs
// Sync again, which starts over.
func (s *Syncer) Sync(ctx context.Context, tok notion.Secret, dataSourceID string, full bool) (Result, error) {
	ctx = notion.WithPriority(ctx, notion.PriorityBackground)
	id, ok := notion.NormalizeID(dataSourceID)
	if !ok {
		return Result{}, fmt.Errorf("%w: %.40q", notion.ErrInvalidID, dataSourceID)
	}
	var old struct {
		Schema notion.Schema
		Mark   time.Time
	}
	rec, err := s.Store.RowSource(s.Workspace, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		full = true
	case err != nil:
		return Result{}, err
	default:
		if json.Unmarshal(rec.Schema, &old.Schema) != nil {
			full = true
		}
		old.Mark = rec.Mark
		if s.FullEvery > 0 && s.now().Sub(rec.FullSynced) > s.FullEvery {
			full = true
		}
	}
	schema, err := s.Client.DataSourceSchema(ctx, tok, id)
	if notion.IsNotFound(err) {
		if derr := s.Store.DeleteRowSource(s.Workspace, id); derr != nil {
			return Result{}, derr
		}
		return Result{Gone: true}, nil
	}
	if err != nil {
		return Result{}, fmt.Errorf("reading the schema of %s: %w", id, err)
	}
	if !sameColumns(&old.Schema, schema) {
		// Stored values are keyed by the old names and types.
		full = true
	}
	schemaJSON, err := json.Marshal(schema)
	if err != nil {
		return Result{}, err
	}
	res := Result{Full: full}
	src := store.SourceRecord{ID: id, Schema: schemaJSON, Mark: old.Mark, Synced: rec.Synced, FullSynced: rec.FullSynced}
	if full {
		src.Mark = time.Time{}
	}
	keep := map[string]bool{}
	mark := src.Mark
	// Rows are written every writeEvery of them, not every page: each
	// write makes the next transaction walk the whole file (the store's
	// damage check), so a write per page is quadratic in the rows kept.
	var put []store.RowRecord
	flush := func() error {
		if len(put) == 0 {
			return nil
		}
		err := s.Store.WriteRows(s.Workspace, store.RowWrite{Source: src, Put: put})
		put = nil
		return err
	}
	// read pages through the rows newest first until stop.
	read := func(stop func(notion.Row) bool) error {
		for page, err := range s.Client.QueryDataSource(ctx, tok, id, notion.QueryOptions{Sort: notion.SortDescending}) {
			if err != nil {
				return fmt.Errorf("reading the rows of %s: %w", id, err)
			}
			res.Calls++
			done := false
			for _, r := range page.Rows {
				if stop(r) {
					done = true
					break
				}
				if !keep[r.ID] {
					res.Read++
				}
				keep[r.ID] = true
				if r.LastEdited.After(mark) {
					mark = r.LastEdited
				}
				data := EncodeRow(Row{Title: r.Title, URL: r.URL, Properties: r.Properties})
				put = append(put, store.RowRecord{ID: r.ID, LastEdited: r.LastEdited, Data: data})
			}
			if len(put) >= writeEvery {
				if err := flush(); err != nil {
					return err
				}
			}
			if done {
				return nil
			}
		}
		return nil
	}
	// Rows edited in the mark's minute may be new: only strictly older
	// ones end an incremental sync.
	if err := read(func(r notion.Row) bool { return !full && r.LastEdited.Before(old.Mark) }); err != nil {
		return res, err
	}
	if full && res.Calls > 1 {
		// A row edited while a full sync pages jumps ahead of the cursor
		// and is never seen, and the replace would drop it: read the top
		// again, down to where the sync began. (One page is a snapshot.)
		began := mark
		if err := read(func(r notion.Row) bool { return r.LastEdited.Before(began) }); err != nil {
			return res, err
		}
	}
	src.Mark, src.Synced = mark, s.now().UTC()
	if full {
		src.FullSynced = src.Synced
	}
	// The last rows and the new watermark in one transaction.
	err = s.Store.WriteRows(s.Workspace, store.RowWrite{Source: src, Put: put, Replace: full, Keep: keep})
	return res, err
}

// writeEvery is how many rows a sync gathers before writing them.
const writeEvery = 2000

// sameColumns reports schemas with the same column names and types (a new
// option changes nothing stored; a renamed or retyped column does).
func sameColumns(a, b *notion.Schema) bool {
	cols := func(s *notion.Schema) map[string]notion.PropertyType {
		m := make(map[string]notion.PropertyType, len(s.Properties))
		for _, p := range s.Properties {
			m[p.Name] = p.Type
		}
		return m
	}
	return maps.Equal(cols(a), cols(b))
}

// Sources lists the workspace's stored data sources, in id order.
func (s *Syncer) Sources() ([]Source, error) { return Sources(s.Store, s.Workspace) }

// Sources lists a workspace's stored data sources, in id order.
func Sources(st *store.Store, ws string) ([]Source, error) {
	recs, err := st.RowSources(ws)
	if err != nil {
		return nil, err
	}
	out := make([]Source, 0, len(recs))
	for _, r := range recs {
		src, err := decodeSource(r)
		if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	return out, nil
}

func decodeSource(r store.SourceRecord) (Source, error) {
	src := Source{Mark: r.Mark, Synced: r.Synced, FullSynced: r.FullSynced, Rows: r.Rows}
	if err := json.Unmarshal(r.Schema, &src.Schema); err != nil {
		return Source{}, fmt.Errorf("the stored schema of %s is damaged: %w", r.ID, err)
	}
	return src, nil
}

// Load reads one stored data source and all its rows. (A query reads a
// Table, which decodes only the rows it returns.)
func Load(st *store.Store, ws, dataSourceID string) (Source, []Row, error) {
	t, err := loadTable(st, ws, dataSourceID, nil)
	if err != nil {
		return Source{}, nil, err
	}
	out := make([]Row, t.Len())
	for i := range out {
		if out[i], err = t.row(int32(i)); err != nil {
			return Source{}, nil, err
		}
	}
	return t.Source, out, nil
}

// Add keeps a row made on this machine (a capture) with its data source's
// stored rows, at once; the next sync confirms it. It does nothing when
// the data source's rows are not kept, and moves no watermark.
func Add(st *store.Store, ws, dataSourceID string, r notion.Row) error {
	rec, err := st.RowSource(ws, dataSourceID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	data, err := json.Marshal(Row{Title: r.Title, URL: r.URL, Properties: r.Properties})
	if err != nil {
		return err
	}
	return st.WriteRows(ws, store.RowWrite{Source: rec, Put: []store.RowRecord{{ID: r.ID, LastEdited: r.LastEdited, Data: data}}})
}
