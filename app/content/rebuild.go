package content

import (
	"context"
	"errors"
	"os"
)

// Rebuilding the full-text index from the stored pages: after damage, or
// when a workspace's content goes.

// rebuildAll indexes every stored page again, after the index was lost.
// The pages were marked unindexed when the index was recreated (reset);
// what Close interrupts, the next process resumes (the mark stays).
func (s *Store) rebuildAll() {
	dirs, err := os.ReadDir(s.pages.dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) && !isNotDir(err) {
		s.log.Warn("content: rebuilding the index", "err", err)
		return
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		n, err := s.reindex(d.Name())
		s.log.Info("content: index rebuilt", "workspace", d.Name(), "pages", n, "err", err)
		if err != nil {
			return
		}
	}
	s.index.rebuilt()
}

// reset marks every stored page of every workspace unindexed.
func (s *Store) reset() error {
	dirs, err := os.ReadDir(s.pages.dir)
	if err != nil {
		return nil // nothing stored
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		ws := d.Name()
		st, err := s.pages.states(ws)
		if err != nil {
			return err
		}
		ids := make([]string, 0, len(st))
		for id, x := range st {
			if x.indexed {
				ids = append(ids, id)
			}
		}
		if err := s.pages.setIndexed(ws, ids, false); err != nil {
			return err
		}
	}
	return nil
}

// hasPages says whether any stored page is marked indexed: a missing
// index then lost it (a first crawl stores pages before the index exists).
func (s *Store) hasPages() bool {
	dirs, _ := os.ReadDir(s.pages.dir)
	for _, d := range dirs {
		st, _ := s.pages.states(d.Name())
		for _, x := range st {
			if x.indexed {
				return true
			}
		}
	}
	return false
}

// indexPagesLocked indexes pages already stored and marks them indexed;
// the caller holds the content lock.
func (s *Store) indexPagesLocked(ws string, list []Page) error {
	if len(list) == 0 {
		return nil
	}
	if err := s.index.add(ws, list); err != nil {
		return err
	}
	ids := make([]string, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	return s.pages.setIndexed(ws, ids, true)
}

// Reindex indexes whatever is stored but not indexed (after a crash
// between the two, or after the index was rebuilt).
func (s *Store) Reindex(ws string) (int, error) { return s.reindex(ws) }

func (s *Store) reindex(ws string) (int, error) {
	st, err := s.pages.states(ws)
	if err != nil {
		return 0, err
	}
	var ids []string
	for id, x := range st {
		if !x.indexed {
			ids = append(ids, id)
		}
	}
	n := 0
	for len(ids) > 0 {
		if s.stopped() {
			return n, errClosed
		}
		chunk := ids[:min(len(ids), 200)]
		ids = ids[len(chunk):]
		err := s.locked(context.Background(), ws, func() error {
			list, err := s.pages.getMany(ws, chunk)
			if err != nil {
				return err
			}
			n += len(list)
			return s.indexPagesLocked(ws, list)
		})
		if errors.Is(err, ErrTurnedOff) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
