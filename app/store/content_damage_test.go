package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/app/content"
	"github.com/pagedeck/pagedeck/app/store"
)

// contentDamage is a way content/<ws>/pages.db or content-index/ is found
// damaged. pages: whether the stored pages survive it (index damage: they
// do, and the index is rebuilt from them without the network).
type contentDamage struct {
	name   string
	pages  bool
	sound  bool // nothing to tell
	damage func(t *testing.T, db, index string)
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func noise(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

func overwrite(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

func size(t *testing.T, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// segments lists the index's segment files.
func segments(t *testing.T, index string) []string {
	m, _ := filepath.Glob(filepath.Join(index, "store", "*.zap"))
	if len(m) == 0 {
		t.Fatal("the sample index has no segment")
	}
	return m
}

func contentDamages() []contentDamage {
	return []contentDamage{
		{name: "pages.db: empty", damage: func(t *testing.T, db, _ string) { writeFile(t, db, nil) }},
		{name: "pages.db: truncated to half", damage: func(t *testing.T, db, _ string) { os.Truncate(db, size(t, db)/2) }},
		{name: "pages.db: truncated to 100 bytes", damage: func(t *testing.T, db, _ string) { os.Truncate(db, 100) }},
		{name: "pages.db: last 4 KiB cut off (unused tail)", sound: true, pages: true, damage: func(t *testing.T, db, _ string) { os.Truncate(db, size(t, db)-4096) }},
		{name: "pages.db: 160 KB of random bytes inside", damage: func(t *testing.T, db, _ string) {
			overwrite(t, db, 16384, noise(160<<10))
		}},
		{name: "pages.db: headers zeroed", damage: func(t *testing.T, db, _ string) { overwrite(t, db, 0, make([]byte, 8192)) }},
		{name: "pages.db: headers garbled", damage: func(t *testing.T, db, _ string) { overwrite(t, db, 0, noise(8192)) }},
		{name: "pages.db: a text file", damage: func(t *testing.T, db, _ string) { writeFile(t, db, []byte("my notes\n")) }},
		{name: "pages.db: a directory in its place", damage: func(t *testing.T, db, _ string) {
			os.Remove(db)
			os.Mkdir(db, 0o700)
		}},
		{name: "content/: a file in its place", damage: func(t *testing.T, db, _ string) {
			dir := filepath.Dir(filepath.Dir(db))
			os.RemoveAll(dir)
			writeFile(t, dir, []byte("not a folder"))
		}},
		{name: "content-index/: deleted", pages: true, damage: func(t *testing.T, _, index string) { os.RemoveAll(index) }},
		{name: "content-index/: emptied", pages: true, damage: func(t *testing.T, _, index string) {
			os.RemoveAll(index)
			os.Mkdir(index, 0o700)
		}},
		{name: "content-index/: a file in its place", pages: true, damage: func(t *testing.T, _, index string) {
			os.RemoveAll(index)
			writeFile(t, index, []byte("x"))
		}},
		{name: "content-index/: every file scribbled over", pages: true, damage: func(t *testing.T, _, index string) {
			filepath.Walk(index, func(p string, fi os.FileInfo, err error) error {
				if err == nil && !fi.IsDir() {
					writeFile(t, p, []byte("not an index at all"))
				}
				return nil
			})
		}},
		{name: "content-index/: root.bolt deleted", pages: true, damage: func(t *testing.T, _, index string) {
			os.Remove(filepath.Join(index, "store", "root.bolt"))
		}},
		{name: "content-index/: root.bolt cut to one page", pages: true, damage: func(t *testing.T, _, index string) {
			os.Truncate(filepath.Join(index, "store", "root.bolt"), 4096)
		}},
		{name: "content-index/: root.bolt garbled", pages: true, damage: func(t *testing.T, _, index string) {
			overwrite(t, filepath.Join(index, "store", "root.bolt"), 0, noise(8192))
		}},
		{name: "content-index/: index_meta.json garbled", pages: true, damage: func(t *testing.T, _, index string) {
			writeFile(t, filepath.Join(index, "index_meta.json"), []byte("{\"storage\":"))
		}},
		{name: "content-index/: segments truncated to half", pages: true, damage: func(t *testing.T, _, index string) {
			for _, s := range segments(t, index) {
				os.Truncate(s, size(t, s)/2)
			}
		}},
		{name: "content-index/: segments zeroed", pages: true, damage: func(t *testing.T, _, index string) {
			for _, s := range segments(t, index) {
				writeFile(t, s, make([]byte, size(t, s)))
			}
		}},
		{name: "content-index/: random bytes inside segments", pages: true, damage: func(t *testing.T, _, index string) {
			for _, s := range segments(t, index) {
				n := size(t, s)
				overwrite(t, s, n/4, noise(int(n/2)))
			}
		}},
		{name: "content-index/: segments deleted", pages: true, damage: func(t *testing.T, _, index string) {
			for _, s := range segments(t, index) {
				os.Remove(s)
			}
		}},
	}
}

const samplePages = 40

// contentSample is the store sample plus stored, indexed content for the
// pages of ws-a, every one holding "walrus".
func contentSample(t *testing.T) (dir, db, index string) {
	dir = filepath.Join(t.TempDir(), "data")
	s := store.BuildSample(t, dir)
	items, err := s.Items("ws-a")
	if err != nil {
		t.Fatal(err)
	}
	c := content.Open(dir, content.Options{})
	var list []content.Page
	for _, it := range items {
		if it.Kind == store.KindPage && len(list) < samplePages {
			md := fmt.Sprintf("# %s\n\nThe walrus ate %s.\n\n%s", it.Title, it.ID, strings.Repeat("Filler text about the sea. ", 300))
			list = append(list, content.Page{ID: it.ID, Edited: it.LastEdited, Fetched: it.LastEdited, Markdown: md})
		}
	}
	if err := c.Put("ws-a", list...); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, filepath.Join(dir, content.PagesDir, "ws-a", "pages.db"), filepath.Join(dir, content.IndexDir)
}

// TestBinaryContentDamage: every damage of the content files through the
// real binary. Never a crash; a note names what happened; a damaged
// pages.db is set aside (the next sync fetches again: 0 pages now); a
// damaged index is rebuilt from the stored pages and finds all of them;
// 'workspaces' never counts pages search cannot find.
func TestBinaryContentDamage(t *testing.T) {
	bin := store.PagedeckBinary(t)
	crash := []string{"panic", "goroutine ", "fatal error", "SIGSEGV", "SIGBUS", "runtime."}
	for _, v := range contentDamages() {
		t.Run(v.name, func(t *testing.T) {
			dir, db, index := contentSample(t)
			v.damage(t, db, index)
			want := 0
			if v.pages {
				want = samplePages
			}
			var notes []string
			for _, args := range [][]string{{"workspaces", "--json"}, {"search", "walrus", "--in", "content", "--json"}, {"workspaces"}, {"search", "walrus", "--in", "content", "--json"}} {
				code, out, errOut := store.RunPagedeck(t, bin, dir, args...)
				for _, c := range crash {
					if strings.Contains(errOut, c) {
						t.Fatalf("%v crashed: %s", args, errOut)
					}
				}
				if code != 0 {
					t.Fatalf("%v: exit %d: %s", args, code, errOut)
				}
				if errOut != "" {
					notes = append(notes, strings.TrimSpace(errOut))
				}
				switch args[0] {
				case "workspaces":
					if len(args) > 1 && !strings.Contains(out, fmt.Sprintf(`"content_pages": %d`, want)) {
						t.Errorf("workspaces counts: %s", out)
					}
				case "search":
					if n := strings.Count(out, `"match": "content"`); n != want {
						t.Errorf("search found %d pages by content, want %d; stderr %q", n, want, errOut)
					}
				}
			}
			if len(notes) == 0 && !v.sound {
				t.Errorf("nothing told the user")
			}
			for _, n := range notes {
				if strings.Count(n, "\n") > 1 {
					t.Errorf("more than one line or two: %q", n)
				}
			}
			t.Logf("TABLE | %s | %d of %d pages found | %s", v.name, want, samplePages, strings.Join(notes, " // "))
			if left, _ := filepath.Glob(index + ".broken-*"); len(left) != 0 {
				t.Errorf("broken copies left after the rebuild: %v", left)
			}
		})
	}
}
