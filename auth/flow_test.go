package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

type flowEnv struct {
	emu      *notiontest.Server
	ws       string
	redirect string
	port     int
	provider *OwnConnection
	loop     *Loopback
	saved    atomic.Int32
}

func newFlowEnv(t *testing.T, wsName string) *flowEnv {
	t.Helper()
	port := notiontest.Port(t)
	redirect := fmt.Sprintf("http://localhost:%d/callback", port)
	emu := notiontest.NewServer(notiontest.Options{RedirectURIs: []string{redirect}})
	t.Cleanup(emu.Close)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: wsName, Icon: "🏢", OwnerName: "Ada", OwnerEmail: "ada@example.com"})
	emu.SetAutoApprove(ws)
	client := notion.New(notion.Options{BaseURL: emu.URL(), ClientID: emu.ClientID(), ClientSecret: notion.Secret(emu.ClientSecret()), RateLimit: rate.Inf})
	return &flowEnv{
		emu: emu, ws: ws, redirect: redirect, port: port,
		provider: &OwnConnection{Client: client, ClientID: emu.ClientID()},
		loop:     &Loopback{Timeout: 30 * time.Second},
	}
}

func (e *flowEnv) start(t *testing.T, ctx context.Context) *Session {
	t.Helper()
	s, err := e.loop.Start(ctx, Request{Provider: e.provider, RedirectURI: e.redirect,
		Save: func(context.Context, *Grant) error { e.saved.Add(1); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Cancel(); <-s.Done() })
	return s
}

// browser plays the user's browser. dialHost, when set, pins where
// "localhost" resolves, to try IPv4 and IPv6 apart.
func browser(dialHost string) *http.Client {
	tr := &http.Transport{DisableKeepAlives: true}
	if dialHost != "" {
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, _ := net.SplitHostPort(addr)
			if host == "localhost" {
				addr = net.JoinHostPort(dialHost, port)
			}
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		}
	}
	return &http.Client{Transport: tr, Timeout: 20 * time.Second}
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func waitDone(t *testing.T, s *Session) (*Grant, error) {
	t.Helper()
	select {
	case <-s.Done():
		return s.Wait()
	case <-time.After(20 * time.Second):
		t.Fatal("the flow did not end")
		return nil, nil
	}
}

func assertClosed(t *testing.T, port int) {
	t.Helper()
	for _, host := range []string{"127.0.0.1", "::1"} {
		if c, err := net.DialTimeout("tcp", net.JoinHostPort(host, fmt.Sprint(port)), time.Second); err == nil {
			c.Close()
			t.Errorf("%s:%d still accepts connections after the flow ended", host, port)
		}
	}
}

func TestFlowHappyPathOverIPv4AndIPv6(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "::1"} {
		t.Run(host, func(t *testing.T) {
			if host == "::1" {
				if ln, err := net.Listen("tcp", "[::1]:0"); err != nil {
					t.Skip("this machine has no IPv6 loopback")
				} else {
					ln.Close()
				}
			}
			e := newFlowEnv(t, "Acme")
			s := e.start(t, context.Background())
			u, _ := url.Parse(s.URL)
			q := u.Query()
			if q.Get("owner") != "user" || q.Get("response_type") != "code" || q.Get("client_id") != e.emu.ClientID() ||
				q.Get("redirect_uri") != e.redirect || len(q.Get("state")) != 43 || q.Get("code_challenge") != "" {
				t.Errorf("authorize URL = %s", s.URL)
			}
			status, body := get(t, browser(host), s.URL)
			if status != 200 || !strings.Contains(body, "Pagedeck is connected to Acme. You can close this tab.") {
				t.Fatalf("result page %d: %s", status, body)
			}
			if strings.Contains(body, "<script") || strings.Contains(body, "http://") || strings.Contains(body, "https://") {
				t.Errorf("the page must be self-contained: %s", body)
			}
			g, err := waitDone(t, s)
			if err != nil {
				t.Fatal(err)
			}
			if g.Kind != KindOAuth || g.WorkspaceID != e.ws || g.WorkspaceName != "Acme" || g.AccessToken == "" || g.RefreshToken == "" ||
				g.BotID == "" || g.OwnerName != "Ada" || g.OwnerEmail != "ada@example.com" || g.WorkspaceIcon != "🏢" {
				t.Errorf("grant = %+v", g)
			}
			if e.saved.Load() != 1 {
				t.Error("Save was not called before the page said connected")
			}
			assertClosed(t, e.port)
		})
	}
}

func TestFlowWrongStateKeepsWaiting(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	s := e.start(t, context.Background())
	for _, q := range []string{"state=forged&code=abc", "code=abc", "state=&error=access_denied", "state=" + strings.Repeat("A", 43) + "&code=x"} {
		status, body := get(t, browser(""), e.redirect+"?"+q)
		if status != http.StatusBadRequest || !strings.Contains(body, "does not belong") {
			t.Errorf("%s: %d %s", q, status, body)
		}
	}
	select {
	case <-s.Done():
		t.Fatal("a forged callback ended the flow")
	default:
	}
	if status, _ := get(t, browser(""), s.URL); status != 200 {
		t.Fatalf("the real callback after forged ones: %d", status)
	}
	if _, err := waitDone(t, s); err != nil {
		t.Fatal(err)
	}
}

