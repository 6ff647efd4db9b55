//go:build linux

package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/content/contenttest"
	"github.com/pagedeck/pagedeck/app/testbin"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// runBinary runs the real pagedeck on the harness's data dir. With a
// keychain, it runs inside a private D-Bus session with a fresh, unlocked
// gnome-keyring (as .ci/keychain-test does), for the commands that touch
// the keychain.
func runBinary(t *testing.T, dir string, keychain bool, args ...string) (int, string, string) {
	t.Helper()
	if keychain {
		return runScript(t, dir, nil, `exec "$0" "$@"`, args...)
	}
	return runCmd(t, dir, nil, testbin.Binary(t), args...)
}

// runScript runs a shell script ("$0" is the binary) inside a private
// D-Bus session with a fresh, unlocked gnome-keyring.
func runScript(t *testing.T, dir string, env []string, script string, args ...string) (int, string, string) {
	t.Helper()
	script = `eval "$(printf %s pagedeck-test | gnome-keyring-daemon --unlock --components=secrets)"; export GNOME_KEYRING_CONTROL; ` + script
	return runCmd(t, dir, env, "dbus-run-session", append([]string{"--", "sh", "-c", script, testbin.Binary(t)}, args...)...)
}

func runCmd(t *testing.T, dir string, env []string, name string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	home := t.TempDir()
	cmd := exec.CommandContext(ctx, name, args...)
	run := filepath.Join(home, "run")
	os.Mkdir(run, 0o700)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "XDG_RUNTIME_DIR=" + run,
		"PAGEDECK_DATA_DIR=" + dir, "PAGEDECK_KEYRING_SERVICE=pagedeck-privacy-test"}
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), out.String(), dropDBusNoise(errb.String())
	}
	if err != nil {
		t.Fatalf("running pagedeck: %v", err)
	}
	return 0, out.String(), dropDBusNoise(errb.String())
}

// TestBinaryOffMeansGoneWhileAnotherProcessCrawls is the privacy test: a
// workspace whose pages all hold one made-up word is crawled; while
// another process (this test's Core) is crawling it, the real binary runs
// 'content off' (or 'disconnect'). When the command returns, and again
// once the crawl has stopped, no file under the data dir holds the word:
// raw bytes, every bbolt value inflated, and every term of every field of
// the index through bleve's dictionaries.
func TestBinaryOffMeansGoneWhileAnotherProcessCrawls(t *testing.T) {
	const word = "zymurglox"
	for _, how := range []string{"content off", "disconnect"} {
		t.Run(how, func(t *testing.T) {
			testbin.Binary(t)
			h, _, ws, _ := contentHarness(t, 300, nil)
			for _, it := range h.Emu.Items(ws) {
				if it.Kind == notiontest.KindPage {
					h.Emu.SetContent(it.ID, fmt.Sprintf("# Minutes\n\nThe %s budget, page %s.\n\n%s\n", word, it.ID, strings.Repeat("Other words entirely. ", 40)))
				}
			}
			if how == "disconnect" {
				// Its titles go too: one holds the word.
				h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Zymurglox plans", LastEdited: time.Now().Add(-time.Hour)})
				if _, err := h.core.Sync(context.Background(), ws, true, nil); err != nil {
					t.Fatal(err)
				}
				h.core.KeepBackupForTest()
			}
			total := h.pages(ws)

			reached, resume := make(chan struct{}), make(chan struct{})
			var once sync.Once
			done := make(chan error, 1)
			go func() {
				_, err := h.core.CrawlContent(context.Background(), ws, func(p app.ContentProgress) {
					if p.Done >= 250 {
						once.Do(func() { close(reached); <-resume })
					}
				})
				done <- err
			}()
			<-reached
			// The first batch is on disk: the word is there to be deleted.
			for h.core.ContentStored(ws) < 200 {
				time.Sleep(10 * time.Millisecond)
			}
			if left, err := contenttest.WordsLeft(h.Dir, word); err != nil || len(left) == 0 {
				t.Fatalf("the word is not stored yet: %v %v", left, err)
			}
			var code int
			var errOut string
			if how == "disconnect" {
				code, _, errOut = runBinary(t, h.Dir, true, "disconnect", "--keep-grant", ws)
			} else {
				code, _, errOut = runBinary(t, h.Dir, false, "content", ws, "off")
			}
			if code != 0 {
				close(resume)
				t.Fatalf("%s: exit %d: %s", how, code, errOut)
			}
			if left, err := contenttest.WordsLeft(h.Dir, word); err != nil || len(left) != 0 {
				t.Errorf("after %s returned, the word is still in: %v (%v)", how, left, err)
			}
			// The crawl goes on fetching, and finds it may not write.
			close(resume)
			if err := <-done; !errors.Is(err, app.ErrContentTurnedOff) {
				t.Errorf("the crawl ended with %v, want it stopped as turned off", err)
			}
			if left, err := contenttest.WordsLeft(h.Dir, word); err != nil || len(left) != 0 {
				t.Errorf("after the crawl stopped, the word is in: %v (%v)", left, err)
			}
			if n := h.Core().ContentStored(ws); n != 0 {
				t.Errorf("%d of %d pages are stored", n, total)
			}
			if code, out, errOut := runBinary(t, h.Dir, false, "search", word, "--in", "content", "--json"); code != 0 || strings.Contains(out, `"match"`) {
				t.Errorf("search after %s: exit %d, %s %s", how, code, out, errOut)
			}
		})
	}
}

// dropDBusNoise leaves out what the private D-Bus session itself says
// ("Failed to set fd limit" in a container).
func dropDBusNoise(s string) string {
	var keep []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(l, "dbus-daemon[") && l != "" {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "")
}
