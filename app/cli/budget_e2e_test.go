package cli

// The request budget across processes, through the real command line: each
// pagedeck here is a process of its own (this test binary standing in for
// pagedeck, see TestMain), with its own Core and notion.Client, sharing the
// data directory and a keychain kept in files, as two commands on one
// machine would.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

const (
	// envVaultDir names the directory of the stand-in's keychain.
	envVaultDir = "PAGEDECK_TEST_VAULT_DIR"
	// envRetryScale scales every Retry-After the stand-in waits out.
	envRetryScale = "PAGEDECK_TEST_RETRY_SCALE"
)

// actAsBudgetPagedeck is pagedeck with Pagedeck's default request budget,
// the configuration from the environment and the keychain in files.
func actAsBudgetPagedeck(ctx context.Context) int {
	cfg, err := app.ConfigFromEnv(os.Getenv)
	if err != nil {
		return 3
	}
	opts := app.Options{Config: cfg, Vault: &fileVault{dir: os.Getenv(envVaultDir)}, ConnectTimeout: 30 * time.Second}
	standInOptions(&opts)
	env := Env{
		NewCore:          func(context.Context) (*app.Core, error) { return app.New(opts) },
		StderrIsTerminal: func() bool { return false },
	}
	if os.Getenv(envKillAfterCapture) != "" {
		env.AfterCapture = killSelf
	}
	return Main(ctx, os.Args[1:], env)
}

// fileVault is a keychain that several processes share: one file per entry.
type fileVault struct{ dir string }

func (v *fileVault) path(account string) string { return filepath.Join(v.dir, account+".json") }

func (v *fileVault) put(account string, x any) error {
	b, err := json.Marshal(x)
	if err != nil {
		return err
	}
	tmp := v.path(account) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, v.path(account))
}

func (v *fileVault) Save(_ context.Context, id string, t auth.Tokens) error {
	return v.put(id, struct {
		A, R string
		K    auth.Kind
	}{t.Access.Reveal(), t.Refresh.Reveal(), t.Kind})
}

func (v *fileVault) Load(_ context.Context, id string) (auth.Tokens, error) {
	b, err := os.ReadFile(v.path(id))
	if errors.Is(err, os.ErrNotExist) {
		return auth.Tokens{}, auth.ErrNoToken
	}
	if err != nil {
		return auth.Tokens{}, err
	}
	var x struct {
		A, R string
		K    auth.Kind
	}
	if err := json.Unmarshal(b, &x); err != nil {
		return auth.Tokens{}, err
	}
	return auth.Tokens{Access: notion.Secret(x.A), Refresh: notion.Secret(x.R), Kind: x.K}, nil
}

