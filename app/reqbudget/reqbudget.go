// Package reqbudget keeps each workspace's request budget in the data
// directory, so that every Pagedeck process using the workspace's token (the
// window, Quick Open, each command) spends one budget, at Notion's limit and
// never past it, whether or not the window runs.
//
// The budget is a token bucket (notion.BucketState: tokens, when they were
// counted, Notion's pause, a streak of 429s, the claims of waiting
// priorities). It lives in one small JSON file per workspace, named by a
// hash of the workspace id (never the token), read, changed and written
// back under an exclusive lock on that file for each request taken. The
// lock is flock/LockFileEx, which the OS releases when a process dies, and
// the state is only numbers and times, so a process killed mid-request
// leaves a bucket that is still right: the token it took is spent, its
// claim lapses within seconds. The state is written beside the file and
// renamed over it, so it is never half written. A file that cannot be read (a write cut
// short, a stray edit) is replaced by an empty bucket, which is the safe
// guess: Pagedeck then goes at the average from zero.
//
// Why a file and not the window's instance socket: it holds when the window
// is not running, costs one small read and write per request (a few per
// second at most), and needs no process to stay up for others.
package reqbudget

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/pagedeck/pagedeck/app/filelock"
	"github.com/pagedeck/pagedeck/notion"
)

// Dir is the data directory's folder for budget files.
const Dir = "budget"

// poll is how often a held lock is tried again; holders keep it for a read
// and a write of a few hundred bytes.
const poll = 2 * time.Millisecond

// maxPause bounds a stored pause: one beyond it is damage, not Notion.
const maxPause = 2 * time.Hour

// File is a workspace's budget file. It implements notion.BucketStore.
type File struct {
	path string
	now  func() time.Time
}

// Open names the budget file of workspaceID in dataDir; the file is
// created on first use.
func Open(dataDir, workspaceID string) *File {
	sum := sha256.Sum256([]byte("pagedeck budget\x00" + workspaceID))
	return &File{path: filepath.Join(dataDir, Dir, hex.EncodeToString(sum[:12])+".json"), now: time.Now}
}

// Path is the file.
func (f *File) Path() string { return f.path }

// Update implements notion.BucketStore.
func (f *File) Update(ctx context.Context, fn func(*notion.BucketState)) error {
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return fmt.Errorf("request budget: %w", err)
	}
	// The lock is a file of its own: the state is replaced by a rename,
	// and a lock on a replaced file would exclude no one.
	lk, err := os.OpenFile(f.path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("request budget: %w", err)
	}
	defer lk.Close()
	for {
		ok, err := filelock.TryLock(lk)
		if err != nil {
			return fmt.Errorf("request budget: locking: %w", err)
		}
		if ok {
			break
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	defer func() { _ = filelock.Unlock(lk) }()

	b, err := os.ReadFile(f.path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("request budget: reading: %w", err)
	}
	st := f.decode(b, err == nil)
	fn(&st)
	out, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("request budget: %w", err)
	}
	// Written aside and renamed into place: a process killed here leaves
	// the previous state whole (a pause it recorded is never half lost).
	tmp := f.path + ".tmp"
	if err := os.WriteFile(tmp, out, 0o600); err != nil {
		return fmt.Errorf("request budget: writing: %w", err)
	}
	if err := os.Rename(tmp, f.path); err != nil {
		return fmt.Errorf("request budget: writing: %w", err)
	}
	return nil
}

// decode reads the state; no file is a fresh bucket, a damaged one an
// empty bucket now.
func (f *File) decode(b []byte, exists bool) notion.BucketState {
	var st notion.BucketState
	if !exists {
		return st
	}
	now := f.now()
	if json.Unmarshal(b, &st) != nil || !sane(st, now) {
		return notion.BucketState{At: now}
	}
	return st
}

// sane rejects values no Pagedeck writes.
func sane(st notion.BucketState, now time.Time) bool {
	return !math.IsNaN(st.Tokens) && !math.IsInf(st.Tokens, 0) && st.Tokens > -1e6 && st.Tokens < 1e6 &&
		st.PausedUntil.Before(now.Add(maxPause)) && st.Streak >= 0 && st.Streak < 100
}
