package content

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// ErrCorrupt: a content file is damaged. It wraps a *CorruptError; the
// Core makes it its own ErrCorrupt.
var ErrCorrupt = errors.New("a content file is damaged")

// CorruptError is a damaged content file and what was done about it.
type CorruptError struct {
	Path  string
	Cause error
	Did   string // the end of a sentence
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s is damaged (%v); Pagedeck %s", e.Path, e.Cause, e.Did)
}
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }
func (e *CorruptError) Unwrap() error        { return e.Cause }

// guard runs fn with panics, and memory faults on a mapped file, turned
// into an error for onPanic to describe: bbolt and bleve read their files
// straight from a memory map and trust what they find, as the metadata
// store's guard (store.Guard) handles for pagedeck.db.
func guard(fn func() error, onPanic func(cause error) error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = onPanic(fmt.Errorf("%v", r))
		}
	}()
	return fn()
}

// localLocks stand in for Options.Lock when none is given: one process.
var localLocks sync.Map

func localLock(path string) (func(), error) {
	m, _ := localLocks.LoadOrStore(path, &sync.Mutex{})
	m.(*sync.Mutex).Lock()
	return m.(*sync.Mutex).Unlock, nil
}
