package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestRowsKeptPerDataSource(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertWorkspace("ws", func(w *Workspace, _ bool) { w.Name = "Acme" }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RowSource("ws", "ds"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no source yet: %v", err)
	}
	if rows, err := s.Rows("ws", "ds"); err != nil || len(rows) != 0 {
		t.Fatalf("no rows yet: %v %v", rows, err)
	}
	mark := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)
	row := func(id string, min int) RowRecord {
		return RowRecord{ID: id, LastEdited: mark.Add(time.Duration(min) * time.Minute), Data: json.RawMessage(fmt.Sprintf(`{"title":%q}`, id))}
	}
	src := SourceRecord{ID: "ds", Schema: json.RawMessage(`{"title":"Tasks"}`), Mark: mark, Synced: mark}
	if err := s.WriteRows("ws", RowWrite{Source: src, Put: []RowRecord{row("a", 0), row("b", -5), row("c", -9)}}); err != nil {
		t.Fatal(err)
	}
	// An incremental batch updates one row and adds one.
	if err := s.WriteRows("ws", RowWrite{Source: src, Put: []RowRecord{row("b", 3), row("d", 1)}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Rows("ws", "ds")
	if err != nil || len(got) != 4 || got[1].ID != "b" || !got[1].LastEdited.Equal(mark.Add(3*time.Minute)) || string(got[1].Data) != `{"title":"b"}` {
		t.Fatalf("rows %+v, %v", got, err)
	}
	rec, err := s.RowSource("ws", "ds")
	if err != nil || rec.Rows != 4 || !rec.Mark.Equal(mark) || string(rec.Schema) != `{"title":"Tasks"}` {
		t.Fatalf("source %+v, %v", rec, err)
	}
	// A full sync's end drops what it did not see.
	if err := s.WriteRows("ws", RowWrite{Source: src, Replace: true, Keep: map[string]bool{"a": true, "d": true}}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Rows("ws", "ds")
	if ids := rowIDs(got); !slices.Equal(ids, []string{"a", "d"}) {
		t.Fatalf("after a full sync: %v", ids)
	}
	if err := s.WriteRows("ws", RowWrite{Source: SourceRecord{ID: "other"}, Put: []RowRecord{row("x", 0)}}); err != nil {
		t.Fatal(err)
	}
	srcs, err := s.RowSources("ws")
	if err != nil || len(srcs) != 2 || srcs[0].ID != "ds" || srcs[0].Rows != 2 || srcs[1].Rows != 1 {
		t.Fatalf("sources %+v, %v", srcs, err)
	}
	// The file with rows passes the check every open makes.
	if err := checkFile(s.Path(), nil); err != nil {
		t.Fatalf("check: %v", err)
	}
	if err := s.DeleteRowSource("ws", "ds"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Rows("ws", "ds"); len(got) != 0 {
		t.Fatalf("rows of a forgotten source: %v", got)
	}
	if err := s.DeleteWorkspace("ws"); err != nil {
		t.Fatal(err)
	}
	if srcs, err := s.RowSources("ws"); err != nil || len(srcs) != 0 {
		t.Fatalf("sources of a removed workspace: %v %v", srcs, err)
	}
}

func TestDamagedRowIsFound(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteRows("ws", RowWrite{Source: SourceRecord{ID: "ds"}, Put: []RowRecord{{ID: "r", Data: json.RawMessage(`{}`)}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRows).Bucket([]byte("ws")).Bucket([]byte("ds")).Put([]byte("r"), []byte("12345678{not json"))
	}); err != nil {
		t.Fatal(err)
	}
	if err := checkFile(s.Path(), nil); err == nil {
		t.Error("a damaged row passed the check")
	}
	if _, err := s.Rows("ws", "ds"); err == nil {
		t.Error("a damaged row was read")
	}
}

func rowIDs(rs []RowRecord) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// TestSchema3RowsMigrate: rows written by schema 3 (JSON, no checksum)
// pass the open's check, gain their checksum, read back as they were, and
// their source's next sync is a full one (which writes them anew).
func TestSchema3RowsMigrate(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	edited := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)
	src := SourceRecord{ID: "ds", Schema: json.RawMessage(`{"title":"Tasks"}`), Mark: edited, Synced: edited, FullSynced: edited, Rows: 1}
	sj, _ := json.Marshal(src)
	if err := s.update(func(tx *bolt.Tx) error {
		_, rows, err := rowBuckets(tx, "ws", "ds", true)
		if err != nil {
			return err
		}
		if err := rows.Put([]byte("r"), append(binary.BigEndian.AppendUint64(nil, uint64(edited.Unix())), `{"title":"Old row"}`...)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketRowSources).Bucket([]byte("ws")).Put([]byte("ds"), sj); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint64(nil, 3))
	}); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatalf("a schema 3 file with rows: %v", err)
	}
	if v, _ := s.Schema(); v != SchemaVersion {
		t.Errorf("schema %d after migration", v)
	}
	got, err := s.Rows("ws", "ds")
	if err != nil || len(got) != 1 || string(got[0].Data) != `{"title":"Old row"}` || !got[0].LastEdited.Equal(edited) {
		t.Fatalf("rows %+v, %v", got, err)
	}
	rec, err := s.RowSource("ws", "ds")
	if err != nil || !rec.FullSynced.IsZero() || !rec.Mark.Equal(edited) || rec.Rows != 1 {
		t.Fatalf("source %+v, %v", rec, err)
	}
	if err := checkFile(s.Path(), nil); err != nil {
		t.Fatalf("the migrated file fails the check: %v", err)
	}
}
