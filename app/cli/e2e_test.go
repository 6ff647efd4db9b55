package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/cli"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// world is one user's machine (apptest.World): each command builds its own
// Core, as a separate process would. It plays the browser too.
type world struct {
	*apptest.World
	opened []string
}

func newWorld(t *testing.T) *world { return &world{World: apptest.New(t)} }

func (w *world) OpenURL(u string) error {
	w.opened = append(w.opened, u)
	return nil
}

func (w *world) env(stdin string, stdout, stderr io.Writer) cli.Env {
	return cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: stdout, Stderr: stderr,
		NewCore: w.NewCore, NewReadOnlyCore: w.NewReadOnlyCore,
		Opener:           w,
		StderrIsTerminal: func() bool { return false },
	}
}

func (w *world) run(args ...string) (code int, stdout, stderr string) {
	w.T.Helper()
	var out, errb bytes.Buffer
	code = cli.Main(context.Background(), args, w.env("", &out, &errb))
	return code, out.String(), errb.String()
}

func (w *world) runIn(stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := cli.Main(context.Background(), args, w.env(stdin, &out, &errb))
	return code, out.String(), errb.String()
}

// connect runs `pagedeck connect --no-browser` and plays the browser with the
// URL from the first line of stdout.
func (w *world) connect(ws string) string {
	w.T.Helper()
	w.Emu.SetAutoApprove(ws)
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(context.Background(), []string{"connect", "--no-browser"}, w.env("", pw, &errb))
		pw.Close()
	}()
	r := bufio.NewReader(pr)
	first, err := r.ReadString('\n')
	if err != nil {
		w.T.Fatalf("no first line: %v (%s)", err, errb.String())
	}
	url := strings.TrimSpace(first)
	if !strings.HasPrefix(url, w.Emu.AuthorizeURL()+"?") {
		w.T.Fatalf("first line is not the authorization URL: %q", first)
	}
	resp, err := http.Get(url)
	if err != nil {
		w.T.Fatal(err)
	}
	resp.Body.Close()
	rest, _ := io.ReadAll(r)
	if code := <-done; code != 0 {
		w.T.Fatalf("connect exit %d: %s", code, errb.String())
	}
	if len(w.opened) != 0 {
		w.T.Error("--no-browser opened a browser")
	}
	return string(rest)
}

