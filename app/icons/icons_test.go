package icons

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCache: icons from the configured Notion origin become thumbnails on
// disk, found again by a re-signed URL and by the next start; bad ones are
// refused and nothing but thumbnails is kept.
func TestCache(t *testing.T) {
	wide := pngOf(t, 512, 256)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/a.png":
			w.Write(wide)
		case "/page.html":
			w.Write([]byte("<html>not an icon</html>"))
		case "/icon.svg":
			w.Write([]byte(okSVG))
		case "/huge":
			w.Write(bytes.Repeat([]byte{0}, MaxBytes+10))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := NewCache(t.TempDir(), Options{AllowOrigin: srv.URL})
	ctx := context.Background()

	if _, ok := c.Cached(srv.URL+"/a.png?sig=1", true); ok {
		t.Fatal("cached before any download")
	}
	got, err := c.Get(ctx, srv.URL+"/a.png?sig=1", true)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := thumbSize(t, got); w != 128 || h != 64 {
		t.Errorf("thumbnail %d×%d, want 128×64", w, h)
	}
	// A new signature for the same file: served from disk.
	if again, err := c.Get(ctx, srv.URL+"/a.png?sig=2", true); err != nil || !bytes.Equal(again, got) || hits.Load() != 1 {
		t.Errorf("re-signed URL: %v, %d hits", err, hits.Load())
	}
	// A new cache over the same dir (the next start) needs no network.
	if b, ok := NewCache(c.dir, Options{}).Cached(srv.URL+"/a.png?sig=3", true); !ok || !bytes.Equal(b, got) {
		t.Error("the disk cache did not survive")
	}
	// Non-expiring URLs keep their query in the key.
	if Key("https://x/a.png?v=1", false) == Key("https://x/a.png?v=2", false) || Key("https://x/a.png?s=1", true) != Key("https://x/a.png?s=2", true) {
		t.Error("keys")
	}
	b, err := c.Get(ctx, srv.URL+"/icon.svg", false)
	if err != nil {
		t.Fatalf("svg: %v", err)
	}
	if w, h := thumbSize(t, b); w != 128 || h != 128 {
		t.Errorf("svg thumbnail %d×%d", w, h)
	}
	for bad, want := range map[string]error{"/page.html": ErrNotImage, "/huge": ErrTooLarge, "/missing": nil} {
		if _, err := c.Get(ctx, srv.URL+bad, false); err == nil || (want != nil && !errors.Is(err, want)) {
			t.Errorf("%s: %v", bad, err)
		}
		if _, ok := c.Cached(srv.URL+bad, false); ok {
			t.Errorf("%s cached", bad)
		}
	}
	if _, err := c.Get(ctx, "file:///etc/passwd", false); !errors.Is(err, ErrInsecureURL) {
		t.Errorf("file: URL: %v", err)
	}
	entries, _ := os.ReadDir(c.dir)
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, ".png"):
			if b, _ := os.ReadFile(filepath.Join(c.dir, name)); !isThumbnail(b) || bytes.Equal(b, wide) {
				t.Errorf("%s is not a thumbnail", name)
			}
		case strings.HasSuffix(name, ".fail"):
		default:
			t.Errorf("unexpected file in the cache: %s", name)
		}
	}
}

func TestConcurrentGetsShareOneDownload(t *testing.T) {
	pic := pngOf(t, 4, 4)
	var hits atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		<-release
		w.Write(pic)
	}))
	defer srv.Close()
	c := NewCache(t.TempDir(), Options{AllowOrigin: srv.URL})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Get(context.Background(), srv.URL+"/x.png", false); err != nil {
				t.Error(err)
			}
		}()
	}
	for {
		c.mu.Lock()
		n := len(c.inflight)
		c.mu.Unlock()
		if n == 1 && hits.Load() == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if hits.Load() != 1 {
		t.Errorf("%d downloads, want 1", hits.Load())
	}
}

