package ui

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/auth/broker"
	"github.com/pagedeck/pagedeck/auth/broker/brokertest"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

const liveToken = "secret_ui_live_verification_token"

// In broker mode the window streams Notion's changes: the status line says
// "Live", and a page renamed in Notion shows renamed in the list, with no
// refresh and no search call.
func TestLiveUpdatesInTheWindow(t *testing.T) {
	var handler atomic.Pointer[http.Handler]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*handler.Load()).ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	f := newFixture(t, func(f *fixture) {
		f.emu.Close()
		f.emu = notiontest.NewServer(notiontest.Options{RedirectURIs: []string{srv.URL + "/callback"}, RateLimit: -1,
			Webhook: notiontest.WebhookOptions{URL: srv.URL + "/webhooks/notion", Token: liveToken, RetryDelay: 10 * time.Millisecond}})
		t.Cleanup(f.emu.Close)
		b, err := broker.New(brokertest.Unlimited(broker.Config{
			ClientID: f.emu.ClientID(), ClientSecret: notion.Secret(f.emu.ClientSecret()), NotionURL: f.emu.URL(),
			PublicURL: srv.URL, Key: brokertest.NewKey(), WebhookToken: liveToken,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Live:   broker.LiveOptions{Heartbeat: 200 * time.Millisecond},
		}))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(b.Close)
		h := b.Handler()
		handler.Store(&h)
		f.cfg.ClientID, f.cfg.ClientSecret, f.cfg.BrokerURL, f.cfg.NotionURL = "", "", srv.URL, f.emu.URL()
	})
	ws := f.addWorkspace("Acme", "🚀", 41, 30)
	page := f.emu.AddItem(ws, notiontest.ItemSpec{Title: "Quarterly plan", URL: "https://www.notion.so/quarterly", LastEdited: time.Now()})
	f.emu.SetAutoApprove(ws)
	if _, err := f.core.Connect(context.Background(), app.ConnectOptions{Opener: &opener{follow: true}}); err != nil {
		t.Fatal(err)
	}
	f.open()
	f.pump("Live", func() bool { return strings.Contains(f.w.views.status.current(), "Live") })
	searches := f.emu.Count(http.MethodPost, "/v1/search")
	f.emu.Rename(page, "Zebra plan")
	f.pump("the renamed row", func() bool {
		rows := f.visibleTitles()
		return len(rows) > 0 && rows[0] == "Zebra plan"
	})
	if n := f.emu.Count(http.MethodPost, "/v1/search"); n != searches {
		t.Errorf("%d searches for a live rename", n-searches)
	}
	f.typeText("zebra")
	if got := f.visibleTitles(); len(got) != 1 || got[0] != "Zebra plan" {
		t.Errorf("searching the new title: %v", got)
	}
}
