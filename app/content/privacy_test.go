package content

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// WordsLeft reports where under dir word still appears: the raw bytes of
// every file, and every term of every field of the content index read
// through bleve's own dictionaries (terms are stored compressed, so a raw
// scan alone would miss them). Tests of "off means gone" share it.
func WordsLeft(dir, word string) ([]string, error) {
	var where []string
	w := []byte(word)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			return nil // a temporary file, gone
		}
		if err != nil {
			return err
		}
		if bytes.Contains(bytes.ToLower(b), w) {
			where = append(where, p)
		}
		return nil
	})
	if err != nil {
		return where, err
	}
	idxPath := filepath.Join(dir, IndexDir)
	if _, err := os.Stat(idxPath); err != nil {
		return where, nil
	}
	idx, err := bleve.OpenUsing(idxPath, map[string]any{"bolt_timeout": "10s"})
	if err != nil {
		return where, fmt.Errorf("opening the index: %w", err)
	}
	defer idx.Close()
	fields, err := idx.Fields()
	if err != nil {
		return where, err
	}
	for _, f := range append(fields, "_id") {
		d, err := idx.FieldDict(f)
		if err != nil {
			return where, err
		}
		for e, err := d.Next(); err == nil && e != nil; e, err = d.Next() {
			if strings.Contains(strings.ToLower(e.Term), word) {
				where = append(where, fmt.Sprintf("index field %q term %q", f, e.Term))
			}
		}
		d.Close()
	}
	return where, nil
}

func TestDropLeavesNoWordInAnyFile(t *testing.T) {
	dir := t.TempDir()
	s := testStore(t, dir, Options{})
	now := time.Now()
	for i := range 3 {
		var a, b []Page
		for j := range 50 {
			a = append(a, Page{ID: fmt.Sprintf("a%d-%d", i, j), Edited: now, Fetched: now, Markdown: fmt.Sprintf("page %d quxbrillig and more", j)})
			b = append(b, Page{ID: fmt.Sprintf("b%d-%d", i, j), Edited: now, Fetched: now, Markdown: fmt.Sprintf("page %d about walruses", j)})
		}
		// Several batches: several segments.
		if err := s.Put("wsa", a...); err != nil {
			t.Fatal(err)
		}
		if err := s.Put("wsb", b...); err != nil {
			t.Fatal(err)
		}
	}
	if left, err := WordsLeft(dir, "quxbrillig"); err != nil || len(left) == 0 {
		t.Fatalf("the word should be found before the drop: %v %v", left, err)
	}
	if err := s.Drop(context.Background(), "wsa"); err != nil {
		t.Fatal(err)
	}
	left, err := WordsLeft(dir, "quxbrillig")
	if err != nil || len(left) != 0 {
		t.Errorf("after the drop, the word is still in: %v (%v)", left, err)
	}
	if m, err := s.Search("walruses", "", 0); err != nil || len(m) != 150 {
		t.Errorf("the other workspace: %d matches, %v", len(m), err)
	}
}
