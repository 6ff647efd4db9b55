package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// hostileName and hostileTitle carry terminal escapes: clear the screen,
// retitle the window (OSC … BEL), colour, a carriage return that overwrites
// the line, an 8-bit CSI (U+009B) and DEL.
const (
	hostileName  = "Evil\x1b]0;pwned\x07 Corp\u009b2J\x7f"
	hostileTitle = "Budget\x1b[2J\x1b[31m red\r\nfake: line\tkept"
)

func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r <= 0x9f) {
			return true
		}
	}
	return false
}

// TestCLITextOutputIsCleaned: names and titles reach the terminal without
// their control characters; JSON keeps them exactly.
func TestCLITextOutputIsCleaned(t *testing.T) {
	w := newWorld(t)
	ws := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: hostileName})
	id := w.Emu.AddItem(ws, notiontest.ItemSpec{Title: hostileTitle, URL: "https://app.notion.com/p/budget"})
	rest := w.connect(ws)
	for _, args := range [][]string{nil, {"workspaces"}, {"search", "budget"}, {"sync"}, {"search", "x", "-w", "\x1b[2Jnope"}} {
		out, errOut := rest, ""
		if args != nil {
			_, out, errOut = w.run(args...)
		}
		if hasControl(out) || hasControl(errOut) {
			t.Errorf("%v printed control characters: %q %q", args, out, errOut)
		}
		if args == nil && !strings.Contains(out, "connected: Evil]0;pwned Corp2J (") {
			t.Errorf("connect: %q", out)
		}
		if len(args) == 2 && args[0] == "search" && (!strings.Contains(out, "Budget[2J[31m redfake: line kept  page  Evil]0;pwned Corp2J") || !strings.Contains(out, id)) {
			t.Errorf("search: %q", out)
		}
	}
	_, out, _ := w.run("search", "budget", "--json")
	var hits []struct{ Title string }
	if err := json.Unmarshal([]byte(out), &hits); err != nil || len(hits) != 1 || hits[0].Title != hostileTitle {
		t.Errorf("JSON is not exact: %q %v", out, err)
	}
	_, out, _ = w.run("workspaces", "--json")
	var wss []struct{ Name string }
	if err := json.Unmarshal([]byte(out), &wss); err != nil || len(wss) != 1 || wss[0].Name != hostileName {
		t.Errorf("JSON is not exact: %q %v", out, err)
	}
}

// TestCLIReadOnlyCommandsLeaveTheFileAlone: workspaces and search do not
// write a byte of pagedeck.db, nor touch its time. (open records the open,
// for ranking; where_test.go checks that.)
func TestCLIReadOnlyCommandsLeaveTheFileAlone(t *testing.T) {
	w := newWorld(t)
	ws := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	w.Emu.Seed(ws, 3, 50)
	w.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Roadmap", URL: "https://app.notion.com/p/roadmap"})
	w.connect(ws)
	path := filepath.Join(w.Config.DataDir, store.FileName)
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	for _, args := range [][]string{{"workspaces"}, {"workspaces", "--json"}, {"search", "roadmap"}, {"search", "--json"}} {
		if code, _, errOut := w.run(args...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, errOut)
		}
		after, _ := os.ReadFile(path)
		fi, _ := os.Stat(path)
		if !bytes.Equal(before, after) || !fi.ModTime().Equal(old) {
			t.Errorf("%v changed the database", args)
		}
	}
}
