package broker

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/notion"
)

// Environment variables the broker reads.
const (
	EnvClientID       = "PAGEDECK_CLIENT_ID"
	EnvClientSecret   = "PAGEDECK_CLIENT_SECRET"
	EnvNotionURL      = "PAGEDECK_NOTION_URL"
	EnvPublicURL      = "PAGEDECK_BROKER_PUBLIC_URL"
	EnvKey            = "PAGEDECK_BROKER_KEY"
	EnvPreviousKey    = "PAGEDECK_BROKER_PREVIOUS_KEY"
	EnvListen         = "PAGEDECK_BROKER_LISTEN"
	EnvPrivacyFile    = "PAGEDECK_BROKER_PRIVACY_FILE"
	EnvTermsFile      = "PAGEDECK_BROKER_TERMS_FILE"
	EnvTrustedProxies = "PAGEDECK_BROKER_TRUSTED_PROXIES"
	EnvRedisURL       = "PAGEDECK_BROKER_REDIS_URL"
	EnvWebhookToken   = "PAGEDECK_BROKER_WEBHOOK_TOKEN"
)

// Defaults.
const (
	DefaultListen = "127.0.0.1:8080"
	// KeySize is the length of PAGEDECK_BROKER_KEY once decoded: AES-256.
	KeySize = 32
	// StateTTL is how long a user may spend on Notion's consent page.
	StateTTL = 10 * time.Minute
	// CodeTTL is how long the desktop has to exchange a sealed code; it does
	// so at once, so this is short.
	CodeTTL = 2 * time.Minute
	// MaxBodyBytes caps every request body.
	MaxBodyBytes = 64 << 10
)

// Limit is a per-client-IP token bucket: Rate requests a second on average,
// bursts of Burst. Rate rate.Inf switches the limit off.
type Limit struct {
	Rate  rate.Limit
	Burst int
}

// Default limits. A desktop calls /authorize once per connect and /token once
// per connect or refresh, so these leave room for many users behind one NAT
// while stopping a script from spending the connection's budget at Notion.
var (
	DefaultAuthorizeLimit = Limit{Rate: 0.5, Burst: 30}
	// DefaultCallbackLimit matches /authorize: each callback ends a sign-in
	// that /authorize started.
	DefaultCallbackLimit = Limit{Rate: 0.5, Burst: 30}
	DefaultTokenLimit    = Limit{Rate: 1, Burst: 60}
	// DefaultEventsLimit bounds how often one address opens /events: each
	// new token costs a call to Notion. A desktop opens one stream per
	// workspace and reconnects with backoff.
	DefaultEventsLimit = Limit{Rate: 0.5, Burst: 30}
	// DefaultWebhookLimit bounds what an address may post to
	// /webhooks/notion without a good signature (verification requests,
	// mistakes, probes). Correctly signed events are never limited.
	DefaultWebhookLimit = Limit{Rate: 0.2, Burst: 10}
)

// Config configures a Server. ConfigFromEnv fills the operator's part; tests
// set the rest.
type Config struct {
	// ClientID and ClientSecret are the Notion public connection's.
	ClientID     string
	ClientSecret notion.Secret
	// NotionURL is Notion's API origin (an emulator in tests).
	NotionURL string
	// PublicURL is the broker's external base URL, without a trailing
	// slash; Notion sends the browser back to PublicURL + "/callback".
	PublicURL string
	// Key seals states and codes; PreviousKey, when set, still opens what
	// the key before it sealed (rotation). Both are KeySize bytes.
	Key, PreviousKey []byte
	// Listen is the address ListenAndServe binds.
	Listen string
	// PrivacyFile and TermsFile are served at /privacy and /terms.
	PrivacyFile, TermsFile string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// real client, for rate limits and logs. Empty: the peer is the client.
	TrustedProxies []netip.Prefix

	// Now tells the time for expiry, the replay cache and rate limits;
	// default time.Now.
	Now func() time.Time
	// Logger gets one line per request (and, at debug level, the Notion
	// client's own lines); default: nowhere.
	Logger *slog.Logger
	// Notion holds extra options for the Notion client (HTTPClient,
	// RateLimit, Retry, Timeout, Sleep...). BaseURL, ClientID and
	// ClientSecret always come from the fields above; zero Retry, Timeout
	// and UserAgent get the broker's defaults.
	Notion notion.Options
	// AuthorizeLimit, CallbackLimit and TokenLimit are per client IP; zero
	// values get the defaults. TokenLimit also covers /revoke, which spends
	// Notion's budget for the connection just the same.
	AuthorizeLimit, CallbackLimit, TokenLimit Limit
	// EventsLimit (opening /events) and WebhookLimit (unsigned or wrongly
	// signed posts to /webhooks/notion) are per client IP too.
	EventsLimit, WebhookLimit Limit

	// RedisURL (redis:// or rediss://, optionally with a user and password)
	// puts the single-use marks, the rate limits and the webhook events in
	// Redis, shared by every instance that names it. Empty: all of it is
	// per instance.
	RedisURL string
	// WebhookToken is the verification token of the Notion webhook
	// subscription; it keys X-Notion-Signature. Empty: events are refused
	// (the one-time verification request is still logged).
	WebhookToken notion.Secret
	// Live holds the tuning of /events; zero values get the defaults.
	Live LiveOptions
}