func (v *fileVault) Delete(_ context.Context, id string) error {
	if err := os.Remove(v.path(id)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func (v *fileVault) SaveClientSecret(context.Context, notion.Secret) error { return nil }
func (v *fileVault) ClientSecret(context.Context) (notion.Secret, error) {
	return "", auth.ErrNoToken
}
func (v *fileVault) DeleteClientSecret(context.Context) error { return nil }

// budgetWorld is one machine: the emulator limited as Notion is, a data
// directory and a keychain that every pagedeck process started here shares.
type budgetWorld struct {
	tb    testing.TB
	emu   *notiontest.Server
	ws    string
	env   []string
	extra []string
	// stdin, when set, is the next started process's standard input.
	stdin string
}

// Notion's long-standing limit, as the emulator keeps it in these tests.
const (
	limitRate  = 3.0
	limitBurst = 5
)

func newBudgetWorld(tb testing.TB, items int) *budgetWorld {
	tb.Helper()
	m := apptest.New(tb, apptest.WithEmulator(func(o *notiontest.Options) { o.RateLimit, o.Burst = limitRate, limitBurst }))
	emu, redirect, data := m.Emu, m.Config.RedirectURI, m.Dir
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	emu.Seed(ws, 5, items)
	emu.SetAutoApprove(ws)
	vault := tb.TempDir()
	home := tb.TempDir()
	return &budgetWorld{tb: tb, emu: emu, ws: ws, env: []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + home,
		standIn + "=budget", envVaultDir + "=" + vault,
		app.EnvDataDir + "=" + data, app.EnvNotionURL + "=" + emu.URL(),
		app.EnvClientID + "=" + emu.ClientID(), app.EnvClientSecret + "=" + emu.ClientSecret(),
		app.EnvRedirectURI + "=" + redirect,
	}}
}

// proc is one pagedeck process.
type proc struct {
	cmd        *exec.Cmd
	stdout     *notiontest.LockedBuffer
	stderr     *notiontest.LockedBuffer
	done       chan struct{}
	code       int
	start, end time.Time
	firstLine  chan string
}

// start runs `pagedeck args...` in a process of its own.
func (w *budgetWorld) start(args ...string) *proc {
	w.tb.Helper()
	p := &proc{stdout: &notiontest.LockedBuffer{}, stderr: &notiontest.LockedBuffer{}, done: make(chan struct{}), firstLine: make(chan string, 1)}
	p.cmd = exec.Command(os.Args[0], args...)
	p.cmd.Env = append(append([]string(nil), w.env...), w.extra...)
	if w.stdin != "" {
		p.cmd.Stdin = strings.NewReader(w.stdin)
		w.stdin = ""
	}
	pr, pw := io.Pipe()
	p.cmd.Stdout = pw
	p.cmd.Stderr = p.stderr
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		w.tb.Fatal(err)
	}
	go func() {
		r := bufio.NewReader(pr)
		first := true
		for {
			line, err := r.ReadString('\n')
			_, _ = p.stdout.Write([]byte(line))
			if first && line != "" {
				p.firstLine <- line
				first = false
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		err := p.cmd.Wait()
		p.end = time.Now()
		pw.Close()
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			p.code = ee.ExitCode()
		case err != nil:
			p.code = -1
		}
		close(p.done)
	}()
	w.tb.Cleanup(func() {
		select {
		case <-p.done:
		case <-time.After(2 * time.Minute):
			_ = p.cmd.Process.Kill() // this test's own child, by its id
			<-p.done
		}
	})
	return p
}

// wait waits for the process to exit and returns its code.
func (p *proc) wait() int {
	<-p.done
	return p.code
}

// connect runs `pagedeck connect --no-browser` and plays the browser.
func (w *budgetWorld) connect() {
	w.tb.Helper()
	p := w.start("connect", "--no-browser")
	var url string
	select {
	case url = <-p.firstLine:
	case <-p.done:
		w.tb.Fatalf("connect ended before printing the URL: %d %s", p.code, p.stderr)
	}
	resp, err := http.Get(strings.TrimSpace(url))
	if err != nil {
		w.tb.Fatal(err)
	}
	resp.Body.Close()
	if code := p.wait(); code != 0 {
		w.tb.Fatalf("connect: exit %d: %s", code, p.stderr)
	}
}

// tally counts the API requests (not OAuth) the emulator logged from i on,
// and the 429s among them.
func (w *budgetWorld) tally(from int) (calls, limited int) {
	for _, r := range w.emu.Requests()[from:] {
		if strings.HasPrefix(r.Path, "/v1/oauth/") {
			continue
		}
		calls++
		if r.Status == http.StatusTooManyRequests || r.Status == 529 {
			limited++
		}
	}
	return calls, limited
}

// bound is the least time a perfect client needs for calls requests when
// the server's bucket holds tokens at the start.
func bound(calls int, tokens float64) time.Duration {
	return time.Duration((float64(calls) - max(tokens, 0)) / limitRate * float64(time.Second))
}

// standInOptions: a test shortens Notion's pauses by envRetryScale (the
// messages keep Notion's figures).
func standInOptions(o *app.Options) {
	if f, err := strconv.ParseFloat(os.Getenv(envRetryScale), 64); err == nil {
		o.Retry.RetryAfterScale = f
	}
}

// waitFor waits until cond holds or the process ends; false if it ended.
func waitFor(p *proc, cond func() bool) bool {
	for !cond() {
		select {
		case <-p.done:
			return cond()
		case <-time.After(10 * time.Millisecond):
		}
	}
	return true
}

// TestConnectThenFullSyncWithinTheLimit: `pagedeck connect`, then at once
// `pagedeck sync --full` in another process, against Notion's 3/s with a
// burst of 5: the sync knows what connect's first sync spent, so Notion
// never has to refuse it. (Its pace against the bound is
// BenchmarkSyncAfterConnect's.)
func TestConnectThenFullSyncWithinTheLimit(t *testing.T) {
	w := newBudgetWorld(t, benchItems)
	w.connect()
	from := len(w.emu.Requests())
	p := w.start("sync", "--full", "--no-content")
	if code := p.wait(); code != 0 {
		t.Fatalf("sync: exit %d: %s", code, p.stderr)
	}
	if out := p.stdout.String(); !strings.Contains(out, "synced Acme: ") || !strings.Contains(out, "(full sync") {
		t.Errorf("sync said %q", out)
	}
	calls, limited := w.tally(from)
	if limited != 0 {
		t.Errorf("the sync after connect got %d 429s in %d calls", limited, calls)
	}
}

// TestTwoFullSyncsAtOnceShareTheBudget: two `pagedeck sync --full` of one
// workspace, started together, spend one budget: at most one 429 between
// them, and both finish.
func TestTwoFullSyncsAtOnceShareTheBudget(t *testing.T) {
	w := newBudgetWorld(t, benchItems)
	w.connect()
	from := len(w.emu.Requests())
	p1 := w.start("sync", "--full", "--no-content")
	p2 := w.start("sync", "--full", "--no-content")
	for i, p := range []*proc{p1, p2} {
		if code := p.wait(); code != 0 {
			t.Errorf("sync %d: exit %d: %s", i+1, code, p.stderr)
		}
	}
	if calls, limited := w.tally(from); limited > 1 {
		t.Errorf("two syncs got %d 429s in %d calls", limited, calls)
	}
}

// TestLongRetryAfterPausesEveryProcess: Notion answers a sync with 429 and
// Retry-After: 90. Nothing is sent on the token, by that process or a
// second one started meanwhile, until the pause is over; both say so on
// stderr, wait, and complete. Notion's 90 s are scaled to 1.8 s here.
func TestLongRetryAfterPausesEveryProcess(t *testing.T) {
	const scale = 0.02
	w := newBudgetWorld(t, 300)
	w.connect()
	w.extra = []string{envRetryScale + "=" + strconv.FormatFloat(scale, 'f', -1, 64)}
	w.emu.SetRetryAfter(90)
	w.emu.FailNext("/v1/search", 1, notiontest.FaultRateLimit)
	from := len(w.emu.Requests())
	const said = "pagedeck: Notion asked Pagedeck to wait 2 min (this connection's per-minute budget); waiting until "
	a := w.start("sync", "--full", "--no-content")
	if !waitFor(a, func() bool { return strings.Contains(a.stderr.String(), said) }) {
		t.Fatalf("the first sync ended without telling of the wait: exit %d: %s", a.code, a.stderr)
	}
	b := w.start("sync", "--full", "--no-content")
	for name, p := range map[string]*proc{"first": a, "second": b} {
		if code := p.wait(); code != 0 {
			t.Errorf("%s sync: exit %d: %s", name, code, p.stderr)
		}
		if !strings.Contains(p.stderr.String(), said) {
			t.Errorf("%s sync did not say it waits: %q", name, p.stderr)
		}
	}
	reqs := w.emu.Requests()[from:]
	pause := time.Duration(90 * scale * float64(time.Second))
	limited := 0
	for i, r := range reqs {
		if r.Status != http.StatusTooManyRequests {
			continue
		}
		limited++
		for _, later := range reqs[i+1:] {
			// 20 ms: a request sent before the 429 came back may land just after it.
			if d := later.At.Sub(r.At); d > 20*time.Millisecond && d < pause {
				t.Errorf("%s %s went out %v into the pause of %v", later.Method, later.Path, d, pause)
			}
		}
	}
	if limited != 1 {
		t.Errorf("%d 429s, want the one injected", limited)
	}
}

// TestSyncGivesUpOnAPauseLongerThanItsTimeout: a pause past --timeout
// (default 10 min) ends the sync at once with exit 1, saying how long and
// when to try again; a sync with a longer --timeout waits it out. Notion's
// 900 s are scaled to 1.8 s here, and the timeouts with them.
func TestSyncGivesUpOnAPauseLongerThanItsTimeout(t *testing.T) {
	w := newBudgetWorld(t, 300)
	w.connect()
	w.extra = []string{envRetryScale + "=0.002"}
	w.emu.SetRetryAfter(900)
	w.emu.FailNext("/v1/search", 1, notiontest.FaultRateLimit)
	p := w.start("sync", "--full", "--no-content")
	if code := p.wait(); code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, p.stderr)
	}
	const want = "pagedeck: Acme: Notion asked Pagedeck to wait 15 min (this connection's per-minute budget); try again after "
	if !strings.HasPrefix(p.stderr.String(), want) {
		t.Errorf("stderr %q, want it to start %q", p.stderr, want)
	}
	q := w.start("sync", "--full", "--no-content", "--timeout", "20m")
	if code := q.wait(); code != 0 {
		t.Errorf("with --timeout 20m: exit %d: %s", code, q.stderr)
	}
	if said := "Notion asked Pagedeck to wait 15 min"; !strings.Contains(q.stderr.String(), said) {
		t.Errorf("the patient sync did not say it waits: %q", q.stderr)
	}
}
