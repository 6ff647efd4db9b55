package cli

import (
	"os"
	"os/exec"
	"testing"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/instance"
)

// BenchmarkQuickCommand: `pagedeck quick` as a process (this test binary
// standing in) asking a running window: process start, config, socket
// round trip, exit.
func BenchmarkQuickCommand(b *testing.B) {
	dir := b.TempDir()
	b.Setenv(app.EnvDataDir, dir)
	b.Setenv(standIn, "cli")
	p, err := instance.AcquireWith(dir, instance.Options{OnQuick: func() {}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Release()
	for b.Loop() {
		if out, err := exec.Command(os.Args[0], "quick").CombinedOutput(); err != nil {
			b.Fatalf("%v %s", err, out)
		}
	}
}
