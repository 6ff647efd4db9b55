package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// In broker mode the window streams Notion's changes: the status line says
// "Live", and a page renamed in Notion shows renamed in the list, with no
// refresh and no search call.
func TestLiveUpdatesInTheWindow(t *testing.T) {
	f := newFixture(t, nil, apptest.WithWebhooks())
	ws := f.addWorkspace("Acme", "🚀", 41, 30)
	page := f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Quarterly plan", URL: "https://www.notion.so/quarterly", LastEdited: time.Now()})
	f.Connect(f.core, ws)
	f.open()
	f.pump("Live", func() bool { return strings.Contains(f.w.views.status.current(), "Live") })
	searches := f.Emu.Count(http.MethodPost, "/v1/search")
	f.Emu.Rename(page, "Zebra plan")
	f.pump("the renamed row", func() bool {
		rows := f.visibleTitles()
		return len(rows) > 0 && rows[0] == "Zebra plan"
	})
	if n := f.Emu.Count(http.MethodPost, "/v1/search"); n != searches {
		t.Errorf("%d searches for a live rename", n-searches)
	}
	f.typeText("zebra")
	if got := f.visibleTitles(); len(got) != 1 || got[0] != "Zebra plan" {
		t.Errorf("searching the new title: %v", got)
	}
}
