//go:build !unix

package redistest

import "os"

// Windows has no stop and continue signals: Pause and Resume fail the test
// there (the broker's tests run on Linux, where redis-server is packaged).
var (
	sigPause  os.Signal
	sigResume os.Signal
)
