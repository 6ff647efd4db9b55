package app_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/content"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// contentHarness is a connected workspace with n generated items and one
// page, "Notes", whose body holds words no title has.
func contentHarness(t *testing.T, n int, tweak func(*notiontest.Options)) (*harness, *notiontest.Clock, string, string) {
	t.Helper()
	clk := notiontest.NewClock(time.Date(2026, 3, 2, 10, 0, 20, 0, time.UTC))
	opts := []apptest.Option{apptest.WithClock(clk)}
	if tweak != nil {
		opts = append(opts, apptest.WithEmulator(tweak))
	}
	h := newHarness(t, opts...)
	ws := h.AddWorkspace("Acme", 7, n)
	page := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Notes", LastEdited: clk.Now().Add(-time.Hour)})
	h.Emu.SetContent(page, "# Weekly\n\nWe discussed the **quixotic** flamingo budget.\n\n- [ ] ask Zoë about the café\n")
	h.connect(ws)
	// Every page's edit is now more than a minute old: a copy fetched now
	// is settled (see TestContentEditRefetchesOnlyThatPage for the minute).
	clk.Advance(2 * time.Minute)
	return h, clk, ws, page
}

func (h *harness) markdownCalls() int {
	n := 0
	for _, r := range h.Emu.Requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/markdown") {
			n++
		}
	}
	return n
}

func (h *harness) pages(ws string) int {
	n := 0
	for _, it := range h.Emu.Items(ws) {
		if !it.Unshared && !it.InTrash && it.Kind == notiontest.KindPage {
			n++
		}
	}
	return n
}

func (h *harness) crawl(ws string) app.ContentResult {
	h.T.Helper()
	res, err := h.core.CrawlContent(context.Background(), ws, nil)
	if err != nil {
		h.T.Fatalf("crawl: %v", err)
	}
	return res
}

func contentHits(t *testing.T, c *app.Core, q string) []*app.Hit {
	t.Helper()
	r, err := c.Search(app.SearchQuery{Text: q, In: app.ScopeContent})
	if err != nil {
		t.Fatal(err)
	}
	if r.Notice != "" {
		t.Errorf("notice: %s", r.Notice)
	}
	return r.Hits
}

func TestContentWordOnlyInABody(t *testing.T) {
	h, _, ws, page := contentHarness(t, 60, nil)
	var mu sync.Mutex
	var last app.ContentProgress
	h.core.Subscribe(func(e app.Event) {
		if p, ok := e.(app.ContentProgressed); ok {
			mu.Lock()
			last = p.Progress
			mu.Unlock()
		}
	})
	res := h.crawl(ws)
	if want := h.pages(ws); res.Fetched != want || h.core.Content(ws).Pages != want {
		t.Fatalf("fetched %d, stored %d, want every one of the %d pages (data sources have no body)", res.Fetched, h.core.Content(ws).Pages, want)
	}
	mu.Lock()
	if last.Done != last.Total || last.Total != res.Fetched || !strings.HasPrefix(last.Text(), "Indexing content: ") {
		t.Errorf("last progress %+v %q", last, last.Text())
	}
	mu.Unlock()

	// Titles know nothing of it; the body does. Accents and case folded,
	// the last word a prefix.
	if hits, _ := h.core.Search(app.SearchQuery{Text: "quixotic", In: app.ScopeTitle}); len(hits.Hits) != 0 {
		t.Fatalf("a title matched: the test proves nothing")
	}
	for _, q := range []string{"quixotic", "QUIXOTIC flamin", "zoe cafe", "Zoë Café"} {
		hits, err := apptest.SearchHits(h.core, q, "", "", 0)
		if err != nil || len(hits) != 1 || hits[0].ID != page || hits[0].Match != app.MatchContent {
			t.Fatalf("search %q = %v, %v", q, hits, err)
		}
		if s := hits[0].Snippet; s == "" || len([]rune(s)) > 200 || len(app.Highlight(s, q)) == 0 {
			t.Errorf("snippet for %q = %q, ranges %v", q, s, app.Highlight(s, q))
		}
	}
	hits, _ := apptest.SearchHits(h.core, "quixotic flamingo", "", "", 0)
	s := hits[0].Snippet
	var words []string
	for _, r := range app.Highlight(s, "quixotic flamingo") {
		words = append(words, s[r.Start:r.End])
	}
	if strings.Join(words, ",") != "quixotic,flamingo" {
		t.Errorf("highlighted %v in %q", words, s)
	}
	// Titles first, then content: "Notes" matches by title.
	hits, _ = apptest.SearchHits(h.core, "notes", "", "", 0)
	if len(hits) == 0 || hits[0].Match != app.MatchTitle {
		t.Errorf("title matches must come first: %v", hits)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i-1].Match == app.MatchContent && hits[i].Match == app.MatchTitle {
			t.Fatalf("a title match after a content match at %d", i)
		}
	}
	// A second crawl has nothing to do.
	before := h.markdownCalls()
	if res := h.crawl(ws); res.Fetched != 0 || h.markdownCalls() != before {
		t.Errorf("an unchanged workspace refetched %d pages", h.markdownCalls()-before)
	}
}

