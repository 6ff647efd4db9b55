package store

import (
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"
)

// MaxRecentOpens bounds the open times kept per item: enough for frecency,
// which samples the last ten visits as Firefox does.
const MaxRecentOpens = 10

// maxOpenCount caps the counter so no sequence of opens can overflow it.
const maxOpenCount = 1 << 30

// Opens is what is remembered of an item's opens.
type Opens struct {
	Count  int
	Recent []time.Time // newest first, at most MaxRecentOpens
}

// An opens record: version byte (1) | count (uvarint) | n (uvarint) | n
// open times (varint, Unix ms), newest first.
const opensVersion = 1

func encodeOpens(o Opens) []byte {
	buf := []byte{opensVersion}
	buf = binary.AppendUvarint(buf, uint64(o.Count))
	buf = binary.AppendUvarint(buf, uint64(len(o.Recent)))
	for _, t := range o.Recent {
		buf = binary.AppendVarint(buf, t.UnixMilli())
	}
	return buf
}

func decodeOpens(v []byte) (Opens, bool) {
	if len(v) < 3 || v[0] != opensVersion {
		return Opens{}, false
	}
	v = v[1:]
	count, n := binary.Uvarint(v)
	if n <= 0 || count > maxOpenCount {
		return Opens{}, false
	}
	v = v[n:]
	k, n := binary.Uvarint(v)
	if n <= 0 || k > MaxRecentOpens || k > count {
		return Opens{}, false
	}
	v = v[n:]
	o := Opens{Count: int(count), Recent: make([]time.Time, 0, k)}
	for range k {
		ms, n := binary.Varint(v)
		if n <= 0 {
			return Opens{}, false
		}
		v = v[n:]
		o.Recent = append(o.Recent, time.UnixMilli(ms).UTC())
	}
	return o, len(v) == 0
}

// RecordOpen counts one open of a cached item at the given time and
// returns what is now remembered. ErrNotFound when the item is not cached.
// A record that does not decode starts over rather than failing the open.
func (s *Store) RecordOpen(ws, id string, at time.Time) (Opens, error) {
	var o Opens
	err := s.update(func(tx *bolt.Tx) error {
		if err := itemExists(tx, ws, id); err != nil {
			return err
		}
		b, err := localBucket(tx, bucketOpens, ws, true)
		if err != nil {
			return err
		}
		o, _ = decodeOpens(b.Get([]byte(id)))
		o.Count = min(o.Count+1, maxOpenCount)
		o.Recent = append([]time.Time{at.UTC().Truncate(time.Millisecond)}, o.Recent...)
		o.Recent = o.Recent[:min(len(o.Recent), MaxRecentOpens)]
		return b.Put([]byte(id), encodeOpens(o))
	})
	return o, err
}

// AllOpens reads every remembered open: workspace id → item id → opens.
// Records that do not decode are left out.
func (s *Store) AllOpens() (map[string]map[string]Opens, error) {
	out := map[string]map[string]Opens{}
	err := s.view(func(tx *bolt.Tx) error {
		top := tx.Bucket(bucketOpens)
		if top == nil {
			return nil
		}
		return top.ForEachBucket(func(ws []byte) error {
			m := map[string]Opens{}
			err := top.Bucket(ws).ForEach(func(k, v []byte) error {
				if o, ok := decodeOpens(v); ok {
					m[string(k)] = o
				}
				return nil
			})
			out[string(ws)] = m
			return err
		})
	})
	return out, err
}
