// Package filelock is an exclusive lock on a file that other processes
// honour: flock on Unix, LockFileEx on Windows. Two opens of one file in the
// same process exclude each other too, as two processes would.
package filelock

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// poll is how often Lock retries a lock another holder has.
const poll = 20 * time.Millisecond

// Lock takes the lock on path (created if needed), waiting while another
// holds it, until ctx ends. unlock releases it.
func Lock(ctx context.Context, path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the lock %s: %w", path, err)
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		ok, err := TryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if ok {
			return func() { _ = Unlock(f); f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}
