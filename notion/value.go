package notion

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// DateRange is a date property's value: Start and End as Notion wrote them
// (a date "2026-12-24" or a date-time with its offset), End "" when there
// is none.
type DateRange struct {
	Start    string `json:"start"`
	End      string `json:"end,omitempty"`
	TimeZone string `json:"time_zone,omitempty"`
}

// Value is one property value of a row, decoded from Notion's
// {"id","type",<type>:…}. Which fields are set depends on Type:
//
//   - Text: title, rich_text, url, email, phone_number, select and status
//     (the option's name), created_by and last_edited_by (the name when the
//     connection may read it, else the id), unique_id ("PREFIX-12"),
//     formula string results;
//   - Number: number, unique_id, numeric formula and rollup results;
//   - Bool: checkbox and boolean formula results;
//   - List: multi_select (names), people (names, else ids), relation (ids),
//     files (names), rollup arrays (each element as text);
//   - Date: date, date formula and rollup results;
//   - Time: created_time and last_edited_time;
//   - Result: a formula's or rollup's computed value, with its own Type
//     ("string", "number", "boolean", "date", "array");
//   - Raw: the whole value, for a type this client does not know or a known
//     one whose payload did not decode. It is shown as text, never an error.
//
// Empty reports an empty value (Notion's null, "", []).
type Value struct {
	Type   PropertyType `json:"type"`
	Text   string       `json:"text,omitempty"`
	Number *float64     `json:"number,omitempty"`
	Bool   *bool        `json:"bool,omitempty"`
	List   []string     `json:"list,omitempty"`
	Date   *DateRange   `json:"date,omitempty"`
	Time   time.Time    `json:"time,omitzero"`
	Result *Value       `json:"result,omitempty"`
	// More is a relation with more than the 25 ids Notion includes.
	More bool            `json:"more,omitempty"`
	Raw  json.RawMessage `json:"raw,omitempty"`
}

// Empty reports a value with nothing in it.
func (v Value) Empty() bool {
	switch {
	case v.Result != nil:
		return v.Result.Empty()
	case len(v.Raw) > 0:
		return false
	case v.Number != nil, v.Bool != nil, v.Date != nil, !v.Time.IsZero():
		return false
	}
	return v.Text == "" && len(v.List) == 0
}

// String is the value as text, for display and "contains" matching.
func (v Value) String() string {
	switch {
	case v.Result != nil:
		return v.Result.String()
	case len(v.Raw) > 0:
		return string(v.Raw)
	case v.Type == PropUniqueID:
		return v.Text
	case v.Number != nil:
		return strconv.FormatFloat(*v.Number, 'f', -1, 64)
	case v.Bool != nil:
		return strconv.FormatBool(*v.Bool)
	case v.Date != nil:
		if v.Date.End != "" {
			return v.Date.Start + " → " + v.Date.End
		}
		return v.Date.Start
	case !v.Time.IsZero():
		return v.Time.UTC().Format(time.RFC3339)
	case len(v.List) > 0:
		return strings.Join(v.List, ", ")
	}
	return v.Text
}

// Plain is the value as the command line's JSON gives it: a string, a
// number, a bool, a list of strings, {"start","end"} (end null when there
// is none), a formula's or rollup's own type, or nil when empty.
func (v Value) Plain() any {
	switch {
	case v.Result != nil:
		return v.Result.Plain()
	case len(v.Raw) > 0:
		return string(v.Raw)
	case v.Type == PropUniqueID:
		return v.Text
	case v.Number != nil:
		return *v.Number
	case v.Bool != nil:
		return *v.Bool
	case v.Date != nil:
		var end any
		if v.Date.End != "" {
			end = v.Date.End
		}
		return map[string]any{"start": v.Date.Start, "end": end}
	case !v.Time.IsZero():
		return v.Time.UTC().Format(time.RFC3339)
	case v.List != nil:
		return v.List
	case v.Type == PropMultiSelect, v.Type == PropPeople, v.Type == PropRelation, v.Type == PropFiles, v.Type == "array":
		return []string{}
	case v.Text == "" && v.Type != PropTitle && v.Type != PropRichText:
		return nil
	}
	return v.Text
}

type wireName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// DecodeValue decodes one property value. It fails only on input that is
// not a JSON object; anything else it cannot read is kept raw.
func DecodeValue(raw []byte) (Value, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return Value{}, ErrMalformedResponse
	}
	var typ string
	if json.Unmarshal(m["type"], &typ) != nil {
		typ = ""
	}
	v := Value{Type: PropertyType(typ)}
	if !v.Type.Known() || !decodePayload(&v, m[typ], 0) {
		v = Value{Type: PropertyType(typ), Raw: compact(raw)}
	}
	return v, nil
}

func compact(raw []byte) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return append(json.RawMessage(nil), raw...)
	}
	return b.Bytes()
}

