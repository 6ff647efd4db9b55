package app_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
)

func TestAgoAndThousands(t *testing.T) {
	ago := map[time.Duration]string{
		10 * time.Second:                "just now",
		5 * time.Minute:                 "5 min ago",
		3 * time.Hour:                   "3 h ago",
		12 * 24 * time.Hour:             "12 d ago",
		120 * 24 * time.Hour:            "4 mo ago",
		3 * 365 * 24 * time.Hour:        "3 y ago",
		59*time.Minute + 59*time.Second: "59 min ago",
	}
	for d, want := range ago {
		if got := app.Ago(d); got != want {
			t.Errorf("Ago(%v) = %q, want %q", d, got, want)
		}
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1234: "1,234", 100000: "100,000", 1234567: "1,234,567", -4321: "-4,321"} {
		if got := app.Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
	if app.DisplayTitle(" ") != "Untitled" || app.DisplayTitle("Plan") != "Plan" {
		t.Error("DisplayTitle")
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{&app.ReconnectError{Workspace: "Acme", Reason: "x"}, "Access to Acme was revoked or has expired. Reconnect it."},
		{&auth.KeychainError{Op: "reading", Err: errors.New("locked"), Hint: "Unlock it."}, "The keychain is unavailable: Unlock it."},
		{&store.BusyError{Dir: "/d"}, "another Pagedeck is using /d; close it or try again"},
		{context.Canceled, "Cancelled."},
		{fmt.Errorf("sync: %w", &notion.APIError{Status: 429}), "Notion is rate limiting Pagedeck. Wait a minute, then refresh."},
		{&notion.APIError{Status: 503}, "Notion had a problem (HTTP 503). Your cached pages are unchanged; refresh later."},
		{&notion.NetworkError{Err: errors.New("dial tcp: no such host")}, "Cannot reach Notion. Check your connection, then refresh."},
		{fmt.Errorf("%w: bad", notion.ErrMalformedResponse), "Notion sent an answer Pagedeck could not read. Your cached pages are unchanged."},
		{errors.New("something else"), "Something else"},
	}
	for _, tt := range tests {
		if got := app.Explain(tt.err); got != tt.want {
			t.Errorf("Explain(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	c, err := app.ConfigFromEnv(env(map[string]string{"PAGEDECK_DATA_DIR": "/tmp/x", "PAGEDECK_CLIENT_ID": " id ", "PAGEDECK_CLIENT_SECRET": "s"}))
	if err != nil || c.ClientID != "id" || c.ClientSecret != "s" || c.NotionURL != notion.DefaultBaseURL || c.KeyringService != app.ID || c.DataDir != "/tmp/x" {
		t.Errorf("config = %+v, %v", c, err)
	}
	if c, _ := app.ConfigFromEnv(env(nil)); !strings.HasSuffix(c.DataDir, "pagedeck") {
		t.Errorf("default data dir %q", c.DataDir)
	}
	for k, v := range map[string]string{
		"PAGEDECK_REDIRECT_URI": "https://localhost:1/cb",
		"PAGEDECK_BROKER_URL":   "http://broker.example.com",
		"PAGEDECK_NOTION_URL":   "not a url",
	} {
		_, err := app.ConfigFromEnv(env(map[string]string{"PAGEDECK_DATA_DIR": "/tmp/x", k: v}))
		if err == nil || !strings.HasPrefix(err.Error(), k) {
			t.Errorf("%s=%q: err = %v, want one naming the variable", k, v, err)
		}
	}
}
