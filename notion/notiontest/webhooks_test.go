package notiontest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// receiver is a webhook endpoint that records what it got and can refuse
// the first few deliveries.
type receiver struct {
	mu     sync.Mutex
	bodies [][]byte
	sigs   []string
	refuse int
	srv    *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.bodies = append(rc.bodies, b)
		rc.sigs = append(rc.sigs, r.Header.Get("X-Notion-Signature"))
		if rc.refuse > 0 {
			rc.refuse--
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) got() ([]map[string]any, []string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var evs []map[string]any
	for _, b := range rc.bodies {
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		evs = append(evs, m)
	}
	return evs, slices.Clone(rc.sigs)
}

func waitHooks(t *testing.T, s *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestWebhooks(t *testing.T) {
	rc := newReceiver(t)
	const token = "secret_verification_token_1"
	s := newTestServer(t, Options{RateLimit: -1, Webhook: WebhookOptions{URL: rc.srv.URL, Token: token, RetryDelay: time.Millisecond}})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	s.Seed(ws, 1, 20) // seeding is setup, not a change: no events
	bot := s.IssueGrant(ws).BotID

	if err := s.VerifyWebhook(); err != nil {
		t.Fatal(err)
	}
	parent := s.AddItem(ws, ItemSpec{Title: "Parent"})
	page := s.AddItem(ws, ItemSpec{Title: "Draft"})
	ds := s.AddItem(ws, ItemSpec{Kind: KindDataSource, Title: "Tasks"})
	s.Rename(page, "Final")
	s.Rename(ds, "Todo")
	s.Move(page, "page_id", parent)
	s.TouchContent(page)
	s.Trash(page)
	s.Restore(page)
	s.Delete(page)
	hidden := s.AddItem(ws, ItemSpec{Title: "Hidden", Unshared: true})
	waitHooks(t, s)

	evs, sigs := rc.got()
	if len(evs) == 0 || len(evs[0]) != 1 || evs[0]["verification_token"] != token || sigs[0] != "" {
		t.Fatalf("the verification request: %v, signature %q", evs[0], sigs[0])
	}
	evs, sigs = evs[1:], sigs[1:]
	want := []struct{ typ, entity string }{
		{"page.created", parent}, {"page.created", page}, {"data_source.created", ds},
		{"page.properties_updated", page}, {"data_source.schema_updated", ds}, {"page.moved", page},
		{"page.content_updated", page}, {"page.deleted", page}, {"page.undeleted", page}, {"page.deleted", page},
		{"page.created", hidden},
	}
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d: %v", len(evs), len(want), evs)
	}
	rc.mu.Lock()
	raw := slices.Clone(rc.bodies[1:])
	rc.mu.Unlock()
	ids := map[string]bool{}
	for i, w := range want {
		ev := evs[i]
		ent, _ := ev["entity"].(map[string]any)
		if ev["type"] != w.typ || ent["id"] != w.entity || ev["workspace_id"] != ws || ev["workspace_name"] != "Acme" || ev["attempt_number"] != float64(1) {
			t.Errorf("event %d: %v, want %s of %s", i, ev, w.typ, w.entity)
		}
		if sigs[i] != SignWebhook(token, raw[i]) {
			t.Errorf("event %d: signature %q does not sign its body", i, sigs[i])
		}
		id, _ := ev["id"].(string)
		if _, ok := normalizeUUID(id); !ok || ids[id] {
			t.Errorf("event %d: id %q", i, id)
		}
		ids[id] = true
		var bots []string
		acc, _ := ev["accessible_by"].([]any)
		for _, a := range acc {
			if m := a.(map[string]any); m["type"] == "bot" {
				bots = append(bots, m["id"].(string))
			}
		}
		if wantBot := w.entity != hidden; (len(bots) == 1 && bots[0] == bot) != wantBot {
			t.Errorf("event %d: accessible_by %v (bot %s)", i, acc, bot)
		}
	}
	if p := evs[5]["data"].(map[string]any)["parent"].(map[string]any); p["id"] != parent || p["type"] != "page" {
		t.Errorf("moved to %v", p)
	}
	if p := evs[1]["data"].(map[string]any)["parent"].(map[string]any); p["id"] != ws || p["type"] != "space" {
		t.Errorf("created under %v", p)
	}
	if d := s.Deliveries(); len(d) != len(want) || d[3].Type != "page.properties_updated" || d[3].Status != 200 || d[3].Attempts != 1 {
		t.Errorf("deliveries %+v", d)
	}
}

func TestWebhookRetries(t *testing.T) {
	rc := newReceiver(t)
	rc.refuse = 2
	s := newTestServer(t, Options{RateLimit: -1, Webhook: WebhookOptions{URL: rc.srv.URL, Token: "tok", RetryDelay: time.Millisecond, NoAccessibleBy: true}})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	page := s.AddItem(ws, ItemSpec{Title: "Draft"})
	waitHooks(t, s)
	evs, _ := rc.got()
	if len(evs) != 3 {
		t.Fatalf("%d attempts, want 3", len(evs))
	}
	for i, ev := range evs {
		if ev["attempt_number"] != float64(i+1) || ev["id"] != evs[0]["id"] || ev["entity"].(map[string]any)["id"] != page {
			t.Errorf("attempt %d: %v", i+1, ev)
		}
		if _, has := ev["accessible_by"]; has {
			t.Errorf("accessible_by sent: %v", ev)
		}
	}
	if d := s.Deliveries(); len(d) != 1 || d[0].Attempts != 3 || d[0].Status != 200 {
		t.Errorf("deliveries %+v", d)
	}
	// A receiver that never accepts gets 8 attempts, then the event is dropped.
	rc.mu.Lock()
	rc.refuse = 100
	rc.mu.Unlock()
	s.Rename(page, "Again")
	waitHooks(t, s)
	if d := s.Deliveries(); len(d) != 2 || d[1].Attempts != 8 || d[1].Status != http.StatusServiceUnavailable {
		t.Errorf("deliveries %+v", d)
	}
}

func TestNoWebhooksWithoutURL(t *testing.T) {
	s := newTestServer(t, Options{RateLimit: -1})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	s.Rename(s.AddItem(ws, ItemSpec{Title: "x"}), "y")
	if err := s.VerifyWebhook(); err == nil {
		t.Error("VerifyWebhook without a URL")
	}
	if d := s.Deliveries(); d != nil {
		t.Errorf("deliveries %v", d)
	}
}
