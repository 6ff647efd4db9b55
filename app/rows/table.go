package rows

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/pagedeck/pagedeck/app/index"
	"github.com/pagedeck/pagedeck/notion"
)

// Table is one stored data source's rows in the form queries read: every
// row's id and stored bytes in one buffer, and, built the first time a
// filter or a sort needs them, a column of cells per property. A query
// decodes only the rows it returns. A Table is never changed once loaded
// (a Cache loads a new one when the rows change), and is safe for
// concurrent use.
type Table struct {
	Source Source
	tx     uint64
	ids    []string // into the chunks
	rows   [][]byte // each row's data, in the chunks
	edited []int64  // Unix seconds, as the store keeps them

	mu   sync.Mutex
	cols map[string][]cell
	byID map[string]int32 // made on the first RowByID
}

// Len is the number of rows.
func (t *Table) Len() int { return len(t.ids) }

func (t *Table) data(i int32) []byte { return t.rows[i] }

// row decodes row i; its strings point into the table's buffer.
func (t *Table) row(i int32) (Row, error) {
	r, err := decodeRow(t.data(i), true)
	if err != nil {
		return Row{}, fmt.Errorf("the stored row %s is damaged: %w", t.ids[i], err)
	}
	r.ID, r.LastEdited = t.ids[i], time.Unix(t.edited[i], 0).UTC()
	return r, nil
}

// RowByID decodes the row with id; ok is false when the table has none.
func (t *Table) RowByID(id string) (r Row, ok bool, err error) {
	t.mu.Lock()
	if t.byID == nil {
		t.byID = make(map[string]int32, len(t.ids))
		for i, rid := range t.ids {
			t.byID[rid] = int32(i)
		}
	}
	i, ok := t.byID[id]
	t.mu.Unlock()
	if !ok {
		return Row{}, false, nil
	}
	r, err = t.row(i)
	return r, true, err
}

// columns are the cells of properties, each read once and kept: those
// not read yet are read together, in one pass over the rows.
func (t *Table) columns(names ...string) ([][]cell, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var missing []string
	for _, name := range names {
		if _, ok := t.cols[name]; !ok && !slices.Contains(missing, name) {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		built := make([][]cell, len(missing))
		memos := make([]memo[cell], len(missing))
		for k := range built {
			built[k] = make([]cell, len(t.ids))
		}
		f := folder{}
		raws, oks := make([][]byte, len(missing)), make([]bool, len(missing))
		for i := range t.ids {
			data := t.data(int32(i))
			if len(data) > 0 && data[0] == '{' {
				r, err := decodeRow(data, true)
				if err != nil {
					return nil, fmt.Errorf("the stored row %s is damaged: %w", t.ids[i], err)
				}
				for k, name := range missing {
					v, ok := r.Properties[name]
					built[k][i] = makeCell(v, ok, f)
				}
				continue
			}
			if err := propertiesBytes(data, missing, raws, oks); err != nil {
				return nil, fmt.Errorf("the stored row %s is damaged: %w", t.ids[i], err)
			}
			for k := range missing {
				if !oks[k] {
					built[k][i] = makeCell(notion.Value{}, false, f)
					continue
				}
				if c, ok := memos[k].get(raws[k]); ok {
					built[k][i] = c
					continue
				}
				v, err := decodeValue(raws[k], true)
				if err != nil {
					return nil, fmt.Errorf("the stored row %s is damaged: %w", t.ids[i], err)
				}
				built[k][i] = makeCell(v, true, f)
				memos[k].put(raws[k], built[k][i])
			}
		}
		if t.cols == nil {
			t.cols = map[string][]cell{}
		}
		for k, name := range missing {
			t.cols[name] = built[k]
		}
	}
	out := make([][]cell, len(names))
	for k, name := range names {
		out[k] = t.cols[name]
	}
	return out, nil
}

// memo keeps what was read of each distinct encoded value: values repeat
// down most columns (a status, a date, an owner). Keys point into a
// Table's rows, which are never written again. It stops keeping when
// misses outnumber hits past 1,024 (titles, notes: distinct values).
type memo[T any] struct {
	seen         map[string]T
	hits, misses int
	off          bool
}

func (m *memo[T]) get(raw []byte) (T, bool) {
	v, ok := m.seen[string(raw)]
	if ok {
		m.hits++
	}
	return v, ok
}

func (m *memo[T]) put(raw []byte, v T) {
	if m.misses++; m.off {
		return
	}
	if m.misses > 1024 && m.hits < m.misses {
		m.off, m.seen = true, nil
		return
	}
	if m.seen == nil {
		m.seen = map[string]T{}
	}
	m.seen[unsafe.String(unsafe.SliceData(raw), len(raw))] = v
}

// Match lists the rows that meet every condition of f, in id order.
func (t *Table) Match(f Filter) ([]int32, error) {
	names := make([]string, len(f))
	for i := range f {
		names[i] = f[i].Prop.Name
	}
	cols, err := t.columns(names...)
	if err != nil {
		return nil, err
	}
	var out []int32
rows:
	for i := range t.ids {
		for j := range f {
			if !f[j].matchCell(&cols[j][i]) {
				continue rows
			}
		}
		out = append(out, int32(i))
	}
	return out, nil
}

// ID is row i's id.
func (t *Table) ID(i int32) string { return t.ids[i] }

// Query answers a filter, a sort (see Sort: prop "" is the last edit) and
// a limit (0 is all). The answer reads its rows as they are asked for.
func (t *Table) Query(f Filter, prop string, desc bool, limit int) (Answer, error) {
	if prop != "" {
		// Read with the filter's columns, in the same pass.
		names := []string{prop}
		for i := range f {
			names = append(names, f[i].Prop.Name)
		}
		if _, err := t.columns(names...); err != nil {
			return Answer{}, err
		}
	}
	idx, err := t.Match(f)
	if err != nil {
		return Answer{}, err
	}
	s := sorter{desc: desc, id: t.ID, unique: true} // the store's keys
	// Titles are folded for ties only, once each.
	var titles map[int32]string
	var titleErr error
	s.title = func(i int32) string {
		if tt, ok := titles[i]; ok {
			return tt
		}
		tt, err := rowTitle(t.data(i), true)
		if err != nil && titleErr == nil {
			titleErr = fmt.Errorf("the stored row %s is damaged: %w", t.ids[i], err)
		}
		if titles == nil {
			titles = map[int32]string{}
		}
		titles[i] = index.Fold(tt)
		return titles[i]
	}
	if prop != "" {
		cols, err := t.columns(prop)
		if err != nil {
			return Answer{}, err
		}
		col := cols[0]
		s.cell = func(i int32) *cell { return &col[i] }
	}
	if prop == "" {
		sortByEdit(idx, t.edited, &s)
	} else {
		s.sort(idx)
	}
	if titleErr != nil {
		return Answer{}, titleErr
	}
	if limit > 0 && len(idx) > limit {
		idx = idx[:limit]
	}
	return Answer{t: t, idx: idx}, nil
}

// sortByEdit is s.sort by the last edit, with each edit time beside its
// row: comparing them in place, not through t.edited, halves the sort.
func sortByEdit(idx []int32, edited []int64, s *sorter) {
	type keyed struct {
		edited int64
		i      int32
	}
	ks := make([]keyed, len(idx))
	for k, i := range idx {
		ks[k] = keyed{edited[i], i}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		c := cmp.Compare(a.edited, b.edited)
		if s.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(s.title(a.i), s.title(b.i)), strings.Compare(s.id(a.i), s.id(b.i)))
	})
	for k := range ks {
		idx[k] = ks[k].i
	}
}

