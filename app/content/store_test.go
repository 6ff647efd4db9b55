package content

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pagedeck/pagedeck/app/store"
)

func testStore(t *testing.T, dir string, o Options) *Store {
	t.Helper()
	if o.IndexIdle == 0 {
		o.IndexIdle = time.Millisecond
	}
	if o.CheckFile == nil {
		o.CheckFile = store.CheckFile
	}
	s := Open(dir, o)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestSnippetCutsAroundTheMatch(t *testing.T) {
	long := strings.Repeat("filler words go here ", 30) + "the Crème brûlée recipe is on page four " + strings.Repeat("more filler text ", 30)
	plain := "Title line\n" + long + "\nAnother line about tarte tatin\n"
	s := MakeSnippet(plain, "creme recipe")
	if n := utf8.RuneCountInString(s.Text); n > MaxSnippetRunes {
		t.Errorf("snippet is %d runes", n)
	}
	var got []string
	for _, r := range s.Ranges {
		got = append(got, s.Text[r.Start:r.End])
	}
	if strings.Join(got, ",") != "Crème,recipe" || !strings.HasPrefix(s.Text, "…") || !strings.HasSuffix(s.Text, "…") {
		t.Errorf("snippet %q, highlighted %v", s.Text, got)
	}
	// Words on two lines: both lines, joined.
	s = MakeSnippet(plain, "tatin creme")
	if !strings.Contains(s.Text, "tatin") || !strings.Contains(s.Text, "Crème") || utf8.RuneCountInString(s.Text) > MaxSnippetRunes {
		t.Errorf("two-line snippet %q", s.Text)
	}
	// The last word is a prefix; the others are whole words.
	if r := Highlight("Roadmap roadmaps road", "road"); len(r) != 3 {
		t.Errorf("prefix: %v", r)
	}
	if r := Highlight("Roadmap roadmaps road", "road map"); len(r) != 1 {
		t.Errorf("whole word then prefix: %v", r)
	}
	if r := Highlight("l’été d'Zoë", "lete zoe"); len(r) != 1 {
		t.Errorf("apostrophes fold away like in titles: %v", r)
	}
}

func TestStoreSearchFoldsLikeTitles(t *testing.T) {
	s := testStore(t, t.TempDir(), Options{})
	now := time.Now().UTC().Truncate(time.Millisecond)
	if err := s.Put("ws1",
		Page{ID: "p1", Edited: now, Fetched: now, Markdown: "# Café notes\nThe **naïve** approach to Zürich ROADMAPS."},
		Page{ID: "p2", Edited: now, Fetched: now, Markdown: "Nothing to see"},
	); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("ws2", Page{ID: "p3", Edited: now, Fetched: now, Markdown: "zurich elsewhere"}); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"cafe": "p1", "NAIVE zurich": "p1", "roadm": "p1", "zürich approach": "p1", "see": "p2",
		"zurich": "p1 p3", "naive z": "p1", "nope": "",
	} {
		m, err := s.Search(q, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, x := range m {
			ids = append(ids, x.ID)
		}
		if strings.Join(ids, " ") != want && !(want == "p1 p3" && strings.Join(ids, " ") == "p3 p1") {
			t.Errorf("%q found %v, want %q", q, ids, want)
		}
	}
	if m, _ := s.Search("zurich", "ws2", 0); len(m) != 1 || m[0].ID != "p3" {
		t.Errorf("workspace filter: %v", m)
	}
	pg, ok, err := s.Page("ws1", "p1")
	if err != nil || !ok || !pg.Edited.Equal(now) || !strings.Contains(pg.Markdown, "naïve") {
		t.Errorf("stored page %+v %v %v", pg, ok, err)
	}
}

func TestBrokenIndexIsRebuiltFromStoredPages(t *testing.T) {
	dir := t.TempDir()
	s := testStore(t, dir, Options{})
	var list []Page
	for i := range 30 {
		list = append(list, Page{ID: fmt.Sprintf("p%d", i), Edited: time.Now(), Fetched: time.Now(), Markdown: fmt.Sprintf("page %d about walruses", i)})
	}
	if err := s.Put("ws", list...); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	// Scribble over every file of the index.
	_ = filepath.Walk(filepath.Join(dir, IndexDir), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			_ = os.WriteFile(p, []byte("not an index at all"), 0o600)
		}
		return nil
	})
	s2 := testStore(t, dir, Options{})
	if _, err := s2.Search("walruses", "", 0); err != nil {
		t.Fatalf("a broken index must not fail the search: %v", err)
	}
	if n := strings.Join(s2.Notices(), "\n"); !strings.Contains(n, "rebuilding") {
		t.Errorf("notice %q", n)
	}
	if err := s2.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m, err := s2.Search("walruses", "", 0); err != nil || len(m) != 30 {
		t.Fatalf("after the rebuild: %d matches, %v", len(m), err)
	}
	if aside, _ := filepath.Glob(filepath.Join(dir, IndexDir+".broken-*")); len(aside) != 0 {
		t.Errorf("the broken index was kept after the rebuild: %v", aside)
	}
	if n := s2.Count("ws"); n != 30 {
		t.Errorf("count after the rebuild: %d", n)
	}
}

