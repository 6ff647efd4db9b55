package rows

// The stored form of a row. JSON took about 15 µs a row to decode, 1.5 s
// for 100,000 rows on every query; this length-prefixed encoding decodes
// in well under a microsecond, and its strings can point into the buffer
// they came from (see decoder.borrow) instead of being copied. The encoder
// and the decoder are one file, a little over 400 lines, because they must
// agree byte for byte.
//
//	row:   0x01 title url nprops {name len value}…   (properties by name)
//	value: type flags [text] [number] [list] [date] [time] [raw] [result]
//	type:  a byte: 1+ its place in knownTypes, or 0 and the type's name
//
// Strings are a uvarint length then the bytes; flags say which parts
// follow. Each property's value is preceded by its length, so finding one
// property passes over the others without reading them. Rows written before this encoding are JSON ('{' first) and still
// read.

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"time"
	"unsafe"

	"github.com/pagedeck/pagedeck/notion"
)

const rowFormat = 1

// Which parts of a value follow its flags.
const (
	vText = 1 << iota
	vNumber
	vBool
	vTrue
	vList
	vDate
	vTime
	vResult
	vMore
	vRaw
)

// maxResultDepth bounds a formula's result of a result…: Notion nests one.
const maxResultDepth = 4

var errDamaged = errors.New("the encoding is damaged")

// knownTypes are the types a value's byte names. Append only: the stored
// rows hold their places.
var knownTypes = []notion.PropertyType{
	notion.PropTitle, notion.PropRichText, notion.PropNumber, notion.PropSelect, notion.PropMultiSelect,
	notion.PropStatus, notion.PropDate, notion.PropPeople, notion.PropFiles, notion.PropCheckbox,
	notion.PropURL, notion.PropEmail, notion.PropPhoneNumber, notion.PropFormula, notion.PropRelation,
	notion.PropRollup, notion.PropCreatedTime, notion.PropCreatedBy, notion.PropLastEditedTime,
	notion.PropLastEditedBy, notion.PropUniqueID, notion.PropVerification, notion.PropButton,
	"string", "boolean", "array",
}

func appendType(b []byte, t notion.PropertyType) []byte {
	if i := slices.Index(knownTypes, t); i >= 0 {
		return append(b, byte(i+1))
	}
	return appendString(append(b, 0), string(t))
}

func (d *decoder) typ() notion.PropertyType {
	if len(d.b) == 0 {
		d.bad = true
		return ""
	}
	code := d.b[0]
	d.b = d.b[1:]
	switch {
	case code == 0:
		return notion.PropertyType(d.string())
	case int(code) <= len(knownTypes):
		return knownTypes[code-1]
	}
	d.bad, d.b = true, nil
	return ""
}

// EncodeRow is a row's stored form (its ID and LastEdited are the store's).
func EncodeRow(r Row) []byte {
	b := make([]byte, 0, 64+32*len(r.Properties))
	b = append(b, rowFormat)
	b = appendString(b, r.Title)
	b = appendString(b, r.URL)
	names := make([]string, 0, len(r.Properties))
	for name := range r.Properties {
		names = append(names, name)
	}
	slices.Sort(names)
	b = binary.AppendUvarint(b, uint64(len(names)))
	var v []byte
	for _, name := range names {
		b = appendString(b, name)
		v = appendValue(v[:0], r.Properties[name], 0)
		b = append(binary.AppendUvarint(b, uint64(len(v))), v...)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendValue(b []byte, v notion.Value, depth int) []byte {
	flags := 0
	if v.Text != "" {
		flags |= vText
	}
	if v.Number != nil {
		flags |= vNumber
	}
	if v.Bool != nil {
		flags |= vBool
		if *v.Bool {
			flags |= vTrue
		}
	}
	if len(v.List) > 0 {
		flags |= vList
	}
	if v.Date != nil {
		flags |= vDate
	}
	if !v.Time.IsZero() {
		flags |= vTime
	}
	if v.Result != nil && depth < maxResultDepth {
		flags |= vResult
	}
	if v.More {
		flags |= vMore
	}
	if len(v.Raw) > 0 {
		flags |= vRaw
	}
	b = appendType(b, v.Type)
	b = binary.AppendUvarint(b, uint64(flags))
	if flags&vText != 0 {
		b = appendString(b, v.Text)
	}
	if flags&vNumber != 0 {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(*v.Number))
	}
	if flags&vList != 0 {
		b = binary.AppendUvarint(b, uint64(len(v.List)))
		for _, s := range v.List {
			b = appendString(b, s)
		}
	}
	if flags&vDate != 0 {
		b = appendString(b, v.Date.Start)
		b = appendString(b, v.Date.End)
		b = appendString(b, v.Date.TimeZone)
	}
	if flags&vTime != 0 {
		_, off := v.Time.Zone()
		b = binary.AppendVarint(b, v.Time.Unix())
		b = binary.AppendUvarint(b, uint64(v.Time.Nanosecond()))
		b = binary.AppendVarint(b, int64(off))
	}
	if flags&vRaw != 0 {
		b = appendString(b, string(v.Raw))
	}
	if flags&vResult != 0 {
		b = appendValue(b, *v.Result, depth+1)
	}
	return b
}

// decoder reads the encoding. With borrow, its strings point into b
// instead of being copied: only for a buffer nothing writes again (a
// Table's), which the strings then keep alive.
type decoder struct {
	b      []byte
	borrow bool
	bad    bool
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad, d.b = true, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.bad, d.b = true, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

// bytes reads a length-prefixed run of bytes, still in the buffer.
func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.bad, d.b = true, nil
		return nil
	}
	s := d.b[:n:n]
	d.b = d.b[n:]
	return s
}

