// Package notiontest is an in-process emulator of the parts of Notion's HTTP
// API that Pagedeck uses: the OAuth consent page and token endpoints, search,
// users/me, page markdown, revoke and introspect. It is strict where Notion is strict, so a
// client that passes against it has a fair chance against the real service,
// and it can inject the failures a real network produces.
//
// It serves tests and the desktop app's --demo mode alike; it listens on the
// loopback interface only.
package notiontest

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. Zero values give sensible defaults.
type Options struct {
	// ClientID is the registered public connection; default "pagedeck-test-client".
	ClientID string
	// ClientSecret is its secret; default "pagedeck-test-secret".
	ClientSecret string
	// RedirectURIs are the registered redirect URIs, matched exactly;
	// default {"http://localhost:47219/callback"}.
	RedirectURIs []string
	// RateLimit is the number of requests per second allowed per grant on
	// the /v1/ API endpoints (not OAuth); 0 means 3; negative means unlimited.
	RateLimit float64
	// Burst is the limiter's bucket size; default 10.
	Burst int
	// CodeTTL is how long an authorization code stays valid; default 10 minutes.
	CodeTTL time.Duration
	// Clock tells the time for code expiry, edit times and file-URL expiry;
	// default time.Now. Rate limiting always uses real time.
	Clock func() time.Time
	// Logger, when set, gets one debug line per request (never a token or
	// secret: only method, path, status and request id).
	Logger *slog.Logger
	// SlowDelay is how long FaultSlow holds a request; default 2 seconds.
	SlowDelay time.Duration
	// FileURLTTL is how long the signed URL of a "file" icon stays valid;
	// default 1 hour, as at Notion.
	FileURLTTL time.Duration
	// Webhook, when its URL is set, sends signed webhooks for the changes
	// tests make (see webhooks.go).
	Webhook WebhookOptions
	// RecordLimit is how many blocks (lines) a markdown answer holds before
	// it is truncated; default DefaultRecordLimit.
	RecordLimit int
	// ContentBytes is the rough size of generated page bodies; 0 varies
	// them around 3 KB.
	ContentBytes int
}

// maxBody is Notion's request size cap, near enough.
const maxBody = 1 << 20

// Server is a running emulator. All its methods are safe for concurrent use.
type Server struct {
	opts Options
	base string
	key  []byte // signs consent forms, cursors and file URLs
	ln   net.Listener
	hs   *http.Server

	closeOnce sync.Once
	hooks     *webhooks // nil without Options.Webhook.URL

	mu          sync.Mutex
	workspaces  map[string]*workspace
	wsOrder     []string
	items       map[string]*item
	codes       map[string]*authCode
	tokens      map[string]tokenRef
	grants      []*grant
	autoApprove string
	autoDeny    bool
	retryAfter  int
	faults      []faultRule
	md          *mdState
	wr          *writeState

	logMu sync.Mutex
	log   []*Request
}

// NewServer starts an emulator on 127.0.0.1 (a random port). It panics when
// it cannot listen, like httptest.NewServer, since callers are tests and a
// demo that cannot do anything useful without it.
func NewServer(opts Options) *Server {
	if opts.ClientID == "" {
		opts.ClientID = "pagedeck-test-client"
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = "pagedeck-test-secret"
	}
	if len(opts.RedirectURIs) == 0 {
		opts.RedirectURIs = []string{"http://localhost:47219/callback"}
	} else {
		opts.RedirectURIs = append([]string(nil), opts.RedirectURIs...)
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = 3
	}
	if opts.Burst <= 0 {
		opts.Burst = 10
	}
	if opts.CodeTTL <= 0 {
		opts.CodeTTL = 10 * time.Minute
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.SlowDelay <= 0 {
		opts.SlowDelay = 2 * time.Second
	}
	if opts.FileURLTTL <= 0 {
		opts.FileURLTTL = time.Hour
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("notiontest: cannot listen on loopback: %v", err))
	}
	s := &Server{
		opts:       opts,
		base:       "http://" + ln.Addr().String(),
		key:        make([]byte, 32),
		ln:         ln,
		workspaces: map[string]*workspace{},
		items:      map[string]*item{},
		codes:      map[string]*authCode{},
		tokens:     map[string]tokenRef{},
		retryAfter: 1,
	}
	_, _ = rand.Read(s.key)
	s.hooks = newWebhooks(opts.Webhook)
	errLog := log.New(io.Discard, "", 0)
	if opts.Logger != nil {
		errLog = slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn)
	}
	s.hs = &http.Server{
		Handler:           http.HandlerFunc(s.serve),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          errLog,
	}
	go func() { _ = s.hs.Serve(ln) }()
	return s
}

// URL is the base URL, e.g. "http://127.0.0.1:41234", without a trailing
// slash; the API lives under URL()+"/v1/".
func (s *Server) URL() string { return s.base }

// AuthorizeURL is where a client sends the browser to ask for consent.
func (s *Server) AuthorizeURL() string { return s.base + "/v1/oauth/authorize" }

// ClientID is the registered public connection's id.
func (s *Server) ClientID() string { return s.opts.ClientID }

