//go:build unix

package cli

import (
	"os/exec"
	"syscall"
)

// detach runs cmd in a session of its own: no controlling terminal, so
// closing the terminal (SIGHUP) or Ctrl+C there does not reach it.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }
