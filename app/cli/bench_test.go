package cli_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/cli"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// BenchmarkFullSyncRateLimited: `pagedeck sync --full` (the item list and
// every page's content) of a 1,300-item workspace against the emulator
// limited to 3 requests/s with a burst of 5, with Pagedeck's default
// request budget. The bound is what the limit allows at best,
// (calls − burst) / rate; "bound-ratio" is the time taken over it (goal ≤
// 1.2). It takes about seven minutes, as Notion would.
func BenchmarkFullSyncRateLimited(b *testing.B) {
	const rate, burst, items = 3.0, 5, 1300
	for b.Loop() {
		w := apptest.New(b)
		emu, vault := w.Emu, w.Vault
		ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
		emu.Seed(ws, 5, items)
		g := emu.IssueGrant(ws)
		if err := vault.Save(context.Background(), ws, auth.Tokens{Access: notion.Secret(g.AccessToken), Refresh: notion.Secret(g.RefreshToken), Kind: auth.KindOAuth}); err != nil {
			b.Fatal(err)
		}
		var out, errb bytes.Buffer
		env := cli.Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), StderrIsTerminal: func() bool { return false },
			NewCore: func(context.Context) (*app.Core, error) {
				// Pagedeck's defaults: no pacing override.
				return w.NewCoreWith(app.Options{Config: w.Config, Vault: vault})
			}}
		// The workspace is known; its first sync is the benchmark.
		st, err := store.Open(w.Config.DataDir, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.UpsertWorkspace(ws, func(w *store.Workspace, _ bool) { w.Name, w.Auth, w.Status = "Acme", "oauth", store.StatusOK }); err != nil {
			b.Fatal(err)
		}
		emu.SetRateLimit(rate, burst)
		emu.ResetLog()
		start := time.Now()
		if code := cli.Main(context.Background(), []string{"sync", "--full"}, env); code != 0 {
			b.Fatalf("sync: %d %s", code, errb.String())
		}
		el := time.Since(start)
		calls, limited := 0, 0
		for _, r := range emu.Requests() {
			calls++
			if r.Status == http.StatusTooManyRequests {
				limited++
			}
		}
		bound := time.Duration(float64(calls-burst) / rate * float64(time.Second))
		b.ReportMetric(float64(calls), "calls")
		b.ReportMetric(float64(limited), "429s")
		b.ReportMetric(el.Seconds(), "sync-s")
		b.ReportMetric(bound.Seconds(), "bound-s")
		b.ReportMetric(el.Seconds()/bound.Seconds(), "bound-ratio")
	}
}
