package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// TestLongPauseShowsInTheStatusLine: Notion answers the window's refresh
// with Retry-After: 120. The status line says so while the list stays
// usable, and the refresh completes after the pause (scaled down to 1.2 s).
func TestLongPauseShowsInTheStatusLine(t *testing.T) {
	f := newFixture(t, nil)
	o := f.Options()
	// Paced, and waiting out Notion's pauses (scaled down) as a process does.
	o.RateLimit, o.Burst, o.Sleep = 100, 10, nil
	o.Retry = notion.RetryPolicy{RetryAfterScale: 0.01}
	f.core = f.Open(o)
	f.seedConnected("Acme", 14, 200)
	f.open()
	f.Emu.SetRetryAfter(120)
	f.Emu.FailNext("/v1/search", 1, notiontest.FaultRateLimit)
	f.shortcut(fyne.KeyR, fyne.KeyModifierShift)
	const said = "Notion asked Pagedeck to wait 2 min (this connection's per-minute budget), until "
	f.pump("the pause in the status line", func() bool { return strings.HasPrefix(f.w.views.status.current(), said) })
	if len(f.w.views.results.hits) == 0 {
		t.Error("the list emptied during the pause")
	}
	f.pump("the refresh after the pause", func() bool {
		return len(f.w.st.Progress) == 0 && strings.Contains(f.w.views.status.current(), "synced just now")
	})
	if _, err := f.core.Sync(context.Background(), f.w.st.Workspaces[0].ID, false, nil); err != nil {
		t.Errorf("a sync after the pause: %v", err)
	}
}
