//go:build !cgo

package hotkey

// Without cgo there is no Carbon, and golang.design/x/hotkey panics; such a
// build (the CLI alone, or `make check`) says so instead. Fyne needs cgo
// on macOS, so the app itself always has the real registrar.
func systemRegistrar() Registrar {
	return unsupported{"this macOS build has no cgo, which global hotkeys need"}
}