func TestContentEditRefetchesOnlyThatPage(t *testing.T) {
	h, clk, ws, page := contentHarness(t, 80, nil)
	h.crawl(ws)
	clk.Advance(2 * time.Minute)
	h.crawl(ws) // pages edited in the first minute are checked once more
	h.Emu.EditContent(page, "The flamingo budget moved to **zeppelin** storage.")
	if _, err := h.core.Sync(context.Background(), ws, false, nil); err != nil {
		t.Fatal(err)
	}
	before := h.markdownCalls()
	if res := h.crawl(ws); res.Fetched != 1 || h.markdownCalls()-before != 1 {
		t.Fatalf("after one edit: fetched %d, %d calls", res.Fetched, h.markdownCalls()-before)
	}
	if hits := contentHits(t, h.core, "zeppelin"); len(hits) != 1 || hits[0].ID != page {
		t.Errorf("new word: %v", hits)
	}
	if hits := contentHits(t, h.core, "quixotic"); len(hits) != 0 {
		t.Errorf("the old word is still found: %v", hits)
	}

	// An edit in the same minute as the stored copy leaves
	// last_edited_time where it was; the copy is fetched again all the same.
	clk.Advance(20 * time.Second)
	h.Emu.EditContent(page, "Second edit within the minute: **xylophone**.")
	if _, err := h.core.Sync(context.Background(), ws, false, nil); err != nil {
		t.Fatal(err)
	}
	before = h.markdownCalls()
	if res := h.crawl(ws); res.Fetched != 1 || h.markdownCalls()-before != 1 {
		t.Fatalf("same-minute edit: fetched %d, %d calls", res.Fetched, h.markdownCalls()-before)
	}
	if hits := contentHits(t, h.core, "xylophone"); len(hits) != 1 {
		t.Errorf("the same-minute edit was missed")
	}
	// Once a minute has passed the copy is settled: nothing more to fetch.
	clk.Advance(2 * time.Minute)
	h.crawl(ws)
	before = h.markdownCalls()
	if res := h.crawl(ws); res.Fetched != 0 || h.markdownCalls() != before {
		t.Errorf("a settled page was fetched again")
	}
}

func TestContentOfTruncatedPages(t *testing.T) {
	h, _, ws, _ := contentHarness(t, 10, func(o *notiontest.Options) { o.RecordLimit = 30 })
	long := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Handbook"})
	var b strings.Builder
	for i := range 60 {
		fmt.Fprintf(&b, "- rule %d\n\t- detail %d\n", i, i)
	}
	b.WriteString("Appendix: the word **pumpernickel** is only here.\n")
	h.Emu.SetContent(long, b.String())
	if _, err := h.core.Sync(context.Background(), ws, true, nil); err != nil {
		t.Fatal(err)
	}
	h.crawl(ws)
	if hits := contentHits(t, h.core, "pumpernickel"); len(hits) != 1 || hits[0].ID != long {
		pc, err := h.core.PageContent(long)
		t.Fatalf("the word of a truncated part: %v (%v partial %v)\n%s", hits, err, pc.Partial, pc.Markdown[max(0, len(pc.Markdown)-300):])
	}
	pc, err := h.core.PageContent(long)
	if err != nil || pc.Markdown != b.String() || pc.Partial {
		a, bb := pc.Markdown, b.String()
		k := 0
		for k < min(len(a), len(bb)) && a[k] == bb[k] {
			k++
		}
		t.Errorf("stored page differs from Notion's (partial %v): %v at %d: %q vs %q", pc.Partial, err, k, a[max(0, k-20):min(len(a), k+40)], bb[max(0, k-20):min(len(bb), k+40)])
	}
}

