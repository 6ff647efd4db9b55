package instance

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestSecondLaunchRaisesTheFirst(t *testing.T) {
	dir := t.TempDir()
	var shown atomic.Int32
	p, err := Acquire(dir, func() { shown.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(dir, nil)
	var re *RunningError
	if !errors.Is(err, ErrAlreadyRunning) || !errors.As(err, &re) || !re.Shown {
		t.Fatalf("second Acquire: %v", err)
	}
	if shown.Load() != 1 {
		t.Errorf("the first window was asked %d times", shown.Load())
	}
	if !strings.Contains(err.Error(), "brought to the front") {
		t.Errorf("message %q", err)
	}
	p.Release()
	// After the first closes, the next launch owns the directory.
	p2, err := Acquire(dir, nil)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	p2.Release()
}

// TestAcrossProcesses runs the first window in a child process.
func TestAcrossProcesses(t *testing.T) {
	if dir := os.Getenv("PAGEDECK_INSTANCE_CHILD"); dir != "" {
		p, err := Acquire(dir, func() { fmt.Println("SHOW") })
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		fmt.Println("READY")
		time.Sleep(20 * time.Second)
		p.Release()
		os.Exit(0)
	}
	dir := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run=^TestAcrossProcesses$")
	child.Env = append(os.Environ(), "PAGEDECK_INSTANCE_CHILD="+dir)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	buf := make([]byte, 64)
	n, _ := out.Read(buf)
	if !strings.Contains(string(buf[:n]), "READY") {
		t.Fatalf("child: %q", buf[:n])
	}
	_, err = Acquire(dir, nil)
	var re *RunningError
	if !errors.As(err, &re) || !re.Shown {
		t.Fatalf("Acquire beside a running window: %v", err)
	}
	n, _ = out.Read(buf)
	if !strings.Contains(string(buf[:n]), "SHOW") {
		t.Errorf("the running window was not asked to show: %q", buf[:n])
	}
	// A killed window leaves its socket file; the lock dies with it.
	_ = child.Process.Kill()
	_ = child.Wait()
	if _, err := os.Stat(filepath.Join(dir, socketName)); err != nil {
		t.Logf("socket gone already: %v", err)
	}
	p, err := Acquire(dir, nil)
	if err != nil {
		t.Fatalf("after the first died: %v", err)
	}
	p.Release()
}

func TestUnreachableWindowSaysSo(t *testing.T) {
	dir := t.TempDir()
	p, err := Acquire(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Release()
	// The socket goes away (e.g. deleted) while the window lives.
	p.ln.Close()
	_, err = Acquire(dir, nil)
	var re *RunningError
	if !errors.As(err, &re) || re.Shown || !strings.Contains(err.Error(), "did not answer") {
		t.Errorf("err = %v", err)
	}
}