func TestCLIEndToEnd(t *testing.T) {
	w := newWorld(t)
	acme := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme", Icon: "🚀"})
	w.Emu.Seed(acme, 1, 300)
	road := w.Emu.AddItem(acme, notiontest.ItemSpec{Title: "Q3 Roadmap", Icon: notiontest.IconSpec{Type: "emoji", Emoji: "🗺️"}, URL: "https://app.notion.com/p/Q3-Roadmap-1"})
	w.Emu.AddItem(acme, notiontest.ItemSpec{Title: "Café menu: crème brûlée", URL: "https://app.notion.com/p/cafe"})
	evil := w.Emu.AddItem(acme, notiontest.ItemSpec{Title: "Evil link", URL: "javascript:alert(document.cookie)"})
	home := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Home"})
	w.Emu.AddItem(home, notiontest.ItemSpec{Title: "Roadmap for the zucchini garden", URL: "https://www.notion.so/garden"})

	if code, out, _ := w.run("workspaces"); code != 0 || !strings.Contains(out, "No workspaces yet") {
		t.Errorf("empty workspaces: %d %q", code, out)
	}
	if rest := w.connect(acme); rest != fmt.Sprintf("connected: Acme (%s)\n", acme) {
		t.Errorf("after the URL: %q", rest)
	}
	w.connect(home)

	// workspaces --json follows the contract.
	code, out, _ := w.run("workspaces", "--json")
	var wss []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &wss) != nil || len(wss) != 2 {
		t.Fatalf("workspaces --json: %d %s", code, out)
	}
	keys := []string{"id", "name", "icon", "bot_id", "auth", "status", "items", "synced_at", "content", "content_pages", "rows"}
	for _, k := range keys {
		if _, ok := wss[0][k]; !ok {
			t.Errorf("workspaces --json lacks %q", k)
		}
	}
	if len(wss[0]) != len(keys) {
		t.Errorf("workspaces --json has extra fields: %v", wss[0])
	}
	if wss[0]["name"] != "Acme" || wss[0]["auth"] != "oauth" || wss[0]["status"] != "ok" || wss[0]["icon"] != "🚀" {
		t.Errorf("workspace = %v", wss[0])
	}
	if _, err := time.Parse(time.RFC3339, wss[0]["synced_at"].(string)); err != nil {
		t.Errorf("synced_at: %v", err)
	}

	// search: word order, accents, JSON contract, -w by name and by id.
	code, out, _ = w.run("search", "roadmap", "q3", "--json")
	var hits []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &hits) != nil || len(hits) == 0 {
		t.Fatalf("search: %d %s", code, out)
	}
	if hits[0]["id"] != road || hits[0]["workspace_id"] != acme || hits[0]["kind"] != "page" || hits[0]["title"] != "Q3 Roadmap" ||
		hits[0]["url"] != "https://app.notion.com/p/Q3-Roadmap-1" || hits[0]["icon"] != "🗺️" {
		t.Errorf("best hit = %v", hits[0])
	}
	for _, k := range []string{"id", "workspace_id", "kind", "title", "url", "icon", "last_edited_time"} {
		if _, ok := hits[0][k]; !ok {
			t.Errorf("search --json lacks %q", k)
		}
	}
	if code, out, _ = w.run("search", "cafe", "brulee"); code != 0 || !strings.Contains(out, "Café menu: crème brûlée") {
		t.Errorf("accent-free search: %d %q", code, out)
	}
	code, out, _ = w.run("search", "roadmap", "-w", "home", "--json")
	if json.Unmarshal([]byte(out), &hits) != nil || len(hits) != 1 || hits[0]["workspace_id"] != home {
		t.Errorf("-w by name: %d %s", code, out)
	}
	code, out, _ = w.run("search", "--json", "-w", acme, "--kind", "database", "--limit", "3")
	if json.Unmarshal([]byte(out), &hits) != nil || len(hits) != 3 {
		t.Fatalf("-w by id with kind and limit: %d %s", code, out)
	}
	for _, h := range hits {
		if h["kind"] != "database" || h["workspace_id"] != acme {
			t.Errorf("hit %v", h)
		}
	}
	if code, _, errOut := w.run("search", "x", "-w", "nowhere"); code != 1 || !strings.Contains(errOut, "no such workspace") {
		t.Errorf("unknown -w: %d %q", code, errOut)
	}

	// sync by id and by name; a quick refresh sees a rename.
	w.Emu.Rename(road, "Q4 Roadmap")
	if code, out, errOut := w.run("sync", "-w", "ACME"); code != 0 || !strings.Contains(out, "synced Acme") || errOut != "" {
		t.Errorf("sync -w name: %d %q %q", code, out, errOut)
	}
	if _, out, _ = w.run("search", "q4", "--json"); !strings.Contains(out, road) {
		t.Errorf("the rename did not arrive: %s", out)
	}
	if code, out, _ = w.run("sync", "-w", home, "--full"); code != 0 || !strings.Contains(out, "full sync") {
		t.Errorf("sync --full: %d %q", code, out)
	}
	if code, out, _ = w.run("sync"); code != 0 || strings.Count(out, "synced ") != 2 {
		t.Errorf("sync all: %d %q", code, out)
	}

	// open: the browser gets the URL; javascript: is refused.
	if code, _, errOut := w.run("open", road); code != 0 || len(w.opened) != 1 || w.opened[0] != "https://app.notion.com/p/Q3-Roadmap-1" {
		t.Errorf("open: %d %v %s", code, w.opened, errOut)
	}
	if code, _, _ := w.run("open", road, "--app"); code != 0 || w.opened[1] != "notion://app.notion.com/p/Q3-Roadmap-1" {
		t.Errorf("open --app: %v", w.opened)
	}
	if code, _, errOut := w.run("open", evil); code != 1 || len(w.opened) != 2 || !strings.Contains(errOut, "refusing") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("open javascript: %d %v %q", code, w.opened, errOut)
	}

	// disconnect revokes and removes everything.
	toks, _ := w.Vault.Load(context.Background(), home)
	if code, out, _ := w.run("disconnect", "Home"); code != 0 || out != fmt.Sprintf("disconnected: Home (%s)\n", home) {
		t.Errorf("disconnect: %d %q", code, out)
	}
	if w.Emu.ActiveGrants(home) != 0 {
		t.Error("not revoked")
	}
	if _, err := w.Vault.Load(context.Background(), home); err == nil {
		t.Error("keychain entry left")
	}
	_ = toks
	_, out, _ = w.run("workspaces", "--json")
	if json.Unmarshal([]byte(out), &wss) != nil || len(wss) != 1 || wss[0]["id"] != acme {
		t.Errorf("after disconnect: %s", out)
	}
	if _, out, _ = w.run("search", "zucchini", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("the disconnected workspace's items remain: %s", out)
	}
}

func TestCLIRevokedWorkspace(t *testing.T) {
	w := newWorld(t)
	ws := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	w.Emu.Seed(ws, 2, 50)
	w.connect(ws)
	toks, _ := w.Vault.Load(context.Background(), ws)
	w.Emu.RevokeToken(toks.Access.Reveal())
	code, _, errOut := w.run("sync")
	if code != 1 || !strings.Contains(errOut, "Acme") || !strings.Contains(errOut, "reconnect") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("sync of a revoked workspace: %d %q", code, errOut)
	}
	_, out, _ := w.run("workspaces", "--json")
	var wss []map[string]any
	_ = json.Unmarshal([]byte(out), &wss)
	if wss[0]["status"] != "needs_reconnect" || wss[0]["items"].(float64) == 0 {
		t.Errorf("status %v items %v", wss[0]["status"], wss[0]["items"])
	}
	if _, out, _ := w.run("search", "--json"); strings.TrimSpace(out) == "[]" {
		t.Error("the cache is gone")
	}
}

