package cli

import (
	"os"
	"runtime/debug"
)

// oneShotHeap is the heap a one-shot command may grow to before the
// garbage collector runs at all.
const oneShotHeap = 512 << 20

// lessGC turns the garbage collector off up to oneShotHeap for a command
// that reads the whole cache once and exits: nearly everything it
// allocates stays live to the end, so collections find little to free
// and cost a third of a cold `pagedeck search` (measured over 20,000
// items, with the same peak memory). Past that heap the collector runs
// as usual. A GOGC or GOMEMLIMIT the user set wins. The returned func
// puts the settings back (tests run commands in process).
func lessGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := debug.SetMemoryLimit(oneShotHeap)
	percent := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
