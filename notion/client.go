// Package notion is Pagedeck's HTTP client for Notion's API and OAuth
// endpoints: typed requests and answers, errors callers can branch on,
// client-side rate limiting and bounded retries.
package notion

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	// Version is the Notion-Version header every request sends.
	Version = "2026-03-11"
	// DefaultBaseURL is Notion's API origin.
	DefaultBaseURL = "https://api.notion.com"
	// MaxResponseBytes caps every response body we read.
	MaxResponseBytes = 10 << 20
)

// Options configure a Client. Zero values give Notion's defaults.
type Options struct {
	BaseURL      string // default DefaultBaseURL; an emulator in tests
	ClientID     string // public connection; needed only for the OAuth calls
	ClientSecret Secret
	UserAgent    string        // default "pagedeck/dev"
	HTTPClient   *http.Client  // default: a client with sane transport timeouts
	Timeout      time.Duration // per attempt; default 30s
	Logger       *slog.Logger  // default: discard

	// RateLimit and Burst shape each token's Budget: RateLimit is the
	// ceiling of its adaptive pace, Burst its first burst. Default 3/s with
	// a burst of 3, Notion's long-standing average; rate.Inf turns pacing off.
	RateLimit rate.Limit
	Burst     int

	Retry RetryPolicy
	// Sleep waits between retries; tests replace it. It must return ctx.Err()
	// when ctx ends first.
	Sleep func(ctx context.Context, d time.Duration) error
}

// RetryPolicy bounds retries. Zero fields take the defaults.
type RetryPolicy struct {
	MaxRetries    int           // retries after the first attempt; default 4
	BaseDelay     time.Duration // first backoff; default 500ms
	MaxDelay      time.Duration // backoff ceiling; default 8s
	MaxRetryAfter time.Duration // longest Retry-After we wait out; default 1h (a context's deadline bounds it too)
	// RetryAfterScale multiplies the pauses a rate-limited budget keeps
	// (tests shorten a Retry-After of minutes this way); 0 means 1.
	RetryAfterScale float64
}

// Client talks to Notion. It is safe for concurrent use.
type Client struct {
	base      string
	clientID  string
	secret    Secret
	userAgent string
	http      *http.Client
	timeout   time.Duration
	log       *slog.Logger
	retry     RetryPolicy
	sleep     func(context.Context, time.Duration) error
	limit     rate.Limit
	burst     int

	mu      sync.Mutex
	budgets map[Secret]*Budget
}

