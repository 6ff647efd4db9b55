package broker

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/auth/broker/redistest"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// fanOut is one broker on loopback with many desktops streaming from it:
// streams/perWS workspaces, perWS streams each.
type fanOut struct {
	base    string
	ws      []string
	sent    sync.Map // event id → time posted
	mu      sync.Mutex
	lat     []time.Duration
	got     atomic.Int64
	cuts    atomic.Int64 // streams the broker ended (a slow reader), resumed
	closing atomic.Bool
	streams sync.WaitGroup
	client  *http.Client
}

func newFanOut(b *testing.B, redisURL string, streams, perWS int) *fanOut {
	b.Helper()
	emu := notiontest.NewServer(notiontest.Options{RateLimit: -1})
	b.Cleanup(emu.Close)
	srv, err := New(Config{
		ClientID: emu.ClientID(), ClientSecret: notion.Secret(emu.ClientSecret()), NotionURL: emu.URL(),
		PublicURL: "http://127.0.0.1:1", Key: testKey(9), RedisURL: redisURL, WebhookToken: hookToken,
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), // production logging, to nowhere
		Notion: notion.Options{RateLimit: rate.Inf}, EventsLimit: Limit{Rate: rate.Inf},
		Live: LiveOptions{MaxStreams: streams + 10},
	})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	b.Cleanup(srv.Close)
	f := &fanOut{base: ts.URL, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	ready := make(chan struct{}, streams)
	ctx, cancel := context.WithCancel(context.Background())
	for i := range streams / perWS {
		ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: fmt.Sprint("ws", i)})
		f.ws = append(f.ws, ws)
		for range perWS {
			tok := emu.IssueGrant(ws).AccessToken
			f.streams.Go(func() { f.follow(ctx, b, tok, ready) })
		}
	}
	b.Cleanup(func() {
		f.closing.Store(true)
		cancel()
		f.streams.Wait()
	})
	for range streams {
		<-ready
	}
	return f
}

// follow keeps one desktop's stream, as the desktop does: when the broker
// cuts it (it fell behind), it reconnects with Last-Event-ID and catches up.
func (f *fanOut) follow(ctx context.Context, b *testing.B, tok string, ready chan<- struct{}) {
	last, first := "", true
	for !f.closing.Load() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.base+"/events", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if last != "" {
			req.Header.Set("Last-Event-ID", last)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			if !f.closing.Load() {
				b.Errorf("stream: %v %v", err, resp)
			}
			return
		}
		f.read(resp.Body, &last, func() {
			if first {
				first = false
				ready <- struct{}{}
			}
		})
		resp.Body.Close()
		if !f.closing.Load() {
			f.cuts.Add(1)
		}
	}
}

// read records, for every event a stream receives, how long after its post.
func (f *fanOut) read(body io.Reader, last *string, ready func()) {
	r := bufio.NewReader(body)
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return
		}
		switch {
		case bytes.HasPrefix(line, []byte("id: ")):
			*last = string(bytes.TrimSpace(line[4:]))
		case bytes.HasPrefix(line, []byte("event: ready")):
			ready()
		case bytes.HasPrefix(line, []byte("data: {")):
			var ev struct{ ID string }
			if json.Unmarshal(line[6:], &ev) != nil {
				continue
			}
			if t0, ok := f.sent.Load(ev.ID); ok {
				d := time.Since(t0.(time.Time))
				f.mu.Lock()
				f.lat = append(f.lat, d)
				f.mu.Unlock()
				f.got.Add(1)
			}
		}
	}
}

// post sends event n, signed, to the webhook endpoint.
func (f *fanOut) post(b *testing.B, n int) {
	id := fmt.Sprintf("%08x-0000-4000-8000-%012x", n, n)
	ws := f.ws[n%len(f.ws)]
	body := hookEvent(id, "page.content_updated", ws, fmt.Sprintf("%08x-1111-4000-8000-%012x", n%977, n%977))
	req, _ := http.NewRequest(http.MethodPost, f.base+"/webhooks/notion", bytes.NewReader(body))
	req.Header.Set("X-Notion-Signature", notiontest.SignWebhook(hookToken, body))
	f.sent.Store(id, time.Now())
	resp, err := f.client.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Errorf("webhook %d: %d", n, resp.StatusCode)
	}
}

// runFanOut posts b.N events from 8 goroutines, paced to perSecond (0: as
// fast as the broker takes them), and waits for every delivery.
func runFanOut(b *testing.B, f *fanOut, perWS int, perSecond int) {
	var next atomic.Int64
	var tick <-chan time.Time
	if perSecond > 0 {
		t := time.NewTicker(time.Second / time.Duration(perSecond))
		defer t.Stop()
		tick = t.C
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				n := int(next.Add(1)) - 1
				if n >= b.N {
					return
				}
				if tick != nil {
					<-tick
				}
				f.post(b, n)
			}
		})
	}
	wg.Wait()
	posted := time.Since(start)
	want := int64(b.N * perWS)
	deadline := time.Now().Add(60 * time.Second)
	for f.got.Load() < want && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	f.mu.Lock()
	lat := slices.Clone(f.lat)
	f.mu.Unlock()
	if int64(len(lat)) < want {
		b.Fatalf("%d of %d deliveries arrived", len(lat), want)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/posted.Seconds(), "events/s")
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(f.cuts.Load()), "resumed-streams")
}

// BenchmarkLiveFanOut: webhook → broker → SSE with 1,000 streams connected
// (100 workspaces × 10 desktops, so each event reaches 10 streams). With
// Redis (the stream, the reader) and without (one instance). "saturated"
// posts as fast as the broker accepts, for events per second; "paced" posts
// 200 events a second, for the delivery latency of a steady load:
//
//	go test -run '^$' -bench LiveFanOut -benchtime 5000x ./auth/broker/
func BenchmarkLiveFanOut(b *testing.B) {
	const streams, perWS = 1000, 10
	for _, mode := range []string{"redis", "memory"} {
		for _, pace := range []struct {
			name string
			rate int
		}{{"saturated", 0}, {"paced", 200}} {
			b.Run(mode+"/"+pace.name, func(b *testing.B) {
				url := ""
				if mode == "redis" {
					url = redistest.Start(b).URL()
				}
				f := newFanOut(b, url, streams, perWS)
				b.ResetTimer()
				runFanOut(b, f, perWS, pace.rate)
			})
		}
	}
}
