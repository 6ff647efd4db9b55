package notion

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestAPIErrors(t *testing.T) {
	notionErr := func(status int, code string) string {
		return fmt.Sprintf(`{"object":"error","status":%d,"code":%q,"message":"msg for %s","request_id":"req-1"}`, status, code, code)
	}
	tests := []struct {
		status     int
		code       string
		body       string
		retryAfter string
		sentinel   error // errors.Is must hold
		transient  bool
		attempts   int // requests the server sees for an idempotent read
	}{
		{status: 400, code: "invalid_json", attempts: 1},
		{status: 400, code: "invalid_request_url", attempts: 1},
		{status: 400, code: "invalid_request", attempts: 1},
		{status: 400, code: "validation_error", attempts: 1},
		{status: 400, code: "missing_version", attempts: 1},
		{status: 400, code: "invalid_grant", sentinel: ErrInvalidGrant, attempts: 1},
		{status: 400, code: "invalid_grant", body: `{"error":"invalid_grant","error_description":"msg for invalid_grant"}`, sentinel: ErrInvalidGrant, attempts: 1},
		{status: 401, code: "unauthorized", sentinel: ErrUnauthorized, attempts: 1},
		{status: 401, code: "invalid_client", body: `{"error":"invalid_client","error_description":"msg for invalid_client"}`, sentinel: ErrInvalidClient, attempts: 1},
		{status: 403, code: "restricted_resource", attempts: 1},
		{status: 404, code: "object_not_found", sentinel: ErrNotFound, attempts: 1},
		{status: 409, code: "conflict_error", attempts: 1},
		{status: 429, code: "rate_limited", retryAfter: "1", sentinel: ErrRateLimited, transient: true, attempts: 5},
		{status: 500, code: "internal_server_error", transient: true, attempts: 5},
		{status: 502, code: "", body: "<html>Bad gateway</html>", transient: true, attempts: 5},
		{status: 503, code: "service_unavailable", transient: true, attempts: 5},
		{status: 503, code: "database_connection_unavailable", transient: true, attempts: 5},
		{status: 504, code: "gateway_timeout", transient: true, attempts: 5},
		{status: 529, code: "service_overload", retryAfter: "2", sentinel: ErrRateLimited, transient: true, attempts: 5},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_%s", tt.status, tt.code), func(t *testing.T) {
			var hits atomic.Int32
			c, _ := fakeNotion(t, func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				body := tt.body
				if body == "" {
					body = notionErr(tt.status, tt.code)
				}
				writeJSON(w, tt.status, body)
			})
			_, err := c.Me(context.Background(), "tok")
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if ae.Status != tt.status || ae.Code != tt.code {
				t.Errorf("status/code = %d/%q, want %d/%q", ae.Status, ae.Code, tt.status, tt.code)
			}
			if tt.code != "" && ae.Message != "msg for "+tt.code {
				t.Errorf("message = %q", ae.Message)
			}
			if tt.body == "" && ae.RequestID != "req-1" {
				t.Errorf("request id = %q", ae.RequestID)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.sentinel)
			}
			for _, s := range []error{ErrUnauthorized, ErrInvalidClient, ErrInvalidGrant, ErrRateLimited, ErrNotFound} {
				if s != tt.sentinel && errors.Is(err, s) {
					t.Errorf("errors.Is(%v, %v) = true, want false", err, s)
				}
			}
			if IsTransient(err) != tt.transient {
				t.Errorf("IsTransient = %v, want %v", !tt.transient, tt.transient)
			}
			if got := int(hits.Load()); got != tt.attempts {
				t.Errorf("server saw %d attempts, want %d", got, tt.attempts)
			}
		})
	}
}

func TestPredicates(t *testing.T) {
	e401 := fmt.Errorf("wrapped: %w", &APIError{Status: 401})
	if !IsUnauthorized(e401) || IsRateLimited(e401) || IsNotFound(e401) || IsTransient(e401) {
		t.Error("401 predicates wrong")
	}
	if !IsNotFound(&APIError{Status: 404}) || !IsRateLimited(&APIError{Status: 429}) {
		t.Error("404/429 predicates wrong")
	}
	if !IsTransient(&NetworkError{Err: errors.New("reset")}) || IsTransient(errors.New("other")) {
		t.Error("network errors are transient, others are not")
	}
	msg := (&APIError{Status: 429, Code: "rate_limited", Message: "slow down", RequestID: "r", RetryAfter: 3 * time.Second}).Error()
	for _, want := range []string{"rate_limited", "429", "slow down", "3s", "r"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		"0.5":                           500 * time.Millisecond,
		"120":                           2 * time.Minute,
		"-4":                            0,
		"soon":                          0,
		"Thu, 01 Jan 2026 12:00:30 GMT": 30 * time.Second,
		"Thu, 01 Jan 2026 11:00:00 GMT": 0,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}
