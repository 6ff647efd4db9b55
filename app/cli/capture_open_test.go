package cli_test

import (
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// TestCaptureNewOpens: `new --open` opens the page it made, in the opener
// the user chose (the world's records it).
func TestCaptureNewOpens(t *testing.T) {
	w := newWorld(t)
	ws := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	inbox := w.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Inbox"})
	w.connect(ws)
	code, out, errs := w.run("new", inbox, "Open me", "--open")
	if code != 0 || !strings.HasPrefix(out, "created: Open me (") {
		t.Fatalf("new --open: exit %d: %q %s", code, out, errs)
	}
	written := w.Emu.Written(inbox)
	if len(written) != 1 || len(w.opened) != 1 || !strings.Contains(w.opened[0], strings.ReplaceAll(written[0].ID, "-", "")) {
		t.Errorf("opened %v for %+v", w.opened, written)
	}
	// A usage error sends nothing and keeps nothing.
	if code, _, errs := w.run("new", inbox); code != 2 {
		t.Errorf("new without a title: exit %d: %s", code, errs)
	}
	if code, _, errs := w.run("append", inbox, "   "); code != 2 {
		t.Errorf("append of nothing: exit %d: %s", code, errs)
	}
	if code, out, _ := w.run("outbox"); code != 0 || !strings.Contains(out, "empty") {
		t.Errorf("outbox: %d %q", code, out)
	}
}
