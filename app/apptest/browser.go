package apptest

import (
	"io"
	"net/http"
	"sync"
	"time"
)

// Browser follows the consent URL like a browser would, redirects
// included, and remembers the last page it landed on. OpenURL returns once
// the page is loaded, so the flow has reached the callback by then.
type Browser struct {
	mu   sync.Mutex
	urls []string
	body string
	err  error
}

// OpenURL loads u; a failed load is kept in Err, not returned, as a
// browser that shows an error page still opened.
func (b *Browser) OpenURL(u string) error {
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Get(u)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.urls = append(b.urls, u)
	if err != nil {
		b.err = err
		return nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.body = string(body)
	return nil
}

// Page is the body of the last page loaded.
func (b *Browser) Page() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.body
}

// URLs are the URLs opened, in order.
func (b *Browser) URLs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.urls...)
}

// Err is the last load's error, if any.
func (b *Browser) Err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}
