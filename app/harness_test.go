package app_test

import (
	"testing"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/store"
)

// harness is an apptest.World and the Core the test drives: the first
// process on its data.
type harness struct {
	*apptest.World
	core *app.Core
}

func newHarness(t testing.TB, opts ...apptest.Option) *harness {
	t.Helper()
	w := apptest.New(t, opts...)
	return &harness{World: w, core: w.Core()}
}

// connect connects ws on the harness's Core.
func (h *harness) connect(ws string) store.Workspace {
	h.T.Helper()
	return h.Connect(h.core, ws)
}
