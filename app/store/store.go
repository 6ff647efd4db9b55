// Package store keeps Pagedeck's metadata and item cache in one bbolt file:
// the workspaces, one bucket of items per workspace, settings and the schema
// version. It never holds a token or a secret: those live in the keychain.
//
// The file is opened for each transaction and closed after it, so a
// short-lived command works while the window is open: the two take turns on
// the file lock instead of one holding it for hours.
package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FileName is the database's name inside the data directory.
const FileName = "pagedeck.db"

// SchemaVersion is the layout this code reads and writes.
const SchemaVersion = 2

var (
	bucketMeta       = []byte("meta")
	bucketWorkspaces = []byte("workspaces")
	bucketItems      = []byte("items")
	bucketSettings   = []byte("settings")
	keySchema        = []byte("schema")
)

// Errors a user can see.
var (
	// ErrBusy wraps a *BusyError.
	ErrBusy = errors.New("the data directory is in use")
	// ErrNotFound: no such workspace.
	ErrNotFound = errors.New("not found")
	// ErrNewerSchema: the file was written by a newer Pagedeck.
	ErrNewerSchema = errors.New("the data was written by a newer Pagedeck")
	// ErrReadOnly: a write on a store opened read-only.
	ErrReadOnly = errors.New("the database was opened read-only")
)

// BusyError says who holds the file and what to do.
type BusyError struct{ Dir string }

func (e *BusyError) Error() string {
	return fmt.Sprintf("another Pagedeck is using %s; close it or try again", e.Dir)
}
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Status is a workspace's persistent state.
type Status string

const (
	StatusOK             Status = "ok"
	StatusNeedsReconnect Status = "needs_reconnect"
)

// Workspace is a connected workspace's metadata.
type Workspace struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Icon       string    `json:"icon,omitempty"` // emoji or image URL
	BotID      string    `json:"bot_id,omitempty"`
	OwnerName  string    `json:"owner_name,omitempty"`
	OwnerEmail string    `json:"owner_email,omitempty"`
	Auth       string    `json:"auth"` // "oauth", "broker" or "token"
	Status     Status    `json:"status"`
	Connected  time.Time `json:"connected"`
	Synced     time.Time `json:"synced,omitzero"`
	FullSynced time.Time `json:"full_synced,omitzero"`
	// HighWater is the newest last_edited_time seen: the quick refresh
	// stops below it.
	HighWater time.Time `json:"high_water,omitzero"`
	Items     int       `json:"items"`
}

// Kind of an item, as stored.
type Kind string

const (
	KindPage     Kind = "page"
	KindDatabase Kind = "database"
)

// Item is a cached page or database.
type Item struct {
	ID          string
	Kind        Kind
	Title       string
	URL         string
	Icon        string // emoji or image URL
	IconExpires bool
	ParentID    string
	ParentType  ParentType
	// DatabaseID is a data source's database container, or the database of
	// the data source a page is a row of.
	DatabaseID string
	// DatabaseParentType and DatabaseParentID are, for a data source,
	// where its database lives (Notion's database_parent).
	DatabaseParentType ParentType
	DatabaseParentID   string
	LastEdited         time.Time
}

// Options tune Open.
type Options struct {
	// LockTimeout bounds the wait for another process's transaction; default 5s.
	LockTimeout time.Duration
	// ReadOnly never writes the file: bbolt opens it read-only. (A missing
	// file is still created, an older schema migrated, and a damaged file
	// replaced by its last good copy, once.)
	ReadOnly bool
}

// Store is the bbolt file. Safe for concurrent use; transactions run one at
// a time within the process.
type Store struct {
	dir     string
	path    string
	timeout time.Duration
	mu      sync.Mutex

	readOnly bool
	recovery *Recovery
	walked   walkKey
}

// Open prepares dir and the file in it, migrating the schema if needed. A
// damaged file is replaced by the last good copy (see Recovered), or Open
// fails with a *CorruptError.
func Open(dir string, o Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the data directory: %w", err)
	}
	s := &Store{dir: dir, path: filepath.Join(dir, FileName), timeout: o.LockTimeout, readOnly: o.ReadOnly}
	if s.timeout <= 0 {
		s.timeout = 5 * time.Second
	}
	if err := s.heal(); err != nil {
		return nil, err
	}
	if err := s.migrateIfNeeded(); err != nil {
		return nil, err
	}
	return s, nil
}

// Dir is the data directory.
func (s *Store) Dir() string { return s.dir }

// Path is the database file.
func (s *Store) Path() string { return s.path }

func (s *Store) boltOpen(readOnly bool) (*bolt.DB, error) {
	db, err := bolt.Open(s.path, 0o600, &bolt.Options{Timeout: s.timeout, ReadOnly: readOnly, FreelistType: bolt.FreelistMapType})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, &BusyError{Dir: s.dir}
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", s.path, err)
	}
	return db, nil
}

