// Command pagedeck-broker is Pagedeck's token broker: it holds the Notion
// connection's client secret and speaks OAuth 2.0 with PKCE to the desktop
// app, so the app ships without the secret. See package auth/broker and the
// README ("Running the token broker").
//
// It is configured from the environment only, logs JSON lines to stderr and
// stops gracefully on SIGINT or SIGTERM.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/pagedeck/pagedeck/auth/broker"
)

const usage = `pagedeck-broker: the token broker for Pagedeck (no arguments; configured from the environment)

Required:
  PAGEDECK_CLIENT_ID            the Notion public connection's OAuth client ID
  PAGEDECK_CLIENT_SECRET        its OAuth client secret
  PAGEDECK_BROKER_PUBLIC_URL    this broker's external https base URL; register PUBLIC_URL/callback in Notion
  PAGEDECK_BROKER_KEY           32 random bytes, standard base64 (openssl rand -base64 32)
Optional:
  PAGEDECK_BROKER_PREVIOUS_KEY  the key before the current one, during a rotation
  PAGEDECK_BROKER_LISTEN        address to listen on (default 127.0.0.1:8080)
  PAGEDECK_NOTION_URL           Notion's API origin (default https://api.notion.com)
  PAGEDECK_BROKER_PRIVACY_FILE  file served at /privacy (.html or text)
  PAGEDECK_BROKER_TERMS_FILE    file served at /terms (.html or text)
  PAGEDECK_BROKER_TRUSTED_PROXIES  comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For is believed
  PAGEDECK_BROKER_REDIS_URL     redis://[user:password@]host:port[/db] or rediss://…: share single-use marks,
                                rate limits and webhook events between instances (without it, per instance)
  PAGEDECK_BROKER_WEBHOOK_TOKEN the Notion webhook subscription's verification token (POST /webhooks/notion;
                                desktops stream the events from GET /events)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: it returns the exit code. Configuration
// errors are one line on stderr and exit 1; a usage error exits 2.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "pagedeck-broker: takes no arguments (got %q); it is configured from the environment, see --help\n", args[0])
		return 2
	}
	cfg, err := broker.ConfigFromEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "pagedeck-broker: %v\n", err)
		return 1
	}
	cfg.Logger = slog.New(slog.NewJSONHandler(stderr, nil))
	srv, err := broker.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "pagedeck-broker: %v\n", err)
		return 1
	}
	if err := srv.ListenAndServe(ctx); err != nil {
		cfg.Logger.Error("broker: stopped with an error", "err", err.Error())
		return 1
	}
	return 0
}
