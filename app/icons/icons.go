// Package icons turns item icons into small PNG thumbnails and keeps them
// on disk under the data directory. Notion's "file" icons have signed URLs
// that die within an hour, so a thumbnail is kept by its URL without the
// signature and never fetched again while it is there.
//
// Icon URLs are chosen by whoever can edit a shared page, so everything
// about them is hostile until checked: the URL (https only, never this
// computer or its network), the size of the download and the size the image
// declares (both before decoding), and the drawing of an SVG (at thumbnail
// size). Only the thumbnail this package wrote is ever read back; an icon
// that failed is remembered, on disk too, and not fetched again until its
// retry time.
package icons

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io/fs"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// How long a failure is remembered: a refusal or a bad image stays bad; a
// network error or an outage may pass.
const (
	RetryPermanent = 24 * time.Hour
	RetryTransient = 15 * time.Minute
)

// ErrFailedBefore wraps the remembered failure of an icon that is not
// fetched again before its retry time.
var ErrFailedBefore = errors.New("the icon failed before")

// Options tune a Cache.
type Options struct {
	// AllowOrigin is the one origin fetched over plain http and on this
	// computer or the local network: PAGEDECK_NOTION_URL, so the emulator
	// in tests and the demo keeps working. Empty: none.
	AllowOrigin string
	// Timeout bounds one download; default 20s.
	Timeout time.Duration

	// tlsConfig and publicIP let tests reach TLS servers on loopback.
	tlsConfig *tls.Config
	publicIP  func(netip.Addr) bool
}

// Cache is the on-disk icon cache. Safe for concurrent use; downloads of
// the same icon are shared, and at most four run at once.
type Cache struct {
	dir   string
	fetch *fetcher
	now   func() time.Time

	mu       sync.Mutex
	inflight map[string]*call
	failed   map[string]failure
	sem      chan struct{}
}

type call struct {
	done chan struct{}
	data []byte
	err  error
}

// failure is a remembered failure, as kept on disk.
type failure struct {
	URL     string    `json:"url"` // the full URL that failed
	Reason  string    `json:"reason"`
	RetryAt time.Time `json:"retry_at"`
}

