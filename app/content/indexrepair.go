package content

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	berrors "go.etcd.io/bbolt/errors"

	"github.com/blevesearch/bleve/v2"
)

// Opening the full-text index, and replacing it when it is damaged or
// missing.

// openLocked opens the index; a missing one is created (and refilled from
// the stored pages, if any), a broken one is moved aside and started
// afresh, refilled in the background (onRebuild).
func (x *ftIndex) openLocked(wait time.Duration) (bleve.Index, error) {
	idx, err := bleve.OpenUsing(x.path, x.config(wait))
	switch {
	case err == nil:
		if _, err := os.Stat(x.rebuildMark()); err == nil && x.onRebuild != nil {
			defer x.onRebuild()
		}
		// Scorch opens past segments it cannot load (it logs and goes
		// on): an index that lost every document is rebuilt.
		if n, derr := idx.DocCount(); derr == nil && n == 0 && x.hasPages != nil && x.hasPages() {
			_ = idx.Close()
			return x.replaceLocked(errors.New("its segments could not be loaded"), wait)
		}
		return idx, nil
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		if x.hasPages != nil && x.hasPages() {
			x.log.Warn("content: the index is missing; rebuilding it from the stored pages")
			return x.freshLocked("The content index was missing; Pagedeck is rebuilding it from the stored pages (no network needed), and content search may miss pages until it is done.", wait)
		}
	case errors.Is(err, berrors.ErrTimeout) || strings.Contains(err.Error(), "timeout"):
		return nil, ErrIndexBusy
	case errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EROFS) ||
		strings.Contains(err.Error(), "read-only file system") || strings.Contains(err.Error(), "permission denied"):
		// Not damage: the index stays as it is (bleve does not always
		// wrap the cause).
		return nil, &FileError{Path: x.path, Err: err}
	default:
		return x.replaceLocked(err, wait)
	}
	idx, err = bleve.NewUsing(x.path, indexMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, x.config(wait))
	if err != nil {
		return nil, fmt.Errorf("creating the content index: %w", fileErr(x.path, err))
	}
	return idx, nil
}

// replaceLocked moves a damaged index aside (earlier such copies are
// deleted) and starts a fresh one, refilled from the stored pages.
func (x *ftIndex) replaceLocked(cause error, wait time.Duration) (bleve.Index, error) {
	if x.idx != nil {
		_ = x.guard(x.idx.Close)
		x.idx = nil
	}
	x.removeBroken()
	var ce *CorruptError
	if errors.As(cause, &ce) {
		cause = ce.Cause
	}
	aside := fmt.Sprintf("%s.broken-%d", x.path, time.Now().UnixNano())
	x.log.Warn("content: the index is damaged; rebuilding it from the stored pages", "err", cause, "moved_to", aside)
	if rerr := os.Rename(x.path, aside); rerr != nil {
		_ = os.RemoveAll(x.path)
	}
	return x.freshLocked(fmt.Sprintf("The content index %s was damaged (%s); Pagedeck set it aside and is rebuilding it from the stored pages (no network needed), and content search may miss pages until it is done.", x.path, errLine(cause)), wait)
}

// freshLocked creates an empty index and starts refilling it.
func (x *ftIndex) freshLocked(notice string, wait time.Duration) (bleve.Index, error) {
	if err := os.WriteFile(x.rebuildMark(), nil, 0o600); err != nil {
		return nil, fileErr(x.rebuildMark(), err)
	}
	if x.onReset != nil {
		// Every page is marked unindexed now, so no count says a page is
		// searchable before the rebuild has put it back.
		if err := x.onReset(); err != nil {
			return nil, err
		}
	}
	if err := os.RemoveAll(x.path); err != nil {
		return nil, fileErr(x.path, err)
	}
	idx, err := bleve.NewUsing(x.path, indexMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, x.config(wait))
	if err != nil {
		return nil, fmt.Errorf("creating the content index: %w", fileErr(x.path, err))
	}
	if x.notices != nil {
		x.notices(notice)
	}
	if x.onRebuild != nil {
		x.onRebuild()
	}
	return idx, nil
}

// removeBroken deletes the copies of damaged indexes set aside earlier.
func (x *ftIndex) removeBroken() {
	olds, _ := filepath.Glob(x.path + ".broken-*")
	for _, o := range olds {
		_ = os.RemoveAll(o)
	}
}

// rebuilt ends a rebuild: the mark and the damaged copies go.
func (x *ftIndex) rebuilt() {
	_ = os.Remove(x.rebuildMark())
	x.removeBroken()
}

// broken handles damage found while using the index (err from guard):
// the index is replaced now, so the next use finds a sound one.
func (x *ftIndex) broken(err error) {
	if !errors.Is(err, ErrCorrupt) {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return
	}
	idx, rerr := x.replaceLocked(err, x.opts.LockTimeout)
	if rerr != nil {
		x.log.Warn("content: replacing the damaged index", "err", rerr)
		return
	}
	x.idx = idx
}

func errLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// replaceWith swaps in the index built at tmp, under the content lock and
// with this process's handle closed; another process's open handle keeps
// reading the old files until it notices (fresh).
func (x *ftIndex) replaceWith(tmp string) error {
	old := x.path + ".old"
	_ = os.RemoveAll(old)
	if err := os.Rename(x.path, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fileErr(x.path, err)
	}
	if err := os.Rename(tmp, x.path); err != nil {
		return fileErr(x.path, err)
	}
	return os.RemoveAll(old)
}

// fresh closes this process's handle when the index on disk was replaced
// by another process (see replaceWith), so the next use opens the new one.
// Called under the content lock, before a write.
func (x *ftIndex) fresh() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx == nil || x.openedAs == nil {
		return
	}
	if fi, err := os.Stat(x.path); err == nil && os.SameFile(fi, x.openedAs) {
		return
	}
	if x.users == 0 {
		_ = x.guard(x.idx.Close)
		x.idx = nil
	}
}
