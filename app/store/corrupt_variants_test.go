package store

import (
	"encoding/binary"
	"hash/fnv"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The corruption variants: ways a pagedeck.db is found damaged (a crash, a
// bad disk, a sync tool, someone else's file), each applied to a copy of a
// real database of two workspaces. TestCorruptionVariants runs them through
// the store and TestBinaryCorruption through the real binary.

type variant struct {
	name   string
	damage func(t testing.TB, path string, l layout)
	// sound: bbolt copes by itself (the other header is intact), so Open
	// succeeds without restoring anything.
	sound bool
}

// layout is where the pristine file keeps what the variants damage.
type layout struct {
	ps       int64
	pages    map[string][]uint64
	current  int // the header bbolt uses: 0 or 1
	freelist uint64
	root     uint64
	size     int64
	hwm      uint64
}

const (
	wsA = "ws-a"
	wsB = "ws-b"
)

// buildSample writes a database of two workspaces with enough items that
// their buckets have branch pages, rewritten once so the freelist has
// entries, and returns its layout.
func buildSample(t testing.TB, dir string) (*Store, layout) {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i, id := range []string{wsA, wsB} {
		if _, err := s.UpsertWorkspace(id, func(w *Workspace, _ bool) {
			w.Name, w.Auth, w.Status, w.Connected = "Workspace "+id, "oauth", StatusOK, base.Add(time.Duration(i)*time.Hour)
		}); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := s.ReplaceItems(id, sampleItems(400, base), func(*Workspace) {}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.SetSettings(map[string]string{"last": "write"}); err != nil {
		t.Fatal(err)
	}
	l := layout{pages: map[string][]uint64{}}
	f, err := os.Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	c := &checker{f: f, size: fi.Size(), pages: l.pages}
	m, err := c.meta()
	if err == nil {
		err = c.walk(m)
	}
	if err != nil {
		t.Fatalf("the sample is not sound: %v", err)
	}
	l.ps, l.size, l.freelist, l.root, l.hwm = c.ps, fi.Size(), m.freelist, m.root, m.hwm
	var h [pageHeaderSize + metaSize]byte
	f.ReadAt(h[:], 0)
	m0, _ := parseMeta(h[:])
	if m0.txid != m.txid {
		l.current = 1
	}
	if len(l.pages["branch"]) == 0 || len(l.pages["leaf"]) < 4 || len(l.pages["freelist"]) != 1 {
		t.Fatalf("the sample lacks the pages the variants need: %v", l.pages)
	}
	return s, l
}

func rw(t testing.TB, path string, fn func(f *os.File)) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fn(f)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func truncate(n func(l layout) int64) func(testing.TB, string, layout) {
	return func(t testing.TB, path string, l layout) {
		if err := os.Truncate(path, n(l)); err != nil {
			t.Fatal(err)
		}
	}
}

func writeAt(t testing.TB, path string, off int64, b []byte) {
	rw(t, path, func(f *os.File) {
		if _, err := f.WriteAt(b, off); err != nil {
			t.Fatal(err)
		}
	})
}

func u16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func u64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

// flip xors one byte.
func flip(t testing.TB, path string, off int64) {
	rw(t, path, func(f *os.File) {
		b := []byte{0}
		f.ReadAt(b, off)
		b[0] ^= 0x5a
		f.WriteAt(b, off)
	})
}

// forgeMeta edits header n (at offset field within the meta) and writes a
// valid checksum, as a bug or a deliberate edit would, so bbolt trusts it.
func forgeMeta(n int, field int64, value []byte) func(testing.TB, string, layout) {
	return func(t testing.TB, path string, l layout) {
		if n < 0 {
			n = l.current
		}
		at := int64(n)*l.ps + pageHeaderSize
		rw(t, path, func(f *os.File) {
			m := make([]byte, metaSize)
			f.ReadAt(m, at)
			copy(m[field:], value)
			h := fnv.New64a()
			h.Write(m[:56])
			binary.LittleEndian.PutUint64(m[56:], h.Sum64())
			f.WriteAt(m, at)
		})
	}
}

func pageOff(l layout, id uint64) int64 { return int64(id) * l.ps }

// putRaw stores a value with bbolt itself, bypassing the store's encoding:
// a record that decodes to nothing.
func putRaw(bucket []string, key string, value []byte) func(testing.TB, string, layout) {
	return func(t testing.TB, path string, _ layout) {
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		err = db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte(bucket[0]))
			for _, name := range bucket[1:] {
				b = b.Bucket([]byte(name))
			}
			return b.Put([]byte(key), value)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func variants() []variant {
	branch := func(l layout) uint64 { return l.pages["branch"][0] }
	leaf := func(l layout) uint64 { return l.pages["leaf"][len(l.pages["leaf"])/2] }
	return []variant{
		{name: "empty file", damage: truncate(func(layout) int64 { return 0 })},
		{name: "foreign text file", damage: func(t testing.TB, path string, _ layout) {
			os.WriteFile(path, []byte("these are my notes, not a database\n"), 0o600)
		}},
		{name: "foreign SQLite file", damage: func(t testing.TB, path string, _ layout) {
			os.WriteFile(path, append([]byte("SQLite format 3\x00\x10\x00\x01\x01"), make([]byte, 8192)...), 0o600)
		}},
		{name: "truncated to 100 bytes", damage: truncate(func(layout) int64 { return 100 })},
		{name: "truncated to one page", damage: truncate(func(l layout) int64 { return l.ps })},
		{name: "truncated to the two headers", damage: truncate(func(l layout) int64 { return 2 * l.ps })},
		{name: "truncated to half", damage: truncate(func(l layout) int64 { return l.size / 2 })},
		{name: "last page cut off", damage: truncate(func(l layout) int64 { return int64(l.hwm-1) * l.ps })},
		{name: "last page cut in half", damage: truncate(func(l layout) int64 { return int64(l.hwm)*l.ps - l.ps/2 })},
		{name: "unused tail cut off", sound: true, damage: truncate(func(l layout) int64 { return int64(l.hwm) * l.ps })},
		{name: "current header: magic flipped", sound: true, damage: func(t testing.TB, path string, l layout) {
			flip(t, path, int64(l.current)*l.ps+pageHeaderSize)
		}},
		{name: "older header: checksum flipped", sound: true, damage: func(t testing.TB, path string, l layout) {
			flip(t, path, int64(1-l.current)*l.ps+pageHeaderSize+56)
		}},
		{name: "both headers: magic flipped", damage: func(t testing.TB, path string, l layout) {
			flip(t, path, pageHeaderSize)
			flip(t, path, l.ps+pageHeaderSize)
		}},
		{name: "both headers: checksum flipped", damage: func(t testing.TB, path string, l layout) {
			flip(t, path, pageHeaderSize+60)
			flip(t, path, l.ps+pageHeaderSize+60)
		}},
		{name: "both headers: unknown version", damage: func(t testing.TB, path string, l layout) {
			forgeMeta(0, 4, u32(7))(t, path, l)
			forgeMeta(1, 4, u32(7))(t, path, l)
		}},
		{name: "forged header: root past the last page", damage: forgeMeta(-1, 16, u64(1<<20))},
		{name: "forged header: root at the freelist", damage: func(t testing.TB, path string, l layout) {
			forgeMeta(-1, 16, u64(l.freelist))(t, path, l)
		}},
		{name: "forged header: 2^40 pages", damage: forgeMeta(-1, 40, u64(1<<40))},
		{name: "forged header: 3 pages", damage: forgeMeta(-1, 40, u64(3))},
		{name: "forged header: freelist past the last page", damage: forgeMeta(-1, 32, u64(1<<30))},
		{name: "freelist: 2^60 entries", damage: func(t testing.TB, path string, l layout) {
			off := pageOff(l, l.freelist)
			writeAt(t, path, off+10, u16(0xFFFF))
			writeAt(t, path, off+pageHeaderSize, u64(1<<60))
		}},
		{name: "freelist: lists a live branch page", damage: func(t testing.TB, path string, l layout) {
			off := pageOff(l, l.freelist)
			writeAt(t, path, off+10, u16(1))
			writeAt(t, path, off+pageHeaderSize, u64(branch(l)))
		}},
		{name: "freelist: page type flipped", damage: func(t testing.TB, path string, l layout) {
			writeAt(t, path, pageOff(l, l.freelist)+8, u16(flagLeaf))
		}},
		{name: "branch page: child points at itself", damage: func(t testing.TB, path string, l layout) {
			writeAt(t, path, pageOff(l, branch(l))+pageHeaderSize+8, u64(branch(l)))
		}},
		{name: "branch page: child past the last page", damage: func(t testing.TB, path string, l layout) {
			writeAt(t, path, pageOff(l, branch(l))+pageHeaderSize+8, u64(1<<33))
		}},
		{name: "branch page: child is a header page", damage: func(t testing.TB, path string, l layout) {
			writeAt(t, path, pageOff(l, branch(l))+pageHeaderSize+8, u64(1))
		}},
		{name: "branch page: 65535 elements", damage: func(t testing.TB, path string, l layout) {
			writeAt(t, path, pageOff(l, branch(l))+10, u16(0xFFFF))
		}},
		{name: "branch page: key offset past the page", damage: func(t testing.TB, path string, l layout) {
			writeAt(t, path, pageOff(l, branch(l))+pageHeaderSize, u32(1<<30))
		}},
		{name: "branch page: typed as a leaf", damage: func(t testing.TB, path string, l layout) {
			writeAt(t, path, pageOff(l, branch(l))+8, u16(flagLeaf))
		}},
		{name: "branch page: random bytes", damage: func(t testing.TB, path string, l layout) {
			junk := make([]byte, l.ps-pageHeaderSize)
			for i := range junk {
				junk[i] = byte(i*131 + 7)
			}
			writeAt(t, path, pageOff(l, branch(l))+pageHeaderSize, junk)
		}},
		{name: "leaf page: value size 2^31", damage: func(t testing.TB, path string, l layout) {
			writeAt(t, path, pageOff(l, leaf(l))+pageHeaderSize+12, u32(1<<31))
		}},
		{name: "leaf page: wrong page id", damage: func(t testing.TB, path string, l layout) {
			writeAt(t, path, pageOff(l, leaf(l)), u64(leaf(l)+1))
		}},
		{name: "leaf page: 4 billion overflow pages", damage: func(t testing.TB, path string, l layout) {
			writeAt(t, path, pageOff(l, leaf(l))+12, u32(1<<32-1))
		}},
		{name: "leaf page: zeroed", damage: func(t testing.TB, path string, l layout) {
			writeAt(t, path, pageOff(l, leaf(l)), make([]byte, l.ps))
		}},
		{name: "root page: a bucket's root is a header page", damage: func(t testing.TB, path string, l layout) {
			// The root bucket's first element is a sub-bucket; its value
			// starts with the sub-bucket's root page id.
			off := pageOff(l, l.root) + pageHeaderSize
			b := make([]byte, elementSize)
			rw(t, path, func(f *os.File) { f.ReadAt(b, off) })
			pos, ksize := binary.LittleEndian.Uint32(b[4:]), binary.LittleEndian.Uint32(b[8:])
			writeAt(t, path, off+int64(pos)+int64(ksize), u64(1))
		}},
		{name: "item record damaged", damage: putRaw([]string{"items", wsA}, "item-00007", []byte{1, 0, 0, 0x80, 0x80})},
		{name: "workspace record damaged", damage: putRaw([]string{"workspaces"}, wsB, []byte(`{"id":"ws-b","name":`))},
	}
}

func variantNamed(t testing.TB, name string) variant {
	for _, v := range variants() {
		if v.name == name {
			return v
		}
	}
	t.Fatalf("no variant %q", name)
	return variant{}
}

// variantDir makes a data dir with the sample, its last good copy when
// backup is set, then the damage. It returns the damaged bytes.
func variantDir(t testing.TB, v variant, backup bool) (dir string, damaged []byte) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "data")
	s, l := buildSample(t, dir)
	if backup {
		if ok, err := s.Backup(); !ok || err != nil {
			t.Fatalf("backup: %v %v", ok, err)
		}
	}
	v.damage(t, s.Path(), l)
	b, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	return dir, b
}

func TestVariantsAreDistinct(t *testing.T) {
	seen := map[string]bool{}
	vs := variants()
	for _, v := range vs {
		if seen[v.name] {
			t.Errorf("two variants named %q", v.name)
		}
		seen[v.name] = true
	}
	if len(vs) < 20 {
		t.Errorf("%d variants, want at least 20", len(vs))
	}
}
