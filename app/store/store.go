// Package store keeps Pagedeck's metadata and item cache in one bbolt file:
// the workspaces, one bucket of items per workspace, the data sources' rows,
// settings and the schema version. It never holds a token or a secret: those live in the keychain.
//
// The file is opened for each transaction and closed after it, so a
// short-lived command works while the window is open: the two take turns on
// the file lock instead of one holding it for hours.
package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FileName is the database's name inside the data directory.
const FileName = "pagedeck.db"

// SchemaVersion is the layout this code reads and writes.
const SchemaVersion = 4

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
	migrateLocal,        // opens and pins; item records with parent types
	migrateRows,         // data sources' schemas and rows
	migrateRowChecksums, // rows checked by a checksum, not by parsing JSON
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