// ConfigFromEnv reads the operator's configuration; getenv is os.Getenv
// outside tests. Errors name the variable at fault, never its value.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	c := Config{
		ClientID:     get(EnvClientID),
		ClientSecret: notion.Secret(get(EnvClientSecret)),
		NotionURL:    get(EnvNotionURL),
		PublicURL:    get(EnvPublicURL),
		Listen:       get(EnvListen),
		PrivacyFile:  get(EnvPrivacyFile),
		TermsFile:    get(EnvTermsFile),
		RedisURL:     get(EnvRedisURL),
		WebhookToken: notion.Secret(get(EnvWebhookToken)),
	}
	var missing []string
	for _, k := range []string{EnvClientID, EnvClientSecret, EnvPublicURL, EnvKey} {
		if get(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) == 1 {
		return c, fmt.Errorf("%s is not set", missing[0])
	}
	if len(missing) > 1 {
		return c, fmt.Errorf("%s are not set", strings.Join(missing, ", "))
	}
	var err error
	if c.Key, err = decodeKey(EnvKey, get(EnvKey)); err != nil {
		return c, err
	}
	if v := get(EnvPreviousKey); v != "" {
		if c.PreviousKey, err = decodeKey(EnvPreviousKey, v); err != nil {
			return c, err
		}
	}
	if v := get(EnvTrustedProxies); v != "" {
		if c.TrustedProxies, err = parsePrefixes(v); err != nil {
			return c, fmt.Errorf("%s: %w", EnvTrustedProxies, err)
		}
	}
	if c.NotionURL == "" {
		c.NotionURL = notion.DefaultBaseURL
	}
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	return c, c.validate()
}

// decodeKey reads a standard-base64 key of KeySize bytes. The message says
// how to make one and never repeats what was given.
func decodeKey(name, v string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(k) != KeySize {
		return nil, fmt.Errorf("%s must be %d bytes in standard base64 (make one with: openssl rand -base64 32)", name, KeySize)
	}
	return k, nil
}

// parsePrefixes reads a comma-separated list of IP addresses and CIDR ranges.
func parsePrefixes(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR range", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// validate checks a Config however it was made; New calls it too.
func (c *Config) validate() error {
	switch {
	case c.ClientID == "":
		return fmt.Errorf("no client id (%s)", EnvClientID)
	case c.ClientSecret == "":
		return fmt.Errorf("no client secret (%s)", EnvClientSecret)
	case len(c.Key) != KeySize:
		return fmt.Errorf("%s must be %d bytes in standard base64 (make one with: openssl rand -base64 32)", EnvKey, KeySize)
	case c.PreviousKey != nil && len(c.PreviousKey) != KeySize:
		return fmt.Errorf("%s must be %d bytes in standard base64 (make one with: openssl rand -base64 32)", EnvPreviousKey, KeySize)
	}
	if err := checkPublicURL(c.PublicURL); err != nil {
		return fmt.Errorf("%s: %w", EnvPublicURL, err)
	}
	if c.RedisURL != "" {
		if _, err := redisOptions(c.RedisURL); err != nil {
			return fmt.Errorf("%s: %w", EnvRedisURL, err)
		}
	}
	if u, err := url.Parse(c.NotionURL); c.NotionURL != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
		return fmt.Errorf("%s: %s is not an http(s) URL", EnvNotionURL, redactURL(c.NotionURL))
	}
	if c.Listen != "" {
		if _, _, err := net.SplitHostPort(c.Listen); err != nil {
			return fmt.Errorf("%s: %q is not host:port (such as %s)", EnvListen, c.Listen, DefaultListen)
		}
	}
	for _, l := range []struct {
		name string
		l    Limit
	}{{"authorize", c.AuthorizeLimit}, {"callback", c.CallbackLimit}, {"token", c.TokenLimit},
		{"events", c.EventsLimit}, {"webhook", c.WebhookLimit}} {
		if l.l.Rate < 0 || l.l.Burst < 0 {
			return fmt.Errorf("the %s rate limit is negative", l.name)
		}
	}
	return nil
}

// checkPublicURL wants an absolute https URL (plain http only on loopback,
// for development): Notion redirects browsers to it with a code in the query.
func checkPublicURL(raw string) error {
	if raw == "" {
		return errors.New("not set")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%s is not an absolute URL", redactURL(raw))
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%s must be a plain base URL without a query, fragment or user", redactURL(raw))
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopbackHost(u.Hostname()):
	default:
		return fmt.Errorf("%s must use https (plain http only on localhost)", redactURL(raw))
	}
	return nil
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(h)
	return err == nil && a.IsLoopback()
}

// withDefaults fills what tests and ConfigFromEnv may leave empty.
func (c Config) withDefaults() Config {
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.NotionURL == "" {
		c.NotionURL = notion.DefaultBaseURL
	}
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.AuthorizeLimit == (Limit{}) {
		c.AuthorizeLimit = DefaultAuthorizeLimit
	}
	if c.CallbackLimit == (Limit{}) {
		c.CallbackLimit = DefaultCallbackLimit
	}
	if c.TokenLimit == (Limit{}) {
		c.TokenLimit = DefaultTokenLimit
	}
	if c.EventsLimit == (Limit{}) {
		c.EventsLimit = DefaultEventsLimit
	}
	if c.WebhookLimit == (Limit{}) {
		c.WebhookLimit = DefaultWebhookLimit
	}
	c.Live = c.Live.withDefaults()
	for _, l := range []*Limit{&c.AuthorizeLimit, &c.CallbackLimit, &c.TokenLimit, &c.EventsLimit, &c.WebhookLimit} {
		if l.Burst == 0 {
			l.Burst = 1
		}
	}
	return c
}