func isNull(p json.RawMessage) bool {
	return len(p) == 0 || string(bytes.TrimSpace(p)) == "null"
}

// decodePayload fills v from its type's payload and reports whether the
// payload had the documented shape. depth bounds rollup arrays, whose
// elements are values themselves.
func decodePayload(v *Value, p json.RawMessage, depth int) bool {
	switch v.Type {
	case PropTitle, PropRichText:
		if isNull(p) {
			return true
		}
		var parts []wireRichText
		if json.Unmarshal(p, &parts) != nil {
			return false
		}
		var b strings.Builder
		for _, r := range parts {
			b.WriteString(r.text())
		}
		v.Text = b.String()
	case PropURL, PropEmail, PropPhoneNumber:
		return isNull(p) || json.Unmarshal(p, &v.Text) == nil
	case PropNumber:
		if isNull(p) {
			return true
		}
		var n float64
		if json.Unmarshal(p, &n) != nil {
			return false
		}
		v.Number = &n
	case PropCheckbox, "boolean":
		if isNull(p) {
			return true
		}
		var b bool
		if json.Unmarshal(p, &b) != nil {
			return false
		}
		v.Bool = &b
	case "string":
		return isNull(p) || json.Unmarshal(p, &v.Text) == nil
	case PropSelect, PropStatus:
		if isNull(p) {
			return true
		}
		var o wireName
		if json.Unmarshal(p, &o) != nil {
			return false
		}
		v.Text = o.Name
	case PropMultiSelect, PropPeople, PropRelation, PropFiles:
		if isNull(p) {
			return true
		}
		var list []wireName
		if json.Unmarshal(p, &list) != nil {
			return false
		}
		v.List = make([]string, 0, len(list))
		for _, o := range list {
			s := o.Name
			if s == "" || v.Type == PropRelation {
				s = o.ID
			}
			v.List = append(v.List, s)
		}
	case PropDate:
		if isNull(p) {
			return true
		}
		var d struct {
			Start    string  `json:"start"`
			End      *string `json:"end"`
			TimeZone *string `json:"time_zone"`
		}
		if json.Unmarshal(p, &d) != nil || d.Start == "" {
			return false
		}
		v.Date = &DateRange{Start: d.Start, End: deref(d.End), TimeZone: deref(d.TimeZone)}
	case PropCreatedTime, PropLastEditedTime:
		if isNull(p) {
			return true
		}
		return json.Unmarshal(p, &v.Time) == nil
	case PropCreatedBy, PropLastEditedBy:
		if isNull(p) {
			return true
		}
		var u wireName
		if json.Unmarshal(p, &u) != nil {
			return false
		}
		v.Text = u.Name
		if v.Text == "" {
			v.Text = u.ID
		}
	case PropUniqueID:
		var u struct {
			Prefix *string  `json:"prefix"`
			Number *float64 `json:"number"`
		}
		if isNull(p) {
			return true
		}
		if json.Unmarshal(p, &u) != nil || u.Number == nil {
			return false
		}
		v.Number = u.Number
		v.Text = strconv.FormatFloat(*u.Number, 'f', -1, 64)
		if pre := deref(u.Prefix); pre != "" {
			v.Text = pre + "-" + v.Text
		}
	case PropFormula, PropRollup:
		return decodeComputed(v, p, depth)
	case "array":
		var elems []json.RawMessage
		if json.Unmarshal(p, &elems) != nil {
			return false
		}
		v.List = make([]string, 0, len(elems))
		for _, e := range elems {
			if depth > 3 {
				return false
			}
			var m map[string]json.RawMessage
			var typ string
			if json.Unmarshal(e, &m) != nil || json.Unmarshal(m["type"], &typ) != nil {
				return false
			}
			ev := Value{Type: PropertyType(typ)}
			if !ev.Type.Known() || !decodePayload(&ev, m[typ], depth+1) {
				ev = Value{Raw: compact(e)}
			}
			if !ev.Empty() {
				v.List = append(v.List, ev.String())
			}
		}
	default:
		return false
	}
	return true
}

// decodeComputed reads a formula or rollup: {"type":T, T:…}. A rollup's
// "incomplete" or "unsupported" result, or any other, is kept raw inside.
func decodeComputed(v *Value, p json.RawMessage, depth int) bool {
	var m map[string]json.RawMessage
	var typ string
	if json.Unmarshal(p, &m) != nil || m == nil || json.Unmarshal(m["type"], &typ) != nil {
		return false
	}
	r := &Value{Type: PropertyType(typ)}
	switch typ {
	case "string", "number", "boolean", "date", "array":
		if !decodePayload(r, m[typ], depth+1) {
			return false
		}
	default:
		r.Raw = compact(p)
	}
	v.Result = r
	return true
}
