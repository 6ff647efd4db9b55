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
	slices.SortStableFunc(list, func(a, b Row) int {
		c := 0
		if prop == "" {
			c = a.LastEdited.Compare(b.LastEdited)
		} else {
			va, vb := a.Properties[prop], b.Properties[prop]
			ea, eb := va.Empty(), vb.Empty()
			switch {
			case ea && eb:
			case ea:
				return 1
			case eb:
				return -1
			default:
				c = compareValues(va, vb)
			}
		}
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(index.Fold(a.Title), index.Fold(b.Title)), strings.Compare(a.ID, b.ID))
	})
}

func compareValues(a, b notion.Value) int {
	for a.Result != nil {
		a = *a.Result
	}
	for b.Result != nil {
		b = *b.Result
	}
	switch {
	case a.Number != nil && b.Number != nil:
		return cmp.Compare(*a.Number, *b.Number)
	case a.Bool != nil && b.Bool != nil:
		return cmp.Compare(boolInt(*a.Bool), boolInt(*b.Bool))
	case (a.Date != nil || !a.Time.IsZero()) && (b.Date != nil || !b.Time.IsZero()):
		return instant(a).Compare(instant(b))
	}
	return strings.Compare(index.Fold(a.String()), index.Fold(b.String()))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// instant is when a date or time value starts; a date alone is its
// midnight UTC.
func instant(v notion.Value) time.Time {
	if !v.Time.IsZero() {
		return v.Time
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
