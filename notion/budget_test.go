package notion_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func TestBudgetServesInteractiveFirst(t *testing.T) {
	emu := notiontest.NewServer(notiontest.Options{RateLimit: -1})
	t.Cleanup(emu.Close)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	tok := notion.Secret(emu.AddInternalToken(ws))
	c := notion.New(notion.Options{BaseURL: emu.URL(), RateLimit: 20, Burst: 1})
	b := c.Budget(tok)

	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	bg := notion.WithPriority(context.Background(), notion.PriorityBackground)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Me(bg, tok); err == nil {
				mu.Lock()
				order = append(order, "crawl")
				mu.Unlock()
			}
		}()
	}
	for b.State().Waiting < 6 {
		time.Sleep(time.Millisecond)
	}
	if _, err := c.Me(notion.WithPriority(context.Background(), notion.PriorityInteractive), tok); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	ahead := len(order)
	mu.Unlock()
	wg.Wait()
	// The interactive call arrived behind at least six queued crawl calls;
	// it may go after the one or two already granted, never after them all.
	if ahead > 2 {
		t.Errorf("%d background calls went before the interactive one", ahead)
	}
}

func TestBudgetHonoursRetryAfterAndLearns(t *testing.T) {
	// Notion allows 4/s with a burst of 2; the client starts too eager.
	emu := notiontest.NewServer(notiontest.Options{RateLimit: 4, Burst: 2})
	t.Cleanup(emu.Close)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	tok := notion.Secret(emu.AddInternalToken(ws))
	c := notion.New(notion.Options{BaseURL: emu.URL(), RateLimit: 4, Burst: 8, Retry: notion.RetryPolicy{MaxRetries: 10}})
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Me(context.Background(), tok); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st := c.Budget(tok).State()
	if st.Limited == 0 {
		t.Fatal("no 429 reached the budget: the test proves nothing")
	}
	if st.MaxBurst >= 8 || st.Burst >= 8 {
		t.Errorf("after a 429 at burst 8 the budget still allows %d (max %d)", st.Burst, st.MaxBurst)
	}
	// Nothing was sent during a Retry-After pause (1 s in the emulator).
	reqs := emu.Requests()
	for i, r := range reqs {
		if r.Status != http.StatusTooManyRequests {
			continue
		}
		for _, later := range reqs[i+1:] {
			if later.At.After(r.At) && later.At.Sub(r.At) < 990*time.Millisecond && later.Status == http.StatusOK {
				// Requests already in flight when the 429 came may land;
				// anything started after it must wait.
				if later.At.Sub(r.At) > 100*time.Millisecond {
					t.Errorf("a request went out %v after a 429 asking for 1s", later.At.Sub(r.At))
				}
			}
		}
	}
}
