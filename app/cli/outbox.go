package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/store"
	"golang.org/x/term"
)

// `pagedeck outbox`: what waits, send, drop.

// outboxJSON is the contract of `outbox --json`.
type outboxJSON struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	WorkspaceID string `json:"workspace_id"`
	ParentID    string `json:"parent_id"`
	Title       string `json:"title"`
	CreatedAt   string `json:"created_at"`
	Attempts    int    `json:"attempts"`
	State       string `json:"state"`
	Error       string `json:"error"`
}

func runOutbox(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "send":
			return runOutboxSend(ctx, env, args[1:])
		case "drop":
			return runOutboxDrop(ctx, env, args[1:])
		}
	}
	fs := newFlagSet("outbox", env)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	core, err := env.NewReadOnlyCore(ctx)
	if err != nil {
		return err
	}
	items, err := core.Outbox().List()
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]outboxJSON, 0, len(items))
		for _, it := range items {
			out = append(out, outboxJSON{ID: it.ID, Kind: string(it.Kind), WorkspaceID: it.Workspace, ParentID: it.Parent,
				Title: it.Title, CreatedAt: it.CreatedAt.UTC().Format(time.RFC3339), Attempts: it.Attempts,
				State: string(it.State), Error: it.Error})
		}
		return writeJSON(env.Stdout, out)
	}
	if len(items) == 0 {
		fmt.Fprintln(env.Stdout, "the outbox is empty")
		return nil
	}
	for _, it := range items {
		what := "new page " + it.Title
		switch {
		case it.Kind == store.OutboxAppend:
			what = "append to " + it.Parent
		case it.DataSource:
			what = "new row " + it.Title + " in " + it.Parent
		}
		line := fmt.Sprintf("%s\t%s\t%s\t%s\tattempts %d", it.ID, it.State, it.CreatedAt.Local().Format("2006-01-02 15:04"), cell(what), it.Attempts)
		if it.Error != "" {
			line += "\t" + cell(it.Error)
		}
		fmt.Fprintln(env.Stdout, line)
	}
	return nil
}

func runOutboxSend(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("outbox send", env)
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	sent, err := core.Outbox().Send(ctx, app.SendOptions{RetryHeld: true})
	if err != nil {
		return err
	}
	return reportSent(env, sent)
}

// reportSent prints what a send did, and fails when something did not go.
func reportSent(env *Env, sent []app.Sent) error {
	left := 0
	var last error
	for _, s := range sent {
		switch {
		case s.Done && s.Item.Kind == store.OutboxNew:
			fmt.Fprintf(env.Stdout, "sent %s: created %s (%s)\n", s.Item.ID, clean(app.DisplayTitle(s.Page.Title)), s.Page.ID)
		case s.Done:
			fmt.Fprintf(env.Stdout, "sent %s: appended to %s\n", s.Item.ID, s.Item.Parent)
		default:
			left++
			last = s.Err
			fmt.Fprintf(env.Stderr, "pagedeck: %s %s: %s\n", s.Item.ID, s.Item.State, oneLine(app.Explain(s.Err)))
		}
	}
	if left > 0 {
		return fmt.Errorf("%d capture(s) still wait in the outbox (see 'pagedeck outbox'): %w", left, last)
	}
	return nil
}

func runOutboxDrop(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("outbox drop", env)
	yes := fs.Bool("yes", false, "drop without asking")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	it, err := core.Outbox().Item(pos[0])
	if err != nil {
		return err
	}
	if !*yes {
		f, ok := env.Stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return usagef("outbox drop: pass --yes to drop without a terminal to ask on")
		}
		what := "the page " + it.Title
		if it.Kind == store.OutboxAppend {
			what = "the note for " + it.Parent
		}
		fmt.Fprintf(env.Stderr, "Drop %s, never to be sent? [y/N] ", clean(what))
		line, _ := bufio.NewReader(f).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			return errors.New("nothing dropped")
		}
	}
	if err := core.Outbox().Drop(ctx, it.ID); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "dropped %s\n", it.ID)
	return nil
}
