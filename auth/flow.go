package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Errors of the browser flow a user can see.
var (
	// ErrDenied: the user pressed Cancel on Notion's consent page.
	ErrDenied = errors.New("access was not granted: the consent page was cancelled")
	// ErrFlowInProgress: another connect is still waiting for its browser.
	ErrFlowInProgress = errors.New("a connection is already waiting for the browser; finish or cancel it first")
	// ErrTimeout: nobody came back from the browser in time.
	ErrTimeout = errors.New("the browser did not come back in time")
	// ErrPortInUse wraps a *PortInUseError.
	ErrPortInUse = errors.New("the callback port is in use")
	// ErrPort80: a redirect URI on port 80 can never complete. Browsers
	// drop the default port, so the callback arrives for "localhost"
	// without one (the URI then differs from the one registered, and the
	// Host check refuses it), and on Linux only root may listen there.
	ErrPort80 = errors.New("port 80 cannot be used: browsers drop it from the address, and it needs administrator rights; use a port above 1023, such as 47219")
)

// PortInUseError names the port and the fix.
type PortInUseError struct{ Port int }

func (e *PortInUseError) Error() string {
	return fmt.Sprintf("port %d is in use: set PAGEDECK_REDIRECT_URI to another port and register it in Notion", e.Port)
}
func (e *PortInUseError) Is(target error) bool { return target == ErrPortInUse }

// OAuthError is an error the authorization server sent to the callback.
type OAuthError struct {
	Code        string
	Description string
}

func (e *OAuthError) Error() string {
	if e.Description != "" {
		return fmt.Sprintf("Notion refused the connection: %s (%s)", e.Description, e.Code)
	}
	return "Notion refused the connection: " + e.Code
}

// Loopback runs browser flows with a one-shot listener on the loopback
// interface, one flow at a time.
type Loopback struct {
	// Timeout ends a flow nobody finishes; default 5 minutes.
	Timeout time.Duration
	Logger  *slog.Logger

	running atomic.Bool
	// shutdownGrace is how long the last page may take to finish writing;
	// default 5s (tests shorten it).
	shutdownGrace time.Duration
}

// Request is one connect.
type Request struct {
	Provider Provider
	// RedirectURI is registered with the provider: http://localhost:PORT/PATH.
	RedirectURI string
	// Save stores the grant (vault, metadata) before the browser is told it
	// worked, so the page never claims a connection that was not kept.
	Save func(ctx context.Context, g *Grant) error
	// Timeout overrides the Loopback's for this flow.
	Timeout time.Duration
}

// Session is a running flow.
type Session struct {
	// URL is the consent URL to open in the browser.
	URL string

	done   chan struct{}
	grant  *Grant
	err    error
	cancel context.CancelFunc
}

// Wait blocks until the flow ends: a grant, or why not.
func (s *Session) Wait() (*Grant, error) {
	<-s.done
	return s.grant, s.err
}

// Done is closed when the flow has ended and its listener is closed.
func (s *Session) Done() <-chan struct{} { return s.done }

// Cancel ends the flow now; Wait returns context.Canceled.
func (s *Session) Cancel() { s.cancel() }

// Start binds the callback listener and returns the session whose URL the
// caller opens. The flow ends on a grant, a denial, an error, the timeout, or
// when ctx ends; the listener closes with it.
func (l *Loopback) Start(ctx context.Context, req Request) (*Session, error) {
	if !l.running.CompareAndSwap(false, true) {
		return nil, ErrFlowInProgress
	}
	s, err := l.start(ctx, req)
	if err != nil {
		l.running.Store(false)
		return nil, err
	}
	return s, nil
}

func (l *Loopback) start(ctx context.Context, req Request) (*Session, error) {
	ru, port, err := parseRedirect(req.RedirectURI)
	if err != nil {
		return nil, err
	}
	state, err := randomToken()
	if err != nil {
		return nil, err
	}
	verifier := ""
	if req.Provider.PKCE() {
		if verifier, err = randomToken(); err != nil {
			return nil, err
		}
	}
	lns, err := listenLoopback(port)
	if err != nil {
		return nil, err
	}

	timeout := req.Timeout
	if timeout <= 0 {
		timeout = l.Timeout
	}
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	fctx, cancel := context.WithTimeoutCause(ctx, timeout, ErrTimeout)
	s := &Session{
		URL:    req.Provider.AuthCodeURL(state, req.RedirectURI, verifier),
		done:   make(chan struct{}),
		cancel: cancel,
	}
	log := l.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cb := &callback{
		path:     ru.Path,
		port:     port,
		state:    state,
		verifier: verifier,
		req:      req,
		ctx:      fctx,
		log:      log,
		result:   make(chan flowResult, 1),
	}
	srv := &http.Server{
		Handler:           cb,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       15 * time.Second,
		// The handler exchanges the code before answering.
		WriteTimeout:   90 * time.Second,
		IdleTimeout:    15 * time.Second,
		MaxHeaderBytes: 32 << 10,
		BaseContext:    func(net.Listener) context.Context { return fctx },
	}
	var serving sync.WaitGroup
	for _, ln := range lns {
		serving.Add(1)
		go func() {
			defer serving.Done()
			_ = srv.Serve(ln)
		}()
	}

	go func() {
		var r flowResult
		select {
		case r = <-cb.result:
		case <-fctx.Done():
			r.err = context.Cause(fctx)
			// A callback with the right state arrived just in time: its
			// handler will report (its exchange ends with fctx), and what
			// it saved must not be reported as a timeout.
			if cb.used.Load() {
				r = <-cb.result
			}
		}
		// Let the last page finish writing, then close every listener so a
		// replayed callback finds nothing. Connections still open after the
		// grace (a half-sent request) are closed too, so none outlives the
		// flow.
		grace := l.shutdownGrace
		if grace <= 0 {
			grace = 5 * time.Second
		}
		shut, stop := context.WithTimeout(context.Background(), grace)
		if err := srv.Shutdown(shut); err != nil {
			_ = srv.Close()
		}
		stop()
		serving.Wait()
		cancel()
		s.grant, s.err = r.grant, r.err
		l.running.Store(false)
		close(s.done)
	}()
	return s, nil
}