// TestFailuresAreRemembered: a failed icon is not fetched again before its
// retry time, not even by the next start; a refusal waits a day, an outage
// a quarter of an hour; an expiring URL with a new signature is a new try.
func TestFailuresAreRemembered(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/gone.png":
			http.NotFound(w, r)
		case "/down.png":
			http.Error(w, "down", http.StatusServiceUnavailable)
		case "/bomb.svg":
			w.Write([]byte(hugeSVG))
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := NewCache(dir, Options{AllowOrigin: srv.URL})
	c.now = func() time.Time { return now }
	ctx := context.Background()
	for _, p := range []string{"/gone.png", "/down.png", "/bomb.svg"} {
		if _, err := c.Get(ctx, srv.URL+p, false); err == nil || errors.Is(err, ErrFailedBefore) {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if hits.Load() != 3 {
		t.Fatalf("%d hits", hits.Load())
	}
	next := NewCache(dir, Options{AllowOrigin: srv.URL})
	next.now = c.now
	for _, cache := range []*Cache{c, next} {
		for _, p := range []string{"/gone.png", "/down.png", "/bomb.svg"} {
			if _, err := cache.Get(ctx, srv.URL+p, false); !errors.Is(err, ErrFailedBefore) {
				t.Errorf("%s again: %v", p, err)
			}
		}
	}
	if hits.Load() != 3 {
		t.Errorf("a failed icon was fetched again: %d hits", hits.Load())
	}
	now = now.Add(RetryTransient + time.Minute)
	c.Get(ctx, srv.URL+"/down.png", false)
	c.Get(ctx, srv.URL+"/gone.png", false)
	if hits.Load() != 4 {
		t.Errorf("after %s: %d hits, want the outage retried only", RetryTransient, hits.Load())
	}
	now = now.Add(RetryPermanent)
	c.Get(ctx, srv.URL+"/gone.png", false)
	if hits.Load() != 5 {
		t.Errorf("after a day: %d hits", hits.Load())
	}
	// An expiring URL: a new signature is tried, the same one is not.
	c.Get(ctx, srv.URL+"/gone.png?sig=1", true)
	c.Get(ctx, srv.URL+"/gone.png?sig=1", true)
	c.Get(ctx, srv.URL+"/gone.png?sig=2", true)
	if hits.Load() != 7 {
		t.Errorf("expiring URLs: %d hits, want 7", hits.Load())
	}
}

// TestOldCacheFilesAreMisses: an older Pagedeck kept the original image
// (here the SVG that crashed it) as KEY; a damaged or oversized KEY.png may
// be there too. None is ever handed out: the icon is fetched again as a
// thumbnail.
func TestOldCacheFilesAreMisses(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write(pngOf(t, 32, 32))
	}))
	defer srv.Close()
	dir := t.TempDir()
	for i, junk := range [][]byte{[]byte("half a png"), pngOf(t, 1024, 8), []byte(hugeSVG)} {
		u := fmt.Sprintf("%s/%d.png", srv.URL, i)
		key := Key(u, false)
		os.WriteFile(filepath.Join(dir, key), []byte(hugeSVG), 0o600) // the old layout
		os.WriteFile(filepath.Join(dir, key+".png"), junk, 0o600)
		c := NewCache(dir, Options{AllowOrigin: srv.URL})
		if _, ok := c.Cached(u, false); ok {
			t.Errorf("junk %d was served from the cache", i)
		}
		b, err := c.Get(context.Background(), u, false)
		if err != nil {
			t.Fatal(err)
		}
		if w, h := thumbSize(t, b); w != 32 || h != 32 {
			t.Errorf("%d×%d", w, h)
		}
		if _, err := os.Stat(filepath.Join(dir, key)); err == nil {
			t.Error("the old original is still there")
		}
	}
	if hits.Load() != 3 {
		t.Errorf("%d fetches, want 3", hits.Load())
	}
}

// TestThumbnailsOnDisk: a window's warm-up reads the newest thumbnails on disk
// within its byte budget, and skips what is no thumbnail.
func TestThumbnailsOnDisk(t *testing.T) {
	dir := t.TempDir()
	c := NewCache(dir, Options{})
	pic := pngOf(t, 8, 8)
	now := time.Now()
	for i, key := range []string{"old", "mid", "new"} {
		p := filepath.Join(dir, key+".png")
		if err := os.WriteFile(p, pic, 0o600); err != nil {
			t.Fatal(err)
		}
		when := now.Add(time.Duration(i-3) * time.Hour)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}
	damaged := filepath.Join(dir, "damaged.png")
	if err := os.WriteFile(damaged, []byte("not a png"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(damaged, now.Add(-9*time.Hour), now.Add(-9*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.fail"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	read := func(budget int64) []string {
		var keys []string
		if err := c.Thumbnails(context.Background(), budget, func(key string, b []byte) {
			if !bytes.Equal(b, pic) {
				t.Errorf("%s: not the thumbnail on disk", key)
			}
			keys = append(keys, key)
		}); err != nil {
			t.Fatal(err)
		}
		return keys
	}
	if got := strings.Join(read(1<<20), " "); got != "new mid old" {
		t.Errorf("with room for all: %q, want the thumbnails newest first", got)
	}
	if got := strings.Join(read(int64(2*len(pic))), " "); got != "new mid" {
		t.Errorf("with room for two: %q", got)
	}
	if _, err := os.Stat(damaged); err == nil {
		t.Error("the damaged thumbnail is still in the cache")
	}
	if err := NewCache(filepath.Join(dir, "none"), Options{}).Thumbnails(context.Background(), 1<<20, func(string, []byte) {
		t.Error("a thumbnail from a cache never written")
	}); err != nil {
		t.Errorf("a cache never written: %v", err)
	}
}
