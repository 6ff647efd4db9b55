package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/content"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// TestContentOfHugePages: pages whose markdown answer is over Notion's
// response cap are stored up to the cap and marked partial, are not
// fetched again until edited, and five of them in a row do not stop the
// crawl. A word past the first 64 KiB of one line is found and shown.
func TestContentOfHugePages(t *testing.T) {
	h, clk, ws, _ := contentHarness(t, 40, nil)
	var huge []string
	for _, it := range h.Emu.Items(ws) {
		if it.Kind == notiontest.KindPage && !it.Unshared && !it.InTrash && len(huge) < 6 {
			huge = append(huge, it.ID)
			// One line of 11 MiB, a word at its start and one at its end.
			h.Emu.SetContent(it.ID, "hugestart "+strings.Repeat("lorem ipsum ", 11<<20/12)+" hugeend")
		}
	}
	long := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Long line", LastEdited: clk.Now().Add(-time.Hour)})
	h.Emu.SetContent(long, strings.Repeat("word ", 40<<10)+"farawayword at the end")
	if _, err := h.core.Sync(context.Background(), ws, true, nil); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Minute)
	res := h.crawl(ws)
	if res.Failed != 0 || res.Fetched != h.pages(ws) {
		t.Fatalf("crawl: %+v of %d pages", res, h.pages(ws))
	}
	for _, id := range huge {
		pc, err := h.core.PageContent(id)
		if err != nil || !pc.Partial || !strings.HasPrefix(pc.Markdown, "hugestart") || len(pc.Markdown) > content.MaxStoredBytes {
			t.Fatalf("huge page %s: %v partial=%v %d bytes", id, err, pc.Partial, len(pc.Markdown))
		}
	}
	if hits := contentHits(t, h.core, "hugestart"); len(hits) != len(huge) {
		t.Errorf("the huge pages are found %d times, want %d", len(hits), len(huge))
	}
	if hits := contentHits(t, h.core, "farawayword"); len(hits) != 1 {
		t.Errorf("a word past 64 KiB of one line: %d hits", len(hits))
	}
	if pc, err := h.core.PageContent(long); err != nil || !docHas(pc.Doc, func(b app.Block) bool {
		return slices.ContainsFunc(b.Runs, func(r app.Run) bool { return strings.Contains(r.Text, "farawayword") })
	}) {
		t.Errorf("the long line is not shown whole: %v", err)
	}
	h.Emu.ResetLog()
	if res := h.crawl(ws); res.Fetched != 0 || h.markdownCalls() != 0 {
		t.Errorf("the huge pages were fetched again: %+v, %d calls", res, h.markdownCalls())
	}
}
