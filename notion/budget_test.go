package notion_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
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

// TestBudgetSharedByTwoClients: two clients (two processes, each with its
// own Client) on one shared bucket stay within Notion's limit together,
// where each on its own budget would take the whole limit and collide.
func TestBudgetSharedByTwoClients(t *testing.T) {
	emu := notiontest.NewServer(notiontest.Options{RateLimit: 10, Burst: 5})
	t.Cleanup(emu.Close)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	tok := notion.Secret(emu.AddInternalToken(ws))
	shared := &notion.MemoryBucket{}
	var wg sync.WaitGroup
	for range 2 {
		c := notion.New(notion.Options{BaseURL: emu.URL(), RateLimit: 10, Burst: 3})
		c.UseBudget(tok, notion.NewBudget(notion.BudgetOptions{Rate: 10, Burst: 3, Store: shared}))
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 5 {
					if _, err := c.Me(context.Background(), tok); err != nil {
						t.Error(err)
					}
				}
			}()
		}
	}
	wg.Wait()
	for _, r := range emu.Requests() {
		if r.Status == http.StatusTooManyRequests {
			t.Errorf("a 429 at %v: the two clients went past the limit together", r.At)
		}
	}
}

// TestBudgetPauseHoldsEveryClient: a 429, or a 529, on one client pauses
// the other client sharing the bucket for exactly Retry-After, and both then
// finish.
func TestBudgetPauseHoldsEveryClient(t *testing.T) {
	for _, fault := range []notiontest.Fault{notiontest.FaultRateLimit, notiontest.FaultOverload} {
		t.Run(fault.String(), func(t *testing.T) {
			emu := notiontest.NewServer(notiontest.Options{RateLimit: -1})
			t.Cleanup(emu.Close)
			ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
			tok := notion.Secret(emu.AddInternalToken(ws))
			emu.SetRetryAfter(1)
			emu.FailNext("/v1/users/me", 1, fault)
			shared := &notion.MemoryBucket{}
			var wg sync.WaitGroup
			for range 2 {
				c := notion.New(notion.Options{BaseURL: emu.URL(), RateLimit: 20, Burst: 1})
				c.UseBudget(tok, notion.NewBudget(notion.BudgetOptions{Rate: 20, Burst: 1, Store: shared}))
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 4 {
						if _, err := c.Me(context.Background(), tok); err != nil {
							t.Error(err)
						}
					}
				}()
			}
			wg.Wait()
			assertPaused(t, emu.Requests(), time.Second)
		})
	}
}

// assertPaused: after each 429, no request arrived until the pause was over
// (those sent before the 429 came back excepted: the budget grants one at a
// time, so at most one can be in flight per 1/rate).
func assertPaused(t *testing.T, reqs []notiontest.Request, pause time.Duration) {
	t.Helper()
	limited := 0
	for i, r := range reqs {
		if r.Status != http.StatusTooManyRequests && r.Status != 529 {
			continue
		}
		limited++
		for _, later := range reqs[i+1:] {
			if d := later.At.Sub(r.At); d > 20*time.Millisecond && d < pause-10*time.Millisecond {
				t.Errorf("a request went out %v after a 429 asking for %v", d, pause)
			}
		}
	}
	if limited == 0 {
		t.Fatal("no 429 or 529 came: the test proves nothing")
	}
}

