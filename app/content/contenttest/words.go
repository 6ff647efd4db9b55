// Package contenttest finds words in a data dir, for the tests that check
// that content turned off (or a workspace disconnected) leaves nothing
// behind. Only tests import it.
package contenttest

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
)

// WordsLeft reports where under dir word (lower case) still appears: the
// raw bytes of every file; every value of every bbolt file, inflated where
// it holds deflated text (stored pages do); and every term of every field
// of every bleve index, read through bleve's own dictionaries (terms are
// stored compressed, so a raw scan alone would miss them).
func WordsLeft(dir, word string) ([]string, error) {
	var where []string
	w := []byte(word)
	var indexes []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if d.IsDir() {
			if _, err := os.Stat(filepath.Join(p, "index_meta.json")); err == nil {
				indexes = append(indexes, p)
			}
			return nil
		}
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a temporary file, gone
		}
		if err != nil {
			return err
		}
		if bytes.Contains(bytes.ToLower(b), w) {
			where = append(where, p)
		}
		if len(b) >= 4096 && binary.LittleEndian.Uint32(b[16:]) == 0xED0CDAED {
			found, err := inBolt(p, w)
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			where = append(where, found...)
		}
		return nil
	})
	if err != nil {
		return where, err
	}
	for _, ix := range indexes {
		found, err := inIndex(ix, word)
		if err != nil {
			return where, fmt.Errorf("%s: %w", ix, err)
		}
		where = append(where, found...)
	}
	return where, nil
}

func inBolt(path string, w []byte) ([]string, error) {
	db, err := bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: 10 * time.Second})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var where []string
	var walk func(b *bolt.Bucket, name string) error
	walk = func(b *bolt.Bucket, name string) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return walk(b.Bucket(k), name+"/"+string(k))
			}
			for _, text := range texts(v) {
				if bytes.Contains(bytes.ToLower(text), w) {
					where = append(where, fmt.Sprintf("%s: %s/%s", path, name, k))
					break
				}
			}
			return nil
		})
	}
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error { return walk(b, string(name)) })
	})
	return where, err
}

// texts is a value as stored and every deflated stream in it: at each of
// its first bytes, and where a content record keeps its two parts.
func texts(v []byte) [][]byte {
	out := [][]byte{v}
	starts := map[int]bool{}
	for i := range min(len(v), 64) {
		starts[i] = true
	}
	if len(v) > 2 {
		rest, at := v[2:], 2
		for range 2 {
			if _, n := binary.Varint(rest); n > 0 {
				rest, at = rest[n:], at+n
			}
		}
		if l, n := binary.Uvarint(rest); n > 0 && int(l) <= len(rest)-n {
			starts[at+n], starts[at+n+int(l)] = true, true
		}
	}
	for s := range starts {
		if b, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(v[s:])), 64<<20)); len(b) > 0 && (err == nil || len(b) > 16) {
			out = append(out, b)
		}
	}
	return out
}

func inIndex(path, word string) ([]string, error) {
	idx, err := bleve.OpenUsing(path, map[string]any{"bolt_timeout": "10s"})
	if err != nil {
		return nil, err
	}
	defer idx.Close()
	fields, err := idx.Fields()
	if err != nil {
		return nil, err
	}
	var where []string
	for _, f := range append(fields, "_id") {
		d, err := idx.FieldDict(f)
		if err != nil {
			return nil, err
		}
		for e, err := d.Next(); err == nil && e != nil; e, err = d.Next() {
			if strings.Contains(strings.ToLower(e.Term), word) {
				where = append(where, fmt.Sprintf("%s: field %q term %q", path, f, e.Term))
			}
		}
		d.Close()
	}
	return where, nil
}
