package app_test

import (
	"context"
	"sync"
	"testing"

	"github.com/pagedeck/pagedeck/app"
)

// TestCloseWaitsForBackgroundCrawls: AutoSync's crawls (StartCrawl) are
// owned by the Core: Close stops them and returns only once they have
// ended, so nothing touches the data dir after it; a crawl started after
// Close does not run.
func TestCloseWaitsForBackgroundCrawls(t *testing.T) {
	h, _, ws, _ := contentHarness(t, 300, nil)
	c := h.Core()
	var mu sync.Mutex
	progressed, ended := make(chan struct{}), false
	var once sync.Once
	c.Subscribe(func(e app.Event) {
		switch e := e.(type) {
		case app.ContentProgressed:
			if e.Progress.Done > 0 {
				once.Do(func() { close(progressed) })
			}
		case app.ContentDone:
			mu.Lock()
			ended = true
			mu.Unlock()
		}
	})
	c.StartCrawl(context.Background(), ws)
	<-progressed
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	done := ended
	mu.Unlock()
	if !done {
		t.Fatal("Close returned while the crawl was still running")
	}
	before := h.markdownCalls()
	c.StartCrawl(context.Background(), ws) // after Close: nothing starts
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if got := h.markdownCalls(); got != before {
		t.Errorf("a crawl ran after Close: %d more calls", got-before)
	}
	if n := c.ContentStored(ws); n >= h.pages(ws) {
		t.Errorf("the crawl was not stopped: %d of %d stored", n, h.pages(ws))
	}
}
