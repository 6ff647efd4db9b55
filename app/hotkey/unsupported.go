//go:build !(linux || freebsd || netbsd || openbsd || dragonfly || windows) && !(darwin && cgo)

package hotkey

import (
	"context"
	"fmt"
)

// unsupported is the registrar of systems without global hotkeys.
type unsupported struct{ why string }

func (u unsupported) Register(context.Context, Hotkey, func()) (func(), error) {
	return nil, fmt.Errorf("%w: %s", ErrUnsupported, u.why)
}
