// Package icons downloads item icons once and keeps them on disk under the
// data directory. Notion's "file" icons have signed URLs that die within an
// hour, so an image is cached by its URL without the signature and never
// fetched again while the file is there.
package icons

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "golang.org/x/image/webp"
)

// MaxBytes caps one icon; Notion's are a few kilobytes.
const MaxBytes = 2 << 20

// ErrNotImage: the URL did not answer with an image.
var ErrNotImage = errors.New("not an image")

// Cache is the on-disk icon cache. Safe for concurrent use; downloads of
// the same icon are shared, and at most four run at once.
type Cache struct {
	dir string
	hc  *http.Client

	mu       sync.Mutex
	inflight map[string]*call
	sem      chan struct{}
}

type call struct {
	done chan struct{}
	data []byte
	err  error
}

// New returns a cache in dir (created on first write).
func New(dir string, hc *http.Client) *Cache {
	if hc == nil {
		hc = &http.Client{Timeout: 20 * time.Second}
	}
	return &Cache{dir: dir, hc: hc, inflight: map[string]*call{}, sem: make(chan struct{}, 4)}
}

// Key names an icon: its URL, without the query when the URL expires (the
// query is the signature).
func Key(rawURL string, expires bool) string {
	k := rawURL
	if expires {
		if u, err := url.Parse(rawURL); err == nil {
			u.RawQuery, u.Fragment = "", ""
			k = u.String()
		}
	}
	sum := sha256.Sum256([]byte(k))
	return hex.EncodeToString(sum[:16])
}

func (c *Cache) path(key string) string { return filepath.Join(c.dir, key) }

// Cached returns the icon if it is on disk; it never touches the network.
func (c *Cache) Cached(rawURL string, expires bool) ([]byte, bool) {
	b, err := os.ReadFile(c.path(Key(rawURL, expires)))
	return b, err == nil && len(b) > 0
}

// Get returns the icon from disk, or downloads and keeps it.
func (c *Cache) Get(ctx context.Context, rawURL string, expires bool) ([]byte, error) {
	if b, ok := c.Cached(rawURL, expires); ok {
		return b, nil
	}
	key := Key(rawURL, expires)
	c.mu.Lock()
	if cl, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		select {
		case <-cl.done:
			return cl.data, cl.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	cl := &call{done: make(chan struct{})}
	c.inflight[key] = cl
	c.mu.Unlock()

	cl.data, cl.err = c.download(ctx, rawURL, key)
	c.mu.Lock()
	delete(c.inflight, key)
	c.mu.Unlock()
	close(cl.done)
	return cl.data, cl.err
}

func (c *Cache) download(ctx context.Context, rawURL, key string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("icon URL %q: only http(s) is fetched", rawURL)
	}
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "image/*")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching an icon: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching an icon: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetching an icon: %w", err)
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("icon is larger than %d bytes", MaxBytes)
	}
	if _, err := Format(data); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return nil, err
	}
	// Write then rename, so a half-written file is never read as an icon.
	tmp, err := os.CreateTemp(c.dir, key+".*.tmp")
	if err != nil {
		return nil, err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return nil, errors.Join(werr, cerr)
	}
	if err := os.Rename(tmp.Name(), c.path(key)); err != nil {
		os.Remove(tmp.Name())
		return nil, err
	}
	return data, nil
}

// Format tells what kind of image data is: "png", "jpeg", "gif", "webp" or
// "svg"; anything else is ErrNotImage.
func Format(data []byte) (string, error) {
	if _, f, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		return f, nil
	}
	head := strings.ToLower(string(data[:min(len(data), 512)]))
	if strings.Contains(head, "<svg") {
		return "svg", nil
	}
	return "", ErrNotImage
}