func TestContentWithoutReadContent(t *testing.T) {
	h, _, ws, page := contentHarness(t, 10, nil)
	h.Emu.SetContentAccess(ws, false)
	_, err := h.core.CrawlContent(context.Background(), ws, nil)
	if !errors.Is(err, app.ErrNoContentAccess) || !strings.Contains(err.Error(), `"Read content"`) {
		t.Fatalf("crawl without the capability: %v", err)
	}
	if st := h.core.Content(ws).State; st != app.ContentNoAccess {
		t.Errorf("state %q, want no_access", st)
	}
	// Further crawls do nothing until the user acts.
	before := h.markdownCalls()
	if _, err := h.core.CrawlContent(context.Background(), ws, nil); err != nil || h.markdownCalls() != before {
		t.Errorf("a no_access workspace was crawled again: %v", err)
	}
	// The capability comes back; asking for one page finds out.
	h.Emu.SetContentAccess(ws, true)
	if _, err := h.core.RefreshPage(context.Background(), page); err != nil {
		t.Fatal(err)
	}
	if st := h.core.Content(ws).State; st != app.ContentOn {
		t.Errorf("state %q after a successful refresh", st)
	}
}

func TestContentOfTrashedAndUnsharedPagesGoes(t *testing.T) {
	h, _, ws, page := contentHarness(t, 30, nil)
	other := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Other"})
	h.Emu.SetContent(other, "A note on **marmalade**.")
	if _, err := h.core.Sync(context.Background(), ws, true, nil); err != nil {
		t.Fatal(err)
	}
	h.crawl(ws)
	h.Emu.Trash(page)
	h.Emu.Unshare(other)
	if _, err := h.core.Sync(context.Background(), ws, true, nil); err != nil {
		t.Fatal(err)
	}
	res := h.crawl(ws)
	if res.Removed != 2 {
		t.Errorf("removed %d, want the trashed and the unshared page", res.Removed)
	}
	if hits := contentHits(t, h.core, "quixotic"); len(hits) != 0 {
		t.Errorf("the trashed page is still found: %v", hits)
	}
	if hits := contentHits(t, h.core, "marmalade"); len(hits) != 0 {
		t.Errorf("the unshared page is still found: %v", hits)
	}
	if h.core.Content(ws).Pages != h.pages(ws) {
		t.Errorf("%d stored, %d pages listed", h.core.Content(ws).Pages, h.pages(ws))
	}
}

func TestDisconnectRemovesContent(t *testing.T) {
	h, _, ws, _ := contentHarness(t, 20, nil)
	h.crawl(ws)
	dir := filepath.Join(h.Dir, content.PagesDir, ws)
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("no content stored: %v", err)
	}
	if err := h.core.Disconnect(context.Background(), ws, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("content dir still there: %v", err)
	}
	if hits := contentHits(t, h.Core(), "quixotic"); len(hits) != 0 {
		t.Errorf("found after disconnect: %v", hits)
	}
	// Nothing of it is left in the index either.
	st := content.Open(h.Dir, content.Options{IndexIdle: time.Millisecond})
	defer st.Close()
	if m, err := st.Search("quixotic", "", 0); err != nil || len(m) != 0 {
		t.Errorf("index still holds %v (%v)", m, err)
	}
}

func TestContentOffDeletesAndStops(t *testing.T) {
	h, _, ws, _ := contentHarness(t, 20, nil)
	h.crawl(ws)
	if err := h.core.SetContent(ws, false); err != nil {
		t.Fatal(err)
	}
	if h.core.Content(ws).Pages != 0 || h.core.Content(ws).State != app.ContentOff {
		t.Fatalf("off kept %d pages, state %q", h.core.Content(ws).Pages, h.core.Content(ws).State)
	}
	before := h.markdownCalls()
	if res := h.crawl(ws); res.Fetched != 0 || h.markdownCalls() != before {
		t.Errorf("crawled while off")
	}
	if hits := contentHits(t, h.core, "quixotic"); len(hits) != 0 {
		t.Errorf("found while off: %v", hits)
	}
	if err := h.core.SetContent(ws, true); err != nil {
		t.Fatal(err)
	}
	if res := h.crawl(ws); res.Fetched != h.pages(ws) {
		t.Errorf("on again fetched %d of %d", res.Fetched, h.pages(ws))
	}
}

