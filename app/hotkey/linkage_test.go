package hotkey

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestLinuxNeverLinksGolangDesignHotkey guards the design's known trap:
// golang.design/x/hotkey's Linux init opens the X display and panics
// without one, so it must not reach the pagedeck binary on Linux, where CI
// runs the command line headless. On Windows and macOS it must be there.
func TestLinuxNeverLinksGolangDesignHotkey(t *testing.T) {
	const lib = "golang.design/x/hotkey"
	deps := func(goos, cgo, pkg string) string {
		cmd := exec.Command("go", "list", "-e", "-deps", pkg)
		cmd.Env = append(os.Environ(), "GOOS="+goos, "CGO_ENABLED="+cgo)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list (%s): %v\n%s", goos, err, out)
		}
		return "\n" + string(out)
	}
	for _, cgo := range []string{"0", "1"} {
		got := deps("linux", cgo, "github.com/pagedeck/pagedeck")
		if !strings.Contains(got, "\ngithub.com/pagedeck/pagedeck/app/cli\n") {
			t.Fatalf("go list missed the command line's packages:%s", got)
		}
		if strings.Contains(got, "\n"+lib+"\n") {
			t.Errorf("pagedeck for Linux (CGO_ENABLED=%s) links %s", cgo, lib)
		}
	}
	if got := deps("windows", "0", "github.com/pagedeck/pagedeck/app/hotkey"); !strings.Contains(got, "\n"+lib+"\n") {
		t.Errorf("app/hotkey for Windows does not use %s", lib)
	}
}