func (s *Store) update(fn func(*bolt.Tx) error) error {
	if s.readOnly {
		return ErrReadOnly
	}
	return s.write(fn)
}

func (s *Store) write(fn func(*bolt.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.guard(func() (err error) {
		db, err := s.open(false)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := db.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("closing %s: %w", s.path, cerr)
			}
		}()
		return db.Update(fn)
	})
}

func (s *Store) view(fn func(*bolt.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.guard(func() error {
		// A shared lock: several readers at once, none while a writer works.
		db, err := s.open(true)
		if err != nil {
			return err
		}
		defer db.Close()
		return db.View(fn)
	})
}

// migrations[i] brings the schema from version i to i+1.
var migrations = []func(tx *bolt.Tx) error{
	func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketWorkspaces, bucketItems, bucketSettings} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	migrateLocal, // opens and pins; item records with parent types
}

func migrate(tx *bolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	v := 0
	if b := meta.Get(keySchema); len(b) == 8 {
		v = int(binary.BigEndian.Uint64(b))
	}
	if v > len(migrations) {
		return fmt.Errorf("%w (schema %d, this one reads %d): update Pagedeck", ErrNewerSchema, v, len(migrations))
	}
	for ; v < len(migrations); v++ {
		if err := migrations[v](tx); err != nil {
			return fmt.Errorf("migrating the data to schema %d: %w", v+1, err)
		}
	}
	return meta.Put(keySchema, binary.BigEndian.AppendUint64(nil, uint64(v)))
}

// migrateIfNeeded writes only when the schema is behind (or the file is
// new), so opening an up-to-date file leaves it byte for byte as it was.
func (s *Store) migrateIfNeeded() error {
	if _, err := os.Stat(s.path); err == nil {
		v := -1
		err := s.view(func(tx *bolt.Tx) error {
			if m := tx.Bucket(bucketMeta); m != nil {
				if b := m.Get(keySchema); len(b) == 8 {
					v = int(binary.BigEndian.Uint64(b))
				}
			}
			return nil
		})
		if err != nil || v == len(migrations) {
			return err
		}
	}
	return s.write(migrate)
}

// Schema reads the stored schema version.
func (s *Store) Schema() (int, error) {
	var v int
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta).Get(keySchema); len(b) == 8 {
			v = int(binary.BigEndian.Uint64(b))
		}
		return nil
	})
	return v, err
}

// Workspaces lists every workspace, oldest connection first.
func (s *Store) Workspaces() ([]Workspace, error) {
	var out []Workspace
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketWorkspaces).ForEach(func(k, v []byte) error {
			var w Workspace
			if err := json.Unmarshal(v, &w); err != nil {
				return fmt.Errorf("workspace %s: %w", k, err)
			}
			out = append(out, w)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Workspace) int { return a.Connected.Compare(b.Connected) })
	return out, err
}

// Workspace returns one workspace or ErrNotFound.
func (s *Store) Workspace(id string) (Workspace, error) {
	var w Workspace
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		w, err = getWorkspace(tx, id)
		return err
	})
	return w, err
}

func getWorkspace(tx *bolt.Tx, id string) (Workspace, error) {
	var w Workspace
	v := tx.Bucket(bucketWorkspaces).Get([]byte(id))
	if v == nil {
		return w, fmt.Errorf("workspace %s: %w", id, ErrNotFound)
	}
	if err := json.Unmarshal(v, &w); err != nil {
		return w, fmt.Errorf("workspace %s: %w", id, err)
	}
	return w, nil
}

func putWorkspace(tx *bolt.Tx, w Workspace) error {
	if w.ID == "" {
		return errors.New("workspace without an id")
	}
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketWorkspaces).Put([]byte(w.ID), b)
}

// UpsertWorkspace creates or changes a workspace: fn gets the stored one
// (or a new one with only the id set) and edits it in place.
func (s *Store) UpsertWorkspace(id string, fn func(w *Workspace, existed bool)) (Workspace, error) {
	var out Workspace
	err := s.update(func(tx *bolt.Tx) error {
		w, err := getWorkspace(tx, id)
		existed := err == nil
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if !existed {
			w = Workspace{ID: id}
		}
		fn(&w, existed)
		w.ID = id
		out = w
		return putWorkspace(tx, w)
	})
	return out, err
}

// UpdateWorkspace edits an existing workspace; ErrNotFound if there is none.
func (s *Store) UpdateWorkspace(id string, fn func(w *Workspace)) (Workspace, error) {
	var out Workspace
	err := s.update(func(tx *bolt.Tx) error {
		w, err := getWorkspace(tx, id)
		if err != nil {
			return err
		}
		fn(&w)
		w.ID = id
		out = w
		return putWorkspace(tx, w)
	})
	return out, err
}

