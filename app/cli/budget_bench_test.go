package cli

import (
	"syscall"
	"testing"
	"time"
)

// The request budget as a user meets it: against the emulator limited to
// 3 requests/s with a burst of 5, each pagedeck a process of its own, and
// the server's bucket drained first by `pagedeck connect` (whose first sync
// spends it), as on a user's machine. Each reports its wall time against
// the bound a perfect client reaches for the requests made,
// (accepted calls − tokens left in the server's bucket) / 3 s, and the 429s.
// The item lists only (--no-content): the crawl of every page would take
// minutes and measure the same pace.

const benchItems = 1300

func reportBound(b *testing.B, el time.Duration, calls, limited int, tokens float64) {
	bd := bound(calls-limited, tokens) // a refused call spends nothing
	b.ReportMetric(float64(calls), "calls")
	b.ReportMetric(float64(limited), "429s")
	b.ReportMetric(el.Seconds(), "wall-s")
	b.ReportMetric(bd.Seconds(), "bound-s")
	b.ReportMetric(el.Seconds()/bd.Seconds(), "bound-ratio")
}

// BenchmarkSyncAfterConnect: `pagedeck connect`, then at once
// `pagedeck sync --full`.
func BenchmarkSyncAfterConnect(b *testing.B) {
	for b.Loop() {
		w := newBudgetWorld(b, benchItems)
		w.connect()
		from, tokens := len(w.emu.Requests()), w.emu.RateTokens(w.ws)
		p := w.start("sync", "--full", "--no-content")
		if code := p.wait(); code != 0 {
			b.Fatalf("sync: exit %d: %s", code, p.stderr)
		}
		calls, limited := w.tally(from)
		reportBound(b, p.end.Sub(p.start), calls, limited, tokens)
	}
}

// BenchmarkTwoSyncsAtOnce: after a connect, two `pagedeck sync --full` of
// the workspace started together; the bound is for their combined calls.
func BenchmarkTwoSyncsAtOnce(b *testing.B) {
	for b.Loop() {
		w := newBudgetWorld(b, benchItems)
		w.connect()
		from, tokens := len(w.emu.Requests()), w.emu.RateTokens(w.ws)
		p1 := w.start("sync", "--full", "--no-content")
		p2 := w.start("sync", "--full", "--no-content")
		c1, c2 := p1.wait(), p2.wait()
		if c1 != 0 || c2 != 0 {
			b.Errorf("exits %d and %d: %s / %s", c1, c2, p1.stderr, p2.stderr)
		}
		calls, limited := w.tally(from)
		reportBound(b, span(p1, p2), calls, limited, tokens)
	}
}

// BenchmarkCrawlPlusSync: after a connect, a window-style background
// refresh (a quick refresh, then the content crawl of every page, at
// background priority) runs while the user's `pagedeck sync --full`
// starts. The bound is for every call made while the sync ran, both
// processes together; "sync-own-ratio" is the sync's time over the bound
// for its own calls alone, which it reaches when the crawl yields to it.
func BenchmarkCrawlPlusSync(b *testing.B) {
	for b.Loop() {
		w := newBudgetWorld(b, benchItems)
		w.connect()
		crawl := w.start("sync")
		time.Sleep(2 * time.Second) // the crawl is under way
		from, tokens := len(w.emu.Requests()), w.emu.RateTokens(w.ws)
		p := w.start("sync", "--full", "--no-content")
		code := p.wait()
		_ = crawl.cmd.Process.Signal(syscall.SIGTERM) // this benchmark's own child
		crawl.wait()
		if code != 0 {
			b.Fatalf("sync: exit %d: %s", code, p.stderr)
		}
		calls, limited := 0, 0
		own := 0
		for _, r := range w.emu.Requests()[from:] {
			if r.At.After(p.end) {
				break
			}
			if r.Path == "/v1/search" {
				own++
			}
			if r.Path != "/v1/oauth/token" {
				calls++
				if r.Status == 429 || r.Status == 529 {
					limited++
				}
			}
		}
		el := p.end.Sub(p.start)
		reportBound(b, el, calls, limited, tokens)
		b.ReportMetric(el.Seconds()/bound(own, tokens).Seconds(), "sync-own-ratio")
	}
}

// span is the time from the first start to the last end.
func span(ps ...*proc) time.Duration {
	first, last := ps[0].start, ps[0].end
	for _, p := range ps[1:] {
		if p.start.Before(first) {
			first = p.start
		}
		if p.end.After(last) {
			last = p.end
		}
	}
	return last.Sub(first)
}
