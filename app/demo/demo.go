// Package demo runs Pagedeck on the built-in Notion emulator: no account,
// the in-memory vault, a temporary data directory. Nothing touches the
// user's keychain or data. It lives apart from app so that the production
// core never links the emulator.
package demo

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// Demo is a Core on the emulator, with the emulator and the temporary
// data it owns.
type Demo struct {
	*app.Core
	Emulator *notiontest.Server
	dir      string
	cancel   context.CancelFunc
	work     sync.WaitGroup // the first sync and crawls, and the consent pages' requests
}

// RateLimit paces the demo's requests (Notion's is 3/s): faster, so the
// demo's content is there within seconds rather than minutes.
const RateLimit = 40

// ContentPage is the body of the demo's "Offsite plan" page: its word
// "marzipan" is in no title, so searching it shows a content match.
const ContentPage = "# Offsite plan\n\nWe meet at the lighthouse on Friday; lunch ends with **marzipan** cake.\n\n" +
	"- [x] Book the boat\n- [ ] Print the agenda\n\n<callout icon=\"📍\">\n\tBring a warm jacket.\n</callout>\n\n" +
	"| Time | What |\n|---|---|\n| 10:00 | Boat |\n| 12:30 | Lunch |\n"

// Start starts the emulator on loopback with three sample workspaces,
// connects two of them through the real loopback flow (the emulator's
// consent page approves at once; the third is left for the Connect button)
// and starts their first sync and crawl in the background. Close stops
// that work and removes everything.
func Start(ctx context.Context, log *slog.Logger) (*Demo, error) {
	dir, err := os.MkdirTemp("", "pagedeck-demo-")
	if err != nil {
		return nil, err
	}
	port, err := freeLoopbackPort()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	redirect := "http://localhost:" + strconv.Itoa(port) + "/callback"
	emu := notiontest.NewServer(notiontest.Options{RedirectURIs: []string{redirect}, Logger: log, RateLimit: RateLimit, Burst: 10})
	ctx, cancel := context.WithCancel(ctx)
	d := &Demo{Emulator: emu, dir: dir, cancel: cancel}

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
			emu.SetContent(emu.AddItem(id, notiontest.ItemSpec{Title: "Offsite plan", Icon: notiontest.IconSpec{Type: "emoji", Emoji: "🏝️"}}), ContentPage)
		}
		if s.connected {
			connect = append(connect, id)
		}
	}

	// The demo's Notion is its own, but the desktop settings a person sets
	// in the environment (the hotkey) still count.
	env, err := app.ConfigFromEnv(os.Getenv)
	if err != nil {
		d.Close()
		return nil, err
	}
	core, err := app.New(app.Options{
		Config: app.Config{
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
		RateLimit: RateLimit,
		Burst:     10,
	})
	if err != nil {
		d.Close()
		return nil, err
	}
	d.Core = core
	for _, id := range connect {
		emu.SetAutoApprove(id)
		if _, err := core.Connect(ctx, app.ConnectOptions{Opener: consent{&d.work}, NoSync: true}); err != nil {
			d.Close()
			return nil, fmt.Errorf("demo: connecting %s: %w", id, err)
		}
	}
	emu.SetAutoApprove("")
	d.work.Add(1)
	go func() {
		defer d.work.Done()
		if _, err := core.SyncAll(ctx, true, nil); err != nil {
			log.Warn("demo: first sync", "err", err)
		}
		for _, id := range connect {
			if _, err := core.CrawlContent(ctx, id, nil); err != nil && ctx.Err() == nil {
				log.Warn("demo: content", "workspace", id, "err", err)
			}
		}
	}()
	return d, nil
}

// consent is the browser for the demo's own connects: it loads the
// emulator's consent page, which approves at once and sends the browser
// back to the loopback callback.
type consent struct{ work *sync.WaitGroup }

func (c consent) OpenURL(u string) error {
	c.work.Add(1)
	go func() {
		defer c.work.Done()
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
		}
	}()
	return nil
}

// Close stops the demo's background work, the Core and the emulator, and
// removes the temporary data.
func (d *Demo) Close() {
	d.cancel()
	d.work.Wait()
	if d.Core != nil {
		_ = d.Core.Close()
	}
	d.Emulator.Close()
	_ = os.RemoveAll(d.dir)
}

// freeLoopbackPort is a loopback port nothing listens on, chosen by the
// system: a fixed one (the default 47219) is taken by a second demo started
// at the same moment, which then failed to connect its workspaces.
func freeLoopbackPort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("demo: no loopback port for its connection: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
