//go:build windows

package auth

import (
	"errors"

	"golang.org/x/sys/windows"
)

// Windows reports a taken port as WSAEADDRINUSE, not EADDRINUSE.
func isAddrInUse(err error) bool { return errors.Is(err, windows.WSAEADDRINUSE) }
