package reqbudget

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/notion"
)

// TestFileIsOneBucketForEveryOpener: two opens of one workspace's file (as
// two processes would) see one state, every change kept; another workspace
// has its own; the name does not reveal the workspace id.
func TestFileIsOneBucketForEveryOpener(t *testing.T) {
	dir := t.TempDir()
	a, b := Open(dir, "ws-1"), Open(dir, "ws-1")
	other := Open(dir, "ws-2")
	if a.Path() != b.Path() || a.Path() == other.Path() || strings.Contains(a.Path(), "ws-1") {
		t.Fatalf("paths %q %q %q", a.Path(), b.Path(), other.Path())
	}
	var wg sync.WaitGroup
	for _, f := range []*File{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if err := f.Update(context.Background(), func(st *notion.BucketState) { st.Limited++ }); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	var got, fresh notion.BucketState
	_ = a.Update(context.Background(), func(st *notion.BucketState) { got = *st })
	_ = other.Update(context.Background(), func(st *notion.BucketState) { fresh = *st })
	if got.Limited != 100 {
		t.Errorf("100 updates from two openers kept %d", got.Limited)
	}
	if fresh.Limited != 0 {
		t.Errorf("another workspace shares the count: %d", fresh.Limited)
	}
}

// TestDamagedFileBecomesAnEmptyBucket: a torn or absurd file does not stop
// requests; it becomes an empty bucket (the safe guess), not a full one.
func TestDamagedFileBecomesAnEmptyBucket(t *testing.T) {
	for _, content := range []string{`{"tokens":3,"at":"2026-`, "\x00\x00\x00", `{"tokens":1e300}`, `{"paused_until":"2999-01-01T00:00:00Z"}`} {
		f := Open(t.TempDir(), "ws")
		if err := os.MkdirAll(filepath.Dir(f.Path()), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f.Path(), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		var got notion.BucketState
		if err := f.Update(context.Background(), func(st *notion.BucketState) { got = *st }); err != nil {
			t.Fatalf("%q: %v", content, err)
		}
		if got.Tokens != 0 || got.At.IsZero() || got.PausedUntil.After(time.Now()) {
			t.Errorf("%q read as %+v, want an empty bucket as of now", content, got)
		}
	}
}

// TestUpdateWaitsForTheLockUntilItsContextEnds.
func TestUpdateWaitsForTheLockUntilItsContextEnds(t *testing.T) {
	f := Open(t.TempDir(), "ws")
	held := make(chan struct{})
	release := make(chan struct{})
	go func() {
		_ = f.Update(context.Background(), func(*notion.BucketState) { close(held); <-release })
	}()
	<-held
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := f.Update(ctx, func(*notion.BucketState) {}); err != context.DeadlineExceeded {
		t.Errorf("while another holds the file: %v", err)
	}
	close(release)
	if err := f.Update(context.Background(), func(*notion.BucketState) {}); err != nil {
		t.Errorf("after it let go: %v", err)
	}
}

// TestAProcessKilledMidUpdate: a process killed while it holds the budget
// (here, in the middle of an update) neither blocks the others nor damages
// what they share: the lock goes with it and the last state stands.
func TestAProcessKilledMidUpdate(t *testing.T) {
	dir := t.TempDir()
	f := Open(dir, "ws")
	if err := f.Update(context.Background(), func(st *notion.BucketState) { st.Limited = 7 }); err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0], "-test.run=^TestAProcessKilledMidUpdate$")
	child.Env = append(os.Environ(), holderEnv+"="+dir)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	// The child says "holding" from inside its update, then waits forever.
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "holding\n" {
		_ = child.Process.Kill()
		t.Fatalf("child said %q", line)
	}
	_ = child.Process.Kill() // our own child, by its id
	_ = child.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got notion.BucketState
	if err := f.Update(ctx, func(st *notion.BucketState) { got = *st }); err != nil {
		t.Fatalf("after the holder died: %v", err)
	}
	if got.Limited != 7 {
		t.Errorf("the state after the kill: %+v, want the one before it", got)
	}
}

const holderEnv = "REQBUDGET_TEST_HOLDER"

func TestMain(m *testing.M) {
	if dir := os.Getenv(holderEnv); dir != "" {
		_ = Open(dir, "ws").Update(context.Background(), func(st *notion.BucketState) {
			st.Limited = 1000 // never written: the process dies first
			fmt.Println("holding")
			time.Sleep(time.Hour)
		})
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// TestPreviewGoesFirstThroughTheFile: crawls in three budgets on the file
// (three processes) keep it busy; a preview asked for through a fourth goes
// ahead of them, behind at most the one crawl request being granted.
func TestPreviewGoesFirstThroughTheFile(t *testing.T) {
	dir := t.TempDir()
	window := notion.NewBudget(notion.BudgetOptions{Rate: 20, Burst: 1, Store: Open(dir, "ws")})
	budgets := []*notion.Budget{window}
	ctx, stop := context.WithCancel(context.Background())
	var mu sync.Mutex
	crawled := 0
	var wg sync.WaitGroup
	for range 3 {
		crawler := notion.NewBudget(notion.BudgetOptions{Rate: 20, Burst: 1, Store: Open(dir, "ws")})
		budgets = append(budgets, crawler)
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
	start := time.Now()
	for round := range 10 {
		for n := count(); count() < n+3; {
			time.Sleep(5 * time.Millisecond)
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
	for _, b := range budgets {
		b.Close() // their last writes land before the directory goes
	}
	// All of them together kept to the shared pace (20/s, burst 1).
	if n, most := count()+10, 1+20*time.Since(start).Seconds(); float64(n) > most+1 {
		t.Errorf("%d requests in %v: more than the shared budget's %.0f", n, time.Since(start), most)
	}
}
