package content

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/content/contenttest"
)

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
	if left, err := contenttest.WordsLeft(dir, "quxbrillig"); err != nil || len(left) == 0 {
		t.Fatalf("the word should be found before the drop: %v %v", left, err)
	}
	if err := s.Drop(context.Background(), "wsa"); err != nil {
		t.Fatal(err)
	}
	left, err := contenttest.WordsLeft(dir, "quxbrillig")
	if err != nil || len(left) != 0 {
		t.Errorf("after the drop, the word is still in: %v (%v)", left, err)
	}
	if m, err := s.Search("walruses", "", 0); err != nil || len(m) != 150 {
		t.Errorf("the other workspace: %d matches, %v", len(m), err)
	}
}

// BenchmarkDrop: turning one workspace's content off rebuilds the index
// from the other workspaces' stored pages (5,000 pages of about 2 KB).
func BenchmarkDrop(b *testing.B) {
	dir := b.TempDir()
	s := Open(dir, Options{IndexIdle: time.Millisecond})
	defer s.Close()
	now := time.Now()
	var list []Page
	for j := range 5000 {
		list = append(list, Page{ID: fmt.Sprintf("b%d", j), Edited: now, Fetched: now, Markdown: fmt.Sprintf("page %d %s", j, strings.Repeat("about walruses and the sea ", 80))})
	}
	if err := s.Put("keep", list...); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		ws := fmt.Sprintf("drop%d", i)
		if err := s.Put(ws, Page{ID: "a", Edited: now, Fetched: now, Markdown: "quxbrillig"}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.Drop(context.Background(), ws); err != nil {
			b.Fatal(err)
		}
	}
}
