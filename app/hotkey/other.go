//go:build !(linux || freebsd || netbsd || openbsd || dragonfly || darwin || windows)

package hotkey

import "runtime"

func systemRegistrar() Registrar {
	return unsupported{"Pagedeck has no global hotkey for " + runtime.GOOS}
}
