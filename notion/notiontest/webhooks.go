package notiontest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// WebhookOptions make the emulator deliver Notion's webhooks for the
// changes a test makes (AddItem, Rename, Trash, Restore, Delete, Move,
// TouchContent), as a subscription in Notion's portal does: a JSON POST to
// URL signed with X-Notion-Signature, retried on failure up to 8 attempts.
// Delivery is asynchronous and in order; WaitWebhooks waits for it.
type WebhookOptions struct {
	// URL receives the events; empty sends none.
	URL string
	// Token is the subscription's verification token, which keys the
	// signature. VerifyWebhook sends it once, unsigned.
	Token string
	// NoAccessibleBy leaves accessible_by out of events, as Notion does for
	// internal connections.
	NoAccessibleBy bool
	// RetryDelay is the wait before the first retry, doubling each time;
	// default 50 ms (Notion waits minutes).
	RetryDelay time.Duration
	// HTTPClient sends them; default a client with a 10-second timeout.
	HTTPClient *http.Client
}

// webhookAttempts is how often Notion tries one delivery.
const webhookAttempts = 8

// SignWebhook is the X-Notion-Signature of body under token:
// "sha256=" and the hex HMAC-SHA256.
func SignWebhook(token string, body []byte) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Delivery is one webhook the emulator sent (or gave up on).
type Delivery struct {
	EventID  string
	Type     string
	EntityID string
	Attempts int
	Status   int // the last answer's status; 0 when none came
}

// webhooks queues events and delivers them from one goroutine, so the
// receiver sees them in the order the changes were made. Changes are made
// under the server's lock and the receiver may call back into the
// emulator, so queueing never blocks.
type webhooks struct {
	opts WebhookOptions
	hc   *http.Client

	mu      sync.Mutex
	queue   [][]byte
	busy    bool
	sent    []Delivery
	wake    chan struct{}
	idle    chan struct{} // closed while nothing is queued or in flight
	stopped bool
	stop    chan struct{}
	done    chan struct{}
}

