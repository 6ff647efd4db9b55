package rows

// This file is a little over 400 lines: the language's parser and its
// matcher share one table of operators per property type, and read best
// side by side.

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pagedeck/pagedeck/app/index"
	"github.com/pagedeck/pagedeck/notion"
)

// The filter language people type: Prop=Value, Prop!=Value, Prop~Text
// (contains), Prop<V, Prop<=V, Prop>V, Prop>=V and Prop? (not empty).
// Names match ignoring case; text, select, status and multi-select values
// match folded like titles (index.Fold: case, accents, punctuation); dates
// are 2026-12-24, today, tomorrow, yesterday or today±N days.

// Op is a filter's comparison.
type Op string

const (
	OpEq       Op = "="
	OpNe       Op = "!="
	OpContains Op = "~"
	OpLt       Op = "<"
	OpLe       Op = "<="
	OpGt       Op = ">"
	OpGe       Op = ">="
	OpNotEmpty Op = "?"
)

// Errors a filter can have; a *FilterError wraps one.
var (
	ErrUnknownProperty = errors.New("no such property")
	ErrUnknownOption   = errors.New("no such option")
	ErrBadFilter       = errors.New("not a filter")
)

// FilterError says what is wrong with one filter, and what would be valid.
type FilterError struct {
	Expr  string
	Err   error    // ErrUnknownProperty, ErrUnknownOption or ErrBadFilter
	Why   string   // for ErrBadFilter
	Valid []string // the property names or options that exist
}

func (e *FilterError) Error() string { return describe(e.Expr, e.Err, e.Why, e.Valid) }

// describe is a usage error in words: what was typed, what is wrong, why,
// and what would be valid.
func describe(typed string, err error, why string, valid []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q: %v", typed, err)
	if why != "" {
		b.WriteString(": " + why)
	}
	if len(valid) > 0 {
		b.WriteString(" (valid: " + strings.Join(valid, ", ") + ")")
	}
	return b.String()
}

func (e *FilterError) Unwrap() error { return e.Err }

// Cond is one parsed filter.
type Cond struct {
	Prop notion.PropertySchema
	Op   Op
	// Value is what was typed; folded, num, day and flag are its readings.
	Value  string
	folded string
	num    float64
	isNum  bool
	day    time.Time
	isDay  bool
	// civilDay is day as year*10000 + month*100 + day: cells compare
	// days without building times.
	civilDay int32
	flag     bool
	isFlag   bool
}

// Filter is several conditions, all of which must hold.
type Filter []Cond

// Match reports a row that meets every condition.
func (f Filter) Match(r *Row) bool {
	for i := range f {
		if !f[i].Match(r) {
			return false
		}
	}
	return true
}

