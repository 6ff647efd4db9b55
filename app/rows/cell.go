package rows

import (
	"cmp"
	"strings"
	"time"
	"unsafe"

	"github.com/pagedeck/pagedeck/app/index"
	"github.com/pagedeck/pagedeck/notion"
)

// A cell is one property value of one row read once for every question a
// filter or a sort asks of it: folded texts, the number, the flag, the
// day. Matching a cell allocates nothing, so a filter over a column of
// 100,000 cells takes about a millisecond.
type cell struct {
	list []string // folded: a list's elements (nil: not a list)
	key  string   // the folded text of the whole value
	num  float64
	// sec and nsec are when a date or time starts (sorting); a filter's
	// day is civil (a date without a time) or that instant's day.
	sec   int64
	nsec  int32
	civil int32 // year*10000 + month*100 + day
	flags uint16
}

const (
	cEmpty    = 1 << iota // missing, or empty
	cNum                  // num holds the number
	cBool                 // a checkbox or boolean
	cTrue                 // …that is true
	cDate                 // a date or a time
	cDayCivil             // civil is the filter's day
	cDayTime              // sec is the instant whose day filters
)

// folder folds texts, folding each distinct one once: options repeat
// down a column, and Fold is the cost of reading one.
type folder map[string]string

func (f folder) fold(s string) string {
	if f == nil {
		return index.Fold(s)
	}
	if out, ok := f[s]; ok {
		return out
	}
	out := index.Fold(s)
	if len(f) < maxFolded {
		f[s] = out
	}
	return out
}

// maxFolded bounds a folder: past it, the texts are mostly distinct.
const maxFolded = 4096

// makeCell reads one value (ok false: the row lacks the property), as
// Cond.Match and Sort always have. The cell keeps none of v's strings,
// only folded copies: v may borrow bytes that go away (see QueryOnce).
func makeCell(v notion.Value, ok bool, f folder) cell {
	for v.Result != nil {
		v = *v.Result
	}
	var c cell
	if !ok || v.Empty() {
		c.flags |= cEmpty
	}
	if v.Number != nil {
		c.flags |= cNum
		c.num = *v.Number
	}
	if v.Bool != nil {
		c.flags |= cBool
		if *v.Bool {
			c.flags |= cTrue
		}
	}
	if v.Date != nil || !v.Time.IsZero() {
		c.flags |= cDate
		t := instant(v)
		c.sec, c.nsec = t.Unix(), int32(t.Nanosecond())
		c.flags |= dayKind(v, &c.civil)
	}
	c.key = f.fold(v.String())
	if len(v.List) > 0 {
		c.list = make([]string, len(v.List))
		for i, s := range v.List {
			c.list[i] = f.fold(s)
		}
	}
	return c
}

// texts are what = and ~ compare: a list's elements, or the value's text.
func (c *cell) texts() []string {
	if c.list != nil {
		return c.list
	}
	return unsafe.Slice(&c.key, 1)
}

// dayKind says how a filter reads the value's day, as dayOf does: a time,
// or a start in RFC 3339, by its instant (sec), which instant(v) also is;
// any other start by its first ten characters, as a civil day.
func dayKind(v notion.Value, civil *int32) uint16 {
	if !v.Time.IsZero() {
		return cDayTime
	}
	s := v.Date.Start
	if len(s) > len("2006-01-02") {
		if _, err := time.Parse(time.RFC3339, s); err == nil {
			return cDayTime
		}
		s = s[:len("2006-01-02")]
	}
	y, m, day, ok := parseDate(s)
	if !ok {
		return 0
	}
	*civil = int32(y*10000 + int(m)*100 + day)
	return cDayCivil
}

// parseDate reads 2006-01-02 as time.Parse does, without its error
// values (a failed time.Parse allocates one; most dates fail RFC 3339).
func parseDate(s string) (int, time.Month, int, bool) {
	if len(s) != len("2006-01-02") || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	num := func(s string) int {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return -1
			}
			n = n*10 + int(s[i]-'0')
		}
		return n
	}
	y, m, d := num(s[:4]), num(s[5:7]), num(s[8:])
	if y < 0 || m < 1 || m > 12 || d < 1 {
		return 0, 0, 0, false
	}
	// Days in the month: the 0th of the next is the last of this one.
	if last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(); d > last {
		return 0, 0, 0, false
	}
	return y, time.Month(m), d, true
}

// day is the cell's day in loc, as civil; ok is false for a date that
// does not read as one.
func (c *cell) day(loc *time.Location) (int32, bool) {
	switch {
	case c.flags&cDayCivil != 0:
		return c.civil, true
	case c.flags&cDayTime != 0:
		y, m, d := time.Unix(c.sec, int64(c.nsec)).In(loc).Date()
		return int32(y*10000 + int(m)*100 + d), true
	}
	return 0, false
}

// matchCell is Match on a prepared cell.
func (c *Cond) matchCell(x *cell) bool {
	empty := x.flags&cEmpty != 0
	switch c.Op {
	case OpNotEmpty:
		return !empty
	case OpEq, OpNe:
		if c.Value == "" {
			return empty == (c.Op == OpEq)
		}
		if empty {
			return c.Op == OpNe
		}
	}
	if empty {
		return false
	}
	if c.Op == OpContains {
		for _, s := range x.texts() {
			if strings.Contains(s, c.folded) {
				return true
			}
		}
		return false
	}
	var cmp int
	switch {
	case c.isFlag && x.flags&cBool != 0:
		if (x.flags&cTrue != 0) != c.flag {
			cmp = 1
		}
	case c.isNum && x.flags&cNum != 0:
		cmp = compareFloat(x.num, c.num)
	case c.isDay && x.flags&cDate != 0:
		d, ok := x.day(c.day.Location())
		if !ok {
			return c.Op == OpNe
		}
		cmp = compareInt(d, c.civilDay)
	default:
		// Text, options and lists: = holds when any element equals.
		eq := false
		for _, s := range x.texts() {
			if s == c.folded {
				eq = true
				break
			}
		}
		if !eq {
			cmp = 1
		}
		if c.Op != OpEq && c.Op != OpNe {
			return false
		}
	}
	switch c.Op {
	case OpEq:
		return cmp == 0
	case OpNe:
		return cmp != 0
	case OpLt:
		return cmp < 0
	case OpLe:
		return cmp <= 0
	case OpGt:
		return cmp > 0
	case OpGe:
		return cmp >= 0
	}
	return false
}

func compareInt[T int32 | int64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareCells orders two values that are not empty: numbers, flags and
// dates by themselves, anything else by text.
func compareCells(a, b *cell) int {
	switch {
	case a.flags&b.flags&cNum != 0:
		return cmp.Compare(a.num, b.num)
	case a.flags&b.flags&cBool != 0:
		return compareInt(int32(a.flags&cTrue), int32(b.flags&cTrue))
	case a.flags&b.flags&cDate != 0:
		if c := compareInt(a.sec, b.sec); c != 0 {
			return c
		}
		return compareInt(a.nsec, b.nsec)
	}
	return strings.Compare(a.key, b.key)
}
