//go:build unix

package redistest

import (
	"os"
	"syscall"
)

var (
	sigPause  os.Signal = syscall.SIGSTOP
	sigResume os.Signal = syscall.SIGCONT
)
