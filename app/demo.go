package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"

	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// Demo is Pagedeck on the built-in Notion emulator: no account, the
// in-memory vault, a temporary data directory. Nothing touches the user's
// keychain or data.
type Demo struct {
	*Core
	Emulator *notiontest.Server
	dir      string
}

// StartDemo starts the emulator on loopback with three sample workspaces,
// connects two of them (the third is left for the Connect button, which runs
// the real browser flow against the emulator's consent page) and starts
// their first sync in the background.
func StartDemo(ctx context.Context, log *slog.Logger) (*Demo, error) {
	dir, err := os.MkdirTemp("", "pagedeck-demo-")
	if err != nil {
		return nil, err
	}
	port := freeLoopbackPort(47219)
	redirect := "http://localhost:" + strconv.Itoa(port) + "/callback"
	// Faster than Notion's 3/s, so the demo's content is there within
	// seconds rather than minutes.
	emu := notiontest.NewServer(notiontest.Options{RedirectURIs: []string{redirect}, Logger: log, RateLimit: DemoRateLimit, Burst: 10})
	d := &Demo{Emulator: emu, dir: dir}

	type sample struct {
		name, icon, owner string
		seed              int64
		items             int
		connected         bool
	}
	samples := []sample{
		{"Acme Corp", "🚀", "Robin Demo", 11, 420, true},
		{"Home", "🏡", "Robin Demo", 23, 260, true},
		{"Side Project", "🧪", "Robin Demo", 37, 180, false},
	}
	var connect []string
	for _, s := range samples {
		id := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: s.name, Icon: s.icon, OwnerName: s.owner, OwnerEmail: "robin@example.com"})
		emu.Seed(id, s.seed, s.items)
		if s.name == "Acme Corp" {
			emu.SetContent(emu.AddItem(id, notiontest.ItemSpec{Title: "Offsite plan", Icon: notiontest.IconSpec{Type: "emoji", Emoji: "🏝️"}}), DemoContentPage)
		}
		if s.connected {
			connect = append(connect, id)
		}
	}

	// The demo's Notion is its own, but the desktop settings a person sets
	// in the environment (the hotkey) still count.
	env, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		d.Close()
		return nil, err
	}
	core, err := New(Options{
		Config: Config{
			Hotkey:         env.Hotkey,
			HotkeyProblem:  env.HotkeyProblem,
			ClientID:       emu.ClientID(),
			ClientSecret:   notion.Secret(emu.ClientSecret()),
			RedirectURI:    redirect,
			NotionURL:      emu.URL(),
			DataDir:        dir,
			KeyringService: "pagedeck-demo",
			Demo:           true,
		},
		Vault:     auth.NewMemory(),
		Logger:    log,
		RateLimit: DemoRateLimit,
		Burst:     10,
	})
	if err != nil {
		d.Close()
		return nil, err
	}
	d.Core = core
	for _, id := range connect {
		g := emu.IssueGrant(id)
		spec := workspaceSpec(emu, id)
		err := core.saveGrant(ctx, &auth.Grant{
			Kind: auth.KindOAuth, AccessToken: notion.Secret(g.AccessToken), RefreshToken: notion.Secret(g.RefreshToken),
			BotID: g.BotID, WorkspaceID: id, WorkspaceName: spec.Name, WorkspaceIcon: spec.Icon,
			OwnerName: spec.OwnerName, OwnerEmail: spec.OwnerEmail,
		})
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	go func() {
		if _, err := core.SyncAll(ctx, true, nil); err != nil {
			log.Warn("demo: first sync", "err", err)
		}
		for _, id := range connect {
			core.StartCrawl(ctx, id)
		}
	}()
	return d, nil
}

func workspaceSpec(emu *notiontest.Server, id string) notiontest.WorkspaceSpec {
	for _, w := range emu.Workspaces() {
		if w.ID == id {
			return w
		}
	}
	return notiontest.WorkspaceSpec{ID: id}
}

// Close stops the emulator and removes the temporary data.
func (d *Demo) Close() {
	d.Emulator.Close()
	_ = os.RemoveAll(d.dir)
}

// DemoRateLimit paces the demo's requests (Notion's is 3/s).
const DemoRateLimit = 40

// DemoContentPage is the body of the demo's "Offsite plan" page: its word
// "marzipan" is in no title, so searching it shows a content match.
const DemoContentPage = "# Offsite plan\n\nWe meet at the lighthouse on Friday; lunch ends with **marzipan** cake.\n\n" +
	"- [x] Book the boat\n- [ ] Print the agenda\n\n<callout icon=\"📍\">\n\tBring a warm jacket.\n</callout>\n\n" +
	"| Time | What |\n|---|---|\n| 10:00 | Boat |\n| 12:30 | Lunch |\n"

// freeLoopbackPort returns want if nothing listens there, else any free port.
func freeLoopbackPort(want int) int {
	if ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(want)); err == nil {
		ln.Close()
		return want
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return want
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
