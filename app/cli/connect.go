package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/auth"
)

// connect, add-token and disconnect: a workspace in and out.

// printingOpener prints the consent URL alone on the first line of stdout,
// then opens the browser unless told not to.
type printingOpener struct {
	out     io.Writer
	browser app.Opener
}

func (p printingOpener) OpenURL(u string) error {
	fmt.Fprintln(p.out, u)
	if p.browser == nil {
		return nil
	}
	return p.browser.OpenURL(u)
}

func runConnect(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("connect", env)
	noBrowser := fs.Bool("no-browser", false, "print the URL and do not open a browser")
	timeout := fs.Duration("timeout", 5*time.Minute, "give up after this long")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	if *timeout <= 0 {
		return usagef("connect: --timeout must be positive")
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	defer sayPauses(env, core)()
	op := printingOpener{out: env.Stdout, browser: env.Opener}
	if *noBrowser {
		op.browser = nil
	}
	w, err := core.Connect(ctx, app.ConnectOptions{Opener: op, Timeout: *timeout})
	var fse *app.FirstSyncError
	if errors.As(err, &fse) {
		fmt.Fprintf(env.Stdout, "connected: %s (%s)\n", clean(w.Name), clean(w.ID))
		return err
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "connected: %s (%s)\n", clean(w.Name), clean(w.ID))
	return nil
}

func runAddToken(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("add-token", env)
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	secret, err := readSecret(env)
	if err != nil {
		return err
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	w, err := core.Connect(ctx, app.ConnectOptions{InternalToken: secret})
	var fse *app.FirstSyncError
	if err != nil && !errors.As(err, &fse) {
		return err
	}
	fmt.Fprintf(env.Stdout, "connected: %s (%s)\n", clean(w.Name), clean(w.ID))
	return err
}

// readSecret reads one line from stdin, without echo when it is a terminal.
func readSecret(env *Env) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "Paste the internal connection secret (it will not show): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("reading the secret: %w", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	line, err := bufio.NewReader(io.LimitReader(env.Stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the secret from stdin: %w", err)
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return "", errors.New("no secret on stdin: pipe the internal connection's secret in, e.g. pagedeck add-token < secret.txt")
	}
	return line, nil
}

func runDisconnect(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("disconnect", env)
	keep := fs.Bool("keep-grant", false, "do not revoke the grant at Notion")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	core, err := env.NewCore(ctx)
	if err != nil {
		return err
	}
	w, err := core.Resolve(pos[0])
	if err != nil {
		return err
	}
	if err := core.Disconnect(ctx, w.ID, !*keep); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "disconnected: %s (%s)\n", clean(w.Name), clean(w.ID))
	if w.Auth == string(auth.KindToken) && !*keep {
		fmt.Fprintln(env.Stderr, "note: an internal connection's secret cannot be revoked from here; delete the connection in Notion if you no longer need it")
	}
	return nil
}