func TestFlowReplayAfterCompletion(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	s := e.start(t, context.Background())
	// Capture the callback URL instead of following it.
	noFollow := browser("")
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Get(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cb := resp.Header.Get("Location")
	if !strings.HasPrefix(cb, e.redirect+"?") {
		t.Fatalf("Location = %q", cb)
	}
	if status, _ := get(t, browser(""), cb); status != 200 {
		t.Fatalf("first callback: %d", status)
	}
	if _, err := waitDone(t, s); err != nil {
		t.Fatal(err)
	}
	if _, err := browser("").Get(cb); err == nil {
		t.Error("a replayed callback was answered; the listener should be gone")
	}
}

func TestFlowDenied(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	e.emu.SetAutoApprove("")
	e.emu.SetAutoDeny(true)
	s := e.start(t, context.Background())
	status, body := get(t, browser(""), s.URL)
	if status != 200 || !strings.Contains(body, "not given access") {
		t.Errorf("denied page %d: %s", status, body)
	}
	if _, err := waitDone(t, s); !errors.Is(err, ErrDenied) {
		t.Errorf("err = %v, want ErrDenied", err)
	}
	if e.saved.Load() != 0 {
		t.Error("nothing may be saved on a denial")
	}
	assertClosed(t, e.port)
}

func TestFlowOtherOAuthError(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	s := e.start(t, context.Background())
	u, _ := url.Parse(s.URL)
	state := u.Query().Get("state")
	status, body := get(t, browser(""), e.redirect+"?error=server_error&error_description=Try+later&state="+url.QueryEscape(state))
	if status != http.StatusBadGateway || !strings.Contains(body, "Try later") {
		t.Errorf("%d %s", status, body)
	}
	_, err := waitDone(t, s)
	var oe *OAuthError
	if !errors.As(err, &oe) || oe.Code != "server_error" || !strings.Contains(err.Error(), "Try later") {
		t.Errorf("err = %v", err)
	}
}

func TestFlowExchangeFails(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	s := e.start(t, context.Background())
	u, _ := url.Parse(s.URL)
	state := u.Query().Get("state")
	status, body := get(t, browser(""), e.redirect+"?code=not-a-real-code&state="+url.QueryEscape(state))
	if status != http.StatusBadGateway || !strings.Contains(body, "could not finish connecting") {
		t.Errorf("%d %s", status, body)
	}
	if _, err := waitDone(t, s); !errors.Is(err, notion.ErrInvalidGrant) {
		t.Errorf("err = %v, want invalid_grant", err)
	}
}

func TestFlowSaveFailsShowsTheHint(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	mem := NewMemory()
	mem.SetErr(errors.New("collection is locked"))
	s, err := e.loop.Start(context.Background(), Request{Provider: e.provider, RedirectURI: e.redirect,
		Save: func(ctx context.Context, g *Grant) error { return mem.Save(ctx, g.WorkspaceID, g.Tokens()) }})
	if err != nil {
		t.Fatal(err)
	}
	status, body := get(t, browser(""), s.URL)
	if status != http.StatusBadGateway || !strings.Contains(body, "keychain") {
		t.Errorf("%d %s", status, body)
	}
	if _, err := waitDone(t, s); !errors.Is(err, ErrKeychainUnavailable) {
		t.Errorf("err = %v", err)
	}
}

func TestFlowTimeout(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	e.loop.Timeout = 50 * time.Millisecond
	s := e.start(t, context.Background())
	if _, err := waitDone(t, s); !errors.Is(err, ErrTimeout) {
		t.Errorf("err = %v, want ErrTimeout", err)
	}
	assertClosed(t, e.port)
}

func TestFlowCancellation(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	ctx, cancel := context.WithCancel(context.Background())
	s := e.start(t, ctx)
	cancel()
	if _, err := waitDone(t, s); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	assertClosed(t, e.port)

	s2 := e.start(t, context.Background())
	s2.Cancel()
	if _, err := waitDone(t, s2); !errors.Is(err, context.Canceled) {
		t.Errorf("Session.Cancel: err = %v", err)
	}
}

func TestFlowBusyPort(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", e.port))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = e.loop.Start(context.Background(), Request{Provider: e.provider, RedirectURI: e.redirect})
	want := fmt.Sprintf("port %d is in use: set PAGEDECK_REDIRECT_URI to another port and register it in Notion", e.port)
	if !errors.Is(err, ErrPortInUse) || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	// The failed start must not leave the guard set.
	ln.Close()
	s := e.start(t, context.Background())
	s.Cancel()
}

func TestFlowRejectsForeignHostAndOtherPaths(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	s := e.start(t, context.Background())
	u, _ := url.Parse(s.URL)
	cb := e.redirect + "?code=x&state=" + url.QueryEscape(u.Query().Get("state"))

	req, _ := http.NewRequest(http.MethodGet, cb, nil)
	req.Host = fmt.Sprintf("attacker.example:%d", e.port)
	resp, err := browser("").Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("foreign Host: %d, want 400", resp.StatusCode)
	}
	req.Host = "localhost:1"
	if resp, err = browser("").Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("wrong port in Host: %d, want 400", resp.StatusCode)
		}
	}
	for _, p := range []string{"/", "/callback/x", "/favicon.ico"} {
		if status, _ := get(t, browser(""), fmt.Sprintf("http://localhost:%d%s", e.port, p)); status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, status)
		}
	}
	resp, err = browser("").Post(cb, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
	select {
	case <-s.Done():
		t.Fatal("a rejected request ended the flow")
	default:
	}
	// 127.0.0.1 and [::1] in Host are fine.
	req, _ = http.NewRequest(http.MethodGet, strings.Replace(cb, "localhost", "127.0.0.1", 1), nil)
	if resp, err = browser("").Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusBadRequest {
		t.Errorf("Host 127.0.0.1 was refused")
	}
}