func (d *decoder) string() string {
	s := d.bytes()
	if len(s) == 0 {
		return ""
	}
	if d.borrow {
		return unsafe.String(&s[0], len(s))
	}
	return string(s)
}

// stringIs passes over a string, reporting whether it equals name.
func (d *decoder) stringIs(name string) bool {
	return string(d.bytes()) == name // compared without a copy
}

func (d *decoder) value(depth int) notion.Value {
	v := notion.Value{Type: d.typ()}
	flags := d.uvarint()
	if flags&vText != 0 {
		v.Text = d.string()
	}
	if flags&vNumber != 0 {
		if len(d.b) < 8 {
			d.bad, d.b = true, nil
			return v
		}
		n := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
		d.b = d.b[8:]
		v.Number = &n
	}
	if flags&vBool != 0 {
		t := flags&vTrue != 0
		v.Bool = &t
	}
	if flags&vList != 0 {
		n := d.uvarint()
		if n > uint64(len(d.b)) { // each element takes a byte at least
			d.bad, d.b = true, nil
			return v
		}
		v.List = make([]string, n)
		for i := range v.List {
			v.List[i] = d.string()
		}
	}
	if flags&vDate != 0 {
		v.Date = &notion.DateRange{Start: d.string(), End: d.string(), TimeZone: d.string()}
	}
	if flags&vTime != 0 {
		sec, nsec, off := d.varint(), d.uvarint(), d.varint()
		if nsec >= 1e9 || off < -86400 || off > 86400 {
			d.bad, d.b = true, nil
			return v
		}
		loc := time.UTC
		if off != 0 {
			loc = time.FixedZone("", int(off))
		}
		v.Time = time.Unix(sec, int64(nsec)).In(loc)
	}
	v.More = flags&vMore != 0
	if flags&vRaw != 0 {
		if raw := d.bytes(); len(raw) > 0 {
			v.Raw = append(json.RawMessage(nil), raw...)
		}
	}
	if flags&vResult != 0 {
		if depth >= maxResultDepth {
			d.bad, d.b = true, nil
			return v
		}
		r := d.value(depth + 1)
		v.Result = &r
	}
	return v
}

// decodeRow reads a stored row's data, in either encoding.
func decodeRow(data []byte, borrow bool) (Row, error) {
	if len(data) > 0 && data[0] == '{' {
		var r Row
		err := json.Unmarshal(data, &r)
		return r, err
	}
	if len(data) == 0 || data[0] != rowFormat {
		return Row{}, errDamaged
	}
	d := decoder{b: data[1:], borrow: borrow}
	r := Row{Title: d.string(), URL: d.string()}
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		return Row{}, errDamaged
	}
	if n > 0 {
		r.Properties = make(map[string]notion.Value, n)
	}
	for ; n > 0 && !d.bad; n-- {
		name := d.string()
		v, err := decodeValue(d.bytes(), borrow)
		if err != nil {
			return Row{}, err
		}
		r.Properties[name] = v
	}
	if d.bad || len(d.b) != 0 {
		return Row{}, errDamaged
	}
	return r, nil
}

// rowTitle reads just a stored row's title.
func rowTitle(data []byte, borrow bool) (string, error) {
	if len(data) > 0 && data[0] == '{' {
		r, err := decodeRow(data, borrow)
		return r.Title, err
	}
	if len(data) == 0 || data[0] != rowFormat {
		return "", errDamaged
	}
	d := decoder{b: data[1:], borrow: borrow}
	t := d.string()
	if d.bad {
		return "", errDamaged
	}
	return t, nil
}

// property reads one property of a stored row; ok is false when the row
// does not have it.
func property(data []byte, name string, borrow bool) (v notion.Value, ok bool, err error) {
	if len(data) > 0 && data[0] == '{' {
		r, err := decodeRow(data, borrow)
		v, ok = r.Properties[name]
		return v, ok, err
	}
	raw, ok, err := propertyBytes(data, name)
	if !ok || err != nil {
		return notion.Value{}, false, err
	}
	v, err = decodeValue(raw, borrow)
	return v, err == nil, err
}

// propertyBytes finds one property's encoded value in a stored row (in
// the compact encoding only).
func propertyBytes(data []byte, name string) (raw []byte, ok bool, err error) {
	if len(data) == 0 || data[0] != rowFormat {
		return nil, false, errDamaged
	}
	d := decoder{b: data[1:]}
	d.bytes() // title
	d.bytes() // url
	for n := d.uvarint(); n > 0 && !d.bad; n-- {
		is := d.stringIs(name)
		v := d.bytes()
		if is && !d.bad {
			return v, true, nil
		}
	}
	if d.bad {
		return nil, false, errDamaged
	}
	return nil, false, nil
}

// propertiesBytes finds several properties' encoded values in one pass
// over a stored row (in the compact encoding only): raws[k] and oks[k] are
// names[k]'s.
func propertiesBytes(data []byte, names []string, raws [][]byte, oks []bool) error {
	clear(oks)
	if len(data) == 0 || data[0] != rowFormat {
		return errDamaged
	}
	d := decoder{b: data[1:]}
	d.bytes() // title
	d.bytes() // url
	left := len(names)
	for n := d.uvarint(); n > 0 && left > 0 && !d.bad; n-- {
		name, v := d.bytes(), d.bytes()
		for k := range names {
			if !oks[k] && string(name) == names[k] {
				raws[k], oks[k] = v, true
				left--
			}
		}
	}
	if d.bad {
		clear(oks)
		return errDamaged
	}
	return nil
}

// decodeValue reads one encoded value, all of it.
func decodeValue(raw []byte, borrow bool) (notion.Value, error) {
	d := decoder{b: raw, borrow: borrow}
	v := d.value(0)
	if d.bad || len(d.b) != 0 {
		return notion.Value{}, errDamaged
	}
	return v, nil
}
