package store

import (
	"encoding/binary"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestParentsRoundTrip: every parent type, a data source's database and
// database parent, survive the record.
func TestParentsRoundTrip(t *testing.T) {
	edited := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	items := []Item{
		{ID: "top", Kind: KindPage, Title: "Top", ParentType: ParentWorkspace},
		{ID: "child", Kind: KindPage, Title: "Child", ParentType: ParentPage, ParentID: "top"},
		{ID: "ds", Kind: KindDatabase, Title: "Tasks", ParentType: ParentDatabase, ParentID: "db", DatabaseID: "db",
			DatabaseParentType: ParentPage, DatabaseParentID: "top"},
		{ID: "row", Kind: KindPage, Title: "Row", ParentType: ParentDataSource, ParentID: "ds", DatabaseID: "db"},
		{ID: "old-row", Kind: KindPage, Title: "Row", ParentType: ParentDatabase, ParentID: "db"},
		{ID: "in-block", Kind: KindPage, ParentType: ParentBlock, ParentID: "b"},
		{ID: "agent", Kind: KindPage, ParentType: ParentUnknown},
		{ID: "legacy", Kind: KindPage, ParentType: ParentNone, ParentID: "top"},
	}
	for _, want := range items {
		want.LastEdited = edited
		got, err := decodeItem([]byte(want.ID), encodeItem(nil, &want))
		if err != nil || got != want {
			t.Errorf("round trip of %s: %+v, %v", want.ID, got, err)
		}
	}
	// A type this version never wrote reads as unknown, never as a place.
	odd := Item{ID: "x", ParentType: "team_id", ParentID: "t"}
	if got, _ := decodeItem([]byte("x"), encodeItem(nil, &odd)); got.ParentType != ParentUnknown {
		t.Errorf("an odd type came back as %q", got.ParentType)
	}
	v := encodeItem(nil, &items[2])
	for cut := 1; cut < len(v); cut++ {
		if _, err := decodeItem([]byte("ds"), v[:cut]); err == nil {
			t.Errorf("a record cut at %d of %d bytes was accepted", cut, len(v))
		}
	}
}

// encodeV1 writes a record as the first version did.
func encodeV1(it Item) []byte {
	kind := byte(0)
	if it.Kind == KindDatabase {
		kind = 1
	}
	buf := []byte{1, kind, 0}
	buf = binary.AppendVarint(buf, it.LastEdited.UnixMilli())
	for _, s := range []string{it.Title, it.URL, it.Icon, it.ParentID} {
		buf = appendString(buf, s)
	}
	return buf
}

// TestSchema1FileStillReads: a file written before parent types, opens and
// pins migrates on open; its items read with ParentNone, and pins work on
// them at once.
func TestSchema1FileStillReads(t *testing.T) {
	dir := t.TempDir()
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	edited := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
	err = db.Update(func(tx *bolt.Tx) error {
		meta, _ := tx.CreateBucket(bucketMeta)
		for _, b := range [][]byte{bucketWorkspaces, bucketItems, bucketSettings} {
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketWorkspaces).Put([]byte("ws"), []byte(`{"id":"ws","name":"Old","items":2}`)); err != nil {
			return err
		}
		items, _ := tx.Bucket(bucketItems).CreateBucket([]byte("ws"))
		_ = items.Put([]byte("p1"), encodeV1(Item{Title: "Engineering", LastEdited: edited}))
		_ = items.Put([]byte("p2"), encodeV1(Item{Title: "Roadmap", ParentID: "p1", LastEdited: edited}))
		return meta.Put(keySchema, binary.BigEndian.AppendUint64(nil, 1))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Schema(); v != SchemaVersion {
		t.Errorf("schema %d after migration", v)
	}
	got, err := s.Items("ws")
	if err != nil || len(got) != 2 || got[1].ParentID != "p1" || got[1].ParentType != ParentNone || got[1].Title != "Roadmap" || !got[1].LastEdited.Equal(edited) {
		t.Fatalf("items %+v, %v", got, err)
	}
	if err := s.Pin("ws", "p2", edited); err != nil {
		t.Fatalf("pin after migration: %v", err)
	}
	if _, err := s.RecordOpen("ws", "p2", edited); err != nil {
		t.Fatalf("open after migration: %v", err)
	}
}