// DeleteWorkspace removes the metadata and every cached item.
func (s *Store) DeleteWorkspace(id string) error {
	return s.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketWorkspaces).Delete([]byte(id)); err != nil {
			return err
		}
		if err := deleteLocal(tx, id); err != nil {
			return err
		}
		err := tx.Bucket(bucketItems).DeleteBucket([]byte(id))
		if errors.Is(err, berrors.ErrBucketNotFound) {
			return nil
		}
		return err
	})
}

// Items returns a workspace's cached items in id order.
func (s *Store) Items(id string) ([]Item, error) {
	var out []Item
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = readItems(tx.Bucket(bucketItems).Bucket([]byte(id)))
		return err
	})
	return out, err
}

// AllItems returns every workspace's items, in one read.
func (s *Store) AllItems() (map[string][]Item, error) {
	out := map[string][]Item{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketItems).ForEachBucket(func(k []byte) error {
			items, err := readItems(tx.Bucket(bucketItems).Bucket(k))
			if err != nil {
				return err
			}
			out[string(k)] = items
			return nil
		})
	})
	return out, err
}

func readItems(b *bolt.Bucket) ([]Item, error) {
	if b == nil {
		return nil, nil
	}
	out := make([]Item, 0, b.Stats().KeyN)
	err := b.ForEach(func(k, v []byte) error {
		it, err := decodeItem(k, v)
		if err != nil {
			return err
		}
		out = append(out, it)
		return nil
	})
	return out, err
}

// ReplaceItems is the full sync's write: the workspace's items become
// exactly items, and fn updates its metadata, in one transaction.
func (s *Store) ReplaceItems(id string, items []Item, fn func(w *Workspace)) (Workspace, error) {
	sorted := slices.Clone(items)
	slices.SortFunc(sorted, func(a, b Item) int { return strings.Compare(a.ID, b.ID) })
	var out Workspace
	err := s.update(func(tx *bolt.Tx) error {
		w, err := getWorkspace(tx, id)
		if err != nil {
			return err
		}
		parent := tx.Bucket(bucketItems)
		if err := parent.DeleteBucket([]byte(id)); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
			return err
		}
		b, err := parent.CreateBucket([]byte(id))
		if err != nil {
			return err
		}
		// Keys arrive in order: pack the pages full.
		b.FillPercent = 1
		// bbolt keeps the value slices until commit, so records go into one
		// arena that only grows; a slice of it never changes.
		var arena []byte
		n := 0
		for i := range sorted {
			it := &sorted[i]
			if i > 0 && it.ID == sorted[i-1].ID {
				continue
			}
			start := len(arena)
			arena = encodeItem(arena, it)
			if err := b.Put([]byte(it.ID), arena[start:len(arena):len(arena)]); err != nil {
				return fmt.Errorf("item %s: %w", it.ID, err)
			}
			n++
		}
		w.Items = n
		// Pins and opens go with the items that went.
		if err := pruneLocal(tx, id, b); err != nil {
			return err
		}
		fn(&w)
		out = w
		return putWorkspace(tx, w)
	})
	return out, err
}

// ApplyChanges is the quick refresh's write: upserts and deletes, and fn
// updates the metadata, in one transaction. It reports how many items
// actually changed.
func (s *Store) ApplyChanges(id string, upserts []Item, deletes []string, fn func(w *Workspace)) (Workspace, int, error) {
	var out Workspace
	changed := 0
	err := s.update(func(tx *bolt.Tx) error {
		w, err := getWorkspace(tx, id)
		if err != nil {
			return err
		}
		b, err := tx.Bucket(bucketItems).CreateBucketIfNotExists([]byte(id))
		if err != nil {
			return err
		}
		for i := range upserts {
			// A fresh buffer each: bbolt keeps it until commit.
			buf := encodeItem(nil, &upserts[i])
			key := []byte(upserts[i].ID)
			old := b.Get(key)
			if bytes.Equal(old, buf) {
				continue
			}
			if old == nil {
				w.Items++
			}
			if err := b.Put(key, buf); err != nil {
				return err
			}
			changed++
		}
		for _, d := range deletes {
			if b.Get([]byte(d)) == nil {
				continue
			}
			if err := b.Delete([]byte(d)); err != nil {
				return err
			}
			w.Items--
			changed++
		}
		if err := dropLocal(tx, id, deletes); err != nil {
			return err
		}
		fn(&w)
		out = w
		return putWorkspace(tx, w)
	})
	return out, changed, err
}

// Setting reads one setting; ok is false when it was never set.
func (s *Store) Setting(key string) (value string, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketSettings).Get([]byte(key)); v != nil {
			value, ok = string(v), true
		}
		return nil
	})
	return value, ok, err
}

// Settings reads every setting.
func (s *Store) Settings() (map[string]string, error) {
	out := map[string]string{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSettings).ForEach(func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	})
	return out, err
}

// SetSettings writes several settings at once; an empty value deletes.
func (s *Store) SetSettings(kv map[string]string) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSettings)
		for k, v := range kv {
			var err error
			if v == "" {
				err = b.Delete([]byte(k))
			} else {
				err = b.Put([]byte(k), []byte(v))
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}