func TestCLIAddToken(t *testing.T) {
	w := newWorld(t)
	ws := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Notes"})
	w.Emu.Seed(ws, 3, 20)
	tok := w.Emu.AddInternalToken(ws)
	code, out, errOut := w.runIn(tok+"\n", "add-token")
	if code != 0 || out != fmt.Sprintf("connected: Notes (%s)\n", ws) {
		t.Fatalf("add-token: %d %q %q", code, out, errOut)
	}
	_, out, _ = w.run("workspaces", "--json")
	if !strings.Contains(out, `"auth": "token"`) {
		t.Errorf("auth kind: %s", out)
	}
	for _, bad := range []string{"", "not-a-token\n", "ntn_unknown\n"} {
		code, out, errOut := w.runIn(bad, "add-token")
		if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 || (bad != "" && strings.Contains(errOut, strings.TrimSpace(bad)) && bad != "not-a-token\n") {
			t.Errorf("add-token %q: %d %q %q", bad, code, out, errOut)
		}
	}
}

func TestCLIConnectDenied(t *testing.T) {
	w := newWorld(t)
	w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	w.Emu.SetAutoDeny(true)
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(context.Background(), []string{"connect", "--no-browser"}, w.env("", pw, &errb))
		pw.Close()
	}()
	first, _ := bufio.NewReader(pr).ReadString('\n')
	resp, err := http.Get(strings.TrimSpace(first))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code := <-done; code != 1 || !strings.Contains(errb.String(), "not granted") || strings.Count(errb.String(), "\n") != 1 {
		t.Errorf("denied: %d %q", code, errb.String())
	}
}

func TestCLIConnectTimeoutAndForgedCallback(t *testing.T) {
	w := newWorld(t)
	w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(context.Background(), []string{"connect", "--no-browser", "--timeout", "1s"}, w.env("", pw, &errb))
		pw.Close()
	}()
	if _, err := bufio.NewReader(pr).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	// A forged callback is answered 400 and ignored.
	resp, err := http.Get(w.Config.RedirectURI + "?code=stolen&state=forged")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("forged callback: %d", resp.StatusCode)
	}
	if code := <-done; code != 1 || !strings.Contains(errb.String(), "timed out") {
		t.Errorf("timeout: %d %q", code, errb.String())
	}
}

func TestCLIBusyDataDir(t *testing.T) {
	w := newWorld(t)
	s, err := store.Open(w.Config.DataDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_ = s
	// Another Pagedeck holds the file (in this process, through its own
	// file descriptor, which flock treats like another process).
	held := holdLock(t, s.Path())
	defer held()
	var out, errb bytes.Buffer
	env := w.env("", &out, &errb)
	env.NewCore = func(context.Context) (*app.Core, error) {
		st, err := store.Open(w.Config.DataDir, store.Options{LockTimeout: 100 * time.Millisecond})
		if err != nil {
			return nil, err
		}
		o := w.Options()
		o.Store = st
		return w.NewCoreWith(o)
	}
	code := cli.Main(context.Background(), []string{"workspaces"}, env)
	want := fmt.Sprintf("pagedeck: another Pagedeck is using %s; close it or try again\n", w.Config.DataDir)
	if code != 1 || errb.String() != want {
		t.Errorf("%d %q, want %q", code, errb.String(), want)
	}
}

// A bad PAGEDECK_HOTKEY (only the window uses it) is one warning on stderr;
// every command still does its work and exits 0.
func TestCLIBadHotkeyIsAWarning(t *testing.T) {
	w := newWorld(t)
	env := map[string]string{
		app.EnvClientID: w.Config.ClientID, app.EnvClientSecret: w.Config.ClientSecret.Reveal(), app.EnvRedirectURI: w.Config.RedirectURI,
		app.EnvNotionURL: w.Config.NotionURL, app.EnvDataDir: w.Config.DataDir, app.EnvKeyringService: w.Config.KeyringService,
		app.EnvHotkey: "alt+tab",
	}
	cfg, err := app.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("PAGEDECK_HOTKEY=alt+tab fails every command: %v", err)
	}
	w.Config = cfg
	acme := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	w.Emu.AddItem(acme, notiontest.ItemSpec{Title: "Q3 Roadmap", URL: "https://app.notion.com/p/Q3-Roadmap-1"})
	w.connect(acme)
	for _, args := range [][]string{{"workspaces"}, {"sync"}, {"search", "roadmap"}, {"search", "roadmap", "--json"}} {
		code, out, errOut := w.run(args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, errOut)
		}
		if args[0] == "search" && !strings.Contains(out, "Q3 Roadmap") {
			t.Errorf("%v found nothing: %q", args, out)
		}
		if n := strings.Count(errOut, "pagedeck: warning: PAGEDECK_HOTKEY is ignored"); n != 1 || !strings.Contains(errOut, "alt+tab") || !strings.Contains(errOut, "switches windows") {
			t.Errorf("%v: stderr %q, want one warning saying why", args, errOut)
		}
	}
}
