package store

import (
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Pin marks a cached item as pinned, remembering when. Pinning it again
// keeps the first time. ErrNotFound when the item is not cached.
func (s *Store) Pin(ws, id string, at time.Time) error {
	return s.update(func(tx *bolt.Tx) error {
		if err := itemExists(tx, ws, id); err != nil {
			return err
		}
		b, err := localBucket(tx, bucketPins, ws, true)
		if err != nil {
			return err
		}
		if b.Get([]byte(id)) != nil {
			return nil
		}
		return b.Put([]byte(id), binary.AppendVarint(nil, at.UnixMilli()))
	})
}

// Unpin removes a pin; unpinning an item that is not pinned is no error.
func (s *Store) Unpin(ws, id string) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := localBucket(tx, bucketPins, ws, false)
		if err != nil || b == nil {
			return err
		}
		return b.Delete([]byte(id))
	})
}

// AllPins reads every pin: workspace id → item id → when it was pinned. A
// pin whose time does not decode still counts, with the zero time.
func (s *Store) AllPins() (map[string]map[string]time.Time, error) {
	out := map[string]map[string]time.Time{}
	err := s.view(func(tx *bolt.Tx) error {
		top := tx.Bucket(bucketPins)
		if top == nil {
			return nil
		}
		return top.ForEachBucket(func(ws []byte) error {
			m := map[string]time.Time{}
			err := top.Bucket(ws).ForEach(func(k, v []byte) error {
				var t time.Time
				if ms, n := binary.Varint(v); n > 0 && n == len(v) {
					t = time.UnixMilli(ms).UTC()
				}
				m[string(k)] = t
				return nil
			})
			out[string(ws)] = m
			return err
		})
	})
	return out, err
}
