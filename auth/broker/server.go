package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pagedeck/pagedeck/notion"
)

// Timeouts. A /token request waits for Notion: at most two attempts of
// notionAttemptTimeout and a short Retry-After between them, all inside
// notionCallTimeout, which the server's WriteTimeout outlasts.
const (
	notionAttemptTimeout = 20 * time.Second
	notionCallTimeout    = 45 * time.Second
	writeTimeout         = 60 * time.Second
	shutdownTimeout      = 30 * time.Second
)

// Server is a token broker. It is safe for concurrent use; several Servers
// with the same Key can serve one flow between them.
type Server struct {
	cfg    Config
	log    *slog.Logger
	seal   *sealer
	notion *notion.Client
	// state holds the single-use marks and rate limits, and events the
	// webhook events: this instance's memory, or Redis shared by every
	// instance (rdb, nil without Redis).
	state  sharedState
	events eventLog
	rdb    *redis.Client
	health *redisHealth
	hub    *hub
	tokens *tokenChecker
	// stopping is closed when the broker stops: streams end, background
	// work ends.
	stopping  chan struct{}
	stopOnce  sync.Once
	stopWork  context.CancelFunc
	workDone  chan struct{}
	stateDesc string
	// callbackURL is the redirect URI registered in Notion's portal.
	callbackURL string
	privacy     *staticPage
	terms       *staticPage
	handler     http.Handler
}

// New checks cfg and builds a Server; it reads the privacy and terms files
// now, so a wrong path stops the broker at start and not at a visitor.
func New(cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	seal, err := newSealer(cfg.Key, cfg.PreviousKey)
	if err != nil {
		return nil, err
	}
	no := cfg.Notion
	no.BaseURL = cfg.NotionURL
	no.ClientID = cfg.ClientID
	no.ClientSecret = cfg.ClientSecret
	if no.UserAgent == "" {
		no.UserAgent = "pagedeck-broker"
	}
	if no.Logger == nil {
		no.Logger = cfg.Logger
	}
	if no.HTTPClient == nil {
		// Like the notion package's default, with a bigger idle pool: the
		// broker calls Notion for many desktops at once.
		no.HTTPClient = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: notionAttemptTimeout,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   32,
			ForceAttemptHTTP2:     true,
		}}
	}
	if no.Timeout <= 0 {
		no.Timeout = notionAttemptTimeout
	}
	if no.Retry == (notion.RetryPolicy{}) {
		// Someone is waiting on the other end: give Notion one more go at
		// most, and only after a short wait.
		no.Retry = notion.RetryPolicy{MaxRetries: 1, BaseDelay: 500 * time.Millisecond, MaxDelay: 2 * time.Second, MaxRetryAfter: 5 * time.Second}
	}
	s := &Server{
		cfg:         cfg,
		log:         cfg.Logger,
		seal:        seal,
		notion:      notion.New(no),
		hub:         newHub(),
		stopping:    make(chan struct{}),
		workDone:    make(chan struct{}),
		callbackURL: cfg.PublicURL + "/callback",
	}
	// users/me goes through a client of its own each time: the shared
	// client keeps a rate limiter per token for good, and here every
	// desktop brings its own token.
	s.tokens = newTokenChecker(func(ctx context.Context, tok notion.Secret) (*notion.Bot, error) {
		return notion.New(no).Me(ctx, tok)
	}, cfg.Live.TokenCacheTTL, cfg.Now)
	if s.privacy, err = loadStatic(EnvPrivacyFile, cfg.PrivacyFile); err != nil {
		return nil, err
	}
	if s.terms, err = loadStatic(EnvTermsFile, cfg.TermsFile); err != nil {
		return nil, err
	}
	s.startState()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", s.handleAuthorize)
	mux.HandleFunc("GET /callback", s.handleCallback)
	// /token and /revoke check the method themselves, to answer in JSON.
	mux.HandleFunc("/token", s.handleToken)
	mux.HandleFunc("/revoke", s.handleRevoke)
	mux.HandleFunc("POST /webhooks/notion", s.handleWebhook)
	mux.HandleFunc("GET /events", s.handleEvents)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok"))
	})
	mux.HandleFunc("GET /privacy", func(w http.ResponseWriter, r *http.Request) { s.privacy.serve(w, r) })
	mux.HandleFunc("GET /terms", func(w http.ResponseWriter, r *http.Request) { s.terms.serve(w, r) })
	s.handler = s.middleware(mux)
	return s, nil
}

