// Workspaces: each connected workspace's metadata.

package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

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
		if err := deleteRows(tx, id); err != nil {
			return err
		}
		err := tx.Bucket(bucketItems).DeleteBucket([]byte(id))
		if errors.Is(err, berrors.ErrBucketNotFound) {
			return nil
		}
		return err
	})
}
