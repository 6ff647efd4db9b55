package rows

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/pagedeck/pagedeck/app/index"
	"github.com/pagedeck/pagedeck/notion"
)

// ParseSort reads PROP, PROP:asc or PROP:desc against a schema. The
// empty string sorts newest edit first.
func ParseSort(spec string, s *notion.Schema) (prop string, desc bool, err error) {
	if strings.TrimSpace(spec) == "" {
		return "", true, nil
	}
	name, dir, hasDir := strings.Cut(spec, ":")
	switch strings.ToLower(strings.TrimSpace(dir)) {
	case "asc", "ascending":
	case "desc", "descending":
		desc = true
	default:
		if hasDir {
			return "", false, &FilterError{Expr: spec, Err: ErrBadFilter, Why: "the direction is asc or desc"}
		}
	}
	p, ok := s.Property(strings.TrimSpace(name))
	if !ok {
		return "", false, &FilterError{Expr: spec, Err: ErrUnknownProperty, Valid: s.Names()}
	}
	return p.Name, desc, nil
}

// Sort orders rows by a property ("" is the last edit), empty values last
// whatever the direction, ties by title then id so the order is stable.
func Sort(list []Row, prop string, desc bool) {
	idx := make([]int32, len(list))
	var cells []cell
	if prop != "" {
		cells = make([]cell, len(list))
	}
	for i := range list {
		idx[i] = int32(i)
		if prop != "" {
			v, ok := list[i].Properties[prop]
			cells[i] = makeCell(v, ok, nil)
		}
	}
	s := sorter{
		desc:  desc,
		title: func(i int32) string { return index.Fold(list[i].Title) },
		id:    func(i int32) string { return list[i].ID },
	}
	if prop == "" {
		s.edited = func(a, b int32) int { return list[a].LastEdited.Compare(list[b].LastEdited) }
	} else {
		s.cell = func(i int32) *cell { return &cells[i] }
	}
	s.sort(idx)
	sorted := make([]Row, len(list))
	for i, j := range idx {
		sorted[i] = list[j]
	}
	copy(list, sorted)
}

// sorter orders rows by their index: by a property's cells, or by the
// last edit when cell is nil; empty cells last whatever the direction;
// ties by folded title, then id.
type sorter struct {
	cell   func(i int32) *cell
	edited func(a, b int32) int
	desc   bool
	title  func(i int32) string // folded
	id     func(i int32) string
	// unique ids make the order total, so an unstable sort (twice as
	// fast) gives the same order as a stable one.
	unique bool
}

func (s *sorter) sort(idx []int32) {
	sort := slices.SortStableFunc[[]int32]
	if s.unique {
		sort = slices.SortFunc[[]int32]
	}
	sort(idx, func(a, b int32) int {
		c := 0
		if s.cell == nil {
			c = s.edited(a, b)
		} else {
			ca, cb := s.cell(a), s.cell(b)
			ea, eb := ca.flags&cEmpty != 0, cb.flags&cEmpty != 0
			switch {
			case ea && eb:
			case ea:
				return 1
			case eb:
				return -1
			default:
				c = compareCells(ca, cb)
			}
		}
		if s.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(s.title(a), s.title(b)), strings.Compare(s.id(a), s.id(b)))
	})
}

// instant is when a date or time value starts; a date alone is its
// midnight UTC.
func instant(v notion.Value) time.Time {
	if !v.Time.IsZero() {
		return v.Time
	}
	if y, m, d, ok := parseDate(v.Date.Start); ok {
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	if t, err := time.Parse(time.RFC3339, v.Date.Start); err == nil {
		return t
	}
	t, _ := time.Parse("2006-01-02", v.Date.Start)
	return t
}

// telling ranks property types by how much they tell about a row at a
// glance: a status, a select, a date, an owner before notes and ids.
var telling = map[notion.PropertyType]int{
	notion.PropStatus: 1, notion.PropSelect: 2, notion.PropDate: 3, notion.PropPeople: 4,
	notion.PropMultiSelect: 5, notion.PropNumber: 6, notion.PropCheckbox: 7, notion.PropFormula: 8,
	notion.PropRichText: 9, notion.PropURL: 10, notion.PropEmail: 11, notion.PropPhoneNumber: 12,
	notion.PropRelation: 13, notion.PropRollup: 14, notion.PropUniqueID: 15, notion.PropFiles: 16,
	notion.PropLastEditedTime: 17, notion.PropCreatedTime: 18, notion.PropLastEditedBy: 19, notion.PropCreatedBy: 20,
}

// Columns picks up to n properties besides the title, the most telling
// first (status, select, date, people…), then in the schema's order.
func Columns(s *notion.Schema, n int) []notion.PropertySchema {
	var out []notion.PropertySchema
	for _, p := range s.Properties {
		if p.Type != notion.PropTitle {
			out = append(out, p)
		}
	}
	rank := func(p notion.PropertySchema) int {
		if r, ok := telling[p.Type]; ok {
			return r
		}
		return len(telling) + 1
	}
	slices.SortStableFunc(out, func(a, b notion.PropertySchema) int { return cmp.Compare(rank(a), rank(b)) })
	return out[:min(n, len(out))]
}
