package rows

// Values people type for a new row's properties (`new DB TITLE --prop
// Name=Value`, or the window's form): read against the data source's
// schema into the values Notion is sent. One parser for the command line
// and the window, so both refuse the same mistakes before anything is
// kept or sent.

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pagedeck/pagedeck/notion"
)

// ErrBadValue: what was typed is not a value of the property's type.
var ErrBadValue = errors.New("not a valid value")

// ValueError says what is wrong with one typed value, and what would be
// valid.
type ValueError struct {
	Prop  string // the property as typed
	Err   error  // ErrUnknownProperty, ErrUnknownOption or ErrBadValue
	Why   string
	Valid []string // the property names or options that exist
}

func (e *ValueError) Error() string { return describe(e.Prop, e.Err, e.Why, e.Valid) }

func (e *ValueError) Unwrap() error { return e.Err }

// Writable reports the property types a new row's value can be typed for.
// Computed types (formula, rollup, created_*, unique_id…) are Notion's to
// fill; people, relation and files take ids a person does not type.
func Writable(t notion.PropertyType) bool {
	switch t {
	case notion.PropTitle, notion.PropRichText, notion.PropNumber, notion.PropCheckbox,
		notion.PropSelect, notion.PropMultiSelect, notion.PropStatus, notion.PropDate,
		notion.PropURL, notion.PropEmail, notion.PropPhoneNumber:
		return true
	}
	return false
}

// WritableNames are the schema's properties a value can be typed for, in
// the schema's order (the title first).
func WritableNames(s *notion.Schema) []string {
	var out []string
	for _, p := range s.Properties {
		if Writable(p.Type) {
			out = append(out, p.Name)
		}
	}
	return out
}

// ParseValues reads typed values (property name, matched ignoring case →
// what was typed) against a schema. The answer is keyed by the schema's
// own property names; an empty value sets nothing. Errors are
// *ValueError, the first in name order so the same mistake always says
// the same.
func ParseValues(s *notion.Schema, typed map[string]string, now time.Time) (map[string]notion.Value, error) {
	names := make([]string, 0, len(typed))
	for n := range typed {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make(map[string]notion.Value, len(typed))
	for _, n := range names {
		p, ok := s.Property(strings.TrimSpace(n))
		if !ok {
			return nil, &ValueError{Prop: n, Err: ErrUnknownProperty, Valid: WritableNames(s)}
		}
		if _, dup := out[p.Name]; dup {
			return nil, &ValueError{Prop: n, Err: ErrBadValue, Why: p.Name + " is given twice"}
		}
		if strings.TrimSpace(typed[n]) == "" {
			continue
		}
		v, err := ParseValue(p, typed[n], now)
		if err != nil {
			return nil, err
		}
		out[p.Name] = v
	}
	return out, nil
}

// ParseValue reads one typed value of a property: text as typed; a number;
// true or false; an option's name (ignoring case; a multi-select takes
// several, comma-separated); a date 2026-12-24, today, tomorrow or
// today+N; a URL, an email address or a phone number.
func ParseValue(p notion.PropertySchema, typed string, now time.Time) (notion.Value, error) {
	bad := func(why string) (notion.Value, error) {
		return notion.Value{}, &ValueError{Prop: p.Name, Err: ErrBadValue, Why: why}
	}
	v := notion.Value{Type: p.Type}
	t := strings.TrimSpace(typed)
	switch p.Type {
	case notion.PropTitle, notion.PropRichText:
		v.Text = typed
	case notion.PropNumber:
		n, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
			return bad(p.Name + " is a number: write 3 or 2.5")
		}
		v.Number = &n
	case notion.PropCheckbox:
		switch strings.ToLower(t) {
		case "true":
			v.Bool = ptr(true)
		case "false":
			v.Bool = ptr(false)
		default:
			return bad(p.Name + " is a checkbox: write true or false")
		}
	case notion.PropSelect, notion.PropStatus:
		o, err := option(p, t)
		if err != nil {
			return notion.Value{}, err
		}
		v.Text = o
	case notion.PropMultiSelect:
		for part := range strings.SplitSeq(t, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			o, err := option(p, part)
			if err != nil {
				return notion.Value{}, err
			}
			if !slices.Contains(v.List, o) {
				v.List = append(v.List, o)
			}
		}
		if len(v.List) == 0 {
			return bad(p.Name + " takes options separated by commas")
		}
	case notion.PropDate:
		d, ok := ParseDay(t, now)
		if !ok {
			return bad(p.Name + " is a date: write 2026-12-24, today, tomorrow or today+7")
		}
		v.Date = &notion.DateRange{Start: d.Format("2006-01-02")}
	case notion.PropURL:
		if strings.ContainsAny(t, " \t\n") {
			return bad(p.Name + " is a URL: no spaces")
		}
		v.Text = t
	case notion.PropEmail:
		local, domain, ok := strings.Cut(t, "@")
		if !ok || local == "" || domain == "" || strings.ContainsAny(t, " \t\n") || strings.Contains(domain, "@") {
			return bad(p.Name + " is an email address: write name@example.com")
		}
		v.Text = t
	case notion.PropPhoneNumber:
		if strings.IndexFunc(t, func(r rune) bool { return r >= '0' && r <= '9' }) < 0 ||
			strings.IndexFunc(t, func(r rune) bool { return !strings.ContainsRune("0123456789+-(). /x", r) }) >= 0 {
			return bad(p.Name + " is a phone number: digits, spaces and + - ( ) . / x")
		}
		v.Text = t
	default:
		return bad(fmt.Sprintf("%s is a %s property, which Pagedeck does not set", p.Name, p.Type))
	}
	return v, nil
}

// option finds an option by name: exactly, else ignoring case.
func option(p notion.PropertySchema, name string) (string, error) {
	if o, ok := p.Option(name); ok {
		return o.Name, nil
	}
	for _, o := range p.Options {
		if strings.EqualFold(o.Name, name) {
			return o.Name, nil
		}
	}
	valid := make([]string, len(p.Options))
	for i, o := range p.Options {
		valid[i] = o.Name
	}
	return "", &ValueError{Prop: p.Name, Err: ErrUnknownOption, Why: strconv.Quote(name), Valid: valid}
}

func ptr[T any](v T) *T { return &v }
