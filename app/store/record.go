package store

import (
	"encoding/binary"
	"errors"
	"time"
)

// An item's record is compact and quick to decode, because the window
// loads every cached item at start:
//
//	version byte (1) | kind byte | flags byte | last edited (varint, Unix ms)
//	| title | url | icon | parent   (each a uvarint length and the bytes)
//
// The id is the key.
const recordVersion = 1

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
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return buf
}

func decodeItem(key, v []byte) (Item, error) {
	if len(v) < 4 || v[0] != recordVersion {
		return Item{}, errBadRecord
	}
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
	v = v[3+n:]
	var fields [4]string
	for i := range fields {
		l, n := binary.Uvarint(v)
		if n <= 0 || uint64(len(v)-n) < l {
			return Item{}, errBadRecord
		}
		fields[i] = string(v[n : n+int(l)])
		v = v[n+int(l):]
	}
	it.Title, it.URL, it.Icon, it.ParentID = fields[0], fields[1], fields[2], fields[3]
	return it, nil
}
