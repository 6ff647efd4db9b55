package content

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"io"
	"time"
)

// How a page is kept in pages.db: capped, its markdown and plain text
// deflated.

// capPage cuts a page's markdown at MaxStoredBytes, and says so: it is
// stored up to the cap, and not fetched again until edited, like any
// stored page. Its plain text follows the cut.
func capPage(pg *Page) {
	if len(pg.Markdown) > MaxStoredBytes {
		pg.Markdown = cut(pg.Markdown, MaxStoredBytes)
		pg.Partial = true
		pg.plain, pg.folded = "", ""
	}
}

func encodePage(pg *Page) []byte {
	capPage(pg)
	flags := byte(0)
	if pg.Partial {
		flags |= flagPartial
	}
	if pg.indexed {
		flags |= flagIndexed
	}
	buf := []byte{pageVersion, flags}
	buf = binary.AppendVarint(buf, pg.Edited.UnixMilli())
	buf = binary.AppendVarint(buf, pg.Fetched.UnixMilli())
	md := cut(pg.Markdown, MaxStoredBytes)
	if pg.plain == "" && md != "" {
		pg.plain = PlainText(md)
	}
	zmd := deflate(md)
	buf = binary.AppendUvarint(buf, uint64(len(zmd)))
	buf = append(buf, zmd...)
	return append(buf, deflate(pg.plain)...)
}

func deflate(s string) []byte {
	var z bytes.Buffer
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&z)
	_, _ = io.WriteString(w, s)
	_ = w.Close()
	deflaters.Put(w)
	return z.Bytes()
}

func inflate(z []byte) (string, error) {
	r := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(z), nil); err != nil {
		return "", err
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(io.LimitReader(r, maxInflation)); err != nil || b.Len() > MaxStoredBytes {
		return "", errBadPage
	}
	return b.String(), nil
}

// decodePage reads a record; the markdown when body, the plain text when
// plain.
func decodePage(id string, v []byte, body bool) (Page, error) {
	return decodeRecord(id, v, body, false)
}

func decodeRecord(id string, v []byte, body, plain bool) (Page, error) {
	if len(v) < 2 || v[0] != pageVersion {
		return Page{}, errBadPage
	}
	pg := Page{ID: id, Partial: v[1]&flagPartial != 0, indexed: v[1]&flagIndexed != 0}
	rest := v[2:]
	e, n := binary.Varint(rest)
	if n <= 0 {
		return Page{}, errBadPage
	}
	rest = rest[n:]
	f, n := binary.Varint(rest)
	if n <= 0 {
		return Page{}, errBadPage
	}
	rest = rest[n:]
	pg.Edited, pg.Fetched = time.UnixMilli(e).UTC(), time.UnixMilli(f).UTC()
	l, n := binary.Uvarint(rest)
	if n <= 0 || uint64(len(rest)-n) < l {
		return Page{}, errBadPage
	}
	zmd, zplain := rest[n:n+int(l)], rest[n+int(l):]
	var err error
	if body {
		if pg.Markdown, err = inflate(zmd); err != nil {
			return Page{}, err
		}
	}
	if plain {
		if pg.plain, err = inflate(zplain); err != nil {
			return Page{}, err
		}
	}
	return pg, nil
}
