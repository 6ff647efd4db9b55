// Package cli is Pagedeck's command line: the contract in the design's
// "command line" section, built on app.Core. Scripts and launchers depend on
// it, so its output formats and exit codes are kept stable.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/store"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// WindowOptions tell the GUI how to start.
type WindowOptions struct {
	Demo bool
	// Hidden: start in the tray without showing the main window
	// (`pagedeck --hidden`; the login entry uses it).
	Hidden bool
	// Quick: show Quick Open as soon as the window can (`--quick`, which
	// `pagedeck quick` passes to the instance it starts in the background).
	Quick bool
}

// Env is everything a run touches, so tests can run commands in process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Window opens the GUI and blocks until it closes, or until ctx ends
	// (SIGINT, SIGTERM).
	Window func(ctx context.Context, o WindowOptions) error
	// NewCore builds the core for a command; default: from the environment,
	// with the OS keychain.
	NewCore func(ctx context.Context) (*app.Core, error)
	// NewReadOnlyCore builds the core for a command that only reads
	// (workspaces, search, open): it never writes the database. Default:
	// NewCore when that was given, else the system's, read-only.
	NewReadOnlyCore func(ctx context.Context) (*app.Core, error)
	// Opener opens URLs; default: the system's handler.
	Opener app.Opener
	// StderrIsTerminal turns on sync's progress line; default: detected.
	StderrIsTerminal func() bool
	// AfterCapture, when set, runs once a capture is on disk and before it
	// is sent; tests stop the process there (a crash at the worst moment).
	AfterCapture func(store.OutboxItem)

	cores  []*app.Core // built for this run, closed at its end
	warned bool        // warnConfig has spoken
}

// usageError is a mistake on the command line: exit 2 and a hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

type command struct {
	name    string
	args    string // synopsis of arguments and flags
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"connect", "[--no-browser] [--timeout 5m]", "connect a Notion workspace through your browser", runConnect},
		{"add-token", "", "read an internal connection's secret from stdin, check it, store it", runAddToken},
		{"workspaces", "[--json]", "list connected workspaces", runWorkspaces},
		{"sync", "[-w WS] [--full] [--no-content] [--timeout 10m]", "refresh the cached pages and databases, then fetch changed pages' content", runSync},
		{"search", "[QUERY] [-w WS] [--kind page|database] [--in title|content|all] [--limit N] [--json]", "search titles and paths, then page content, best match first (at most 50 unless --limit)", runSearch},
		{"rows", "DB [--where EXPR]... [--sort PROP[:asc|desc]] [--limit N] [--json]", "list a database's stored rows with their properties, filtered (EXPR: Prop=V, Prop!=V, Prop~Text, Prop<V, Prop<=V, Prop>V, Prop>=V, Prop?)", runRows},
		{"open", "ID [--browser|--app]", "open a page or database", runOpen},
		{"show", "ID [--refresh]", "print a page's stored content as markdown (--refresh fetches it first)", runShow},
		{"pin", "ID", "pin a page or database: pins come first when the query is empty", runPin},
		{"unpin", "ID", "remove a pin", runUnpin},
		{"content", "WS on|off", "keep page content of a workspace for search and reading offline, or delete it", runContent},
		{"disconnect", "WS [--keep-grant]", "revoke and forget a workspace", runDisconnect},
		{"quick", "", "show Quick Open in the running Pagedeck, starting it in the background if needed", runQuick},
		{"new", "PARENT TITLE [--body TEXT|-] [--prop NAME=VALUE]... [--open] [--json]", "create a page under the page PARENT, or a row of the database PARENT with its properties (kept in the outbox until Notion has it)", runNew},
		{"append", "PAGE TEXT|- [--json]", "append markdown to the end of a page (kept in the outbox until Notion has it)", runAppend},
		{"outbox", "[--json] | send | drop ID [--yes]", "list the captures waiting to be sent, send them now, or drop one", runOutbox},
	}
}

// Main runs the command line and returns the exit code. Errors are one line
// on stderr, never a stack trace.
func Main(ctx context.Context, args []string, env Env) int {
	env.defaults()
	defer env.closeCores()
	err := run(ctx, args, &env)
	env.contentNotices(ctx)
	err = explain(err)
	if err == nil {
		return ExitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "pagedeck: %s\nRun 'pagedeck help' for usage.\n", oneLine(ue.msg))
		return ExitUsage
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "pagedeck: %s\n", oneLine(err.Error()))
	return ExitFailure
}