// ParseFilters parses several expressions into one Filter (ANDed).
func ParseFilters(exprs []string, s *notion.Schema, now time.Time) (Filter, error) {
	out := make(Filter, 0, len(exprs))
	for _, e := range exprs {
		c, err := ParseFilter(e, s, now)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// splitOp finds the first operator in expr.
func splitOp(expr string) (name string, op Op, value string, ok bool) {
	i := strings.IndexAny(expr, "=!~<>")
	if i < 0 {
		if n, found := strings.CutSuffix(expr, "?"); found {
			return n, OpNotEmpty, "", true
		}
		return "", "", "", false
	}
	name, rest := expr[:i], expr[i:]
	for _, o := range []Op{OpNe, OpLe, OpGe, OpEq, OpContains, OpLt, OpGt} {
		if v, found := strings.CutPrefix(rest, string(o)); found {
			return name, o, v, true
		}
	}
	return "", "", "", false // a lone "!"
}

// ParseFilter parses one expression against a data source's schema. now
// is the clock "today" reads (its location too).
func ParseFilter(expr string, s *notion.Schema, now time.Time) (Cond, error) {
	bad := func(why string) (Cond, error) {
		return Cond{}, &FilterError{Expr: expr, Err: ErrBadFilter, Why: why}
	}
	name, op, value, ok := splitOp(strings.TrimSpace(expr))
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || name == "" {
		return bad("write Prop=Value, Prop!=Value, Prop~Text, Prop<Value, Prop<=Value, Prop>Value, Prop>=Value or Prop?")
	}
	p, found := s.Property(name)
	if !found {
		for _, q := range s.Properties {
			if index.Fold(q.Name) == index.Fold(name) {
				p, found = q, true
				break
			}
		}
	}
	if !found {
		return Cond{}, &FilterError{Expr: expr, Err: ErrUnknownProperty, Valid: s.Names()}
	}
	c := Cond{Prop: p, Op: op, Value: value, folded: index.Fold(value)}
	if op == OpNotEmpty {
		return c, nil
	}
	if value == "" && op != OpEq && op != OpNe {
		return bad("a value is missing after " + string(op))
	}
	ordered := op == OpLt || op == OpLe || op == OpGt || op == OpGe
	switch kindOf(p.Type) {
	case kindOption:
		if ordered {
			return bad(p.Name + " is a " + string(p.Type) + ": compare it with =, !=, ~ or ?")
		}
		if op != OpContains && value != "" {
			i := slices.IndexFunc(p.Options, func(o notion.Option) bool { return index.Fold(o.Name) == c.folded })
			if i < 0 {
				names := make([]string, len(p.Options))
				for j, o := range p.Options {
					names[j] = o.Name
				}
				return Cond{}, &FilterError{Expr: expr, Err: ErrUnknownOption, Valid: names}
			}
			c.Value, c.folded = p.Options[i].Name, index.Fold(p.Options[i].Name)
		}
	case kindText, kindList:
		if ordered {
			return bad(p.Name + " is " + string(p.Type) + ": compare it with =, !=, ~ or ?")
		}
	case kindNumber:
		v := value
		if p.Type == notion.PropUniqueID {
			// "T-12" or "12".
			if i := strings.LastIndexByte(v, '-'); i >= 0 {
				v = v[i+1:]
			}
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			if op == OpContains || p.Type == notion.PropUniqueID && !ordered {
				break
			}
			return bad(p.Name + " is a number, " + strconv.Quote(value) + " is not")
		}
		c.num, c.isNum = n, true
	case kindDate:
		d, ok := ParseDay(value, now)
		if !ok {
			if op == OpContains {
				break
			}
			return bad(p.Name + " is a date: write 2026-12-24, today, tomorrow or today+7")
		}
		c.day, c.isDay = d, true
	case kindBool:
		b, ok := parseBool(value)
		if !ok || (op != OpEq && op != OpNe) {
			return bad(p.Name + " is a checkbox: write " + p.Name + "=true or " + p.Name + "=false")
		}
		c.flag, c.isFlag = b, true
	default: // formula, rollup and types kept raw: read the value every way
		if n, err := strconv.ParseFloat(value, 64); err == nil && !math.IsNaN(n) && !math.IsInf(n, 0) {
			c.num, c.isNum = n, true
		}
		if d, ok := ParseDay(value, now); ok {
			c.day, c.isDay = d, true
		}
		if b, ok := parseBool(value); ok {
			c.flag, c.isFlag = b, true
		}
		if ordered && !c.isNum && !c.isDay {
			return bad(p.Name + " compares with <, <=, > and >= only to a number or a date")
		}
	}
	if c.isDay {
		y, m, d := c.day.Date()
		c.civilDay = int32(y*10000 + int(m)*100 + d)
	}
	return c, nil
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "1", "checked", "x":
		return true, true
	case "false", "no", "0", "unchecked", "":
		return false, true
	}
	return false, false
}

// ParseDay reads 2026-12-24, today, tomorrow, yesterday, today+N or
// today-N as a day (midnight in now's location).
func ParseDay(s string, now time.Time) (time.Time, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	switch s {
	case "today":
		return today, true
	case "tomorrow":
		return today.AddDate(0, 0, 1), true
	case "yesterday":
		return today.AddDate(0, 0, -1), true
	}
	if rest, ok := strings.CutPrefix(s, "today"); ok && len(rest) > 1 && (rest[0] == '+' || rest[0] == '-') {
		n, err := strconv.Atoi(rest[1:])
		if err != nil || n > 100000 {
			return time.Time{}, false
		}
		if rest[0] == '-' {
			n = -n
		}
		return today.AddDate(0, 0, n), true
	}
	d, err := time.ParseInLocation("2006-01-02", s, now.Location())
	return d, err == nil
}

type kind int

const (
	kindOther kind = iota
	kindText
	kindOption
	kindList
	kindNumber
	kindDate
	kindBool
)

func kindOf(t notion.PropertyType) kind {
	switch t {
	case notion.PropTitle, notion.PropRichText, notion.PropURL, notion.PropEmail, notion.PropPhoneNumber,
		notion.PropCreatedBy, notion.PropLastEditedBy:
		return kindText
	case notion.PropSelect, notion.PropStatus, notion.PropMultiSelect:
		return kindOption
	case notion.PropPeople, notion.PropRelation, notion.PropFiles:
		return kindList
	case notion.PropNumber, notion.PropUniqueID:
		return kindNumber
	case notion.PropDate, notion.PropCreatedTime, notion.PropLastEditedTime:
		return kindDate
	case notion.PropCheckbox:
		return kindBool
	}
	return kindOther
}

// Match reports a row that meets the condition. A row without the
// property, or with it empty, meets only != (and = with an empty value).
func (c *Cond) Match(r *Row) bool {
	v, ok := r.Properties[c.Prop.Name]
	x := makeCell(v, ok, nil)
	return c.matchCell(&x)
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// FilterWord reads a word of a search query as a filter: prop:value (=),
// or any of the expression forms. It returns the expression and the
// property name; ok is false for a word that is not one. Whether the
// property exists is the caller's question (a word like "10:30" is text
// when no data source has a property "10").
func FilterWord(word string) (expr, name string, ok bool) {
	i := strings.IndexAny(word, ":=!~<>?")
	if i <= 0 {
		return "", "", false
	}
	if word[i] == ':' {
		word = word[:i] + "=" + word[i+1:]
	}
	name, _, _, ok = splitOp(word)
	if !ok || strings.TrimSpace(name) == "" || strings.ContainsAny(name, ":?") {
		return "", "", false
	}
	return word, name, true
}
