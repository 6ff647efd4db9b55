// Rows: each data source's schema, sync watermark and rows, as app/rows
// writes them. The store keeps them opaque (JSON it does not read), so it
// stays free of Notion's types.

package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// rowsources/<ws>/<data source id> → a SourceRecord (JSON);
// rows/<ws>/<data source id>/<row id> → 8 bytes of last_edited_time (Unix
// seconds, big endian), then the row's data.
var (
	bucketRowSources = []byte("rowsources")
	bucketRows       = []byte("rows")
)

func migrateRows(tx *bolt.Tx) error {
	for _, b := range [][]byte{bucketRowSources, bucketRows} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	return nil
}

// SourceRecord is what is kept about one data source besides its rows.
type SourceRecord struct {
	ID string `json:"id"`
	// Schema is the data source's schema, as app/rows encodes it.
	Schema json.RawMessage `json:"schema"`
	// Mark is the newest last_edited_time synced: an incremental sync reads
	// down to it (including it: Notion's times have minute precision).
	Mark time.Time `json:"mark"`
	// Synced is when the last sync ended; FullSynced when the last full one did.
	Synced     time.Time `json:"synced"`
	FullSynced time.Time `json:"full_synced,omitzero"`
	Rows       int       `json:"rows"`
}

// RowRecord is one stored row: its id, its edit time and its data (JSON,
// as app/rows encodes it).
type RowRecord struct {
	ID         string
	LastEdited time.Time
	Data       json.RawMessage
}

// RowWrite is one batch of a sync: rows to put, and what to record of the
// source. Replace drops every stored row not in Keep (a full sync's end:
// rows that are gone, moved out or unshared).
type RowWrite struct {
	Source SourceRecord
	Put    []RowRecord
	// Replace, with Keep, drops the rows whose id is not in Keep.
	Replace bool
	Keep    map[string]bool
}

func encodeRow(r RowRecord) []byte {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(r.Data)), uint64(r.LastEdited.Unix()))
	return append(b, r.Data...)
}

func decodeRow(k, v []byte) (RowRecord, error) {
	if len(v) < 8 || !json.Valid(v[8:]) {
		return RowRecord{}, fmt.Errorf("the record of row %q is damaged", k)
	}
	return RowRecord{
		ID:         string(k),
		LastEdited: time.Unix(int64(binary.BigEndian.Uint64(v)), 0).UTC(),
		Data:       append(json.RawMessage(nil), v[8:]...),
	}, nil
}

func rowBuckets(tx *bolt.Tx, ws, ds string, create bool) (src, rows *bolt.Bucket, err error) {
	top, rtop := tx.Bucket(bucketRowSources), tx.Bucket(bucketRows)
	if top == nil || rtop == nil {
		if create {
			return nil, nil, errors.New("no rows bucket: the data was not migrated")
		}
		return nil, nil, nil
	}
	if !create {
		src = top.Bucket([]byte(ws))
		if w := rtop.Bucket([]byte(ws)); w != nil {
			rows = w.Bucket([]byte(ds))
		}
		return src, rows, nil
	}
	if src, err = top.CreateBucketIfNotExists([]byte(ws)); err != nil {
		return nil, nil, err
	}
	w, err := rtop.CreateBucketIfNotExists([]byte(ws))
	if err != nil {
		return nil, nil, err
	}
	rows, err = w.CreateBucketIfNotExists([]byte(ds))
	return src, rows, err
}

// WriteRows applies one batch of a data source's sync in one transaction.
// The source's Rows is the store's own count (the write's is ignored).
func (s *Store) WriteRows(ws string, w RowWrite) error {
	if w.Source.ID == "" {
		return errors.New("store: a row write without a data source id")
	}
	return s.update(func(tx *bolt.Tx) error {
		src, rows, err := rowBuckets(tx, ws, w.Source.ID, true)
		if err != nil {
			return err
		}
		// The count is kept as rows come and go: bbolt's Stats do not see
		// this transaction's writes, and counting would read every row.
		count := 0
		if v := src.Get([]byte(w.Source.ID)); v != nil {
			var old SourceRecord
			if json.Unmarshal(v, &old) == nil {
				count = old.Rows
			}
		}
		for _, r := range w.Put {
			if rows.Get([]byte(r.ID)) == nil {
				count++
			}
			if err := rows.Put([]byte(r.ID), encodeRow(r)); err != nil {
				return err
			}
		}
		if w.Replace {
			var gone [][]byte
			_ = rows.ForEach(func(k, _ []byte) error {
				if !w.Keep[string(k)] {
					gone = append(gone, k)
				}
				return nil
			})
			for _, k := range gone {
				if err := rows.Delete(k); err != nil {
					return err
				}
			}
			count -= len(gone)
		}
		rec := w.Source
		rec.Rows = count
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		return src.Put([]byte(rec.ID), b)
	})
}

// RowSource reads one data source's record; ErrNotFound when none is kept.
func (s *Store) RowSource(ws, ds string) (SourceRecord, error) {
	var out SourceRecord
	err := s.view(func(tx *bolt.Tx) error {
		src, _, err := rowBuckets(tx, ws, ds, false)
		if err != nil {
			return err
		}
		var v []byte
		if src != nil {
			v = src.Get([]byte(ds))
		}
		if v == nil {
			return fmt.Errorf("data source %s in workspace %s: %w", ds, ws, ErrNotFound)
		}
		if err := json.Unmarshal(v, &out); err != nil {
			return fmt.Errorf("the record of data source %q is damaged: %w", ds, err)
		}
		return nil
	})
	return out, err
}

// RowSources lists a workspace's data sources with rows kept, in id order.
func (s *Store) RowSources(ws string) ([]SourceRecord, error) {
	var out []SourceRecord
	err := s.view(func(tx *bolt.Tx) error {
		src, _, err := rowBuckets(tx, ws, "", false)
		if err != nil || src == nil {
			return err
		}
		return src.ForEach(func(k, v []byte) error {
			var r SourceRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("the record of data source %q is damaged: %w", k, err)
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// Rows reads a data source's stored rows, in id order.
func (s *Store) Rows(ws, ds string) ([]RowRecord, error) {
	var out []RowRecord
	err := s.view(func(tx *bolt.Tx) error {
		_, rows, err := rowBuckets(tx, ws, ds, false)
		if err != nil || rows == nil {
			return err
		}
		return rows.ForEach(func(k, v []byte) error {
			r, err := decodeRow(k, v)
			if err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// DeleteRowSource forgets a data source and its rows (it is no longer
// shared, or gone).
func (s *Store) DeleteRowSource(ws, ds string) error {
	return s.update(func(tx *bolt.Tx) error {
		src, _, err := rowBuckets(tx, ws, ds, false)
		if err != nil {
			return err
		}
		if src != nil {
			if err := src.Delete([]byte(ds)); err != nil {
				return err
			}
		}
		if w := tx.Bucket(bucketRows).Bucket([]byte(ws)); w != nil {
			if err := w.DeleteBucket([]byte(ds)); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
				return err
			}
		}
		return nil
	})
}

// deleteRows forgets a workspace's data sources and rows.
func deleteRows(tx *bolt.Tx, ws string) error {
	for _, name := range [][]byte{bucketRowSources, bucketRows} {
		if top := tx.Bucket(name); top != nil {
			if err := top.DeleteBucket([]byte(ws)); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
				return err
			}
		}
	}
	return nil
}
