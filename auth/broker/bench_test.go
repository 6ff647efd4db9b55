package broker

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/auth"
)

// loadStats is what a load run measured.
type loadStats struct {
	requests, errors int
	p50, p99, max    time.Duration
	elapsed          time.Duration
}

// runLoad sends n refresh_token grants to one broker in front of the
// emulator on loopback, from workers goroutines. Each goroutine owns a grant
// and follows its rotation, as a desktop does; a failed refresh counts as an
// error and the goroutine starts over on a fresh grant.
func runLoad(tb testing.TB, n, workers int, started func()) loadStats {
	f := newFixture(tb, func(c *Config) {
		// Log as in production (JSON, info level), to nowhere.
		c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	})
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}}
	grants := make([]string, workers)
	for i := range grants {
		grants[i] = f.emu.IssueGrant(f.ws).RefreshToken
	}
	lat := make([]time.Duration, n)
	var next, errs atomic.Int64
	refresh := func(rt string) (string, error) {
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {auth.BrokerClientID}}
		resp, err := client.Post(f.ts.URL+"/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		var body struct {
			RefreshToken string `json:"refresh_token"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK || body.RefreshToken == "" {
			return "", io.ErrUnexpectedEOF
		}
		return body.RefreshToken, nil
	}
	if started != nil {
		started()
	}
	begin := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rt := grants[w]
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				t0 := time.Now()
				fresh, err := refresh(rt)
				lat[i] = time.Since(t0)
				if err != nil {
					errs.Add(1)
					fresh = f.emu.IssueGrant(f.ws).RefreshToken
				}
				rt = fresh
			}
		})
	}
	wg.Wait()
	st := loadStats{requests: n, errors: int(errs.Load()), elapsed: time.Since(begin)}
	slices.Sort(lat)
	st.p50, st.p99, st.max = lat[n/2], lat[min(n-1, n*99/100)], lat[n-1]
	return st
}

// BenchmarkBrokerToken measures /token under concurrency: b.N refresh
// grants from 50 goroutines. For the acceptance run of 2,000 requests:
//
//	go test -run '^$' -bench BrokerToken -benchtime 2000x ./auth/broker/
func BenchmarkBrokerToken(b *testing.B) {
	st := runLoad(b, b.N, 50, b.ResetTimer)
	b.StopTimer()
	b.ReportMetric(float64(st.p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(st.p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(st.errors), "errors")
}

// TestLoadBrokerToken is the same run as a test, 2,000 requests from 50
// goroutines, reported and not asserted on time:
//
//	PAGEDECK_LOAD=1 go test -run TestLoadBrokerToken -v ./auth/broker/
func TestLoadBrokerToken(t *testing.T) {
	if os.Getenv("PAGEDECK_LOAD") == "" {
		t.Skip("set PAGEDECK_LOAD=1 to run the load test")
	}
	st := runLoad(t, 2000, 50, nil)
	t.Logf("%d /token requests from 50 goroutines in %v (%.0f/s): p50 %v, p99 %v, max %v, errors %d",
		st.requests, st.elapsed.Round(time.Millisecond), float64(st.requests)/st.elapsed.Seconds(),
		st.p50.Round(10*time.Microsecond), st.p99.Round(10*time.Microsecond), st.max.Round(10*time.Microsecond), st.errors)
	if st.errors != 0 {
		t.Errorf("%d requests failed", st.errors)
	}
}