func TestCrawlResumesAfterCancellation(t *testing.T) {
	h, _, ws, _ := contentHarness(t, 400, nil)
	total := h.pages(ws)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := h.core.CrawlContent(ctx, ws, func(p app.ContentProgress) {
		if p.Done >= 120 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled crawl: %v", err)
	}
	stored := h.core.Content(ws).Pages
	if stored < 100 || stored >= total {
		t.Fatalf("%d of %d stored after cancelling at 120", stored, total)
	}
	// Another process picks up where it stopped.
	h.Emu.ResetLog()
	res, err := h.Core().CrawlContent(context.Background(), ws, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Fetched != total-stored || h.markdownCalls() != total-stored {
		t.Errorf("resumed crawl fetched %d (%d calls), want the %d missing", res.Fetched, h.markdownCalls(), total-stored)
	}
}

func TestSearchAndShowWithoutNetwork(t *testing.T) {
	h, _, ws, page := contentHarness(t, 30, nil)
	h.crawl(ws)
	h.Emu.Close()
	c := h.Core()
	if hits := contentHits(t, c, "flamingo"); len(hits) != 1 || hits[0].ID != page {
		t.Fatalf("offline search: %v", hits)
	}
	pc, err := c.PageContent(page)
	if err != nil || !strings.Contains(pc.Markdown, "quixotic") || !docHas(pc.Doc, func(b app.Block) bool {
		return slices.ContainsFunc(b.Runs, func(r app.Run) bool { return r.Text == "quixotic" && r.Style&app.StyleBold != 0 })
	}) {
		t.Fatalf("offline show: %+v %v", pc, err)
	}
	if !docHas(pc.Doc, func(b app.Block) bool {
		return b.Kind == app.BlockTodo && !b.Checked && len(b.Runs) > 0 && strings.HasPrefix(b.Runs[0].Text, "ask Zoë")
	}) {
		t.Errorf("no open to-do in the document: %+v", pc.Doc)
	}
	if _, err := c.RefreshPage(context.Background(), page); err == nil {
		t.Error("a refresh with no network succeeded")
	}
}

func TestInteractiveRefreshGoesAheadOfTheCrawl(t *testing.T) {
	h, _, ws, page := contentHarness(t, 200, nil)
	h.Emu.SetRateLimit(40, 1)
	o := h.Options()
	// Paced as Notion is, and waiting out its answers as a real process.
	o.RateLimit, o.Burst, o.Sleep = 40, 1, nil
	c := h.Open(o)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	var once sync.Once
	done := make(chan struct{})
	defer func() { cancel(); <-done }()
	go func() {
		defer close(done)
		_, _ = c.CrawlContent(ctx, ws, func(p app.ContentProgress) {
			if p.Done > 5 {
				once.Do(func() { close(started) })
			}
		})
	}()
	<-started
	// The crawl keeps 4 requests queued at 40/s: an interactive refresh
	// waits for at most the one or two already granted, not the queue.
	h.Emu.ResetLog()
	if _, err := c.RefreshPage(context.Background(), page); err != nil {
		t.Fatal(err)
	}
	reqs := h.Emu.Requests()
	pos := -1
	for i, r := range reqs {
		if strings.Contains(r.Path, page) {
			pos = i
			break
		}
	}
	if pos < 0 || pos > 3 {
		t.Errorf("the interactive fetch was request %d after it was asked for", pos)
	}
	cancel()
}

func TestCrawlSurvivesHostilePagesAndALostNetwork(t *testing.T) {
	h, _, ws, page := contentHarness(t, 60, nil)
	hostile := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Hostile"})
	h.Emu.SetContent(hostile, strings.Repeat("\t", 3000)+"- deep \x1b[2J\x00 okapi\n"+strings.Repeat("[", 20000)+"\n![x](http://tracker.example/p.png)")
	if _, err := h.core.Sync(context.Background(), ws, true, nil); err != nil {
		t.Fatal(err)
	}
	total := h.pages(ws)
	// One answer too big to read: that page fails, the rest are stored.
	h.Emu.FailNext("/v1/pages/"+page, 1, notiontest.FaultHugeBody)
	res, err := h.core.CrawlContent(context.Background(), ws, nil)
	if err != nil || res.Failed != 1 || res.Fetched != total-1 {
		t.Fatalf("crawl with a huge answer: %+v %v", res, err)
	}
	pc, err := h.core.PageContent(hostile)
	if err != nil || docHas(pc.Doc, func(b app.Block) bool {
		return slices.ContainsFunc(b.Runs, func(r app.Run) bool {
			return strings.ContainsAny(r.Text, "\x1b\x00") || strings.Contains(r.Link, "tracker.example")
		})
	}) {
		t.Errorf("hostile page: %v %+v", err, pc.Doc.Blocks[:min(5, len(pc.Doc.Blocks))])
	}
	if hits := contentHits(t, h.core, "okapi"); len(hits) != 1 || hits[0].ID != hostile {
		t.Errorf("a word of the hostile page: %v", hits)
	}

	// The network goes: after a few failures in a row the crawl stops,
	// keeps what it has, and the next one finishes the job.
	h.Emu.EditContent(page, "after the outage: **wombat**")
	for _, it := range h.Emu.Items(ws) {
		if it.Kind == notiontest.KindPage && !it.InTrash && !it.Unshared && it.ID != page {
			h.Emu.EditContent(it.ID, "")
		}
	}
	if _, err := h.core.Sync(context.Background(), ws, false, nil); err != nil {
		t.Fatal(err)
	}
	h.Emu.FailNext("/v1/pages/", 1000, notiontest.FaultUnavailable)
	if _, err := h.core.CrawlContent(context.Background(), ws, nil); err == nil || !strings.Contains(err.Error(), "in a row") {
		t.Fatalf("crawl without a network: %v", err)
	}
	h.Emu.ClearFaults()
	if res, err := h.core.CrawlContent(context.Background(), ws, nil); err != nil || res.Failed != 0 {
		t.Fatalf("after the network came back: %+v %v", res, err)
	}
	if hits := contentHits(t, h.core, "wombat"); len(hits) != 1 {
		t.Errorf("after the network came back: %v", hits)
	}
}

// The crawl fetches what the person uses first: pinned and most-opened
// pages before the newest edits.
func TestCrawlGoesMostUsedFirst(t *testing.T) {
	h, _, ws, notes := contentHarness(t, 60, nil)
	if err := h.core.SetContent(ws, false); err != nil { // nothing stored yet
		t.Fatal(err)
	}
	// "Notes" is an hour old, older than most; open it, and pin another old page.
	hits, _ := apptest.SearchHits(h.core, "", ws, app.KindPage, 0)
	old := hits[len(hits)-1]
	for range 3 {
		if err := h.core.Open(notes, app.OpenInBrowser, &apptest.Browser{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.core.SetPinned(old.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := h.core.SetContent(ws, true); err != nil {
		t.Fatal(err)
	}
	o := h.Options()
	o.Content.Workers = 1
	c := h.Open(o)
	h.Emu.ResetLog()
	if _, err := c.CrawlContent(context.Background(), ws, nil); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range h.Emu.Requests() {
		if strings.HasSuffix(r.Path, "/markdown") {
			order = append(order, strings.TrimSuffix(strings.TrimPrefix(r.Path, "/v1/pages/"), "/markdown"))
		}
	}
	if len(order) < 2 || !sameID(order[0], old.ID) || !sameID(order[1], notes) {
		t.Errorf("the crawl began with %v; want the pinned page, then the opened one", order[:min(3, len(order))])
	}
}

func sameID(a, b string) bool {
	return strings.ReplaceAll(a, "-", "") == strings.ReplaceAll(b, "-", "")
}

func docHas(d app.Doc, match func(app.Block) bool) bool { return slices.ContainsFunc(d.Blocks, match) }
