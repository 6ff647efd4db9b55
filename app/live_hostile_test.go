package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// TestLiveHostileBroker: whatever a broker (or something posing as one)
// streams, the desktop neither crashes nor hangs, sends no bad id to
// Notion, drops nothing it should keep, and still applies the good events.
func TestLiveHostileBroker(t *testing.T) {
	h := newLiveHarness(t)
	ws := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	h.Emu.Seed(ws, 11, 30)
	page := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Original title"})
	other := h.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Other"})
	otherPage := h.Emu.AddItem(other, notiontest.ItemSpec{Title: "Elsewhere"})
	h.connect(ws)
	before := apptest.ItemCount(h.core, ws)

	var conns atomic.Int32
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := conns.Add(1)
		if r.URL.Path != "/events" || !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ntn_") {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		f := w.(http.Flusher)
		send := func(s string) { fmt.Fprint(w, s); f.Flush() }
		send("id: 1-0\nevent: ready\ndata: {}\n\n")
		if n == 1 {
			// A line past every cap: the desktop drops the stream.
			send("data: " + strings.Repeat("x", 200<<10) + "\n\n")
			return
		}
		if n == 2 {
			// An event past the cap, in many lines.
			for range 100 {
				send("data: " + strings.Repeat("y", 1000) + "\n")
			}
			send("\n")
			return
		}
		ev := func(typ, wsID, id, kind string) string {
			return fmt.Sprintf(`{"id":"e","type":%q,"workspace_id":%q,"entity":{"id":%q,"type":%q}}`, typ, wsID, id, kind)
		}
		for _, bad := range []string{
			"not json",
			`{"type":"page.created"}`,
			ev("page.created", ws, "../../v1/search", "page"),
			ev("page.created", ws, page+"/markdown", "page"),
			ev("page.created", ws, "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "page"),
			ev("page.deleted", other, otherPage, "page"),        // another workspace
			ev("page.deleted", ws, page, "comment"),             // not an item
			ev(strings.Repeat("a", 100)+".b", ws, page, "page"), // an absurd type
		} {
			send("id: 2-0\nevent: notion\ndata: " + bad + "\n\n")
		}
		send("id: bogus\nevent: mystery\ndata: {}\n\n")
		send("id: 3-0\nevent: notion\ndata: " + ev("page.properties_updated", ws, page, "page") + "\n\n")
		<-r.Context().Done()
	}))
	t.Cleanup(hostile.Close)

	o := h.Options()
	o.Config.BrokerURL = hostile.URL
	c := h.Open(o)
	h.Emu.Rename(page, "Renamed title")
	runLive(t, c, app.LiveOptions{Debounce: 10 * time.Millisecond, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})

	until(t, "the good event", 10*time.Second, func() bool {
		hits, _ := apptest.SearchHits(c, "renamed", ws, "", 0)
		return len(hits) == 1
	})
	if n := conns.Load(); n < 3 {
		t.Errorf("%d connections: the oversized ones did not end their streams", n)
	}
	known := map[string]bool{}
	for _, it := range h.Emu.Items(ws) {
		known[it.ID] = true
	}
	var retrieves []string
	for _, r := range h.Emu.Requests() {
		if id, ok := strings.CutSuffix(strings.TrimPrefix(r.Path, "/v1/pages/"), "/markdown"); ok && known[id] {
			continue // the crawl that follows a live change fetches this workspace's content
		}
		if strings.HasPrefix(r.Path, "/v1/pages/") || strings.HasPrefix(r.Path, "/v1/data_sources/") {
			retrieves = append(retrieves, r.Path)
		}
	}
	if len(retrieves) != 1 || retrieves[0] != "/v1/pages/"+page {
		t.Errorf("Notion was asked for %v", retrieves)
	}
	if n := apptest.ItemCount(c, ws); n != before {
		t.Errorf("%d items, had %d", n, before)
	}
	if _, err := c.Item(otherPage); err == nil {
		t.Error("another workspace's page came in")
	}
}
