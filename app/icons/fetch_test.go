package icons

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// counted serves a PNG and counts the requests.
func counted(t *testing.T, tls bool) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Write(pngOf(t, 8, 8))
	})
	srv := httptest.NewUnstartedServer(h)
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestOnlyHTTPSOutsideTheNotionOrigin: plain http is fetched from the
// configured Notion origin only; https is fetched anywhere public.
func TestOnlyHTTPSOutsideTheNotionOrigin(t *testing.T) {
	plain, plainHits := counted(t, false)
	secure, secureHits := counted(t, true)
	ctx := context.Background()
	for _, allow := range []string{"", "http://localhost:1", "https://api.notion.com"} {
		c := NewCache(t.TempDir(), Options{AllowOrigin: allow})
		if _, err := c.Get(ctx, plain.URL+"/a.png", false); !errors.Is(err, ErrInsecureURL) {
			t.Errorf("allow %q: plain http: %v", allow, err)
		}
	}
	if plainHits.Load() != 0 {
		t.Errorf("plain http was fetched %d times", plainHits.Load())
	}
	c := NewCache(t.TempDir(), trusting(secure, true))
	if _, err := c.Get(ctx, secure.URL+"/a.png", false); err != nil {
		t.Errorf("https: %v", err)
	}
	if secureHits.Load() != 1 {
		t.Errorf("https: %d hits", secureHits.Load())
	}
	for _, u := range []string{"ftp://example.com/a.png", "data:image/png;base64,AAAA", "https://user:pw@example.com/a.png", "//example.com/a.png", "javascript:alert(1)"} {
		if _, err := NewCache(t.TempDir(), Options{}).Get(ctx, u, false); !errors.Is(err, ErrInsecureURL) {
			t.Errorf("%s: %v", u, err)
		}
	}
}

// TestPrivateAddressesAreRefused: https on this computer is refused at
// connect time, by address and by a name that resolves there.
func TestPrivateAddressesAreRefused(t *testing.T) {
	secure, hits := counted(t, true)
	port := strconv.Itoa(secure.Listener.Addr().(*net.TCPAddr).Port)
	c := NewCache(t.TempDir(), trusting(secure, false))
	for _, host := range []string{"127.0.0.1", "localhost", "[::1]"} {
		u := "https://" + host + ":" + port + "/a.png"
		if _, err := c.Get(context.Background(), u, false); !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("%s: %v", u, err)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("the loopback server was reached %d times", hits.Load())
	}
}

// TestRedirectsAreCheckedAndCounted: the redirect from the issue (to an
// admin URL on 127.0.0.1) is refused, over http and over https; a chain of
// three redirects is followed, four is not.
func TestRedirectsAreCheckedAndCounted(t *testing.T) {
	admin, adminHits := counted(t, false)
	secureAdmin, secureHits := counted(t, true)
	var origin *httptest.Server
	origin = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/to-admin":
			http.Redirect(w, r, admin.URL+"/internal-admin?action=reboot", http.StatusFound)
		case r.URL.Path == "/to-secure-admin":
			http.Redirect(w, r, secureAdmin.URL+"/internal-admin?action=reboot", http.StatusFound)
		case strings.HasPrefix(r.URL.Path, "/hop/"):
			n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
			if n == 0 {
				w.Write(pngOf(t, 8, 8))
				return
			}
			http.Redirect(w, r, fmt.Sprintf("%s/hop/%d", origin.URL, n-1), http.StatusFound)
		}
	}))
	defer origin.Close()
	o := trusting(secureAdmin, false)
	o.AllowOrigin = origin.URL
	c := NewCache(t.TempDir(), o)
	ctx := context.Background()
	if _, err := c.Get(ctx, origin.URL+"/to-admin", false); !errors.Is(err, ErrInsecureURL) {
		t.Errorf("redirect to http on loopback: %v", err)
	}
	if _, err := c.Get(ctx, origin.URL+"/to-secure-admin", false); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("redirect to https on loopback: %v", err)
	}
	if adminHits.Load()+secureHits.Load() != 0 {
		t.Errorf("the admin URL was reached: %d, %d", adminHits.Load(), secureHits.Load())
	}
	if _, err := c.Get(ctx, origin.URL+"/hop/3", false); err != nil {
		t.Errorf("three redirects: %v", err)
	}
	if _, err := c.Get(ctx, origin.URL+"/hop/4", false); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("four redirects: %v", err)
	}
}
