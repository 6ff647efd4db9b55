// Rows: each data source's schema, sync watermark and rows, as app/rows
// writes them. The store keeps them opaque (bytes it does not read), so it
// stays free of Notion's types; a checksum tells a damaged row from a sound
// one without decoding it, so the check every open makes stays cheap. The
// file is a little over 400 lines: the records, their buckets and the
// transactions that keep a source's schema, mark and rows in step.

package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// rowsources/<ws>/<data source id> → a SourceRecord (JSON);
// rows/<ws>/<data source id>/<row id> → 8 bytes of last_edited_time (Unix
// seconds, big endian), 4 bytes of the data's CRC-32C (big endian), then
// the row's data. (Schema 3 had no checksum, and its data was JSON.)
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
	// Tx is the bbolt transaction that last wrote the source (its ids only
	// grow): a reader's copy of the rows is current while Tx is unchanged.
	Tx uint64 `json:"tx,omitempty"`
}

// RowRecord is one stored row: its id, its edit time and its data (as
// app/rows encodes it).
type RowRecord struct {
	ID         string
	LastEdited time.Time
	Data       []byte
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

// castagnoli is CRC-32C, which amd64 and arm64 compute in hardware: the
// check of 100,000 rows costs milliseconds.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const rowHeader = 12 // edit time, checksum

func encodeRow(r RowRecord) []byte {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, rowHeader+len(r.Data)), uint64(r.LastEdited.Unix()))
	b = binary.BigEndian.AppendUint32(b, crc32.Checksum(r.Data, castagnoli))
	return append(b, r.Data...)
}

// rowData checks a stored row and returns its edit time and its data (the
// file's bytes: valid during the transaction only).
func rowData(k, v []byte) (time.Time, []byte, error) {
	if len(v) < rowHeader || crc32.Checksum(v[rowHeader:], castagnoli) != binary.BigEndian.Uint32(v[8:]) {
		return time.Time{}, nil, fmt.Errorf("the record of row %q is damaged", k)
	}
	return time.Unix(int64(binary.BigEndian.Uint64(v)), 0).UTC(), v[rowHeader:], nil
}

func decodeRow(k, v []byte) (RowRecord, error) {
	edited, data, err := rowData(k, v)
	if err != nil {
		return RowRecord{}, err
	}
	return RowRecord{ID: string(k), LastEdited: edited, Data: append([]byte(nil), data...)}, nil
}

// validRowV3 checks a row as schema 3 wrote it (the walk before the
// migration meets those).
func validRowV3(v []byte) bool { return len(v) >= 8 && json.Valid(v[8:]) }

// migrateRowChecksums brings rows to schema 4: each gains its checksum.
// Their data stays as it was (app/rows reads both encodings); the sources'
// next sync is made a full one, which writes every row anew in the compact
// encoding.
func migrateRowChecksums(tx *bolt.Tx) error {
	rtop, stop := tx.Bucket(bucketRows), tx.Bucket(bucketRowSources)
	if rtop == nil || stop == nil {
		return errors.New("no rows bucket: the data was not migrated")
	}
	type kv struct{ k, v []byte }
	var wsNames [][]byte
	_ = rtop.ForEach(func(k, v []byte) error {
		if v == nil {
			wsNames = append(wsNames, k)
		}
		return nil
	})
	for _, ws := range wsNames {
		w := rtop.Bucket(ws)
		var dss [][]byte
		_ = w.ForEach(func(k, v []byte) error {
			if v == nil {
				dss = append(dss, k)
			}
			return nil
		})
		for _, ds := range dss {
			b := w.Bucket(ds)
			var put []kv
			err := b.ForEach(func(k, v []byte) error {
				if !validRowV3(v) {
					return fmt.Errorf("the record of row %q is damaged", k)
				}
				// Copied: the file's bytes are not to be held across writes.
				put = append(put, kv{bytes.Clone(k), encodeRow(RowRecord{LastEdited: time.Unix(int64(binary.BigEndian.Uint64(v)), 0), Data: v[8:]})})
				return nil
			})
			if err != nil {
				return err
			}
			for _, p := range put {
				if err := b.Put(p.k, p.v); err != nil {
					return err
				}
			}
		}
	}
	var wss [][]byte
	_ = stop.ForEach(func(k, v []byte) error {
		if v == nil {
			wss = append(wss, k)
		}
		return nil
	})
	for _, ws := range wss {
		b := stop.Bucket(ws)
		var put []kv
		err := b.ForEach(func(k, v []byte) error {
			var r SourceRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("the record of data source %q is damaged: %w", k, err)
			}
			r.FullSynced = time.Time{}
			nv, err := json.Marshal(r)
			put = append(put, kv{bytes.Clone(k), nv})
			return err
		})
		if err != nil {
			return err
		}
		for _, p := range put {
			if err := b.Put(p.k, p.v); err != nil {
				return err
			}
		}
	}
	return nil
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
		rec.Rows, rec.Tx = count, uint64(tx.ID())
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
		out, err = sourceRecord(src, ws, ds)
		return err
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

// ScanRows reads a data source's record and, unless skip (called with it
// first) says the caller has its rows already, lends each row to fn in id
// order, all in one transaction. id and data are the file's bytes, valid only during the
// call: a caller that keeps them copies them (this saves 100,000
// allocations where Rows would make them). ErrNotFound when the source is
// not kept.
func (s *Store) ScanRows(ws, ds string, skip func(SourceRecord) bool, fn func(id []byte, edited time.Time, data []byte) error) (SourceRecord, error) {
	var out SourceRecord
	err := s.view(func(tx *bolt.Tx) error {
		src, rows, err := rowBuckets(tx, ws, ds, false)
		if err != nil {
			return err
		}
		if out, err = sourceRecord(src, ws, ds); err != nil {
			return err
		}
		if skip != nil && skip(out) || rows == nil {
			return nil
		}
		c := rows.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				continue // a bucket: rows have none
			}
			// The walk before this transaction checked every row's sum
			// in this very file (see open): only the length is checked
			// again, which costs nothing.
			if len(v) < rowHeader {
				return fmt.Errorf("the record of row %q is damaged", k)
			}
			edited := time.Unix(int64(binary.BigEndian.Uint64(v)), 0).UTC()
			if err := fn(k, edited, v[rowHeader:]); err != nil {
				return err
			}
		}
		return nil
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

// sourceRecord decodes a data source's record from its bucket (nil when the
// workspace keeps no rows); ErrNotFound when the source is not kept.
func sourceRecord(src *bolt.Bucket, ws, ds string) (SourceRecord, error) {
	var out SourceRecord
	var v []byte
	if src != nil {
		v = src.Get([]byte(ds))
	}
	if v == nil {
		return out, fmt.Errorf("data source %s in workspace %s: %w", ds, ws, ErrNotFound)
	}
	if err := json.Unmarshal(v, &out); err != nil {
		return out, fmt.Errorf("the record of data source %q is damaged: %w", ds, err)
	}
	return out, nil
}