func TestFlowOneAtATime(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	s := e.start(t, context.Background())
	if _, err := e.loop.Start(context.Background(), Request{Provider: e.provider, RedirectURI: e.redirect}); !errors.Is(err, ErrFlowInProgress) {
		t.Errorf("second Start: err = %v, want ErrFlowInProgress", err)
	}
	s.Cancel()
	<-s.Done()
	s2 := e.start(t, context.Background())
	s2.Cancel()
}

func TestFlowEscapesTheWorkspaceName(t *testing.T) {
	e := newFlowEnv(t, "<script>alert(1)</script>")
	s := e.start(t, context.Background())
	status, body := get(t, browser(""), s.URL)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the workspace name is not escaped: %s", body)
	}
	if _, err := waitDone(t, s); err != nil {
		t.Fatal(err)
	}
}

func TestParseRedirect(t *testing.T) {
	for _, bad := range []string{"https://localhost:1/cb", "http://example.com:80/cb", "http://localhost/cb", "http://localhost:0/cb", "http://0.0.0.0:1/cb", "::"} {
		if _, _, err := parseRedirect(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"http://localhost:47219/callback", "http://127.0.0.1:8080/cb", "http://[::1]:9/"} {
		if _, _, err := parseRedirect(good); err != nil {
			t.Errorf("%q: %v", good, err)
		}
	}
}

// TestFlowTimeoutDuringSaveReportsTheSave: the timeout fires while a
// callback is being saved; the flow reports what happened (the grant), not
// a timeout for a connection that was in fact kept.
func TestFlowTimeoutDuringSaveReportsTheSave(t *testing.T) {
	port := notiontest.Port(t)
	redirect := fmt.Sprintf("http://localhost:%d/callback", port)
	loop := &Loopback{Timeout: 100 * time.Millisecond}
	saving := make(chan struct{})
	s, err := loop.Start(context.Background(), Request{Provider: fakeProvider{}, RedirectURI: redirect,
		Save: func(context.Context, *Grant) error {
			close(saving)
			time.Sleep(300 * time.Millisecond) // a keychain that answers slowly
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(s.URL)
	go func() {
		resp, err := browser("").Get(redirect + "?code=good&state=" + url.QueryEscape(u.Query().Get("state")))
		if err == nil {
			resp.Body.Close()
		}
	}()
	<-saving
	g, err := waitDone(t, s)
	if err != nil || g == nil || g.WorkspaceID != "w" {
		t.Errorf("Wait = %+v, %v; want the saved grant", g, err)
	}
}

func TestFlowTimeoutPerRequest(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	e.loop.Timeout = time.Hour
	s, err := e.loop.Start(context.Background(), Request{Provider: e.provider, RedirectURI: e.redirect, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := waitDone(t, s); !errors.Is(err, ErrTimeout) {
		t.Errorf("err = %v, want ErrTimeout from the request's own timeout", err)
	}
}

// TestFlowClosesHalfOpenConnections: a connection that sent half a request
// when the flow ends is closed with it, not left to the read timeout.
func TestFlowClosesHalfOpenConnections(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	e.loop.shutdownGrace = 100 * time.Millisecond
	s := e.start(t, context.Background())
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", e.port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := fmt.Fprintf(c, "GET /callback HTTP/1.1\r\nHost: localhost:%d\r\n", e.port); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // accepted and reading headers
	s.Cancel()
	waitDone(t, s)
	// ReadHeaderTimeout is 10s; the flow is over well before.
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	var buf [64]byte
	_, err = c.Read(buf[:])
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the half-open connection outlived the flow")
	}
	if err == nil {
		t.Fatal("the server answered a half-sent request")
	}
}

// TestFlowRefusesPort80: a port-80 redirect URI is refused up front with
// the reason, instead of a flow that can never complete.
func TestFlowRefusesPort80(t *testing.T) {
	e := newFlowEnv(t, "Acme")
	_, err := e.loop.Start(context.Background(), Request{Provider: e.provider, RedirectURI: "http://localhost:80/callback"})
	if !errors.Is(err, ErrPort80) || !strings.Contains(err.Error(), "47219") {
		t.Errorf("err = %v", err)
	}
}
