package app_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestRooms enforces the design's arrows: ui → app → {store, auth, notion},
// auth → notion; Fyne only in ui and main; nothing imports ui or main.
// Tests are held to the same arrows, plus the fixtures each room's tests
// may use (testMay): a test that reaches into another room is a coupling
// too.
func TestRooms(t *testing.T) {
	const mod = "github.com/pagedeck/pagedeck"
	out, err := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,TestImports,XTestImports", mod+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	// room maps a package to the folder that owns it.
	room := func(p string) string {
		r := strings.TrimPrefix(strings.TrimPrefix(p, mod), "/")
		switch {
		case r == "":
			return "main"
		case strings.HasPrefix(r, "notion/notiontest"):
			return "notiontest"
		case strings.HasPrefix(r, "app/store"):
			return "store"
		case strings.HasPrefix(r, "app/content"):
			return "content"
		case strings.HasPrefix(r, "app/index"):
			return "index"
		case strings.HasPrefix(r, "app/rows"):
			return "rows" // databases' rows offline: sync, storage, filters
		case strings.HasPrefix(r, "ui/dialogs"):
			return "dialogs" // the window's dialogs: callbacks in, no window, no core
		case strings.HasPrefix(r, "ui/widgets"):
			return "widgets" // reusable widgets, layouts and the theme
		case strings.HasPrefix(r, "ui/view"):
			return "view" // what the window shows, as plain data: no Fyne
		case strings.HasPrefix(r, "app/demo"):
			return "demo" // the app on the emulator, for --demo
		case strings.HasPrefix(r, "app/apptest"):
			return "apptest" // a test fixture: the machine a test runs on
		case strings.HasPrefix(r, "app/xvfbtest"):
			return "xvfbtest" // a test fixture: a private X server
		case strings.HasPrefix(r, "auth/broker/redistest"):
			return "redistest" // a test fixture: a real redis-server
		case strings.HasPrefix(r, "auth/broker"):
			return "broker"
		case strings.HasPrefix(r, "cmd/"):
			return "cmd"
		}
		return strings.SplitN(r, "/", 2)[0]
	}
	// may lists the rooms each room may import, besides itself.
	may := map[string][]string{
		"main":       {"app", "ui", "assets"},
		"ui":         {"app", "demo", "view", "dialogs", "widgets", "assets"},
		"widgets":    {},
		"dialogs":    {"app", "widgets"},
		"view":       {"app"},
		"app":        {"store", "index", "content", "rows", "auth", "notion", "assets"},
		"demo":       {"app", "auth", "notion", "notiontest"},
		"store":      {},
		"index":      {"store"},
		"content":    {"index"},
		"rows":       {"store", "index", "notion"},
		"auth":       {"notion"},
		"broker":     {"auth", "notion"},
		"notion":     {},
		"notiontest": {},
		"redistest":  {"notiontest"}, // for its reserved port
		// The emulator, a broker, Redis and Cores on one data dir.
		"apptest":  {"app", "store", "auth", "broker", "redistest", "notion", "notiontest"},
		"xvfbtest": {},
		"cmd":      {"broker", "auth", "notion", "notiontest", "app"},
		"assets":   {},
	}
	// testMay lists what a room's tests may import besides what the room
	// may: the emulator, a real Redis, a broker to test against.
	testMay := map[string][]string{
		"app": {"apptest", "broker", "redistest", "notiontest", "xvfbtest"},
		// content's tests wire in the store's file check, as the Core does.
		"content": {"notiontest", "store"},
		// The damage variants of content files run beside the database's,
		// with the same binary fixtures; they build a content store.
		"store":  {"content"},
		"auth":   {"notiontest"},
		"broker": {"redistest", "notiontest"},
		"notion": {"notiontest"},
		"ui":     {"apptest", "auth", "broker", "notion", "notiontest"},
		"rows":   {"notiontest"},
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for {
		var p struct {
			ImportPath                         string
			Imports, TestImports, XTestImports []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		seen++
		from := room(p.ImportPath)
		allowed, ok := may[from]
		if !ok {
			t.Errorf("%s is in no known room; add it to the design and to this test", p.ImportPath)
			continue
		}
		check := func(imports, allowed []string, what string) {
			for _, imp := range imports {
				if strings.HasPrefix(imp, "fyne.io/") && from != "ui" && from != "dialogs" && from != "widgets" && from != "main" {
					t.Errorf("%s%s imports %s: Fyne belongs in ui/ and main only", p.ImportPath, what, imp)
				}
				if !strings.HasPrefix(imp, mod) {
					continue
				}
				to := room(imp)
				if to == from || slices.Contains(allowed, to) {
					continue
				}
				t.Errorf("%s%s imports %s: the arrow %s → %s is not in the design", p.ImportPath, what, imp, from, to)
			}
		}
		check(p.Imports, allowed, "")
		check(append(p.TestImports, p.XTestImports...), append(slices.Clone(allowed), testMay[from]...), "'s tests")
	}
	if seen < 5 {
		t.Fatalf("go list saw only %d packages", seen)
	}
}