// TestBudgetRefusesAWaitPastTheDeadline: a caller that waits out Notion's
// long pause hears of it once; one whose deadline (or max pause) comes
// first fails at once and is told when to try again.
func TestBudgetRefusesAWaitPastTheDeadline(t *testing.T) {
	emu := notiontest.NewServer(notiontest.Options{RateLimit: -1})
	t.Cleanup(emu.Close)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	tok := notion.Secret(emu.AddInternalToken(ws))
	emu.SetRetryAfter(120)
	emu.FailNext("/v1/users/me", 1, notiontest.FaultRateLimit)
	told := make(chan notion.Pause, 10)
	c := notion.New(notion.Options{BaseURL: emu.URL()})
	c.UseBudget(tok, notion.NewBudget(notion.BudgetOptions{OnPause: func(p notion.Pause) { told <- p }}))

	patient, stop := context.WithCancel(context.Background())
	waited := make(chan error, 1)
	go func() {
		_, err := c.Me(patient, tok)
		waited <- err
	}()
	p := <-told
	if p.For != 2*time.Minute || p.String() != "Notion asked Pagedeck to wait 2 min (this connection's per-minute budget)" {
		t.Errorf("told %+v: %s", p, p)
	}

	for name, ctx := range map[string]context.Context{
		"deadline":  deadline(t, time.Minute),
		"max pause": notion.WithMaxPause(context.Background(), time.Minute),
	} {
		_, err := c.Me(ctx, tok)
		var pe *notion.PauseError
		if !errors.As(err, &pe) || !notion.IsRateLimited(err) {
			t.Fatalf("%s: want a *PauseError matching ErrRateLimited, got %v", name, err)
		}
		if ctx.Err() != nil {
			t.Errorf("%s: the call waited for its deadline instead of failing at once", name)
		}
		const words = "Notion asked Pagedeck to wait 2 min (this connection's per-minute budget); try again after "
		if !strings.HasPrefix(err.Error(), words) {
			t.Errorf("%s: error %q, want it to start %q", name, err, words)
		}
	}
	stop()
	if err := <-waited; !errors.Is(err, context.Canceled) {
		t.Errorf("the patient caller: %v", err)
	}
	if n := emu.Count("GET", "/v1/users/me"); n != 1 {
		t.Errorf("%d requests reached Notion during its pause, want only the first", n)
	}
	select {
	case p := <-told:
		t.Errorf("told twice of one pause: %v", p)
	default:
	}
}

func deadline(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// TestBudgetInteractiveFirstAcrossProcesses: crawls in three other
// processes keep the shared bucket busy; a preview asked for in the window
// goes ahead of them all, behind at most the one crawl request already
// being granted.
func TestBudgetInteractiveFirstAcrossProcesses(t *testing.T) {
	shared := &notion.MemoryBucket{}
	window := notion.NewBudget(notion.BudgetOptions{Rate: 20, Burst: 1, Store: shared})
	ctx, stop := context.WithCancel(context.Background())
	var mu sync.Mutex
	crawled := 0
	var wg sync.WaitGroup
	for range 3 {
		crawler := notion.NewBudget(notion.BudgetOptions{Rate: 20, Burst: 1, Store: shared})
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for crawler.Wait(ctx, notion.PriorityBackground) == nil {
					mu.Lock()
					crawled++
					mu.Unlock()
				}
			}()
		}
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return crawled }
	for round := range 10 {
		for n := count(); count() < n+3; {
			time.Sleep(5 * time.Millisecond) // the crawl is going at the full pace
		}
		before := count()
		if err := window.Wait(context.Background(), notion.PriorityInteractive); err != nil {
			t.Fatal(err)
		}
		if ahead := count() - before; ahead > 1 {
			t.Errorf("round %d: %d crawl requests went ahead of the preview", round, ahead)
		}
	}
	stop()
	wg.Wait()
}

type brokenStore struct{}

func (brokenStore) Update(context.Context, func(*notion.BucketState)) error {
	return errors.New("disk full")
}

// TestBudgetOutlivesABrokenStore: when the shared file cannot be used,
// requests still go, paced by the process's own bucket.
func TestBudgetOutlivesABrokenStore(t *testing.T) {
	b := notion.NewBudget(notion.BudgetOptions{Rate: 1, Burst: 2, Store: brokenStore{}})
	for range 2 {
		if err := b.Wait(deadline(t, 10*time.Second), notion.PriorityNormal); err != nil {
			t.Fatal(err)
		}
	}
	if st := b.State(); st.Tokens >= 1 {
		t.Errorf("after the burst the bucket still holds %.2f tokens: not paced", st.Tokens)
	}
}

// TestBudgetCloseRefusesWaiters: closing a budget (the app quitting) ends
// even a wait for a long pause, and returns once its goroutine is done.
func TestBudgetCloseRefusesWaiters(t *testing.T) {
	b := notion.NewBudget(notion.BudgetOptions{})
	b.Limited(time.Hour, "rate_limited")
	got := make(chan error, 1)
	go func() { got <- b.Wait(context.Background(), notion.PriorityInteractive) }()
	for b.State().Waiting == 0 {
		time.Sleep(time.Millisecond)
	}
	b.Close()
	if err := <-got; !errors.Is(err, notion.ErrBudgetClosed) {
		t.Errorf("a waiter at Close: %v", err)
	}
	if err := b.Wait(context.Background(), notion.PriorityNormal); !errors.Is(err, notion.ErrBudgetClosed) {
		t.Errorf("a Wait after Close: %v", err)
	}
}
