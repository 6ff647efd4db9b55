package store

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// What the user does with items stays on this machine: when they opened
// each one and which they pinned. Both live in buckets of their own, one
// sub-bucket per workspace keyed by item id, so a full sync, which rebuilds
// the item bucket, leaves them alone; they go when their item goes.
var (
	bucketOpens = []byte("opens")
	bucketPins  = []byte("pins")
)

// localBuckets are the per-item buckets that follow the item cache.
var localBuckets = [][]byte{bucketOpens, bucketPins}

func migrateLocal(tx *bolt.Tx) error {
	for _, b := range localBuckets {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	return nil
}

// itemExists checks, inside tx, that the workspace caches the item.
func itemExists(tx *bolt.Tx, ws, id string) error {
	if b := tx.Bucket(bucketItems).Bucket([]byte(ws)); b == nil || b.Get([]byte(id)) == nil {
		return fmt.Errorf("item %s in workspace %s: %w", id, ws, ErrNotFound)
	}
	return nil
}

// localBucket is the workspace's sub-bucket of name, created when create.
func localBucket(tx *bolt.Tx, name []byte, ws string, create bool) (*bolt.Bucket, error) {
	top := tx.Bucket(name)
	if top == nil {
		if !create {
			return nil, nil
		}
		return nil, fmt.Errorf("no %s bucket: the data was not migrated", name)
	}
	if !create {
		return top.Bucket([]byte(ws)), nil
	}
	return top.CreateBucketIfNotExists([]byte(ws))
}

// deleteLocal forgets a workspace's opens and pins.
func deleteLocal(tx *bolt.Tx, ws string) error {
	for _, name := range localBuckets {
		if top := tx.Bucket(name); top != nil {
			if err := top.DeleteBucket([]byte(ws)); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
				return err
			}
		}
	}
	return nil
}

// pruneLocal drops the opens and pins of items no longer in items.
func pruneLocal(tx *bolt.Tx, ws string, items *bolt.Bucket) error {
	for _, name := range localBuckets {
		b, err := localBucket(tx, name, ws, false)
		if err != nil || b == nil {
			continue
		}
		var gone [][]byte
		// bbolt forbids deleting while iterating: collect, then delete.
		_ = b.ForEach(func(k, _ []byte) error {
			if items.Get(k) == nil {
				gone = append(gone, k)
			}
			return nil
		})
		for _, k := range gone {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropLocal drops the opens and pins of the given items.
func dropLocal(tx *bolt.Tx, ws string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	for _, name := range localBuckets {
		b, _ := localBucket(tx, name, ws, false)
		if b == nil {
			continue
		}
		for _, id := range ids {
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
		}
	}
	return nil
}
