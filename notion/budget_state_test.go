package notion

import (
	"math"
	"testing"
	"time"
)

// The shared bucket's rules, on a clock the test moves.

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var notionPace = pace{rate: 3, burst: 3}

// drain takes every token there is at now and returns how many.
func drain(st *BucketState, now time.Time) int {
	n := 0
	for {
		if ok, _ := st.take(now, notionPace, PriorityNormal, "p"); !ok {
			return n
		}
		n++
	}
}

func TestBucketStartsFullAndPacesAtTheAverage(t *testing.T) {
	var st BucketState
	if n := drain(&st, t0); n != 3 {
		t.Fatalf("a fresh bucket gave %d requests at once, want the burst of 3", n)
	}
	ok, wait := st.take(t0, notionPace, PriorityNormal, "p")
	if ok || wait != time.Second/3 {
		t.Fatalf("empty bucket: ok=%v wait=%v, want a wait of 1/3 s", ok, wait)
	}
	// Ten seconds of use at the average: 30 requests, not one more.
	n := 0
	for ms := 0; ms <= 10000; ms += 10 {
		n += drain(&st, t0.Add(time.Duration(ms)*time.Millisecond))
	}
	if n != 30 {
		t.Errorf("10 s gave %d requests, want 30 at 3/s", n)
	}
}

func TestBucketPausesExactlyRetryAfterThenGoesOnAtTheAverage(t *testing.T) {
	var st BucketState
	drain(&st, t0)
	st.limited(t0, 90*time.Second, 90*time.Second, "public_api_request_rate_limit")
	for _, at := range []time.Duration{0, time.Second, 60 * time.Second, 90*time.Second - time.Millisecond} {
		ok, wait := st.take(t0.Add(at), notionPace, PriorityInteractive, "p")
		if ok {
			t.Fatalf("a request started %v into a 90 s pause", at)
		}
		if want := 90*time.Second - at; wait != want {
			t.Errorf("%v into the pause: wait %v, want %v", at, wait, want)
		}
	}
	end := t0.Add(90 * time.Second)
	if n := drain(&st, end); n != 0 {
		t.Errorf("%d requests at the very end of the pause: the bucket should start empty", n)
	}
	// Then the documented average at once, not a slowed pace.
	n := 0
	for ms := 0; ms <= 5000; ms += 10 {
		n += drain(&st, end.Add(time.Duration(ms)*time.Millisecond))
	}
	if n != 15 {
		t.Errorf("the 5 s after a single 429 gave %d requests, want 15 at 3/s", n)
	}
	// In-flight requests that come back 429 too are the same episode.
	st.limited(end.Add(time.Second), time.Second, time.Second, "")
	st.limited(end.Add(time.Second+time.Millisecond), time.Second, time.Second, "")
	if st.Limited != 2 {
		t.Errorf("limited = %d, want 2 episodes", st.Limited)
	}
}

func TestBucketSlowsOnlyWhen429sKeepComingAndRecoversInSeconds(t *testing.T) {
	var st BucketState
	now := t0
	st.limited(now, time.Second, time.Second, "")
	if r := st.shape(now.Add(2*time.Second), notionPace).rate; r != 3 {
		t.Fatalf("one 429 slowed the pace to %v", r)
	}
	// Another right after the pause, and another: the pace halves each time.
	now = now.Add(1500 * time.Millisecond)
	st.limited(now, time.Second, time.Second, "")
	if r := st.shape(now.Add(time.Second), notionPace).rate; r != 1.5 {
		t.Errorf("after two 429s in a row the pace is %v, want 1.5", r)
	}
	now = now.Add(1500 * time.Millisecond)
	st.limited(now, time.Second, time.Second, "")
	end := now.Add(time.Second)
	if r := st.shape(end, notionPace).rate; r != 0.75 {
		t.Errorf("after three the pace is %v, want 0.75", r)
	}
	// Quiet seconds bring it back, step by step, within seconds.
	want := []float64{0.75, 1.5, 3, 3}
	for i, w := range want {
		if r := st.shape(end.Add(time.Duration(i)*recoverStep), notionPace).rate; math.Abs(r-w) > 1e-9 {
			t.Errorf("%v after the last pause: pace %v, want %v", time.Duration(i)*recoverStep, r, w)
		}
	}
	// A 429 long after the last is a first one again: no slowing.
	later := end.Add(time.Minute)
	st.limited(later, time.Second, time.Second, "")
	if r := st.shape(later.Add(time.Second), notionPace).rate; r != 3 {
		t.Errorf("a lone 429 a minute later slowed the pace to %v", r)
	}
}

func TestBucketClaimHoldsBackLowerPrioritiesOfOtherProcesses(t *testing.T) {
	var st BucketState
	st.claim(t0, "window", PriorityInteractive)
	if ok, _ := st.take(t0, notionPace, PriorityBackground, "crawler"); ok {
		t.Error("the crawl took a token while a preview waits in another process")
	}
	if ok, _ := st.take(t0, notionPace, PriorityInteractive, "cli"); !ok {
		t.Error("an equal priority was held back")
	}
	if ok, _ := st.take(t0, notionPace, PriorityInteractive, "window"); !ok {
		t.Error("the claimant itself was held back")
	}
	// A claim its process stopped renewing (it died) lapses.
	if ok, _ := st.take(t0.Add(claimTTL), notionPace, PriorityBackground, "crawler"); !ok {
		t.Error("a lapsed claim still holds the crawl back")
	}
	if len(st.Claims) != 0 {
		t.Errorf("the lapsed claim was kept: %v", st.Claims)
	}
}

func TestPauseWords(t *testing.T) {
	for _, tt := range []struct {
		p    Pause
		want string
	}{
		{Pause{For: 2 * time.Minute, Reason: "public_api_request_rate_limit"}, "Notion asked Pagedeck to wait 2 min (this connection's per-minute budget)"},
		{Pause{For: 90 * time.Second, Reason: "public_api_space_request_rate_limit"}, "Notion asked Pagedeck to wait 2 min (the workspace's budget, shared by all its connections)"},
		{Pause{For: 30 * time.Second, Reason: "service_overload"}, "Notion asked Pagedeck to wait 30 s (Notion is overloaded)"},
		{Pause{For: 15 * time.Second, Reason: "rate_limited"}, "Notion asked Pagedeck to wait 15 s (its rate limit)"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.p, got, tt.want)
		}
	}
}
