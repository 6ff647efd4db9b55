// Command notion-emulator serves Pagedeck's Notion emulator
// (notion/notiontest) on loopback, for running the real pagedeck binary
// against a Notion it controls: the window tests in .ci/gui, and anyone
// trying the command line without an account.
//
//	notion-emulator [-redirect URI] [-workspaces "Acme Corp=420,Home=260"] [-seed N] [-rate R] [-page TITLE=FILE]… [-env]
//
// It prints one JSON line on stdout: the API URL, the public connection's
// client ID and secret, and each workspace's id, name and an internal
// connection token (with -env, the same as shell assignments: NOTION_URL,
// CLIENT_ID, CLIENT_SECRET, WS1_ID, WS1_NAME, WS1_TOKEN, …); then it serves
// until SIGINT or SIGTERM. -rate limits each connection to R requests a
// second, as Notion does (about 3); the default, 0, does not limit. Each -page adds a page to the first workspace
// whose body is FILE's markdown, for trying the reader on a page of one's
// choosing (.ci/gui's rich and 5 MB pages). The consent page
// approves the first workspace at once, so `pagedeck connect` finishes when
// anything fetches the URL it prints.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

type workspaceOut struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Token string `json:"token"`
}

type out struct {
	URL          string         `json:"url"`
	ClientID     string         `json:"client_id"`
	ClientSecret string         `json:"client_secret"`
	Workspaces   []workspaceOut `json:"workspaces"`
}

func main() {
	redirect := flag.String("redirect", "http://localhost:47219/callback", "the redirect URI registered for the connection")
	spec := flag.String("workspaces", "Acme Corp=420,Home=260", "workspaces to create: NAME=ITEMS, comma-separated")
	seed := flag.Int64("seed", 11, "seed for the generated pages")
	env := flag.Bool("env", false, "print shell assignments instead of JSON")
	rate := flag.Float64("rate", 0, "requests a second each connection may make, as Notion's limit (about 3); 0: no limit")
	var pages pageFlags
	flag.Var(&pages, "page", "add a page to the first workspace: TITLE=FILE, FILE holding its markdown (repeatable)")
	flag.Parse()
	if err := run(*redirect, *spec, *seed, *rate, pages, *env); err != nil {
		fmt.Fprintln(os.Stderr, "notion-emulator:", err)
		os.Exit(1)
	}
}

// pageFlags are the -page flags: a title and its markdown, read at once so a
// missing file stops the emulator before it prints READY.
type pageFlags []struct{ title, markdown string }

func (p *pageFlags) String() string { return fmt.Sprintf("%d pages", len(*p)) }

func (p *pageFlags) Set(v string) error {
	title, file, ok := strings.Cut(v, "=")
	if !ok || title == "" || file == "" {
		return fmt.Errorf("%q is not TITLE=FILE", v)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	*p = append(*p, struct{ title, markdown string }{title, string(b)})
	return nil
}

func run(redirect, spec string, seed int64, rate float64, pages pageFlags, env bool) error {
	if rate <= 0 {
		rate = -1 // the emulator's "no limit"
	}
	emu := notiontest.NewServer(notiontest.Options{RedirectURIs: []string{redirect}, RateLimit: rate})
	defer emu.Close()
	o := out{URL: emu.URL(), ClientID: emu.ClientID(), ClientSecret: emu.ClientSecret()}
	for i, part := range strings.Split(spec, ",") {
		name, n, ok := strings.Cut(strings.TrimSpace(part), "=")
		items, err := strconv.Atoi(n)
		if !ok || err != nil || name == "" || items < 0 {
			return fmt.Errorf("-workspaces: %q is not NAME=ITEMS", part)
		}
		id := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: name, Icon: []string{"🚀", "🏡", "🧪", "📚"}[i%4]})
		emu.Seed(id, seed+int64(i), items)
		if i == 0 {
			emu.SetAutoApprove(id)
			for _, p := range pages {
				emu.SetContent(emu.AddItem(id, notiontest.ItemSpec{Title: p.title}), p.markdown)
			}
		}
		o.Workspaces = append(o.Workspaces, workspaceOut{ID: id, Name: name, Token: emu.AddInternalToken(id)})
	}
	if env {
		printEnv(o)
	} else if err := json.NewEncoder(os.Stdout).Encode(o); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}

// printEnv writes o as shell assignments, single-quoted.
func printEnv(o out) {
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
	fmt.Printf("NOTION_URL=%s\nCLIENT_ID=%s\nCLIENT_SECRET=%s\n", q(o.URL), q(o.ClientID), q(o.ClientSecret))
	for i, w := range o.Workspaces {
		fmt.Printf("WS%d_ID=%s\nWS%d_NAME=%s\nWS%d_TOKEN=%s\n", i+1, q(w.ID), i+1, q(w.Name), i+1, q(w.Token))
	}
	fmt.Println("READY=1")
}
