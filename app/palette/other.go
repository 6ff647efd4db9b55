//go:build !(linux || freebsd || netbsd || openbsd || dragonfly)

package palette

// Prepare does nothing: only X11 has EWMH palettes.
func Prepare(display string, win uint64) error { return nil }

// Present does nothing: only X11 has EWMH palettes.
func Present(display string, win uint64) error { return nil }