// Answer is a query's rows in order. They stay in their Table's stored
// form until asked for: a window shows a screenful, and decoding 25,000
// rows' properties would cost more than the whole query.
type Answer struct {
	t   *Table
	idx []int32
}

// Len is the number of rows.
func (a Answer) Len() int { return len(a.idx) }

// ID is the i-th row's id.
func (a Answer) ID(i int) string { return a.t.ids[a.idx[i]] }

// Row decodes the i-th row whole.
func (a Answer) Row(i int) (Row, error) { return a.t.row(a.idx[i]) }

// Title is the i-th row's title.
func (a Answer) Title(i int) (string, error) {
	j := a.idx[i]
	tt, err := rowTitle(a.t.data(j), true)
	if err != nil {
		return "", fmt.Errorf("the stored row %s is damaged: %w", a.t.ids[j], err)
	}
	return tt, nil
}

// Value is one property of the i-th row (empty when it has none).
func (a Answer) Value(i int, prop string) (notion.Value, error) {
	j := a.idx[i]
	v, _, err := property(a.t.data(j), prop, true)
	if err != nil {
		return notion.Value{}, fmt.Errorf("the stored row %s is damaged: %w", a.t.ids[j], err)
	}
	return v, nil
}

// Texts reads properties of the answer's rows as text (Value.String):
// text(i, out) fills out with row i's, all found in one pass over the
// row, each distinct value read once while values repeat (what a table
// of thousands of rows shows of a status, a date or an owner).
func (a Answer) Texts(props ...string) (text func(i int, out []string) error) {
	memos := make([]memo[string], len(props))
	raws, oks := make([][]byte, len(props)), make([]bool, len(props))
	return func(i int, out []string) error {
		j := a.idx[i]
		data := a.t.data(j)
		if len(data) > 0 && data[0] == '{' {
			r, err := a.Row(i)
			for k, p := range props {
				out[k] = r.Properties[p].String()
			}
			return err
		}
		if err := propertiesBytes(data, props, raws, oks); err != nil {
			return fmt.Errorf("the stored row %s is damaged: %w", a.t.ids[j], err)
		}
		for k := range props {
			if !oks[k] {
				out[k] = ""
				continue
			}
			if s, ok := memos[k].get(raws[k]); ok {
				out[k] = s
				continue
			}
			v, err := decodeValue(raws[k], true)
			if err != nil {
				return fmt.Errorf("the stored row %s is damaged: %w", a.t.ids[j], err)
			}
			out[k] = v.String()
			memos[k].put(raws[k], out[k])
		}
		return nil
	}
}

// Rows decodes every row of the answer.
func (a Answer) Rows() ([]Row, error) {
	out := make([]Row, len(a.idx))
	for i := range out {
		var err error
		if out[i], err = a.Row(i); err != nil {
			return nil, err
		}
	}
	return out, nil
}
