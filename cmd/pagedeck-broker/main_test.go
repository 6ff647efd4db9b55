package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func goodEnv() map[string]string {
	return map[string]string{
		"PAGEDECK_CLIENT_ID":         "client",
		"PAGEDECK_CLIENT_SECRET":     "secret_do_not_print",
		"PAGEDECK_BROKER_PUBLIC_URL": "http://127.0.0.1:9",
		"PAGEDECK_BROKER_KEY":        base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{5}, 32)),
		"PAGEDECK_BROKER_LISTEN":     "127.0.0.1:0",
	}
}

func TestConfigErrorsAreOneLine(t *testing.T) {
	bad := goodEnv()
	bad["PAGEDECK_BROKER_KEY"] = "c2hvcnQ="
	for _, c := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"nothing set", nil, []string{"PAGEDECK_CLIENT_ID", "PAGEDECK_CLIENT_SECRET", "PAGEDECK_BROKER_PUBLIC_URL", "PAGEDECK_BROKER_KEY"}},
		{"short key", bad, []string{"PAGEDECK_BROKER_KEY", "32 bytes"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), nil, env(c.env), &stdout, &stderr); code != 1 {
				t.Errorf("exit %d", code)
			}
			out := stderr.String()
			if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "pagedeck-broker: ") || stdout.Len() != 0 {
				t.Errorf("stderr %q, stdout %q", out, stdout.String())
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("%q does not say %q", out, w)
				}
			}
			if strings.Contains(out, "secret_do_not_print") || strings.Contains(out, "c2hvcnQ=") {
				t.Errorf("stderr shows a secret: %q", out)
			}
		})
	}
}

func TestUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, env(nil), &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "PAGEDECK_BROKER_KEY") {
		t.Errorf("--help: %d %q", code, stdout.String())
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"serve"}, env(goodEnv()), &stdout, &stderr); code != 2 {
		t.Errorf("an argument: exit %d", code)
	}
}

// TestServesAndStops starts the real program, asks it for /healthz and
// stops it as SIGTERM would (by ending its context).
func TestServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr notiontest.LockedBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, nil, env(goodEnv()), &stdout, &stderr) }()

	var addr string
	deadline := time.Now().Add(10 * time.Second)
	for addr == "" && time.Now().Before(deadline) {
		for _, l := range strings.Split(stderr.String(), "\n") {
			var m struct{ Msg, Addr string }
			if json.Unmarshal([]byte(l), &m) == nil && m.Msg == "broker: listening" {
				addr = m.Addr
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	if addr == "" {
		t.Fatalf("never listened: %s", stderr.String())
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok" {
		t.Errorf("/healthz: %d %q", resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop")
	}
	if log := stderr.String(); !strings.Contains(log, `"msg":"broker: stopped"`) || strings.Contains(log, "secret_do_not_print") {
		t.Errorf("log:\n%s", log)
	}
}