// NewCache returns a cache in dir (created on first write).
func NewCache(dir string, o Options) *Cache {
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	f := newFetcher(o.AllowOrigin, o.Timeout, o.tlsConfig)
	if o.publicIP != nil {
		f.publicIP = o.publicIP
	}
	return &Cache{dir: dir, fetch: f, now: time.Now, inflight: map[string]*call{}, failed: map[string]failure{}, sem: make(chan struct{}, 4)}
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

// Files: KEY.png is a thumbnail this package wrote, KEY.fail a remembered
// failure. Anything else (an older Pagedeck kept the original image as
// KEY) is not read.
func (c *Cache) thumbPath(key string) string { return filepath.Join(c.dir, key+".png") }
func (c *Cache) failPath(key string) string  { return filepath.Join(c.dir, key+".fail") }

// Cached returns the thumbnail if it is on disk; it never touches the
// network.
func (c *Cache) Cached(rawURL string, expires bool) ([]byte, bool) {
	return c.cached(Key(rawURL, expires))
}

func (c *Cache) cached(key string) ([]byte, bool) {
	b, err := os.ReadFile(c.thumbPath(key))
	if err != nil {
		return nil, false
	}
	if !isThumbnail(b) {
		// Not what this package writes (damaged, or put there by someone
		// else): a miss, and out of the way.
		_ = os.Remove(c.thumbPath(key))
		return nil, false
	}
	return b, true
}

// Thumbnails hands fn the thumbnails on disk, newest first, until they
// come to maxBytes, so a window can hold the icons it will most likely show
// before it shows them. Call it off the UI goroutine.
func (c *Cache) Thumbnails(ctx context.Context, maxBytes int64, fn func(key string, png []byte)) error {
	entries, err := os.ReadDir(c.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	type thumb struct {
		key  string
		mod  time.Time
		size int64
	}
	var thumbs []thumb
	for _, e := range entries {
		key, ok := strings.CutSuffix(e.Name(), ".png")
		if !ok || !e.Type().IsRegular() {
			continue
		}
		if info, err := e.Info(); err == nil {
			thumbs = append(thumbs, thumb{key, info.ModTime(), info.Size()})
		}
	}
	slices.SortFunc(thumbs, func(a, b thumb) int { return b.mod.Compare(a.mod) })
	var total int64
	for _, t := range thumbs {
		if total += t.size; total > maxBytes || ctx.Err() != nil {
			break
		}
		if b, ok := c.cached(t.key); ok {
			fn(t.key, b)
		}
	}
	return ctx.Err()
}

// isThumbnail: a PNG within the thumbnail size.
func isThumbnail(b []byte) bool {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	return err == nil && cfg.Width > 0 && cfg.Height > 0 && cfg.Width <= ThumbSize && cfg.Height <= ThumbSize
}

// Get returns the icon at rawURL as a PNG of at most ThumbSize pixels a
// side: from disk, or downloaded, checked and drawn. Call it off the UI
// goroutine. An icon that failed returns an error wrapping ErrFailedBefore
// (and the first reason) until its retry time.
func (c *Cache) Get(ctx context.Context, rawURL string, expires bool) ([]byte, error) {
	key := Key(rawURL, expires)
	if b, ok := c.cached(key); ok {
		return b, nil
	}
	if f, ok := c.failure(key, rawURL, expires); ok {
		return nil, fmt.Errorf("%w (%s); next try after %s", ErrFailedBefore, f.Reason, f.RetryAt.Local().Format("15:04"))
	}
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

	cl.data, cl.err = c.load(ctx, rawURL, key)
	c.mu.Lock()
	delete(c.inflight, key)
	c.mu.Unlock()
	close(cl.done)
	return cl.data, cl.err
}

func (c *Cache) load(ctx context.Context, rawURL, key string) ([]byte, error) {
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	data, err := c.fetch.get(ctx, rawURL)
	if err == nil {
		data, err = Thumbnail(data)
	}
	if err != nil {
		if ctx.Err() == nil { // a cancelled fetch says nothing about the icon
			c.remember(key, rawURL, err)
		}
		return nil, err
	}
	if err := c.write(c.thumbPath(key), data); err != nil {
		return data, nil // shown now, fetched again next time
	}
	_ = os.Remove(c.failPath(key))
	_ = os.Remove(filepath.Join(c.dir, key)) // an older Pagedeck's original
	return data, nil
}

// transient: worth trying again soon (the network, an outage), as opposed
// to a refusal or a bad image.
func transient(err error) bool {
	var he *httpError
	if errors.As(err, &he) {
		return he.status == 408 || he.status == 429 || he.status >= 500
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded)
}

func (c *Cache) remember(key, rawURL string, err error) {
	wait := RetryPermanent
	if transient(err) {
		wait = RetryTransient
	}
	f := failure{URL: rawURL, Reason: err.Error(), RetryAt: c.now().Add(wait).UTC()}
	c.mu.Lock()
	c.failed[key] = f
	c.mu.Unlock()
	if b, err := json.Marshal(f); err == nil {
		_ = c.write(c.failPath(key), b)
	}
}

// failure reports a remembered failure that still holds. A new signature
// on an expiring URL is a new chance: the old one may simply have expired.
func (c *Cache) failure(key, rawURL string, expires bool) (failure, bool) {
	c.mu.Lock()
	f, ok := c.failed[key]
	c.mu.Unlock()
	if !ok {
		b, err := os.ReadFile(c.failPath(key))
		if err != nil || len(b) > 64<<10 || json.Unmarshal(b, &f) != nil {
			return failure{}, false
		}
	}
	if !c.now().Before(f.RetryAt) || (expires && f.URL != rawURL) {
		return failure{}, false
	}
	return f, true
}

// write puts b at path through a temporary file, so a half-written file is
// never read.
func (c *Cache) write(path string, b []byte) error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(c.dir, filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return errors.Join(werr, cerr)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