func newWebhooks(o WebhookOptions) *webhooks {
	if o.URL == "" {
		return nil
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = 50 * time.Millisecond
	}
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	h := &webhooks{opts: o, hc: hc, wake: make(chan struct{}, 1), idle: make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	close(h.idle)
	go h.run()
	return h
}

func (h *webhooks) close() {
	if h == nil {
		return
	}
	h.mu.Lock()
	if !h.stopped {
		h.stopped = true
		close(h.stop)
	}
	h.mu.Unlock()
	<-h.done
}

func (h *webhooks) enqueue(body []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopped {
		return
	}
	if len(h.queue) == 0 && !h.busy {
		h.idle = make(chan struct{})
	}
	h.queue = append(h.queue, body)
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

func (h *webhooks) run() {
	defer close(h.done)
	for {
		h.mu.Lock()
		if len(h.queue) == 0 {
			h.busy = false
			select {
			case <-h.idle:
			default:
				close(h.idle)
			}
			h.mu.Unlock()
			select {
			case <-h.wake:
				continue
			case <-h.stop:
				return
			}
		}
		body := h.queue[0]
		h.queue = h.queue[1:]
		h.busy = true
		h.mu.Unlock()
		h.deliver(body)
	}
}

// deliver sends one event until it is accepted or the attempts run out,
// numbering the attempts in the body as Notion does.
func (h *webhooks) deliver(body []byte) {
	var ev map[string]any
	_ = json.Unmarshal(body, &ev)
	d := Delivery{EventID: fmt.Sprint(ev["id"]), Type: fmt.Sprint(ev["type"])}
	if e, ok := ev["entity"].(map[string]any); ok {
		d.EntityID = fmt.Sprint(e["id"])
	}
	wait := h.opts.RetryDelay
	for attempt := 1; attempt <= webhookAttempts; attempt++ {
		ev["attempt_number"] = attempt
		b, _ := json.Marshal(ev)
		d.Attempts = attempt
		d.Status = h.post(b, true)
		if d.Status/100 == 2 || attempt == webhookAttempts {
			break
		}
		select {
		case <-time.After(wait):
		case <-h.stop:
			attempt = webhookAttempts
		}
		wait = min(2*wait, 5*time.Second)
	}
	h.mu.Lock()
	h.sent = append(h.sent, d)
	h.mu.Unlock()
}

// post sends body and returns the answer's status, 0 when there was none.
func (h *webhooks) post(body []byte, signed bool) int {
	req, err := http.NewRequest(http.MethodPost, h.opts.URL, bytes.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "notion-api")
	if signed {
		req.Header.Set("X-Notion-Signature", SignWebhook(h.opts.Token, body))
	}
	resp, err := h.hc.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp.StatusCode
}

// VerifyWebhook sends the subscription's one-time verification request,
// {"verification_token": Token}, unsigned, as Notion does when a
// subscription is created. It fails unless the receiver answers 2xx.
func (s *Server) VerifyWebhook() error {
	if s.hooks == nil {
		return errors.New("notiontest: no webhook URL configured")
	}
	body, _ := json.Marshal(map[string]string{"verification_token": s.hooks.opts.Token})
	if st := s.hooks.post(body, false); st/100 != 2 {
		return fmt.Errorf("notiontest: the webhook receiver answered %d to the verification request", st)
	}
	return nil
}

// WaitWebhooks waits until every queued webhook has been delivered or given
// up on.
func (s *Server) WaitWebhooks(ctx context.Context) error {
	if s.hooks == nil {
		return nil
	}
	s.hooks.mu.Lock()
	idle := s.hooks.idle
	s.hooks.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Deliveries lists the webhooks sent so far, oldest first.
func (s *Server) Deliveries() []Delivery {
	if s.hooks == nil {
		return nil
	}
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	return append([]Delivery(nil), s.hooks.sent...)
}

// webhookLocked queues the event for a change to it; the caller holds s.mu.
// Event names follow Notion's: page.* for pages, data_source.* for data
// sources.
func (s *Server) webhookLocked(change string, it *item) {
	if s.hooks == nil {
		return
	}
	ws, ok := s.workspaces[it.ws]
	if !ok {
		return
	}
	entity := "page"
	if it.Kind == KindDataSource {
		entity = "data_source"
	}
	data := map[string]any{"parent": s.webhookParentLocked(it)}
	switch change {
	case "properties_updated":
		if it.Kind == KindDataSource {
			change = "schema_updated"
			data["updated_properties"] = []any{map[string]any{"id": "title", "name": it.TitleProperty, "action": "updated"}}
		} else {
			data["updated_properties"] = []string{"title"}
		}
	case "content_updated":
		data["updated_blocks"] = []any{map[string]any{"id": newUUID(), "type": "block"}}
	}
	ev := map[string]any{
		"id":              newUUID(),
		"timestamp":       notionTime(s.now()),
		"workspace_id":    ws.spec.ID,
		"workspace_name":  ws.spec.Name,
		"subscription_id": derivedUUID("subscription", s.opts.ClientID),
		"integration_id":  derivedUUID("integration", s.opts.ClientID),
		"type":            entity + "." + change,
		"authors":         []any{map[string]any{"id": ws.ownerID, "type": "person"}},
		"attempt_number":  1,
		"entity":          map[string]any{"id": it.ID, "type": entity},
		"data":            data,
	}
	if !s.hooks.opts.NoAccessibleBy {
		who := []any{map[string]any{"id": ws.ownerID, "type": "person"}}
		if !it.Unshared {
			who = append(who, map[string]any{"id": ws.botID, "type": "bot"})
		}
		ev["accessible_by"] = who
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return
	}
	s.hooks.enqueue(body)
}

// webhookParentLocked is an event's data.parent: where the item lives, with
// Notion's webhook names for the kinds ("space" for the workspace).
func (s *Server) webhookParentLocked(it *item) map[string]any {
	if it.Kind == KindDataSource {
		return map[string]any{"id": it.DatabaseID, "type": "database"}
	}
	switch it.ParentType {
	case "page_id":
		return map[string]any{"id": it.ParentID, "type": "page"}
	case "data_source_id":
		return map[string]any{"id": it.ParentID, "type": "data_source"}
	case "database_id":
		return map[string]any{"id": s.databaseIDLocked(it.ParentID), "type": "database"}
	case "block_id":
		return map[string]any{"id": it.ParentID, "type": "block"}
	}
	return map[string]any{"id": it.ws, "type": "space"}
}

// TouchContent stands for an edit of an item's content: it bumps
// last_edited_time and sends page.content_updated
// (data_source.content_updated).
func (s *Server) TouchContent(itemID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.mustItem(itemID)
	it.LastEdited = s.editedNow()
	s.webhookLocked("content_updated", it)
}
