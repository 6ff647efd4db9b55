package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func TestCLIContent(t *testing.T) {
	w := newWorld(t)
	acme := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	w.Emu.Seed(acme, 3, 40)
	page := w.Emu.AddItem(acme, notiontest.ItemSpec{Title: "Standup"})
	w.Emu.SetContent(page, "# Standup\n\nBlocked on the **gazpacho** migration.\n\nBell\a and \x1b[31mred\x1b[0m.\n")
	w.connect(acme)

	// sync --no-content fetches no page.
	if code, _, errOut := w.run("sync", "--no-content"); code != 0 || w.Emu.Count("GET", "/v1/pages/"+page+"/markdown") != 0 {
		t.Fatalf("sync --no-content: %d %s", code, errOut)
	}
	if code, _, errOut := w.run("show", page); code != 1 || !strings.Contains(errOut, "no content is stored") || !strings.Contains(errOut, "--refresh") {
		t.Errorf("show before any content: %d %q", code, errOut)
	}
	code, out, errOut := w.run("sync")
	if code != 0 || !strings.Contains(out, "content Acme: ") || errOut != "" {
		t.Fatalf("sync: %d %q %q", code, out, errOut)
	}

	// search: content matches carry match and snippet.
	code, out, _ = w.run("search", "gazpacho", "--json")
	var hits []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &hits) != nil || len(hits) != 1 {
		t.Fatalf("search: %d %s", code, out)
	}
	if hits[0]["id"] != page || hits[0]["match"] != "content" || !strings.Contains(hits[0]["snippet"].(string), "gazpacho") {
		t.Errorf("hit %v", hits[0])
	}
	if _, out, _ = w.run("search", "gazpacho", "--in", "title", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("--in title found a body word: %s", out)
	}
	_, out, _ = w.run("search", "standup", "--json")
	if json.Unmarshal([]byte(out), &hits) != nil || len(hits) == 0 || hits[0]["match"] != "title" || hits[0]["snippet"] != "" {
		t.Errorf("title match: %s", out)
	}
	if code, _, errOut := w.run("search", "x", "--in", "body"); code != 2 || !strings.Contains(errOut, "--in") {
		t.Errorf("bad --in: %d %q", code, errOut)
	}
	if _, out, _ := w.run("search", "gazpacho"); !strings.Contains(out, "Standup") || !strings.Contains(out, "    Blocked on the gazpacho migration.") {
		t.Errorf("text search shows no snippet: %q", out)
	}

	// show prints the stored markdown, without the control characters.
	code, out, _ = w.run("show", page)
	if code != 0 || !strings.Contains(out, "Blocked on the **gazpacho** migration.") || strings.ContainsAny(out, "\a\x1b") {
		t.Errorf("show: %d %q", code, out)
	}

	// workspaces --json reports the content.
	_, out, _ = w.run("workspaces", "--json")
	var wss []map[string]any
	if json.Unmarshal([]byte(out), &wss) != nil || wss[0]["content"] != "on" || wss[0]["content_pages"].(float64) < 30 {
		t.Errorf("workspaces --json: %s", out)
	}

	// show and search with Notion out of reach; --refresh falls back to the copy.
	w.Emu.Close()
	if _, out, _ := w.run("search", "gazpacho", "--json"); !strings.Contains(out, page) {
		t.Errorf("offline search: %s", out)
	}
	if code, out, errOut := w.run("show", page, "--refresh"); code != 0 || !strings.Contains(out, "gazpacho") || !strings.Contains(errOut, "could not fetch") {
		t.Errorf("offline show --refresh: %d %q %q", code, out, errOut)
	}

	// content off deletes it; workspaces says so.
	if code, out, _ := w.run("content", "acme", "off"); code != 0 || !strings.Contains(out, "content off: Acme") {
		t.Errorf("content off: %d %q", code, out)
	}
	_, out, _ = w.run("workspaces", "--json")
	if json.Unmarshal([]byte(out), &wss) != nil || wss[0]["content"] != "off" || wss[0]["content_pages"].(float64) != 0 {
		t.Errorf("after off: %s", out)
	}
	if _, out, _ := w.run("search", "gazpacho", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("found after content off: %s", out)
	}
	if code, _, _ := w.run("content", "acme", "maybe"); code != 2 {
		t.Errorf("content acme maybe: exit %d", code)
	}
	if code, out, _ := w.run("help"); code != 0 || !strings.Contains(out, "pagedeck show ID [--refresh]") || !strings.Contains(out, "pagedeck content WS on|off") ||
		!strings.Contains(out, "--no-content") || !strings.Contains(out, "--in title|content|all") {
		t.Errorf("help: %q", out)
	}
}
