package ui

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/pagedeck/pagedeck/app/apptest"
)

// A window, a Core or a stream still running when the tests end fails the
// package.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, append(apptest.LeakOptions(),
		// Fyne's driver keeps an event queue in a package variable,
		// started in init: it lives as long as the process.
		goleak.IgnoreTopFunction("fyne.io/fyne/v2/internal/async.(*UnboundedChan[...]).processing"),
	)...)
}