type flowResult struct {
	grant *Grant
	err   error
}

// parseRedirect accepts http://localhost:PORT/PATH (or 127.0.0.1, [::1]).
func parseRedirect(raw string) (*url.URL, int, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, 0, fmt.Errorf("redirect URI %q: %w", raw, err)
	}
	if u.Scheme != "http" {
		return nil, 0, fmt.Errorf("redirect URI %q must start with http:// (it is served on this computer)", raw)
	}
	switch u.Hostname() {
	case "localhost", "127.0.0.1", "::1":
	default:
		return nil, 0, fmt.Errorf("redirect URI %q must be on localhost", raw)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil || port <= 0 || port > 65535 {
		return nil, 0, fmt.Errorf("redirect URI %q needs an explicit port, such as http://localhost:47219/callback", raw)
	}
	if port == 80 {
		return nil, 0, fmt.Errorf("redirect URI %q: %w", raw, ErrPort80)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u, port, nil
}

// listenLoopback listens on 127.0.0.1 and [::1] at port, whichever exist;
// never on every interface.
func listenLoopback(port int) ([]net.Listener, error) {
	var lns []net.Listener
	var errs []error
	for _, host := range []string{"127.0.0.1", "::1"} {
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			if isAddrInUse(err) {
				for _, l := range lns {
					l.Close()
				}
				return nil, &PortInUseError{Port: port}
			}
			errs = append(errs, err)
			continue
		}
		lns = append(lns, ln)
	}
	if len(lns) == 0 {
		return nil, fmt.Errorf("cannot listen on the loopback interface: %w", errors.Join(errs...))
	}
	return lns, nil
}

// randomToken is 32 bytes from crypto/rand, base64url: a state or a PKCE
// verifier (43 characters, within RFC 7636's 43–128).
func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// callback answers the browser's return from the consent page.
type callback struct {
	path, state, verifier string
	port                  int
	req                   Request
	ctx                   context.Context
	log                   *slog.Logger
	used                  atomic.Bool
	result                chan flowResult
}

func (c *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	if !c.allowedHost(r.Host) {
		// A page on another site that resolves its own name to 127.0.0.1
		// (DNS rebinding) arrives with its own Host.
		http.Error(w, "wrong host", http.StatusBadRequest)
		return
	}
	if r.URL.Path != c.path {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	got := q.Get("state")
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(c.state)) != 1 {
		// Not ours: a forged or stale link. Keep waiting for the real one.
		c.log.Warn("auth: callback with a wrong state ignored")
		renderPage(w, http.StatusBadRequest, pageWrongState())
		return
	}
	if !c.used.CompareAndSwap(false, true) {
		renderPage(w, http.StatusBadRequest, pageUsed())
		return
	}
	grant, err := c.finish(q)
	c.result <- flowResult{grant: grant, err: err}
	switch {
	case err == nil:
		renderPage(w, http.StatusOK, pageConnected(grant.WorkspaceName))
	case errors.Is(err, ErrDenied):
		renderPage(w, http.StatusOK, pageDenied())
	default:
		renderPage(w, http.StatusBadGateway, pageFailed(err))
	}
}

// finish turns the callback's query into a grant.
func (c *callback) finish(q url.Values) (*Grant, error) {
	if e := q.Get("error"); e != "" {
		if e == "access_denied" {
			return nil, ErrDenied
		}
		return nil, &OAuthError{Code: e, Description: q.Get("error_description")}
	}
	code := q.Get("code")
	if code == "" {
		return nil, errors.New("the browser came back without an authorization code")
	}
	ctx, cancel := context.WithTimeout(c.ctx, 60*time.Second)
	defer cancel()
	g, err := c.req.Provider.Exchange(ctx, code, c.req.RedirectURI, c.verifier)
	if err != nil {
		return nil, fmt.Errorf("exchanging the authorization code: %w", err)
	}
	if c.req.Save != nil {
		if err := c.req.Save(ctx, g); err != nil {
			return nil, err
		}
	}
	return g, nil
}

func (c *callback) allowedHost(host string) bool {
	p := strconv.Itoa(c.port)
	switch host {
	case "localhost:" + p, "127.0.0.1:" + p, "[::1]:" + p:
		return true
	}
	return false
}
