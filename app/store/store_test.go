package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "data"), Options{LockTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOpenCreatesDirAndSchema(t *testing.T) {
	s := openTemp(t)
	fi, err := os.Stat(s.Dir())
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("data dir: %v %v", fi.Mode(), err)
	}
	if fi, err := os.Stat(s.Path()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("db file: %v", err)
	}
	if v, err := s.Schema(); err != nil || v != SchemaVersion {
		t.Fatalf("schema = %d, %v", v, err)
	}
	// Reopening is a no-op migration.
	if _, err := Open(s.Dir(), Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	s := openTemp(t)
	db, err := bolt.Open(s.Path(), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint64(nil, 99))
	})
	db.Close()
	if _, err := Open(s.Dir(), Options{}); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("err = %v, want ErrNewerSchema", err)
	}
}

func TestWorkspaces(t *testing.T) {
	s := openTemp(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, name := range []string{"Beta", "Alpha"} {
		_, err := s.UpsertWorkspace(fmt.Sprintf("ws-%d", i), func(w *Workspace, existed bool) {
			if existed {
				t.Error("new workspace reported as existing")
			}
			w.Name, w.Auth, w.Status, w.Connected = name, "oauth", StatusOK, t0.Add(time.Duration(i)*time.Hour)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	ws, err := s.Workspaces()
	if err != nil || len(ws) != 2 || ws[0].Name != "Beta" || ws[1].Name != "Alpha" {
		t.Fatalf("Workspaces = %+v, %v (want oldest connection first)", ws, err)
	}
	w, err := s.UpsertWorkspace("ws-0", func(w *Workspace, existed bool) {
		if !existed || w.Name != "Beta" {
			t.Errorf("existing workspace not passed in: %+v", w)
		}
		w.Status = StatusNeedsReconnect
	})
	if err != nil || w.Status != StatusNeedsReconnect {
		t.Fatal(err)
	}
	if _, err := s.UpdateWorkspace("missing", func(*Workspace) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateWorkspace(missing) err = %v", err)
	}
	if _, err := s.Workspace("missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Workspace(missing) err = %v", err)
	}
	if got, _ := s.Workspace("ws-0"); got.Status != StatusNeedsReconnect || !got.Connected.Equal(t0) {
		t.Errorf("Workspace = %+v", got)
	}
}

func sampleItems(n int, base time.Time) []Item {
	out := make([]Item, n)
	for i := range out {
		out[i] = Item{
			ID: fmt.Sprintf("item-%05d", i), Kind: KindPage, Title: fmt.Sprintf("Café menu %d: crème brûlée 🍮", i),
			URL: fmt.Sprintf("https://app.notion.com/p/%d", i), Icon: "📄", ParentID: "parent",
			LastEdited: base.Add(-time.Duration(i) * time.Minute),
		}
		if i%3 == 0 {
			out[i].Kind, out[i].Icon, out[i].IconExpires = KindDatabase, "https://files.example/x.png?sig=1", true
		}
	}
	return out
}

func TestItemsRoundTripAndReplace(t *testing.T) {
	s := openTemp(t)
	if _, err := s.UpsertWorkspace("ws", func(w *Workspace, _ bool) { w.Name = "WS" }); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	items := sampleItems(50, base)
	items = append(items, Item{ID: "bare", Kind: KindPage}) // empty strings and zero time survive too
	w, err := s.ReplaceItems("ws", items, func(w *Workspace) { w.HighWater = base })
	if err != nil || w.Items != 51 || !w.HighWater.Equal(base) {
		t.Fatalf("ReplaceItems = %+v, %v", w, err)
	}
	got, err := s.Items("ws")
	if err != nil || len(got) != 51 {
		t.Fatalf("Items = %d, %v", len(got), err)
	}
	byID := map[string]Item{}
	for _, it := range got {
		byID[it.ID] = it
	}
	for _, want := range items {
		g := byID[want.ID]
		if !g.LastEdited.Equal(want.LastEdited) {
			t.Errorf("%s LastEdited %v, want %v", want.ID, g.LastEdited, want.LastEdited)
		}
		g.LastEdited, want.LastEdited = time.Time{}, time.Time{}
		if g != want {
			t.Errorf("round trip: %+v != %+v", g, want)
		}
	}
	// A second full sync replaces the set: what is gone disappears.
	w, err = s.ReplaceItems("ws", items[:10], func(*Workspace) {})
	if err != nil || w.Items != 10 {
		t.Fatalf("%+v %v", w, err)
	}
	if got, _ := s.Items("ws"); len(got) != 10 {
		t.Errorf("after replace: %d items", len(got))
	}
	if _, err := s.ReplaceItems("missing", items, func(*Workspace) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("replace for an unknown workspace: %v", err)
	}
}

func TestApplyChanges(t *testing.T) {
	s := openTemp(t)
	_, _ = s.UpsertWorkspace("ws", func(w *Workspace, _ bool) {})
	items := sampleItems(5, time.Now().UTC())
	if _, err := s.ReplaceItems("ws", items, func(*Workspace) {}); err != nil {
		t.Fatal(err)
	}
	renamed := items[1]
	renamed.Title = "Renamed"
	added := Item{ID: "new", Kind: KindPage, Title: "New"}
	w, changed, err := s.ApplyChanges("ws", []Item{items[0], renamed, added}, []string{"item-00002", "not-there"}, func(w *Workspace) { w.Name = "X" })
	if err != nil {
		t.Fatal(err)
	}
	if changed != 3 || w.Items != 5 || w.Name != "X" {
		t.Errorf("changed = %d (want 3: an unchanged upsert and a missing delete are not changes), items = %d", changed, w.Items)
	}
	got, _ := s.Items("ws")
	titles := map[string]string{}
	for _, it := range got {
		titles[it.ID] = it.Title
	}
	if titles["item-00001"] != "Renamed" || titles["new"] != "New" || len(got) != 5 {
		t.Errorf("items = %v", titles)
	}
	if _, ok := titles["item-00002"]; ok {
		t.Error("deleted item still there")
	}
	all, err := s.AllItems()
	if err != nil || len(all["ws"]) != 5 {
		t.Errorf("AllItems = %v, %v", len(all["ws"]), err)
	}
}

func TestDeleteWorkspace(t *testing.T) {
	s := openTemp(t)
	for _, id := range []string{"a", "b"} {
		_, _ = s.UpsertWorkspace(id, func(*Workspace, bool) {})
		_, _ = s.ReplaceItems(id, sampleItems(3, time.Now()), func(*Workspace) {})
	}
	if err := s.DeleteWorkspace("a"); err != nil {
		t.Fatal(err)
	}
	all, _ := s.AllItems()
	ws, _ := s.Workspaces()
	if len(all) != 1 || len(all["b"]) != 3 || len(ws) != 1 || ws[0].ID != "b" {
		t.Errorf("after delete: items %v, workspaces %v", len(all), ws)
	}
	if err := s.DeleteWorkspace("never-synced"); err != nil {
		t.Errorf("deleting a workspace without items: %v", err)
	}
}

func TestSettings(t *testing.T) {
	s := openTemp(t)
	if _, ok, _ := s.Setting("client_id"); ok {
		t.Error("unset setting reported as set")
	}
	if err := s.SetSettings(map[string]string{"client_id": "abc", "open_in": "app"}); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := s.Setting("client_id"); !ok || v != "abc" {
		t.Errorf("client_id = %q %v", v, ok)
	}
	_ = s.SetSettings(map[string]string{"open_in": ""})
	all, _ := s.Settings()
	if len(all) != 1 {
		t.Errorf("settings = %v", all)
	}
}

func TestCorruptRecord(t *testing.T) {
	for _, v := range [][]byte{nil, {1}, {2, 0, 0, 0}, {1, 0, 0, 0, 200}, {1, 0, 0, 0, 5, 'a'}} {
		if _, err := decodeItem([]byte("k"), v); err == nil {
			t.Errorf("decodeItem(%v) accepted", v)
		}
	}
}

// TestTwoStoresTakeTurns: the window and a command each open the file only
// inside a transaction, so both work.
func TestTwoStoresTakeTurns(t *testing.T) {
	window := openTemp(t)
	cli, err := Open(window.Dir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = window.UpsertWorkspace("ws", func(w *Workspace, _ bool) { w.Name = "From the window" })
	if w, err := cli.Workspace("ws"); err != nil || w.Name != "From the window" {
		t.Fatalf("%+v %v", w, err)
	}
	_, _ = cli.UpdateWorkspace("ws", func(w *Workspace) { w.Name = "From the command" })
	if w, _ := window.Workspace("ws"); w.Name != "From the command" {
		t.Errorf("the window did not see the command's write: %q", w.Name)
	}
}

// TestBusy: another process holds the file; the store gives up after its
// lock timeout with a message that says what to do.
func TestBusy(t *testing.T) {
	if os.Getenv("PAGEDECK_STORE_HOLDER") != "" {
		db, err := bolt.Open(os.Getenv("PAGEDECK_STORE_HOLDER"), 0o600, nil)
		if err != nil {
			fmt.Println("holder:", err)
			os.Exit(1)
		}
		fmt.Println("holding")
		time.Sleep(30 * time.Second)
		db.Close()
		os.Exit(0)
	}
	s := openTemp(t)
	holder := exec.Command(os.Args[0], "-test.run=^TestBusy$")
	holder.Env = append(os.Environ(), "PAGEDECK_STORE_HOLDER="+s.Path())
	out, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = holder.Process.Kill(); _ = holder.Wait() }()
	buf := make([]byte, 7)
	if _, err := out.Read(buf); err != nil || string(buf) != "holding" {
		t.Fatalf("holder did not start: %q %v", buf, err)
	}
	_, err = s.Workspaces()
	want := fmt.Sprintf("another Pagedeck is using %s; close it or try again", s.Dir())
	if !errors.Is(err, ErrBusy) || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if _, err := s.UpsertWorkspace("ws", func(*Workspace, bool) {}); !errors.Is(err, ErrBusy) {
		t.Errorf("write while busy: %v", err)
	}
}
