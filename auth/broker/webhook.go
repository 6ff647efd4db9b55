package broker

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/pagedeck/pagedeck/notion"
)

// MaxWebhookBytes caps a webhook body. Notion's events are signals of a
// few hundred bytes to a few KiB (accessible_by grows with the workspace).
const MaxWebhookBytes = 64 << 10

// handleWebhook is POST /webhooks/notion, where Notion delivers the
// connection's webhook subscription. It checks the signature, keeps the
// few fields desktops need, and stores each event once.
func (s *Server) handleWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxWebhookBytes+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || len(body) > MaxWebhookBytes:
		annotate(r, slog.String("reason", "webhook_too_large"))
		writeJSON(w, http.StatusRequestEntityTooLarge, apiError{"body_too_large", "The body is larger than the broker accepts."})
		return
	case err != nil:
		annotate(r, slog.String("reason", "webhook_unreadable"))
		writeJSON(w, http.StatusBadRequest, apiError{"invalid_request", "The body could not be read."})
		return
	}
	sig := r.Header.Get("X-Notion-Signature")
	if sig == "" {
		if !s.webhookLimit(w, r) {
			return
		}
		if tok, ok := verificationToken(body); ok {
			if s.cfg.WebhookToken != "" {
				// Verified already: an unsigned post with this shape is
				// anyone's, and must not put a line of their choosing
				// in the operator's log.
				annotate(r, slog.String("reason", "webhook_verification_ignored"))
				writeJSON(w, http.StatusUnauthorized, apiError{"unauthorized", "X-Notion-Signature is missing."})
				return
			}
			// The one thing from a webhook the broker ever logs: the
			// operator pastes it back into Notion's portal and into
			// PAGEDECK_BROKER_WEBHOOK_TOKEN.
			s.log.Warn("broker: Notion sent its webhook verification token; paste it in the connection's Webhooks tab to verify the subscription, and set "+EnvWebhookToken+" to it",
				"verification_token", tok)
			annotate(r, slog.String("reason", "webhook_verification"))
			writeJSON(w, http.StatusOK, struct{}{})
			return
		}
		annotate(r, slog.String("reason", "webhook_unsigned"))
		writeJSON(w, http.StatusUnauthorized, apiError{"unauthorized", "X-Notion-Signature is missing."})
		return
	}
	if s.cfg.WebhookToken == "" {
		annotate(r, slog.String("reason", "webhook_token_not_set"))
		s.log.Warn("broker: a signed webhook arrived but " + EnvWebhookToken + " is not set; it was refused (Notion will retry)")
		w.Header().Set("Retry-After", "60")
		writeJSON(w, http.StatusServiceUnavailable, apiError{"not_configured", "The broker has no webhook verification token yet."})
		return
	}
	if !validSignature(sig, body, s.cfg.WebhookToken) {
		if !s.webhookLimit(w, r) {
			return
		}
		annotate(r, slog.String("reason", "webhook_bad_signature"))
		writeJSON(w, http.StatusUnauthorized, apiError{"unauthorized", "X-Notion-Signature does not match the body."})
		return
	}
	ev, publish, problem := parseWebhookEvent(body)
	if problem != "" {
		annotate(r, slog.String("reason", "webhook_malformed"))
		writeJSON(w, http.StatusBadRequest, apiError{"invalid_request", problem})
		return
	}
	annotate(r, slog.String("event_type", ev.Type))
	if !publish {
		annotate(r, slog.String("reason", "webhook_ignored"))
		writeJSON(w, http.StatusOK, struct{}{})
		return
	}
	stored, err := s.events.add(r.Context(), ev)
	if err != nil {
		annotate(r, slog.String("reason", "shared_state_unavailable"))
		w.Header().Set("Retry-After", strconv.Itoa(stateRetryAfter))
		writeJSON(w, http.StatusServiceUnavailable, apiError{"temporarily_unavailable", "The broker cannot store events right now; retry later."})
		return
	}
	if !stored {
		annotate(r, slog.String("reason", "webhook_duplicate"))
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// apiError is the JSON error of the webhook and events endpoints.
type apiError struct {
	Code    string `json:"error"`
	Message string `json:"message"`
}

// webhookLimit spends the client's bucket for a post that is not a
// correctly signed event. It has answered when it returns false.
func (s *Server) webhookLimit(w http.ResponseWriter, r *http.Request) bool {
	ok, wait := s.allow(r, limitWebhook, s.cfg.WebhookLimit)
	if !ok {
		annotate(r, slog.String("reason", "rate_limited"))
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
		writeJSON(w, http.StatusTooManyRequests, apiError{"rate_limited", "Too many requests from this address."})
	}
	return ok
}

// validSignature checks "sha256=<hex HMAC-SHA256 of body keyed by token>"
// in constant time.
func validSignature(header string, body []byte, token notion.Secret) bool {
	hexSig, ok := strings.CutPrefix(strings.TrimSpace(header), "sha256=")
	if !ok || len(hexSig) != 2*sha256.Size {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(token.Reveal()))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}

// verificationToken recognises the subscription's one-time verification
// request: an object with verification_token alone, a short printable
// token.
func verificationToken(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var v struct {
		Token *string `json:"verification_token"`
	}
	if dec.Decode(&v) != nil || v.Token == nil || dec.More() {
		return "", false
	}
	t := *v.Token
	if len(t) == 0 || len(t) > 256 {
		return "", false
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; c <= ' ' || c > '~' || c == '"' || c == '\\' {
			return "", false
		}
	}
	return t, true
}

// wireWebhook is the part of Notion's event the broker reads.
type wireWebhook struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	WorkspaceID string `json:"workspace_id"`
	Entity      *struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"entity"`
	AccessibleBy *[]struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"accessible_by"`
}