// oneLine is a message on one line, cleaned: errors quote names and titles.
func oneLine(s string) string {
	return clean(strings.Join(strings.Fields(s), " "))
}

func run(ctx context.Context, args []string, env *Env) error {
	// Global flags come before any command: pagedeck [--demo] [--version].
	fs := newFlagSet("pagedeck", env)
	demo := fs.Bool("demo", false, "open the window on the built-in demo Notion")
	version := fs.Bool("version", false, "print the version and exit")
	hidden := fs.Bool("hidden", false, "start in the tray without showing the window")
	quick := fs.Bool("quick", false, "show Quick Open once the window is up")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(env.Stdout)
			return nil
		}
		return usagef("%v", err)
	}
	rest := fs.Args()
	switch {
	case *version:
		if len(rest) > 0 {
			return usagef("--version takes no command")
		}
		fmt.Fprintf(env.Stdout, "pagedeck %s (commit %s)\n", app.Version, app.Commit)
		return nil
	case len(rest) == 0:
		if env.Window == nil {
			return errors.New("this build has no window")
		}
		return env.Window(ctx, WindowOptions{Demo: *demo, Hidden: *hidden, Quick: *quick})
	case *demo:
		return usagef("--demo opens the window and takes no command")
	case *hidden || *quick:
		return usagef("--hidden and --quick start the window and take no command")
	}
	name := rest[0]
	if name == "help" || name == "-h" {
		printUsage(env.Stdout)
		return nil
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, env, rest[1:])
		}
	}
	return usagef("unknown command %q", name)
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  pagedeck                 open the window")
	fmt.Fprintln(w, "  pagedeck --demo          open the window on the built-in demo Notion")
	fmt.Fprintln(w, "  pagedeck --hidden        start in the tray without showing the window")
	fmt.Fprintln(w, "  pagedeck --version       print the version")
	for _, c := range commands {
		fmt.Fprintf(w, "  %s\n      %s\n", strings.TrimSpace("pagedeck "+c.name+" "+c.args), c.summary)
	}
	fmt.Fprintln(w, "\nWS is a workspace id or name. Exit status: 0 ok, 1 failure, 2 usage error.")
	fmt.Fprintln(w, "\nThe environment wins over the window's Settings:")
	for _, v := range [][2]string{
		{app.EnvClientID + ", " + app.EnvClientSecret, "your own Notion public connection"},
		{app.EnvBrokerURL, "a token broker that holds the client secret"},
		{app.EnvRedirectURI, "the loopback redirect registered in Notion (default " + app.DefaultRedirectURI + ")"},
		{app.EnvHotkey, "the Quick Open hotkey, like ctrl+alt+space (the default)"},
		{app.EnvDataDir, "where pagedeck.db, icons and page content live"},
		{app.EnvKeyringService, "the keychain service name (default " + app.ID + ")"},
		{app.EnvNotionURL, "Notion's API origin (an emulator in tests)"},
		{app.EnvDebug, "debug logs on stderr, never a token"},
	} {
		fmt.Fprintf(w, "  %s\n      %s\n", v[0], v[1])
	}
	fmt.Fprintln(w, "Settings also hold where links open, the refresh interval, Start at login and Keep running in the tray.")
}

func newFlagSet(name string, env *Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// Errors are reported by Main, in one line; parse prints -h's help.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// commandHelp prints one command's synopsis and flags.
func commandHelp(w io.Writer, fs *flag.FlagSet) {
	for _, c := range commands {
		if c.name == fs.Name() {
			fmt.Fprintf(w, "Usage: pagedeck %s %s\n  %s\n", c.name, c.args, c.summary)
		}
	}
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// parse parses flags and positional arguments in any order
// ("search roadmap --json" and "search --json roadmap" alike) and checks the
// number of positionals.
func parse(env *Env, fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				commandHelp(env.Stdout, fs)
				return nil, err
			}
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) < minPos {
		return nil, usagef("%s: missing argument", fs.Name())
	}
	if maxPos >= 0 && len(pos) > maxPos {
		return nil, usagef("%s: unexpected argument %q", fs.Name(), pos[maxPos])
	}
	return pos, nil
}
