package content

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// Turning content off: every write and the delete take one lock shared by
// all processes, so a crawl elsewhere never writes back what was deleted.

// ErrTurnedOff: the workspace's content was turned off (or the workspace
// disconnected) while it was being fetched; nothing more of it is written.
var ErrTurnedOff = errors.New("content was turned off for this workspace")

// lockPath is the content lock: every write of content, in every Pagedeck
// process, holds it, so a Drop in one process and a crawl in another
// cannot interleave.
func (s *Store) lockPath() string { return filepath.Join(s.dataDir, "content.lock") }

// locked runs fn holding the content lock; with ws set, only while
// Options.Allowed still agrees that ws's content is kept (checked under
// the lock, after any Drop that came first).
func (s *Store) locked(ctx context.Context, ws string, fn func() error) error {
	ctx, cancel := context.WithTimeout(ctx, s.opts.WriteWait)
	defer cancel()
	lock := s.opts.Lock
	if lock == nil {
		lock = func(_ context.Context, path string) (func(), error) { return localLock(path) }
	}
	unlock, err := lock(ctx, s.lockPath())
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w: %s", ErrBusy, s.lockPath())
		}
		return fileErr(s.lockPath(), err)
	}
	defer unlock()
	s.index.fresh()
	if ws != "" {
		if ok, err := s.allowed(ws); err != nil || !ok {
			return cmp.Or(err, ErrTurnedOff)
		}
	}
	return fn()
}

func (s *Store) allowed(ws string) (bool, error) {
	if s.opts.Allowed == nil {
		return true, nil
	}
	return s.opts.Allowed(ws)
}

// Drop deletes a workspace's content, and every word of it from the index
// files, before it returns: a crawl of it in this process is stopped, and
// one in another process finds, under the content lock, that it may not
// write any more. Copies of damaged files are deleted too.
func (s *Store) Drop(ctx context.Context, ws string) error {
	s.mu.Lock()
	if cancel := s.crawling[ws]; cancel != nil {
		cancel(ErrTurnedOff)
	}
	s.mu.Unlock()
	return s.locked(ctx, "", func() error {
		if err := s.pages.drop(ws); err != nil {
			return fileErr(s.pages.wsDir(ws), err)
		}
		olds, _ := filepath.Glob(s.pages.dir + ".damaged-*")
		for _, o := range olds {
			_ = os.RemoveAll(o)
		}
		s.index.removeBroken()
		if _, err := os.Stat(s.index.path); errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return s.rebuildWithout(ctx)
	})
}

// rebuildWithout builds the index afresh from the pages stored now (the
// dropped workspace's are gone) and swaps it in. Deleting documents from
// bleve leaves their words in its segment files until a merge, which
// bleve runs when it likes; a new index holds nothing of them. The caller
// holds the content lock, so no write is lost.
func (s *Store) rebuildWithout(ctx context.Context) error {
	x := s.index
	for {
		if x.closeIdle() {
			break
		}
		// A search of this process is using the index: a moment.
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", ErrIndexBusy, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	tmp := x.path + ".new"
	_ = os.RemoveAll(tmp)
	idx, err := bleve.NewUsing(tmp, indexMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, x.config(x.opts.LockTimeout))
	if err != nil {
		return fileErr(tmp, err)
	}
	err = x.guard(func() error {
		dirs, _ := os.ReadDir(s.pages.dir)
		for _, d := range dirs {
			if !d.IsDir() {
				continue
			}
			st, err := s.pages.states(d.Name())
			if err != nil {
				return err
			}
			ids := make([]string, 0, len(st))
			for id := range st {
				ids = append(ids, id)
			}
			for len(ids) > 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				chunk := ids[:min(len(ids), 200)]
				ids = ids[len(chunk):]
				list, err := s.pages.getMany(d.Name(), chunk, true)
				if err != nil {
					return err
				}
				if err := addBatch(idx, d.Name(), list); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if cerr := x.guard(idx.Close); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("rebuilding the content index: %w", err)
	}
	return x.replaceWith(tmp)
}

// sweep removes from the index every workspace that has no stored pages
// any more (dropped by a Pagedeck from before Drop purged the index).
func (s *Store) sweep() {
	idx, err := s.index.acquire(s.opts.LockTimeout)
	if err != nil {
		return
	}
	var orphans []string
	err = s.index.use(func() error {
		d, err := idx.FieldDict(fieldWS)
		if err != nil {
			return err
		}
		defer d.Close()
		for e, err := d.Next(); err == nil && e != nil; e, err = d.Next() {
			if _, serr := os.Stat(s.pages.wsDir(e.Term)); os.IsNotExist(serr) {
				orphans = append(orphans, e.Term)
			}
		}
		return nil
	})
	s.index.release(s.index.writeKeep())
	if err != nil {
		return
	}
	for _, ws := range orphans {
		if s.stopped() {
			return
		}
		err := s.locked(context.Background(), "", func() error { return s.index.removeWorkspace(ws) })
		if err != nil {
			s.log.Warn("content: removing a dropped workspace from the index", "err", err)
		}
	}
}