// parseWebhookEvent keeps what a desktop needs of a signed event. Signed
// does not mean well formed: every field is checked before it is stored.
// publish is false for events no desktop acts on (comments, for one).
func parseWebhookEvent(body []byte) (ev liveEvent, publish bool, problem string) {
	var w wireWebhook
	if err := json.Unmarshal(body, &w); err != nil {
		return ev, false, "The body is not a Notion event."
	}
	id, ok := notion.NormalizeID(w.ID)
	if !ok {
		return ev, false, "The event id is not a Notion id."
	}
	if !eventType(w.Type) {
		return ev, false, "The event type is not of the form object.change."
	}
	ws, ok := notion.NormalizeID(w.WorkspaceID)
	if !ok {
		return ev, false, "The workspace id is not a Notion id."
	}
	ev = liveEvent{ID: id, Type: w.Type, WorkspaceID: ws}
	object, _, _ := strings.Cut(w.Type, ".")
	switch object {
	case "page", "data_source", "database":
	default:
		return ev, false, ""
	}
	if w.Entity == nil {
		return ev, false, "The event names no entity."
	}
	eid, ok := notion.NormalizeID(w.Entity.ID)
	if !ok || !word(w.Entity.Type, 32) {
		return ev, false, "The event's entity is not a Notion object."
	}
	ev.Entity = liveEntity{ID: eid, Type: w.Entity.Type}
	if w.AccessibleBy != nil {
		ev.AccessibleBy = []liveActor{}
		for _, a := range *w.AccessibleBy {
			if a.Type != "bot" {
				continue
			}
			bid, ok := notion.NormalizeID(a.ID)
			if !ok {
				continue
			}
			if len(ev.AccessibleBy) == maxBots {
				break
			}
			ev.AccessibleBy = append(ev.AccessibleBy, liveActor{ID: bid, Type: "bot"})
		}
	}
	return ev, true, ""
}

// eventType is "object.change", lower-case words.
func eventType(t string) bool {
	a, b, ok := strings.Cut(t, ".")
	return ok && len(t) <= 64 && word(a, 32) && word(b, 32)
}

func word(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c == '_') {
			return false
		}
	}
	return true
}
