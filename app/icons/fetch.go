package icons

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/pagedeck/pagedeck/app/hostcheck"
)

// MaxRedirects is how many redirects a fetch follows, each checked like
// the first URL.
const MaxRedirects = 3

// Errors a fetch refuses with. Anyone who can edit a page shared with the
// connection chooses its icon URL, so the URL is hostile until checked.
var (
	// ErrInsecureURL: not https (only the configured Notion origin may use
	// plain http), or not a URL at all.
	ErrInsecureURL = errors.New("only https icons are fetched")
	// ErrPrivateAddress: the host resolved to this computer or the local
	// network (loopback, private, link-local, unspecified, multicast,
	// shared carrier-grade NAT).
	ErrPrivateAddress = errors.New("icons on this computer or the local network are not fetched")
	// ErrTooManyRedirects: more than MaxRedirects.
	ErrTooManyRedirects = errors.New("the icon URL redirects too often")
)

// fetcher downloads icons under the policy: https, public addresses, few
// redirects, a size cap. The one exception is the configured Notion origin
// (an emulator on loopback, in tests and the demo).
type fetcher struct {
	allowOrigin string // "" or hostcheck.Origin of PAGEDECK_NOTION_URL
	allowAddr   string // its host:port, as the transport dials it
	hc          *http.Client
	// publicIP decides which addresses may be dialled; tests widen it.
	publicIP func(netip.Addr) bool
}

func newFetcher(allow string, timeout time.Duration, tlsConf *tls.Config) *fetcher {
	f := &fetcher{publicIP: hostcheck.PublicAddr}
	if u, err := url.Parse(allow); err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https") {
		f.allowOrigin = hostcheck.Origin(u)
		f.allowAddr = strings.TrimPrefix(f.allowOrigin, u.Scheme+"://")
	}
	guarded := &net.Dialer{Timeout: 10 * time.Second, Control: f.control}
	plain := &net.Dialer{Timeout: 10 * time.Second}
	tr := &http.Transport{
		// No proxy: a proxy would make the connection on its own terms,
		// past the address check.
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if f.allowAddr != "" && strings.EqualFold(addr, f.allowAddr) {
				return plain.DialContext(ctx, network, addr)
			}
			return guarded.DialContext(ctx, network, addr)
		},
		TLSClientConfig:        tlsConf,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  15 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		MaxIdleConns:           8,
		IdleConnTimeout:        30 * time.Second,
		ForceAttemptHTTP2:      true,
	}
	f.hc = &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return ErrTooManyRedirects
			}
			return f.checkURL(req.URL)
		},
	}
	return f
}

// checkURL allows https anywhere and the Notion origin as configured; the
// dialer then checks where the host really is.
func (f *fetcher) checkURL(u *url.URL) error {
	switch {
	case u.Host == "" || u.User != nil:
		return ErrInsecureURL
	case f.allowOrigin != "" && hostcheck.Origin(u) == f.allowOrigin:
		return nil
	case u.Scheme != "https":
		return ErrInsecureURL
	}
	return nil
}

// control runs for every connection after the name is resolved and before
// it connects, so a name that resolves to a public address for the check
// and a private one for the connection (DNS rebinding) cannot get past.
func (f *fetcher) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w (%s)", ErrPrivateAddress, address)
	}
	if !f.publicIP(ap.Addr()) {
		return fmt.Errorf("%w (%s)", ErrPrivateAddress, ap.Addr())
	}
	return nil
}

// httpError is an answer other than 200.
type httpError struct{ status int }

func (e *httpError) Error() string { return fmt.Sprintf("the icon URL answered HTTP %d", e.status) }

// get downloads rawURL, at most MaxBytes.
func (f *fetcher) get(ctx context.Context, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, ErrInsecureURL
	}
	if err := f.checkURL(u); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, ErrInsecureURL
	}
	req.Header.Set("Accept", "image/png,image/jpeg,image/gif,image/webp,image/svg+xml;q=0.9,*/*;q=0.1")
	resp, err := f.hc.Do(req)
	if err != nil {
		// Name the policy, not the plumbing, when a rule refused it.
		for _, sentinel := range []error{ErrInsecureURL, ErrPrivateAddress, ErrTooManyRedirects} {
			if errors.Is(err, sentinel) {
				return nil, sentinel
			}
		}
		return nil, fmt.Errorf("fetching an icon: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &httpError{status: resp.StatusCode}
	}
	if resp.ContentLength > MaxBytes {
		return nil, fmt.Errorf("%w: the icon is %d bytes", ErrTooLarge, resp.ContentLength)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetching an icon: %w", err)
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%w: the icon is larger than %d bytes", ErrTooLarge, MaxBytes)
	}
	return data, nil
}
