package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/instance"
)

// standIn makes this test binary act as pagedeck, so `pagedeck quick` can
// start "pagedeck" in the background for real: it re-executes itself
// (os.Executable), and the variable, inherited, says how to act:
//
//	cli     the command line with no window (runs `quick` in a process of its own)
//	window  the command line with a fake window that owns the data directory
//	        and logs what it is asked to fake-window.log there
//	fail    a pagedeck that exits at once with an error
//	mute    a pagedeck that starts and never answers
//	budget  the command line with the keychain in files (budget_e2e_test.go)
const standIn = "PAGEDECK_TEST_STAND_IN"

func TestMain(m *testing.M) {
	if mode := os.Getenv(standIn); mode != "" {
		os.Exit(actAsPagedeck(mode))
	}
	// A command that leaves a Core or a goroutine running fails the
	// package.
	goleak.VerifyTestMain(m, apptest.LeakOptions()...)
}

func actAsPagedeck(mode string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir := os.Getenv(app.EnvDataDir)
	switch mode {
	case "cli":
		return Main(ctx, os.Args[1:], Env{})
	case "window":
		return Main(ctx, os.Args[1:], Env{Window: func(ctx context.Context, o WindowOptions) error {
			return fakeWindow(ctx, dir, o)
		}})
	case "budget":
		return actAsBudgetPagedeck(ctx)
	case "fail":
		fmt.Fprintln(os.Stderr, "pagedeck: cannot open display")
		return 1
	case "mute":
		_ = os.WriteFile(filepath.Join(dir, "mute.pid"), []byte(strconv.Itoa(os.Getpid())), 0o600)
		waitForStop(ctx, dir)
		return 0
	}
	return 3
}

// fakeWindow does what ui.Run does with the instance: own the data
// directory and answer requests, or ask the window that owns it.
func fakeWindow(ctx context.Context, dir string, o WindowOptions) error {
	var mu sync.Mutex
	logLine := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		f, err := os.OpenFile(filepath.Join(dir, "fake-window.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintln(f, s)
			f.Close()
		}
	}
	p, err := instance.AcquireWith(dir, instance.Options{
		Ask:     o.Ask(),
		OnShow:  func() { logLine("show") },
		OnQuick: func() { logLine("quick") },
	})
	var running *instance.RunningError
	if errors.As(err, &running) && running.Shown {
		logLine("handed over: " + running.Error())
		return nil
	}
	if err != nil {
		return err
	}
	defer p.Release()
	logLine(fmt.Sprintf("start pid=%d hidden=%v quick=%v", os.Getpid(), o.Hidden, o.Quick))
	waitForStop(ctx, dir)
	return nil
}

