package broker

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

const userinfoSecret = "hunter2-do-not-print"

// TestConfigErrorsRedactUserinfo: a URL setting with a password in it is
// never repeated with the password, whatever is wrong with it.
func TestConfigErrorsRedactUserinfo(t *testing.T) {
	for _, c := range []struct{ name, key, value string }{
		{"public url with a password", EnvPublicURL, "https://ops:" + userinfoSecret + "@broker.example.com"},
		{"public url, plain http", EnvPublicURL, "http://ops:" + userinfoSecret + "@broker.example.com"},
		{"public url, a user that is a password", EnvPublicURL, "https://" + userinfoSecret + "@broker.example.com"},
		{"public url that does not parse", EnvPublicURL, "https://ops:" + userinfoSecret + "@[::1"},
		{"notion url, wrong scheme", EnvNotionURL, "ftp://ops:" + userinfoSecret + "@notion.example.com"},
		{"notion url that does not parse", EnvNotionURL, "http://ops:" + userinfoSecret + "@host:port:x/%zz"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := goodEnv()
			env[c.key] = c.value
			_, err := ConfigFromEnv(getenv(env))
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), userinfoSecret) || !strings.Contains(err.Error(), c.key) {
				t.Errorf("%v", err)
			}
		})
	}
}

// TestListeningLineRedactsUserinfo: the start-up log line names the URLs
// the broker uses, without a password.
func TestListeningLineRedactsUserinfo(t *testing.T) {
	logs := &notiontest.LockedBuffer{}
	cfg, err := ConfigFromEnv(getenv(goodEnv()))
	if err != nil {
		t.Fatal(err)
	}
	cfg.NotionURL = "http://ops:" + userinfoSecret + "@127.0.0.1:9"
	cfg.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "broker: listening") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	log := logs.String()
	if strings.Contains(log, userinfoSecret) {
		t.Errorf("the log shows the password:\n%s", log)
	}
	if !strings.Contains(log, "127.0.0.1:9") || !strings.Contains(log, "xxxxx") {
		t.Errorf("the log does not name the Notion URL:\n%s", log)
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.notion.com":              "https://api.notion.com",
		"redis://:pw@127.0.0.1:6379/0":        "redis://:xxxxx@127.0.0.1:6379/0",
		"rediss://user:pw@redis.example:6380": "rediss://user:xxxxx@redis.example:6380",
		"redis://pw@127.0.0.1:6379":           "redis://xxxxx@127.0.0.1:6379",
		"http://a b@[::1":                     "(a value that is not a URL)",
		"":                                    `""`,
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func slogTo(w *notiontest.LockedBuffer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }

// startAndStop serves srv on a loopback port until it has logged that it
// listens, then stops it.
func startAndStop(t *testing.T, srv *Server) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