// ClientSecret is the registered public connection's secret.
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }

// RedirectURIs are the registered redirect URIs.
func (s *Server) RedirectURIs() []string { return append([]string(nil), s.opts.RedirectURIs...) }

// Close stops the server at once, cutting open connections (so a request
// held by FaultSlow does not delay it).
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		_ = s.hs.Close()
		s.hooks.close()
	})
}

func (s *Server) now() time.Time { return s.opts.Clock() }

// Request is one logged request.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
	Status int // 0 while the request is still being served
	At     time.Time
}

func (r *Request) clone() Request {
	c := *r
	c.Query = cloneValues(r.Query)
	c.Header = r.Header.Clone()
	c.Body = bytes.Clone(r.Body)
	return c
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Requests returns copies of the logged requests, in arrival order.
func (s *Server) Requests() []Request {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	out := make([]Request, len(s.log))
	for i, r := range s.log {
		out[i] = r.clone()
	}
	return out
}

// Count tells how many logged requests had this method and path.
func (s *Server) Count(method, path string) int {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	n := 0
	for _, r := range s.log {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// ResetLog forgets the logged requests.
func (s *Server) ResetLog() {
	s.logMu.Lock()
	s.log = nil
	s.logMu.Unlock()
}

// call carries what the dispatcher learnt about a request to the handlers.
type call struct {
	rid  string
	body []byte
	// incomplete: FaultIncomplete asked for a partial search answer.
	incomplete bool
	// lost: FaultLostAnswer serves the request and drops its answer.
	lost bool
}

// statusWriter remembers the status for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// serve is the single entry point: log, faults, size cap, then routing.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	c := &call{rid: newUUID()}
	w.Header().Set("X-Request-Id", c.rid)

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	tooBig := len(body) > maxBody
	if tooBig {
		body = body[:maxBody]
	}
	entry := &Request{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   body,
		At:     s.now(),
	}
	s.logMu.Lock()
	s.log = append(s.log, entry)
	s.logMu.Unlock()

	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		s.logMu.Lock()
		entry.Status = status
		s.logMu.Unlock()
		if s.opts.Logger != nil {
			// Path only: query strings carry codes and state.
			s.opts.Logger.Debug("notiontest request", "method", r.Method, "path", r.URL.Path,
				"status", status, "request_id", c.rid, "duration", time.Since(start))
		}
	}()

	if f, ok := s.takeFault(r.URL.Path); ok {
		if done := s.serveFault(sw, r, c, f); done {
			return
		}
	}
	if c.lost {
		// The request is served, its answer thrown away, and the
		// connection dropped: the client cannot know the write happened.
		lost := &statusWriter{ResponseWriter: discardWriter{h: http.Header{}}}
		c.body = body
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.route(lost, r, c)
		sw.status = lost.status
		panic(http.ErrAbortHandler)
	}
	if err != nil {
		writeError(sw, c, http.StatusBadRequest, "invalid_request", "Could not read the request body.")
		return
	}
	if tooBig {
		writeError(sw, c, http.StatusRequestEntityTooLarge, "validation_error", "Request body too large: the limit is 1 MiB.")
		return
	}
	c.body = body
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.route(sw, r, c)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, c *call) {
	p := r.URL.Path
	switch {
	case p == "/v1/oauth/authorize":
		s.handleAuthorize(w, r, c)
	case p == "/v1/oauth/token":
		s.oauthEndpoint(w, r, c, s.handleToken)
	case p == "/v1/oauth/revoke":
		s.oauthEndpoint(w, r, c, s.handleRevoke)
	case p == "/v1/oauth/introspect":
		s.oauthEndpoint(w, r, c, s.handleIntrospect)
	case p == "/v1/users/me":
		s.apiEndpoint(w, r, c, http.MethodGet, s.handleUsersMe)
	case p == "/v1/search":
		s.apiEndpoint(w, r, c, http.MethodPost, s.handleSearch)
	case p == "/v1/pages":
		s.apiEndpoint(w, r, c, http.MethodPost, s.handleCreatePage)
	case childrenPath.MatchString(p):
		s.handleChildren(w, r, c)
	case queryPath.MatchString(p):
		s.apiEndpoint(w, r, c, http.MethodPost, s.handleQuery(queryPath.FindStringSubmatch(p)[1]))
	case isRetrieve(p):
		s.handleRetrieve(w, r, c)
	case markdownPath.MatchString(p):
		s.apiEndpoint(w, r, c, http.MethodGet, s.handleMarkdown(markdownPath.FindStringSubmatch(p)[1]))
	case p == "/v1" || strings.HasPrefix(p, "/v1/"):
		invalidURL(w, r, c)
	case strings.HasPrefix(p, filesPrefix):
		s.handleFile(w, r, c)
	default:
		http.NotFound(w, r)
	}
}

// invalidURL is Notion's answer to an unknown endpoint or a wrong method.
func invalidURL(w http.ResponseWriter, r *http.Request, c *call) {
	writeError(w, c, http.StatusBadRequest, "invalid_request_url", "Invalid request URL.")
}

// discardWriter is a ResponseWriter that keeps nothing.
type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header         { return d.h }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}
