package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/instance"
)

// quickStartTimeout bounds the wait for a Pagedeck started in the
// background to answer on its socket.
var quickStartTimeout = 15 * time.Second

// Ask is what this launch asks a Pagedeck already running on the same data
// directory: Quick Open for --quick, nothing for --hidden (it is running,
// which is all a hidden start wants), else its main window.
func (o WindowOptions) Ask() instance.Request {
	switch {
	case o.Quick:
		return instance.Quick
	case o.Hidden:
		return instance.Ping
	}
	return instance.Show
}

// runQuick asks the running Pagedeck to show Quick Open. With none
// running it starts one in the background, hidden and showing Quick Open,
// and returns once that one answers.
func runQuick(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("quick", env)
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	cfg, err := app.ConfigFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	env.warnConfig(cfg)
	err = instance.Send(ctx, cfg.DataDir, instance.Quick)
	if err == nil {
		return nil
	}
	if !errors.Is(err, instance.ErrNotRunning) {
		return fmt.Errorf("the running Pagedeck did not show Quick Open (%v); close it or try again", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("starting Pagedeck in the background: finding this program: %w", err)
	}
	cmd := exec.Command(exe, "--hidden", "--quick")
	// Stdio stays nil (/dev/null): the window outlives this command and its
	// terminal. Its own session keeps it clear of the terminal's hangup.
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting Pagedeck in the background: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	return waitForWindow(ctx, cfg.DataDir, exited)
}

// waitForWindow waits until a window answers on dir's socket. The one
// just started shows Quick Open by itself (--quick), so it is only pinged.
func waitForWindow(ctx context.Context, dir string, exited <-chan error) error {
	ping := func() error {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		return instance.Send(ctx, dir, instance.Ping)
	}
	deadline := time.NewTimer(quickStartTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-exited:
			// It may have found another window starting at the same time,
			// and handed it the request.
			if ping() == nil {
				return nil
			}
			if err == nil {
				err = errors.New("exit status 0")
			}
			return fmt.Errorf("the Pagedeck started in the background stopped before it answered (%v); run 'pagedeck --hidden' to see why", err)
		case <-deadline.C:
			return fmt.Errorf("started Pagedeck in the background, but it did not answer within %s; run 'pagedeck --hidden' to see why", quickStartTimeout)
		case <-tick.C:
			if ping() == nil {
				return nil
			}
		}
	}
}