// Handler serves the broker's endpoints (for tests and for embedding).
func (s *Server) Handler() http.Handler { return s.handler }

// CallbackURL is the redirect URI to register in Notion's portal.
func (s *Server) CallbackURL() string { return s.callbackURL }

// httpServer bounds every phase of a request, so slow clients cannot hold
// connections open.
func (s *Server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// ListenAndServe listens on Config.Listen and serves until ctx ends, then
// shuts down gracefully: requests in flight get shutdownTimeout to finish.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve is ListenAndServe on a listener of the caller's; it closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := s.httpServer()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("broker: listening", "addr", ln.Addr().String(), "public_url", redactURL(s.cfg.PublicURL),
		"redirect_uri", redactURL(s.callbackURL), "notion_url", redactURL(s.cfg.NotionURL),
		"shared_state", s.stateDesc, "webhooks", s.webhookDesc())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("broker: shutting down")
	// Streams never end by themselves: end them, or Shutdown would wait
	// for them.
	s.stop()
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	err := hs.Shutdown(shut)
	if err != nil {
		_ = hs.Close()
	}
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	s.Close()
	s.log.Info("broker: stopped")
	return err
}

func (s *Server) now() time.Time { return s.cfg.Now() }

func (s *Server) clientIP(r *http.Request) netip.Addr { return clientIP(r, s.cfg.TrustedProxies) }

// ---- Middleware: body cap, common headers, one log line, panics ----

type reqInfoKey struct{}

// reqInfo gathers what handlers want on the request's single log line.
// A request is served by one goroutine, so it needs no lock.
type reqInfo struct{ attrs []slog.Attr }

// annotate adds attributes to the request's log line. Callers pass only
// fixed words, statuses and ids: never a value a client or Notion sent.
func annotate(r *http.Request, attrs ...slog.Attr) {
	if ri, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok {
		ri.attrs = append(ri.attrs, attrs...)
	}
}

// statusWriter remembers the status and size for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
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
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now() // the real clock: durations, not expiry
		// Wrapped around the server's own writer, so an oversized body also
		// closes the connection.
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		ri := &reqInfo{}
		r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, ri))
		sw := &statusWriter{ResponseWriter: w}
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")

		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				// A runtime error says where without quoting data; any other
				// panic value is described by its type alone.
				what := fmt.Sprintf("%T", p)
				if re, ok := p.(runtime.Error); ok {
					what = re.Error()
				}
				ri.attrs = append(ri.attrs, slog.String("panic", what))
				if sw.status == 0 {
					http.Error(sw, "internal error", http.StatusInternalServerError)
				}
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelWarn
			}
			path := r.URL.Path
			if len(path) > 200 {
				path = path[:200] + "…"
			}
			attrs := []slog.Attr{
				slog.String("method", r.Method),
				slog.String("path", path),
				slog.Int("status", status),
				slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
				slog.String("remote", r.RemoteAddr),
				slog.Int("bytes", sw.bytes),
			}
			if c := s.clientIP(r).String(); !strings.HasPrefix(r.RemoteAddr, c+":") && !strings.HasPrefix(r.RemoteAddr, "["+c+"]:") {
				attrs = append(attrs, slog.String("client", c))
			}
			attrs = append(attrs, ri.attrs...)
			s.log.LogAttrs(context.Background(), level, "request", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}
