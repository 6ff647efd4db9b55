package store

import (
	"encoding/binary"
	"errors"
	"time"
)

// An item's record is compact and quick to decode, because the window
// loads every cached item at start:
//
//	version byte (2) | kind byte | flags byte | last edited (varint, Unix ms)
//	| title | url | icon | parent id   (each a uvarint length and the bytes)
//	| parent type byte | database id | database parent type byte
//	| database parent id
//
// The id is the key. Version 1 records end after the parent id; they still
// read, with ParentNone.
const recordVersion = 2

const flagIconExpires = 1

var errBadRecord = errors.New("corrupt item record")

func encodeItem(buf []byte, it *Item) []byte {
	kind := byte(0)
	if it.Kind == KindDatabase {
		kind = 1
	}
	flags := byte(0)
	if it.IconExpires {
		flags |= flagIconExpires
	}
	buf = append(buf, recordVersion, kind, flags)
	var ms int64
	if !it.LastEdited.IsZero() {
		ms = it.LastEdited.UnixMilli()
	}
	buf = binary.AppendVarint(buf, ms)
	for _, s := range [...]string{it.Title, it.URL, it.Icon, it.ParentID} {
		buf = appendString(buf, s)
	}
	buf = append(buf, parentCode(it.ParentType))
	buf = appendString(buf, it.DatabaseID)
	buf = append(buf, parentCode(it.DatabaseParentType))
	return appendString(buf, it.DatabaseParentID)
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

func decodeItem(key, v []byte) (Item, error) {
	if len(v) < 4 || (v[0] != 1 && v[0] != recordVersion) {
		return Item{}, errBadRecord
	}
	version := v[0]
	it := Item{ID: string(key), Kind: KindPage, IconExpires: v[2]&flagIconExpires != 0}
	if v[1] == 1 {
		it.Kind = KindDatabase
	}
	ms, n := binary.Varint(v[3:])
	if n <= 0 {
		return Item{}, errBadRecord
	}
	if ms != 0 {
		it.LastEdited = time.UnixMilli(ms).UTC()
	}
	d := decoder{v: v[3+n:], whole: string(v)}
	it.Title, it.URL, it.Icon, it.ParentID = d.string(), d.string(), d.string(), d.string()
	if version >= 2 {
		it.ParentType = parentOfCode(d.byte())
		it.DatabaseID = d.string()
		it.DatabaseParentType = parentOfCode(d.byte())
		it.DatabaseParentID = d.string()
	}
	if d.bad {
		return Item{}, errBadRecord
	}
	return it, nil
}

// validItem tells whether decodeItem would accept v, without building the
// item: the file check walks every record (FuzzRecord keeps the two in
// step).
func validItem(v []byte) bool {
	if len(v) < 4 || (v[0] != 1 && v[0] != recordVersion) {
		return false
	}
	version := v[0]
	_, n := binary.Varint(v[3:])
	if n <= 0 {
		return false
	}
	d := decoder{v: v[3+n:]}
	for range 4 {
		d.skip()
	}
	if version >= 2 {
		d.byte()
		d.skip()
		d.byte()
		d.skip()
	}
	return !d.bad
}

// decoder reads a record's fields; past the first problem it returns zero
// values and sets bad.
type decoder struct {
	v   []byte
	bad bool
	// whole, when set, is the record v ends, as a string: its fields are
	// cut from it, one allocation a record rather than one a field (a
	// command reads every item of a large workspace at start).
	whole string
}

func (d *decoder) string() string {
	l, n := binary.Uvarint(d.v)
	if d.bad || n <= 0 || uint64(len(d.v)-n) < l {
		d.bad = true
		return ""
	}
	var s string
	if d.whole != "" {
		at := len(d.whole) - len(d.v) + n
		s = d.whole[at : at+int(l)]
	} else {
		s = string(d.v[n : n+int(l)])
	}
	d.v = d.v[n+int(l):]
	return s
}

// skip passes over a string field.
func (d *decoder) skip() {
	l, n := binary.Uvarint(d.v)
	if d.bad || n <= 0 || uint64(len(d.v)-n) < l {
		d.bad = true
		return
	}
	d.v = d.v[n+int(l):]
}

func (d *decoder) byte() byte {
	if d.bad || len(d.v) == 0 {
		d.bad = true
		return 0
	}
	b := d.v[0]
	d.v = d.v[1:]
	return b
}
