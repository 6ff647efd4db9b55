package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// maxCaptureBytes bounds what a capture reads from stdin: about Notion's
// own request limit.
const maxCaptureBytes = 1 << 20

// readText is TEXT, or stdin when TEXT is "-".
func readText(env *Env, name, text string) (string, error) {
	if text != "-" {
		return text, nil
	}
	b, err := io.ReadAll(io.LimitReader(env.Stdin, maxCaptureBytes+1))
	if err != nil {
		return "", fmt.Errorf("reading stdin: %w", err)
	}
	if len(b) > maxCaptureBytes {
		return "", usagef("%s: more than %d KiB on stdin", name, maxCaptureBytes>>10)
	}
	return string(b), nil
}

// captureJSON is the contract of `new --json`.
type captureJSON struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Title       string `json:"title"`
	WorkspaceID string `json:"workspace_id"`
	ParentID    string `json:"parent_id"`
	Status      string `json:"status"` // "sent" or "queued"
	OutboxID    string `json:"outbox_id,omitempty"`
}

// appendJSON is the contract of `append --json`.
type appendJSON struct {
	PageID   string `json:"page_id"`
	Status   string `json:"status"`
	OutboxID string `json:"outbox_id,omitempty"`
}

func runNew(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("new", env)
	body := fs.String("body", "", "the page's body as markdown; - reads it from stdin")
	open := fs.Bool("open", false, "open the new page")
	asJSON := fs.Bool("json", false, "print JSON")
	var propArgs multiFlag
	fs.Var(&propArgs, "prop", "NAME=VALUE: set a database row's property (repeatable)")
	pos, err := parse(env, fs, args, 2, 2)
	if err != nil {
		return err
	}
	props, err := parseProps(propArgs)
	if err != nil {
		return err
	}
	text, err := readText(env, "new", *body)
	if err != nil {
		return err
	}
	if strings.TrimSpace(pos[1]) == "" {
		return usagef("new: the title is empty")
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	it, err := core.Outbox().Capture(ctx, app.Capture{Kind: store.OutboxNew, Parent: pos[0], Title: pos[1], Body: text, Props: props})
	var ve *rows.ValueError
	switch {
	case errors.As(err, &ve):
		return usagef("new: --prop %v", ve)
	case errors.Is(err, app.ErrPropsOnPage), errors.Is(err, app.ErrSeveralDataSources):
		return usagef("new: %v", err)
	case err != nil:
		return err
	}
	s, err := sendCapture(ctx, env, core, it)
	if err != nil {
		return err
	}
	if !s.Done {
		if *asJSON {
			return writeJSON(env.Stdout, captureJSON{Title: it.Title, WorkspaceID: it.Workspace, ParentID: it.Parent,
				Status: "queued", OutboxID: it.ID})
		}
		fmt.Fprintf(env.Stdout, "queued: %s (outbox %s)\n", clean(it.Title), it.ID)
		return nil
	}
	if *asJSON {
		err = writeJSON(env.Stdout, captureJSON{ID: s.Page.ID, URL: s.Page.URL, Title: s.Page.Title,
			WorkspaceID: it.Workspace, ParentID: it.Parent, Status: "sent"})
	} else {
		fmt.Fprintf(env.Stdout, "created: %s (%s)\n", clean(app.DisplayTitle(s.Page.Title)), s.Page.ID)
	}
	if err == nil && *open {
		err = core.Open(s.Page.ID, "", env.Opener) // "": the user's setting
	}
	return err
}

// parseProps reads --prop NAME=VALUE arguments: the name is a property's,
// the value what is typed for it (the core reads it against the schema).
func parseProps(args []string) (map[string]string, error) {
	if len(args) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(args))
	seen := map[string]bool{}
	for _, a := range args {
		name, value, ok := strings.Cut(a, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, usagef("new: --prop %q: write NAME=VALUE", a)
		}
		if seen[strings.ToLower(name)] {
			return nil, usagef("new: --prop %q: %s is given twice", a, name)
		}
		seen[strings.ToLower(name)] = true
		out[name] = value
	}
	return out, nil
}

// appendFlags are the only arguments of append that are flags.
var appendFlags = []string{"--json", "-json", "--json=true", "-h", "-help", "--help"}

