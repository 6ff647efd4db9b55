package store

import (
	"errors"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func localFixture(t *testing.T) (*Store, []Item) {
	t.Helper()
	s := openTemp(t)
	for _, ws := range []string{"ws", "other"} {
		if _, err := s.UpsertWorkspace(ws, func(*Workspace, bool) {}); err != nil {
			t.Fatal(err)
		}
	}
	items := sampleItems(5, time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC))
	if _, err := s.ReplaceItems("ws", items, func(*Workspace) {}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReplaceItems("other", items[:2], func(*Workspace) {}); err != nil {
		t.Fatal(err)
	}
	return s, items
}

// TestRecordOpenIsBounded: the count grows, the times kept stop at ten,
// newest first.
func TestRecordOpenIsBounded(t *testing.T) {
	s, items := localFixture(t)
	t0 := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	var o Opens
	for i := range 25 {
		var err error
		if o, err = s.RecordOpen("ws", items[0].ID, t0.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if o.Count != 25 || len(o.Recent) != MaxRecentOpens || !o.Recent[0].Equal(t0.Add(24*time.Hour)) || !o.Recent[9].Equal(t0.Add(15*time.Hour)) {
		t.Fatalf("opens = %d, %v", o.Count, o.Recent)
	}
	_, _ = s.RecordOpen("other", items[0].ID, t0)
	all, err := s.AllOpens()
	if err != nil {
		t.Fatal(err)
	}
	if got := all["ws"][items[0].ID]; got.Count != 25 || len(got.Recent) != 10 || !got.Recent[0].Equal(o.Recent[0]) {
		t.Errorf("read back %+v", got)
	}
	if got := all["other"][items[0].ID]; got.Count != 1 {
		t.Errorf("the same id in another workspace: %+v", got)
	}
	if _, err := s.RecordOpen("ws", "not-cached", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("opening an unknown item: %v", err)
	}
}

// TestCorruptOpensStartOver: a damaged record neither fails the read nor
// the next open.
func TestCorruptOpensStartOver(t *testing.T) {
	for _, v := range [][]byte{nil, {1}, {9, 1, 0}, {1, 1, 11}, {1, 1, 2, 0, 0}, {1, 1, 1}, {1, 1, 1, 2, 3}, {1, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0}} {
		if o, ok := decodeOpens(v); ok {
			t.Errorf("decodeOpens(%v) = %+v", v, o)
		}
	}
	s, items := localFixture(t)
	err := s.update(func(tx *bolt.Tx) error {
		b, err := localBucket(tx, bucketOpens, "ws", true)
		if err != nil {
			return err
		}
		return b.Put([]byte(items[0].ID), []byte{1, 0x80})
	})
	if err != nil {
		t.Fatal(err)
	}
	if all, err := s.AllOpens(); err != nil || len(all["ws"]) != 0 {
		t.Errorf("AllOpens = %v, %v", all, err)
	}
	if o, err := s.RecordOpen("ws", items[0].ID, time.Now()); err != nil || o.Count != 1 {
		t.Errorf("open after damage = %+v, %v", o, err)
	}
}

// TestPinsFollowTheirItems: a pin survives a full sync that keeps its
// item, and goes when the item goes: a full sync without it, a quick
// refresh that deletes it, the workspace's disconnection.
func TestPinsFollowTheirItems(t *testing.T) {
	s, items := localFixture(t)
	at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	for _, it := range items[:4] {
		if err := s.Pin("ws", it.ID, at); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordOpen("ws", it.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	_ = s.Pin("other", items[0].ID, at)
	if err := s.Pin("ws", "not-cached", at); !errors.Is(err, ErrNotFound) {
		t.Errorf("pinning an unknown item: %v", err)
	}
	// Pinning twice keeps the first time.
	_ = s.Pin("ws", items[0].ID, at.Add(time.Hour))
	pins := func() map[string]time.Time {
		t.Helper()
		all, err := s.AllPins()
		if err != nil {
			t.Fatal(err)
		}
		return all["ws"]
	}
	if p := pins(); len(p) != 4 || !p[items[0].ID].Equal(at) {
		t.Fatalf("pins = %v", p)
	}

	// A full sync that no longer has items[3].
	if _, err := s.ReplaceItems("ws", append([]Item{}, items[0], items[1], items[2], items[4]), func(*Workspace) {}); err != nil {
		t.Fatal(err)
	}
	p := pins()
	if len(p) != 3 || p[items[3].ID] != (time.Time{}) {
		t.Errorf("after a full sync: %v", p)
	}
	if _, ok := p[items[3].ID]; ok {
		t.Error("the pin of an item that went survived the full sync")
	}
	opens, _ := s.AllOpens()
	if len(opens["ws"]) != 3 {
		t.Errorf("opens after a full sync: %v", opens["ws"])
	}
	// A quick refresh that sees items[2] trashed.
	if _, _, err := s.ApplyChanges("ws", nil, []string{items[2].ID}, func(*Workspace) {}); err != nil {
		t.Fatal(err)
	}
	if p := pins(); len(p) != 2 {
		t.Errorf("after a delete: %v", p)
	}
	if err := s.Unpin("ws", items[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Unpin("ws", items[1].ID); err != nil {
		t.Errorf("unpinning twice: %v", err)
	}
	if p := pins(); len(p) != 1 {
		t.Errorf("after unpin: %v", p)
	}
	if err := s.DeleteWorkspace("ws"); err != nil {
		t.Fatal(err)
	}
	all, _ := s.AllPins()
	opens, _ = s.AllOpens()
	if len(all["ws"]) != 0 || len(opens["ws"]) != 0 || len(all["other"]) != 1 {
		t.Errorf("after disconnecting: pins %v, opens %v", all, opens)
	}
}
