package icons

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCache(t *testing.T) {
	pic := pngBytes(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/a.png":
			w.Write(pic)
		case "/page.html":
			w.Write([]byte("<html>not an icon</html>"))
		case "/icon.svg":
			w.Write([]byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`))
		case "/huge":
			w.Write(bytes.Repeat([]byte{0}, MaxBytes+10))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := New(t.TempDir(), nil)
	ctx := context.Background()

	if _, ok := c.Cached(srv.URL+"/a.png?sig=1", true); ok {
		t.Fatal("cached before any download")
	}
	got, err := c.Get(ctx, srv.URL+"/a.png?sig=1", true)
	if err != nil || !bytes.Equal(got, pic) {
		t.Fatalf("Get = %d bytes, %v", len(got), err)
	}
	// A new signature for the same file: served from disk.
	if got, err := c.Get(ctx, srv.URL+"/a.png?sig=2", true); err != nil || !bytes.Equal(got, pic) || hits.Load() != 1 {
		t.Errorf("re-signed URL: %v, %d hits", err, hits.Load())
	}
	// A new cache over the same dir (the next start) needs no network.
	if got, ok := New(c.dir, nil).Cached(srv.URL+"/a.png?sig=3", true); !ok || !bytes.Equal(got, pic) {
		t.Error("the disk cache did not survive")
	}
	// Non-expiring URLs keep their query in the key.
	if Key("https://x/a.png?v=1", false) == Key("https://x/a.png?v=2", false) || Key("https://x/a.png?s=1", true) != Key("https://x/a.png?s=2", true) {
		t.Error("keys")
	}
	if f, err := Format(pic); err != nil || f != "png" {
		t.Errorf("Format = %q %v", f, err)
	}
	if b, err := c.Get(ctx, srv.URL+"/icon.svg", false); err != nil || !strings.Contains(string(b), "<svg") {
		t.Errorf("svg: %v", err)
	}
	for _, bad := range []string{"/page.html", "/huge", "/missing"} {
		if _, err := c.Get(ctx, srv.URL+bad, false); err == nil {
			t.Errorf("%s accepted", bad)
		}
		if _, ok := c.Cached(srv.URL+bad, false); ok {
			t.Errorf("%s cached", bad)
		}
	}
	if _, err := c.Get(ctx, "file:///etc/passwd", false); err == nil {
		t.Error("file: URL fetched")
	}
	entries, _ := os.ReadDir(c.dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temp file left: %s", e.Name())
		}
	}
}

func TestConcurrentGetsShareOneDownload(t *testing.T) {
	pic := pngBytes(t)
	var hits atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		<-release
		w.Write(pic)
	}))
	defer srv.Close()
	c := New(t.TempDir(), nil)
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
