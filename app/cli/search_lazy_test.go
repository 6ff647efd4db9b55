package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/app/content"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// TestTitleSearchLeavesTheContentIndexAlone: a search that its title
// matches answer in full does not open the content index (a launcher runs
// one per keystroke), so a missing index is noticed and rebuilt by the
// first search that reaches content, which still finds every stored page.
func TestTitleSearchLeavesTheContentIndexAlone(t *testing.T) {
	w := newWorld(t)
	acme := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	w.Emu.Seed(acme, 3, 20)
	page := w.Emu.AddItem(acme, notiontest.ItemSpec{Title: "Standup"})
	w.Emu.SetContent(page, "# Standup\n\nBlocked on the **gazpacho** migration.\n")
	w.connect(acme)
	if code, _, errOut := w.run("sync"); code != 0 {
		t.Fatalf("sync: %d %s", code, errOut)
	}
	index := filepath.Join(w.Config.DataDir, content.IndexDir)
	if err := os.RemoveAll(index); err != nil {
		t.Fatal(err)
	}

	// "standup" with --limit 1: the title match fills the answer.
	code, out, errOut := w.run("search", "standup", "--limit", "1", "--json")
	var hits []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &hits) != nil || len(hits) != 1 || hits[0]["id"] != page || hits[0]["match"] != "title" {
		t.Fatalf("title search: %d %s %s", code, out, errOut)
	}
	if errOut != "" {
		t.Errorf("a title search spoke of the content index: %q", errOut)
	}
	if _, err := os.Stat(index); !os.IsNotExist(err) {
		t.Errorf("a title search made the content index: %v", err)
	}

	// A word only in the body: the index is rebuilt first, and finds it.
	code, out, errOut = w.run("search", "gazpacho", "--json")
	if code != 0 || json.Unmarshal([]byte(out), &hits) != nil || len(hits) != 1 || hits[0]["id"] != page || hits[0]["match"] != "content" {
		t.Fatalf("content search after the index went: %d %s %s", code, out, errOut)
	}
	if !strings.Contains(errOut, "content index was missing") {
		t.Errorf("no note of the rebuild: %q", errOut)
	}
}