func TestIndexIsSharedByTakingTurns(t *testing.T) {
	dir := t.TempDir()
	a := testStore(t, dir, Options{IndexIdle: time.Hour})
	b := testStore(t, dir, Options{LockTimeout: 200 * time.Millisecond})
	if err := a.Put("ws", Page{ID: "p", Markdown: "shared otter"}); err != nil {
		t.Fatal(err)
	}
	// a keeps the index open (a window mid-typing): b waits, then says so.
	// A write alone holds it only briefly (writeKeep), so a searches: a
	// search holds it for IndexIdle, and b's turn cannot come by chance.
	if _, err := a.Search("otter", "", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Search("otter", "", 0); !errors.Is(err, ErrIndexBusy) {
		t.Fatalf("while a holds the index: %v", err)
	}
	_ = a.Close()
	if m, err := b.Search("otter", "", 0); err != nil || len(m) != 1 {
		t.Errorf("after a let go: %v %v", m, err)
	}
}

func TestDropWhileTheIndexIsBusyFinishesAtOnce(t *testing.T) {
	dir := t.TempDir()
	a := testStore(t, dir, Options{IndexIdle: time.Hour})
	b := testStore(t, dir, Options{LockTimeout: 100 * time.Millisecond})
	if err := a.Put("ws", Page{ID: "p", Markdown: "secret narwhal"}); err != nil {
		t.Fatal(err)
	}
	// a searching keeps the index open (an hour here); b (disconnect in a
	// command) replaces it with one built without the workspace.
	if _, err := a.Search("narwhal", "", 0); err != nil {
		t.Fatal(err)
	}
	if err := b.Drop(context.Background(), "ws"); err != nil {
		t.Fatalf("drop: %v", err)
	}
	if b.Count("ws") != 0 {
		t.Error("the stored pages must go at once")
	}
	if m, err := a.Search("narwhal", "", 0); err != nil || len(m) != 0 {
		t.Errorf("a still finds the dropped page: %v %v", m, err)
	}
	_ = a.Close()
	c := testStore(t, dir, Options{})
	idx, err := c.index.acquire(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := idx.DocCount()
	c.index.release(0)
	if n != 0 {
		t.Fatalf("the index still holds %d documents of a dropped workspace", n)
	}
}

// TestRebuildStopsAtCloseAndResumes: the rebuild of a lost index runs in
// the background, owned by the store: Close stops it and returns once it
// has (nothing runs after), and the next store finishes it.
func TestRebuildStopsAtCloseAndResumes(t *testing.T) {
	dir := t.TempDir()
	s := testStore(t, dir, Options{})
	var list []Page
	for i := range 1000 {
		list = append(list, Page{ID: fmt.Sprintf("p%d", i), Edited: time.Now(), Fetched: time.Now(), Markdown: fmt.Sprintf("page %d about narwhals", i)})
	}
	if err := s.Put("ws", list...); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	if err := os.RemoveAll(filepath.Join(dir, IndexDir)); err != nil {
		t.Fatal(err)
	}
	s2 := Open(dir, Options{IndexIdle: time.Millisecond, CheckFile: store.CheckFile})
	if n := s2.Count("ws"); n != 0 {
		t.Errorf("with the index lost, %d pages counted as searchable", n)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	// Close waited for the rebuild: its goroutines are gone, and what it
	// did not finish is marked for the next store.
	if err := s2.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	s3 := testStore(t, dir, Options{})
	if err := s3.Prepare(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := s3.Count("ws"); n != len(list) {
		t.Errorf("after the resumed rebuild, %d of %d pages are searchable", n, len(list))
	}
	if m, err := s3.Search("narwhals", "", 0); err != nil || len(m) != len(list) {
		t.Errorf("after the resumed rebuild: %d matches, %v", len(m), err)
	}
	if _, err := os.Stat(filepath.Join(dir, IndexDir+".rebuild")); !os.IsNotExist(err) {
		t.Errorf("the rebuild mark is still there: %v", err)
	}
}
