package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// liveHarness: two broker instances sharing one Redis. Notion's webhooks go
// to A; the desktop (a real Core in broker mode) signs in and streams
// through B.
type liveHarness struct {
	*harness
	events chan app.Event
}

func newLiveHarness(t *testing.T) *liveHarness {
	t.Helper()
	h := &liveHarness{harness: newHarness(t, apptest.WithRedis(), apptest.WithWebhooks()), events: make(chan app.Event, 1024)}
	b := h.Broker
	a, other := b.Instance("a", b.Key, nil), b.Instance("b", b.Key, nil)
	b.Route(func(path string) *apptest.Instance {
		if strings.HasPrefix(path, "/webhooks/") {
			return a
		}
		return other
	})
	h.core.Subscribe(func(e app.Event) {
		select {
		case h.events <- e:
		default:
		}
	})
	return h
}

// runLive starts the Core's streams until the test ends.
func (h *liveHarness) runLive(o app.LiveOptions) { runLive(h.T, h.core, o) }

// runLive runs c's streams until the test ends.
func runLive(t testing.TB, c *app.Core, o app.LiveOptions) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.RunLive(ctx, o)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

// waitLive waits until Core.Live(ws) is on (or off).
func (h *liveHarness) waitLive(ws string, on bool) {
	h.T.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for h.core.Live(ws) != on {
		if time.Now().After(deadline) {
			h.T.Fatalf("Live(%s) did not become %v", ws, on)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// until polls check every 5 ms and reports how long it took.
func until(t *testing.T, what string, limit time.Duration, check func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !check() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

func (h *liveHarness) titles(ws, query string) []string {
	hits, err := apptest.SearchHits(h.core, query, ws, "", 0)
	if err != nil {
		h.T.Fatal(err)
	}
	var out []string
	for _, x := range hits {
		out = append(out, x.Title)
	}
	return out
}

// TestLiveUpdatesAcrossInstances is the acceptance run: a change in
// Notion is signed to broker A, fanned out through Redis, streamed by B to
// the desktop, and the desktop's search shows it, within a second.
func TestLiveUpdatesAcrossInstances(t *testing.T) {
	h := newLiveHarness(t)
	ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	h.Emu.Seed(ws, 7, 40)
	parent := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Projects"})
	page := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Quarterly plan"})
	h.connect(ws)
	if got := h.titles(ws, "Quarterly"); len(got) != 1 {
		t.Fatalf("before: %v", got)
	}
	if h.core.Live(ws) {
		t.Fatal("live before RunLive")
	}
	h.runLive(app.LiveOptions{Debounce: 10 * time.Millisecond})
	h.waitLive(ws, true)
	searches := h.Emu.Count(http.MethodPost, "/v1/search")

	// Rename: the acceptance line.
	h.Emu.Rename(page, "Zebra roadmap")
	took := until(t, "the renamed page in search", 10*time.Second, func() bool {
		got := h.titles(ws, "zebra")
		return len(got) == 1 && got[0] == "Zebra roadmap"
	})
	t.Logf("rename in Notion → desktop search shows it: %v", took.Round(time.Millisecond))
	if took > time.Second {
		t.Errorf("the rename took %v to show, more than the 1 s the issue asks", took)
	}
	if n := len(h.titles(ws, "Quarterly")); n != 0 {
		t.Errorf("the old title is still found")
	}
	if !strings.Contains(h.Broker.Logs(), `"instance":"a"`) || h.Emu.Count(http.MethodGet, "/v1/pages/"+page) == 0 {
		t.Error("the event did not go through A and a retrieve")
	}

	// Create, move, trash: each refreshes just that item.
	fresh := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Yak shaving notes"})
	until(t, "a new page", 10*time.Second, func() bool { return len(h.titles(ws, "yak")) == 1 })
	h.Emu.Move(fresh, "page_id", parent)
	until(t, "the moved page's parent", 10*time.Second, func() bool {
		it, err := h.core.Item(fresh)
		return err == nil && it.ParentID == parent
	})
	h.Emu.Trash(page)
	until(t, "the trashed page gone", 10*time.Second, func() bool { return len(h.titles(ws, "zebra")) == 0 })
	ds := h.Emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Xylophone tasks"})
	until(t, "a new data source", 10*time.Second, func() bool { return len(h.titles(ws, "xylophone")) == 1 })
	h.Emu.Delete(ds)
	until(t, "the deleted data source gone", 10*time.Second, func() bool { return len(h.titles(ws, "xylophone")) == 0 })

	// An edit of a page's body: its new words are found, its path follows
	// a moved parent, and neither needed a sync.
	notes := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Standup notes", ParentType: "page_id", ParentID: parent})
	until(t, "the notes page", 10*time.Second, func() bool { return len(h.titles(ws, "standup")) == 1 })
	h.Emu.EditContent(notes, "# Standup\n\nThe **kumquat** release slips a week.\n")
	until(t, "the edited body in content search", 10*time.Second, func() bool {
		r, err := h.core.Search(app.SearchQuery{Text: "kumquat", Workspace: ws, In: app.ScopeContent})
		return err == nil && len(r.Hits) == 1 && r.Hits[0].ID == notes
	})
	h.Emu.Rename(parent, "Programs")
	until(t, "the path of the renamed parent", 10*time.Second, func() bool {
		it, err := h.core.Item(notes)
		return err == nil && len(it.Path) == 1 && it.Path[0] == "Programs"
	})

	// None of that needed a search: live updates fetch only what changed.
	if n := h.Emu.Count(http.MethodPost, "/v1/search"); n != searches {
		t.Errorf("%d searches during live updates", n-searches)
	}
	// The window hears of it.
	sawItems, sawLive := false, false
	for len(h.events) > 0 {
		switch e := (<-h.events).(type) {
		case app.ItemsChanged:
			sawItems = sawItems || e.WorkspaceID == ws
		case app.LiveChanged:
			sawLive = sawLive || e.WorkspaceID == ws
		}
	}
	if !sawItems || !sawLive {
		t.Errorf("events: items changed %v, live %v", sawItems, sawLive)
	}
}

// TestLiveSurvivesRedisLoss: the broker loses Redis; the desktop's stream
// goes down (not Live), it backs off and reconnects by itself, catches up,
// and hears of changes again.
func TestLiveSurvivesRedisLoss(t *testing.T) {
	h := newLiveHarness(t)
	ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	page := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Alpha"})
	h.connect(ws)
	h.runLive(app.LiveOptions{Debounce: 10 * time.Millisecond, MinBackoff: 50 * time.Millisecond, MaxBackoff: 400 * time.Millisecond})
	h.waitLive(ws, true)

	h.Redis.Stop()
	h.waitLive(ws, false)
	// Meanwhile Notion's webhook is refused (503) and will be retried.
	h.Emu.Rename(page, "Bravo")
	h.Redis.Restart()
	h.waitLive(ws, true)
	// Redis lost everything: the broker says reset, the desktop refreshes,
	// and the retried webhook arrives too. Either way the title shows.
	until(t, "the rename made while Redis was away", 20*time.Second, func() bool { return len(h.titles(ws, "bravo")) == 1 })
	h.Emu.Rename(page, "Charlie")
	until(t, "a rename after Redis came back", 10*time.Second, func() bool { return len(h.titles(ws, "charlie")) == 1 })
}

// TestLiveOnlyInBrokerMode: a workspace connected with its own connection
// has no stream, and stopping RunLive turns Live off.
func TestLiveOnlyInBrokerMode(t *testing.T) {
	own := newHarness(t)
	ws := own.AddWorkspace("Own", 3, 5)
	own.connect(ws)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); own.core.RunLive(ctx, app.LiveOptions{Recheck: 10 * time.Millisecond}) }()
	time.Sleep(100 * time.Millisecond)
	if own.core.Live(ws) {
		t.Error("a workspace of your own connection is live")
	}
	cancel()
	<-done

	h := newLiveHarness(t)
	bws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	h.connect(bws)
	ctx, cancel = context.WithCancel(context.Background())
	done = make(chan struct{})
	go func() { defer close(done); h.core.RunLive(ctx, app.LiveOptions{}) }()
	h.waitLive(bws, true)
	cancel()
	<-done
	if h.core.Live(bws) {
		t.Error("still live after RunLive returned")
	}
	// Disconnecting a workspace ends its stream.
	h.runLive(app.LiveOptions{})
	h.waitLive(bws, true)
	if err := h.core.Disconnect(context.Background(), bws, false); err != nil {
		t.Fatal(err)
	}
	h.waitLive(bws, false)
}

// TestLiveRefreshesAnExpiredToken: the broker refuses the stream because
// the access token expired; the desktop refreshes it (through a quick sync,
// under the workspace's lock) and streams with the new one.
func TestLiveRefreshesAnExpiredToken(t *testing.T) {
	h := newLiveHarness(t)
	ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	page := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Alpha"})
	h.connect(ws)
	old, err := h.Vault.Load(context.Background(), ws)
	if err != nil {
		t.Fatal(err)
	}
	h.Emu.ExpireAccessToken(old.Access.Reveal())
	h.runLive(app.LiveOptions{Debounce: 10 * time.Millisecond, MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
	h.waitLive(ws, true)
	fresh, _ := h.Vault.Load(context.Background(), ws)
	if fresh.Access == old.Access || fresh.Refresh == old.Refresh {
		t.Error("the pair was not refreshed")
	}
	h.Emu.Rename(page, "Bravo")
	until(t, "the rename", 10*time.Second, func() bool { return len(h.titles(ws, "bravo")) == 1 })
}