// waitForStop returns when the test writes "stop" in dir, ctx ends, or a
// minute passes: a stand-in never outlives its test for long.
func waitForStop(ctx context.Context, dir string) {
	limit := time.After(time.Minute)
	for {
		if _, err := os.Stat(filepath.Join(dir, "stop")); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-limit:
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// quickWorld is a data directory with the stand-in chosen for pagedeck.
func quickWorld(t *testing.T, mode string) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv(app.EnvDataDir, dir)
	t.Setenv(standIn, mode)
	// Whatever the test left running in the background goes with it.
	t.Cleanup(func() {
		_ = os.WriteFile(filepath.Join(dir, "stop"), nil, 0o600)
		for _, pid := range backgroundPIDs(dir) {
			waitGone(t, pid)
		}
	})
	return dir
}

// backgroundPIDs are the stand-ins started for dir, from what they wrote.
func backgroundPIDs(dir string) []int {
	var pids []int
	if b, err := os.ReadFile(filepath.Join(dir, "mute.pid")); err == nil {
		if n, err := strconv.Atoi(string(b)); err == nil {
			pids = append(pids, n)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "fake-window.log"))
	for line := range strings.Lines(string(b)) {
		var pid int
		if _, err := fmt.Sscanf(line, "start pid=%d", &pid); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// waitGone waits for a stand-in to stop after "stop", and kills it (by
// its id: it is this test's) if it does not.
func waitGone(t *testing.T, pid int) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if !alive(pid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
	t.Errorf("the background pagedeck %d did not stop", pid)
}

func alive(pid int) bool {
	if runtime.GOOS != "linux" {
		p, err := os.FindProcess(pid)
		return err == nil && p.Signal(syscall.Signal(0)) == nil
	}
	// A zombie (exited, not yet reaped by the goroutine that waits for it)
	// is gone for this purpose.
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z")
}

func readLog(t *testing.T, dir string) string {
	t.Helper()
	b, _ := os.ReadFile(filepath.Join(dir, "fake-window.log"))
	return string(b)
}

// TestQuickAsksTheRunningWindow: a window owns the data directory (here,
// this test process with a recording callback); `pagedeck quick`, in a
// process of its own, asks it for Quick Open and exits 0.
func TestQuickAsksTheRunningWindow(t *testing.T) {
	dir := quickWorld(t, "cli")
	var mu sync.Mutex
	var got []string
	record := func(s string) func() {
		return func() { mu.Lock(); got = append(got, s); mu.Unlock() }
	}
	p, err := instance.AcquireWith(dir, instance.Options{OnShow: record("show"), OnQuick: record("quick")})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Release()

	out, err := exec.CommandContext(t.Context(), os.Args[0], "quick").CombinedOutput()
	if err != nil || len(out) != 0 {
		t.Fatalf("pagedeck quick: %v %q", err, out)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(got, " ") != "quick" {
		t.Errorf("the window was asked %q, want quick", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "fake-window.log")); err == nil {
		t.Error("quick started a second pagedeck beside the running one")
	}
}

// TestQuickStartsPagedeckInTheBackground: with no window, `pagedeck quick`
// starts one (this binary, standing in), hidden and with Quick Open, and
// exits 0 once it answers; the next `pagedeck quick` reaches it.
func TestQuickStartsPagedeckInTheBackground(t *testing.T) {
	dir := quickWorld(t, "window")
	code, stdout, stderr := runCLI(t, Env{}, "quick")
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("pagedeck quick: %d %q %q", code, stdout, stderr)
	}
	// It answered, so it is up and listening: no waiting here.
	log := readLog(t, dir)
	var pid int
	var hidden, quick bool
	if _, err := fmt.Sscanf(log, "start pid=%d hidden=%t quick=%t", &pid, &hidden, &quick); err != nil || !hidden || !quick {
		t.Fatalf("the background pagedeck logged %q, want a hidden start with Quick Open", log)
	}
	if pid == os.Getpid() || !alive(pid) {
		t.Fatalf("background pid %d", pid)
	}
	if runtime.GOOS == "linux" {
		checkDetached(t, pid)
	}

	if code, _, stderr := runCLI(t, Env{}, "quick"); code != 0 {
		t.Fatalf("second pagedeck quick: %d %s", code, stderr)
	}
	if got := readLog(t, dir); got != log+"quick\n" {
		t.Errorf("after a second quick the window logged %q", got)
	}
	// `pagedeck --hidden` beside it asks nothing and hands over.
	code, _, stderr = runCLI(t, Env{Window: func(ctx context.Context, o WindowOptions) error {
		return fakeWindow(ctx, dir, o)
	}}, "--hidden")
	if code != 0 || stderr != "" {
		t.Fatalf("pagedeck --hidden beside a window: %d %s", code, stderr)
	}
	if got := readLog(t, dir); got != log+"quick\nhanded over: Pagedeck is already running\n" {
		t.Errorf("after --hidden the window logged %q", got)
	}
}

// checkDetached: the background pagedeck has a session of its own (no
// terminal to hang up on it) and /dev/null for stdio.
func checkDetached(t *testing.T, pid int) {
	t.Helper()
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	f := strings.Fields(rest) // state ppid pgrp session …
	if len(f) < 4 || f[3] != strconv.Itoa(pid) || f[2] != strconv.Itoa(pid) {
		t.Errorf("background pagedeck %d: pgrp %s, session %s; want its own", pid, f[2], f[3])
	}
	for fd := range 3 {
		target, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%d", pid, fd))
		if err != nil || target != os.DevNull {
			t.Errorf("background pagedeck fd %d → %q (%v), want %s", fd, target, err, os.DevNull)
		}
	}
}

func TestQuickReportsAStartThatFails(t *testing.T) {
	quickWorld(t, "fail")
	code, _, stderr := runCLI(t, Env{}, "quick")
	if code != ExitFailure || !strings.Contains(stderr, "stopped before it answered (exit status 1)") || !strings.Contains(stderr, "pagedeck --hidden") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestQuickGivesUpOnASilentStart(t *testing.T) {
	dir := quickWorld(t, "mute")
	old := quickStartTimeout
	quickStartTimeout = 500 * time.Millisecond
	defer func() { quickStartTimeout = old }()
	code, _, stderr := runCLI(t, Env{}, "quick")
	if code != ExitFailure || !strings.Contains(stderr, "did not answer within 500ms") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if len(backgroundPIDs(dir)) != 1 {
		t.Errorf("the silent pagedeck never started")
	}
}

func TestQuickAndHiddenOnTheCommandLine(t *testing.T) {
	var got []WindowOptions
	env := Env{Window: func(_ context.Context, o WindowOptions) error { got = append(got, o); return nil }}
	for _, args := range [][]string{{"--hidden"}, {"--hidden", "--quick"}, {"--demo", "--hidden"}} {
		if code, _, stderr := runCLI(t, env, args...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, stderr)
		}
	}
	want := []WindowOptions{{Hidden: true}, {Hidden: true, Quick: true}, {Demo: true, Hidden: true}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("window options %+v, want %+v", got, want)
	}
	for _, args := range [][]string{{"quick", "now"}, {"quick", "--fast"}, {"--hidden", "sync"}, {"--quick", "search"}} {
		if code, _, stderr := runCLI(t, env, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, %q; want a usage error", args, code, stderr)
		}
	}
	_, stdout, _ := runCLI(t, Env{}, "help")
	for _, line := range []string{"pagedeck quick", "pagedeck --hidden"} {
		if !strings.Contains(stdout, line) {
			t.Errorf("help has no %q:\n%s", line, stdout)
		}
	}
	for o, want := range map[WindowOptions]instance.Request{
		{}: instance.Show, {Demo: true}: instance.Show, {Hidden: true}: instance.Ping,
		{Quick: true}: instance.Quick, {Hidden: true, Quick: true}: instance.Quick,
	} {
		if o.Ask() != want {
			t.Errorf("%+v.Ask() = %s, want %s", o, o.Ask(), want)
		}
	}
}