func runAppend(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("append", env)
	asJSON := fs.Bool("json", false, "print JSON")
	// The text is often a list ("- milk"): only --json and -h are flags
	// here; anything else is an argument.
	var flags, others []string
	for _, a := range args {
		if slices.Contains(appendFlags, a) {
			flags = append(flags, a)
		} else if a != "--" {
			others = append(others, a)
		}
	}
	if _, err := parse(env, fs, flags, 0, 0); err != nil {
		return err
	}
	if len(others) != 2 {
		return usagef("append: want PAGE and TEXT (or - for stdin), got %d arguments", len(others))
	}
	pos := others
	text, err := readText(env, "append", pos[1])
	if err != nil {
		return err
	}
	if len(notion.MarkdownBlocks(text)) == 0 {
		return usagef("append: the text is empty")
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	it, err := core.Outbox().Capture(ctx, app.Capture{Kind: store.OutboxAppend, Parent: pos[0], Body: text})
	if err != nil {
		return err
	}
	s, err := sendCapture(ctx, env, core, it)
	if err != nil {
		return err
	}
	status := "sent"
	if !s.Done {
		status = "queued"
	}
	if *asJSON {
		out := appendJSON{PageID: it.Parent, Status: status}
		if !s.Done {
			out.OutboxID = it.ID
		}
		return writeJSON(env.Stdout, out)
	}
	if s.Done {
		fmt.Fprintf(env.Stdout, "appended: %s\n", it.Parent)
	} else {
		fmt.Fprintf(env.Stdout, "queued: append to %s (outbox %s)\n", it.Parent, it.ID)
	}
	return nil
}

// sendCapture sends the outbox of the capture's workspace (older captures
// first) and reports what became of this one. When Notion cannot be
// reached it stays queued: no error, a line on stderr. A refusal is an
// error, and the capture stays in the outbox, held.
func sendCapture(ctx context.Context, env *Env, core *app.Core, it store.OutboxItem) (app.Sent, error) {
	if env.AfterCapture != nil {
		env.AfterCapture(it)
	}
	sent, err := core.Outbox().Send(ctx, app.SendOptions{Workspace: it.Workspace})
	if err != nil {
		fmt.Fprintf(env.Stderr, "pagedeck: %s; the capture waits in the outbox (%s) and goes with the next 'pagedeck sync' or 'pagedeck outbox send'\n",
			oneLine(err.Error()), it.ID)
		return app.Sent{Item: it}, nil
	}
	for _, s := range sent {
		if s.Item.ID != it.ID {
			continue
		}
		switch {
		case s.Done:
			return s, nil
		case s.Item.State != store.OutboxWaiting:
			return s, &heldError{id: it.ID, err: s.Err}
		case !notion.IsTransient(s.Err) && !errors.Is(s.Err, context.DeadlineExceeded):
			return s, &heldError{id: it.ID, err: s.Err, waiting: true}
		}
		fmt.Fprintf(env.Stderr, "pagedeck: %s; the capture waits in the outbox (%s) and goes with the next 'pagedeck sync' or 'pagedeck outbox send'\n",
			oneLine(app.Explain(s.Err)), it.ID)
		return s, nil
	}
	// An older capture of the workspace could not go, so this one waits
	// behind it, in order.
	fmt.Fprintf(env.Stderr, "pagedeck: the capture waits in the outbox (%s) behind older ones and goes with the next 'pagedeck sync' or 'pagedeck outbox send'; see 'pagedeck outbox'\n", it.ID)
	return app.Sent{Item: it}, nil
}

// heldError is a capture Notion refused, or one that cannot go until
// something is fixed; it stays in the outbox.
type heldError struct {
	id      string
	err     error
	waiting bool
}

func (e *heldError) Error() string {
	if e.waiting {
		return fmt.Sprintf("%v (the capture waits in the outbox as %s)", e.err, e.id)
	}
	return fmt.Sprintf("%v (the capture stays in the outbox as %s)", e.err, e.id)
}

func (e *heldError) Unwrap() error { return e.err }

// sendBeforeSync sends the outbox before a sync, so the sync confirms what
// it made; what cannot go is a note, and the sync goes on.
func sendBeforeSync(ctx context.Context, env *Env, core *app.Core, ws string) {
	sent, err := core.Outbox().Send(ctx, app.SendOptions{Workspace: ws})
	if err != nil {
		fmt.Fprintf(env.Stderr, "pagedeck: note: the outbox was not sent: %s\n", oneLine(err.Error()))
		return
	}
	if err := reportSent(env, sent); err != nil {
		fmt.Fprintf(env.Stderr, "pagedeck: note: %s\n", oneLine(err.Error()))
	}
}
