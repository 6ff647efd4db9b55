// The outbox: captures (new pages, appends) kept until Notion has them.

package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

var bucketOutbox = []byte("outbox")

// OutboxKind is what a capture does.
type OutboxKind string

// The kinds of capture.
const (
	OutboxNew    OutboxKind = "new"
	OutboxAppend OutboxKind = "append"
)

// OutboxState is where a capture stands.
type OutboxState string

// The states a user sees.
const (
	// OutboxWaiting: not sent yet (or its last send may or may not have
	// arrived); the next send tries, looking first when it may have.
	OutboxWaiting OutboxState = "waiting"
	// OutboxNeedsPermission: Notion refused the write (no Insert content).
	OutboxNeedsPermission OutboxState = "needs_permission"
	// OutboxRejected: Notion refused the content (400); it is never sent
	// again by itself.
	OutboxRejected OutboxState = "rejected"
)

// OutboxItem is one capture. It holds the text the user typed and nothing
// secret.
type OutboxItem struct {
	ID        string     `json:"id"`
	Kind      OutboxKind `json:"kind"`
	Workspace string     `json:"workspace_id"`
	Parent    string     `json:"parent_id"` // the parent page or data source (new) or the page (append)
	// DataSource: Parent is a data source, and the new page one of its rows.
	DataSource bool   `json:"data_source,omitempty"`
	Title      string `json:"title,omitempty"`
	Body       string `json:"body,omitempty"`
	// Props are a new row's property values as app encodes them, parsed
	// from what was typed against the schema (the title among them).
	Props     json.RawMessage `json:"props,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	Attempts  int             `json:"attempts"`
	State     OutboxState     `json:"state"`
	Error     string          `json:"error,omitempty"`
	// InFlight: a request went out (or may have) and its answer was not
	// recorded: a crash, a timeout, a dropped connection. The next send
	// looks at Notion before sending again.
	InFlight bool `json:"in_flight,omitempty"`
	// SentBlocks counts an append's blocks Notion confirmed, so a resend
	// goes on from there.
	SentBlocks int `json:"sent_blocks,omitempty"`
	// Made lists the ids of the blocks an append has made so far.
	Made []string `json:"made,omitempty"`
}

// AddOutbox stores a capture (state waiting) and returns it with its id.
// The transaction commits, fsync'd, before it returns: a capture is on
// disk before any request is made for it.
func (s *Store) AddOutbox(it OutboxItem) (OutboxItem, error) {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketOutbox)
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		it.ID = strconv.FormatUint(seq, 10)
		it.State = OutboxWaiting
		v, err := json.Marshal(it)
		if err != nil {
			return err
		}
		return b.Put(outboxKey(seq), v)
	})
	return it, err
}

// outboxKey orders captures by when they were made.
func outboxKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

func outboxKeyOf(id string) ([]byte, error) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n == 0 {
		return nil, fmt.Errorf("%w: no capture %q in the outbox", ErrNotFound, id)
	}
	return outboxKey(n), nil
}

// Outbox lists every capture, oldest first.
func (s *Store) Outbox() ([]OutboxItem, error) {
	var out []OutboxItem
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var it OutboxItem
			if err := json.Unmarshal(v, &it); err != nil {
				return fmt.Errorf("outbox entry %x: %w", k, err)
			}
			out = append(out, it)
			return nil
		})
	})
	return out, err
}

// OutboxItem reads one capture, or ErrNotFound.
func (s *Store) OutboxItem(id string) (OutboxItem, error) {
	var it OutboxItem
	key, err := outboxKeyOf(id)
	if err != nil {
		return it, err
	}
	err = s.view(func(tx *bolt.Tx) error {
		return getOutbox(tx, key, id, &it)
	})
	return it, err
}

func getOutbox(tx *bolt.Tx, key []byte, id string, it *OutboxItem) error {
	b := tx.Bucket(bucketOutbox)
	var v []byte
	if b != nil {
		v = b.Get(key)
	}
	if v == nil {
		return fmt.Errorf("%w: no capture %q in the outbox", ErrNotFound, id)
	}
	return json.Unmarshal(v, it)
}

// UpdateOutbox changes one capture in a committed (fsync'd) transaction
// and returns it; ErrNotFound when it is gone (sent or dropped elsewhere).
func (s *Store) UpdateOutbox(id string, fn func(*OutboxItem)) (OutboxItem, error) {
	var it OutboxItem
	key, err := outboxKeyOf(id)
	if err != nil {
		return it, err
	}
	err = s.update(func(tx *bolt.Tx) error {
		if err := getOutbox(tx, key, id, &it); err != nil {
			return err
		}
		fn(&it)
		v, err := json.Marshal(it)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketOutbox).Put(key, v)
	})
	return it, err
}

// DeleteOutbox removes a capture (sent, or dropped); ErrNotFound when it
// is not there.
func (s *Store) DeleteOutbox(id string) error {
	key, err := outboxKeyOf(id)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		if b == nil || b.Get(key) == nil {
			return fmt.Errorf("%w: no capture %q in the outbox", ErrNotFound, id)
		}
		return b.Delete(key)
	})
}

// bucketOutboxDone remembers what sent captures made (page and block ids →
// when), so a later capture that looks for its own page or blocks after an
// ambiguous failure never mistakes an earlier capture's for its own.
var bucketOutboxDone = []byte("outbox_done")

// outboxDoneKeep is how long those ids are remembered: far longer than a
// capture waits between an ambiguous send and the look that follows it.
const outboxDoneKeep = 30 * 24 * time.Hour

// FinishOutbox removes a sent capture and remembers what it made, in one
// committed transaction. ErrNotFound when the capture is gone.
func (s *Store) FinishOutbox(id string, made []string, at time.Time) error {
	key, err := outboxKeyOf(id)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		if b == nil || b.Get(key) == nil {
			return fmt.Errorf("%w: no capture %q in the outbox", ErrNotFound, id)
		}
		if err := b.Delete(key); err != nil {
			return err
		}
		done, err := tx.CreateBucketIfNotExists(bucketOutboxDone)
		if err != nil {
			return err
		}
		cutoff := at.Add(-outboxDoneKeep).UnixMilli()
		var old [][]byte
		if err := done.ForEach(func(k, v []byte) error {
			if ms, n := binary.Varint(v); n <= 0 || ms < cutoff {
				old = append(old, k)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range old {
			if err := done.Delete(k); err != nil {
				return err
			}
		}
		for _, m := range made {
			if err := done.Put([]byte(m), binary.AppendVarint(nil, at.UnixMilli())); err != nil {
				return err
			}
		}
		return nil
	})
}

// OutboxMade is every page and block id sent captures made (see
// FinishOutbox).
func (s *Store) OutboxMade() (map[string]bool, error) {
	out := map[string]bool{}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutboxDone)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			out[string(k)] = true
			return nil
		})
	})
	return out, err
}
