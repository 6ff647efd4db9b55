// Items: the cached pages and databases of each workspace.

package store

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

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
