package rows

import (
	"fmt"
	"sync"
	"time"
	"unsafe"

	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// Where tables come from: kept per data source while they are current, or
// read once for a command.

// Cache keeps each data source's Table while the process lives, and loads
// it again when the store says its rows changed (a sync wrote them, here
// or in another process). A nil *Cache loads every time.
type Cache struct {
	mu     sync.Mutex
	tables map[[2]string]*Table
}

// Table is the data source's rows, loaded once and kept while they are
// current. ErrNotFound (the store's) when it is not kept.
func (c *Cache) Table(st *store.Store, ws, dataSourceID string) (*Table, error) {
	if c == nil {
		return loadTable(st, ws, dataSourceID, nil)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	key := [2]string{ws, dataSourceID}
	t, err := loadTable(st, ws, dataSourceID, c.tables[key])
	if err != nil {
		delete(c.tables, key)
		return nil, err
	}
	if c.tables == nil {
		c.tables = map[[2]string]*Table{}
	}
	c.tables[key] = t
	return t, nil
}

// loadTable reads a data source's rows, or returns old when the store's
// record says they have not changed since it was read.
func loadTable(st *store.Store, ws, ds string, old *Table) (*Table, error) {
	t := &Table{}
	// The rows are copied into chunks that are never written again (so
	// strings can point into them), filled one after the other: no chunk
	// is copied as it grows.
	var mem arena
	keep := mem.keep
	unchanged := func(r store.SourceRecord) bool {
		if old != nil && r.Tx == old.tx {
			return true
		}
		t.ids, t.rows, t.edited = make([]string, 0, r.Rows), make([][]byte, 0, r.Rows), make([]int64, 0, r.Rows)
		return false
	}
	rec, err := st.ScanRows(ws, ds, unchanged, func(id []byte, edited time.Time, data []byte) error {
		var s string
		if id = keep(id); len(id) > 0 {
			// The chunk is never written again: its strings need no copy.
			s = unsafe.String(&id[0], len(id))
		}
		t.ids = append(t.ids, s)
		t.rows = append(t.rows, keep(data))
		t.edited = append(t.edited, edited.Unix())
		return nil
	})
	if err != nil {
		return nil, err
	}
	if old != nil && rec.Tx == old.tx {
		return old, nil
	}
	if t.Source, err = decodeSource(rec); err != nil {
		return nil, err
	}
	t.tx = rec.Tx
	return t, nil
}

// chunkSize is the size of the buffers a Table's rows are kept in.
const chunkSize = 1 << 20

// QueryOnce answers one query straight from the store and keeps nothing:
// for a process that asks once (a command). It reads each row once,
// matches it as it goes, and copies only the rows that match, where a
// Table copies them all and keeps a column of every row. parse reads the
// filter and the sort against the source's schema; its error is returned
// as it is. total is the number of rows stored.
func QueryOnce(st *store.Store, ws, ds string, parse func(*Source) (f Filter, prop string, desc bool, err error), limit int) (src Source, ans Answer, total int, err error) {
	var (
		f        Filter
		prop     string
		desc     bool
		parseErr error
		names    []string
		raws     [][]byte
		oks      []bool
		memos    []memo[cell]
		cells    []cell
		fold     = folder{}
		matched  = &Table{}
		mem      arena
	)
	keep := mem.keep
	begin := func(r store.SourceRecord) bool {
		if src, parseErr = decodeSource(r); parseErr != nil {
			return true
		}
		if f, prop, desc, parseErr = parse(&src); parseErr != nil {
			return true
		}
		total = r.Rows
		for i := range f {
			names = append(names, f[i].Prop.Name)
		}
		raws, oks, memos, cells = make([][]byte, len(names)), make([]bool, len(names)), make([]memo[cell], len(names)), make([]cell, len(names))
		return false
	}
	rec, err := st.ScanRows(ws, ds, begin, func(id []byte, edited time.Time, data []byte) error {
		if len(data) > 0 && data[0] == '{' {
			r, err := decodeRow(data, false)
			if err != nil {
				return fmt.Errorf("the stored row %s is damaged: %w", id, err)
			}
			for k, name := range names {
				v, ok := r.Properties[name]
				cells[k] = makeCell(v, ok, fold)
			}
		} else {
			if err := propertiesBytes(data, names, raws, oks); err != nil {
				return fmt.Errorf("the stored row %s is damaged: %w", id, err)
			}
			for k := range names {
				if !oks[k] {
					cells[k] = makeCell(notion.Value{}, false, fold)
					continue
				}
				var ok bool
				if cells[k], ok = memos[k].get(raws[k]); ok {
					continue
				}
				// Borrowed from the file, which is unmapped when the scan
				// ends: a cell keeps only folded copies, and a memo's key
				// is copied.
				v, err := decodeValue(raws[k], true)
				if err != nil {
					return fmt.Errorf("the stored row %s is damaged: %w", id, err)
				}
				cells[k] = makeCell(v, true, fold)
				if !memos[k].off {
					memos[k].put(keep(raws[k]), cells[k])
				}
			}
		}
		for k := range f {
			if !f[k].matchCell(&cells[k]) {
				return nil
			}
		}
		var s string
		if id = keep(id); len(id) > 0 {
			s = unsafe.String(&id[0], len(id))
		}
		matched.ids = append(matched.ids, s)
		matched.rows = append(matched.rows, keep(data))
		matched.edited = append(matched.edited, edited.Unix())
		return nil
	})
	switch {
	case parseErr != nil:
		return src, Answer{}, 0, parseErr
	case err != nil:
		return src, Answer{}, 0, err
	}
	matched.Source, matched.tx = src, rec.Tx
	ans, err = matched.Query(nil, prop, desc, limit)
	return src, ans, total, err
}

// arena keeps rows' bytes in large chunks (strings can point into them),
// filled one after the other: no chunk is copied as it grows.
type arena struct{ chunk []byte }

func (a *arena) keep(b []byte) []byte {
	if len(b) > cap(a.chunk)-len(a.chunk) {
		a.chunk = make([]byte, 0, max(chunkSize, len(b)))
	}
	start := len(a.chunk)
	a.chunk = append(a.chunk, b...)
	return a.chunk[start:len(a.chunk):len(a.chunk)]
}