// New returns a Client.
func New(o Options) *Client {
	c := &Client{
		base:      strings.TrimRight(o.BaseURL, "/"),
		clientID:  o.ClientID,
		secret:    o.ClientSecret,
		userAgent: o.UserAgent,
		http:      o.HTTPClient,
		timeout:   o.Timeout,
		log:       o.Logger,
		retry:     o.Retry,
		sleep:     o.Sleep,
		limit:     o.RateLimit,
		burst:     o.Burst,
		budgets:   map[Secret]*Budget{},
	}
	if c.base == "" {
		c.base = DefaultBaseURL
	}
	if c.userAgent == "" {
		c.userAgent = "pagedeck/dev"
	}
	if c.http == nil {
		c.http = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   4,
			ForceAttemptHTTP2:     true,
		}}
	}
	if c.timeout <= 0 {
		c.timeout = 30 * time.Second
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.retry.MaxRetries == 0 {
		c.retry.MaxRetries = 4
	}
	if c.retry.BaseDelay <= 0 {
		c.retry.BaseDelay = 500 * time.Millisecond
	}
	if c.retry.MaxDelay <= 0 {
		c.retry.MaxDelay = 8 * time.Second
	}
	if c.retry.MaxRetryAfter <= 0 {
		c.retry.MaxRetryAfter = time.Hour
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	if c.limit == 0 {
		c.limit = 3
	}
	if c.burst <= 0 {
		c.burst = 3
	}
	return c
}

// BaseURL is the API origin this client talks to.
func (c *Client) BaseURL() string { return c.base }

// AuthorizeURL is where the browser goes to consent.
func (c *Client) AuthorizeURL() string { return c.base + "/v1/oauth/authorize" }

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// request is one logical call; do may send it several times.
type request struct {
	method string
	path   string
	body   any    // JSON-encoded when non-nil
	bearer Secret // API calls
	basic  bool   // OAuth calls: client id and secret
	// secrets are the request's other secrets (a code, a refresh token, a
	// token to revoke): an error answer may quote the body, and these are
	// removed from it.
	secrets []Secret
	// idempotent calls are retried on 5xx and network errors. Token exchange
	// and refresh are not: a retried refresh may find its token rotated away.
	idempotent bool
	// date, when set, receives the answer's Date header (Notion's clock).
	date *time.Time
	// capped, when set, receives the first MaxResponseBytes of a 2xx
	// answer that was longer (the call fails with ErrBodyTooLarge).
	capped *[]byte
}

// do sends r, retrying as the policy allows, and decodes a 2xx body into out.
func (c *Client) do(ctx context.Context, r request, out any) error {
	var payload []byte
	if r.body != nil {
		var err error
		if payload, err = json.Marshal(r.body); err != nil {
			return fmt.Errorf("notion: encode %s body: %w", r.path, err)
		}
	}
	if r.basic && (c.clientID == "" || c.secret == "") {
		return errors.New("notion: no client id and secret configured for the OAuth call")
	}
	limitedRetries, failedRetries := 0, 0
	var budget *Budget
	if r.bearer != "" {
		budget = c.Budget(r.bearer)
	}
	for {
		if budget != nil {
			if err := budget.Wait(ctx, PriorityOf(ctx)); err != nil {
				return err
			}
		}
		body, err := c.once(ctx, r, payload)
		if err == nil {
			if out == nil {
				return nil
			}
			if err := json.Unmarshal(body, out); err != nil {
				return fmt.Errorf("%w from %s: %v", ErrMalformedResponse, r.path, err)
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}

		var wait time.Duration
		var ae *APIError
		var ne *NetworkError
		switch {
		case errors.As(err, &ae) && IsRateLimited(ae):
			wait = ae.RetryAfter
			if wait <= 0 {
				wait = c.backoff(limitedRetries)
			}
			reason := ae.RateLimitReason
			if reason == "" {
				reason = ae.Code
			}
			if budget != nil {
				// Every call on the token waits, in every process, not only
				// this one; the budget's Wait does the waiting.
				budget.Limited(wait, reason)
			}
			// A rate-limited request was not processed, so any call may retry.
			if limitedRetries >= c.retry.MaxRetries || ae.RetryAfter > c.retry.MaxRetryAfter {
				return err
			}
			limitedRetries++
			if budget != nil {
				c.log.Debug("notion: rate limited", "path", r.path, "wait", wait, "reason", reason)
				continue
			}
		case r.idempotent && failedRetries < c.retry.MaxRetries &&
			((errors.As(err, &ae) && ae.transient()) || errors.As(err, &ne)):
			wait = c.backoff(failedRetries)
			failedRetries++
		default:
			return err
		}
		c.log.Debug("notion: retrying", "path", r.path, "wait", wait, "err", err)
		if serr := c.sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%w (gave up waiting to retry: %v)", serr, err)
		}
	}
}

// backoff is exponential with jitter in [d/2, d], so clients that failed
// together do not come back together.
func (c *Client) backoff(n int) time.Duration {
	d := c.retry.BaseDelay << n
	if d > c.retry.MaxDelay || d <= 0 {
		d = c.retry.MaxDelay
	}
	return d/2 + rand.N(d/2+1)
}

// once sends one attempt and returns the body of a 2xx answer.
func (c *Client) once(ctx context.Context, r request, payload []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, c.base+r.path, rd)
	if err != nil {
		return nil, fmt.Errorf("notion: build request: %w", err)
	}
	req.Header.Set("Notion-Version", Version)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case r.basic:
		cred := base64.StdEncoding.EncodeToString([]byte(c.clientID + ":" + c.secret.Reveal()))
		req.Header.Set("Authorization", "Basic "+cred)
	case r.bearer != "":
		req.Header.Set("Authorization", "Bearer "+r.bearer.Reveal())
	}

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ctx.Err()
		}
		// The error text holds the URL, never a header, so no secret.
		return nil, &NetworkError{Err: err}
	}
	defer resp.Body.Close()
	body, err := readCapped(resp.Body, MaxResponseBytes)
	if errors.Is(err, ErrBodyTooLarge) && r.capped != nil && resp.StatusCode >= 200 && resp.StatusCode < 300 {
		*r.capped = body
		if r.date != nil {
			*r.date, _ = http.ParseTime(resp.Header.Get("Date"))
		}
	}
	c.log.Debug("notion: request", "method", r.method, "path", r.path, "status", resp.StatusCode,
		"request_id", resp.Header.Get("x-request-id"), "duration", time.Since(start))
	if err != nil {
		if errors.Is(err, ErrBodyTooLarge) {
			return nil, fmt.Errorf("%w: %s answered more than %d MiB", ErrBodyTooLarge, r.path, MaxResponseBytes>>20)
		}
		return nil, &NetworkError{Err: err}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if r.date != nil {
			*r.date, _ = http.ParseTime(resp.Header.Get("Date"))
		}
		return body, nil
	}
	ae := parseError(resp, body)
	ae.Message = c.scrub(ae.Message, r)
	return nil, ae
}

// scrub removes any secret of this request from server-provided text.
func (c *Client) scrub(s string, r request) string {
	for _, sec := range append([]Secret{r.bearer, c.secret}, r.secrets...) {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec.Reveal(), redacted)
		}
	}
	return s
}
