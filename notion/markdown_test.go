package notion_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func contentEmu(t *testing.T, o notiontest.Options) (*notiontest.Server, *notion.Client, string, notion.Secret) {
	t.Helper()
	if o.RateLimit == 0 {
		o.RateLimit = -1
	}
	emu := notiontest.NewServer(o)
	t.Cleanup(emu.Close)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	tok := notion.Secret(emu.AddInternalToken(ws))
	c := notion.New(notion.Options{BaseURL: emu.URL(), RateLimit: rate.Inf, Sleep: (&recSleep{}).sleep})
	return emu, c, ws, tok
}

// longBody is a page of n top-level blocks, some with children, and a word
// only its last block holds.
func longBody(n int, last string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "- item %d\n", i)
		if i%3 == 0 {
			fmt.Fprintf(&b, "\t- child %d\n\t\t- grandchild %d\n", i, i)
		}
	}
	b.WriteString("## End\n" + last + " is here")
	return b.String()
}

func TestPageMarkdownSplicesTruncatedPages(t *testing.T) {
	emu, c, ws, tok := contentEmu(t, notiontest.Options{RecordLimit: 40})
	id := emu.AddItem(ws, notiontest.ItemSpec{Title: "Long"})
	body := longBody(60, "zanzibar")
	emu.SetContent(id, body)

	got, err := c.PageMarkdown(context.Background(), tok, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Subtrees == 0 {
		t.Fatal("the emulator did not truncate the page: the test proves nothing")
	}
	if got.Markdown != body || got.Partial || len(got.Missing) > 0 {
		t.Errorf("spliced page differs from the original (partial %v, missing %v):\n%s", got.Partial, got.Missing, got.Markdown)
	}
	if got.Fetched.IsZero() {
		t.Error("no fetch time")
	}
}

func TestPageMarkdownDeepBlockBiggerThanAnAnswer(t *testing.T) {
	emu, c, ws, tok := contentEmu(t, notiontest.Options{RecordLimit: 10})
	id := emu.AddItem(ws, notiontest.ItemSpec{Title: "Deep"})
	var b strings.Builder
	b.WriteString("- root\n")
	for i := range 35 {
		fmt.Fprintf(&b, "\t- child %d\n\t\t- leaf %d\n", i, i)
	}
	b.WriteString("after the tree")
	emu.SetContent(id, b.String())
	got, err := c.PageMarkdown(context.Background(), tok, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Markdown != b.String() {
		t.Errorf("got\n%s", got.Markdown)
	}
}

func TestPageMarkdownBoundsAndUnsharedParts(t *testing.T) {
	emu, c, ws, tok := contentEmu(t, notiontest.Options{RecordLimit: 2})
	hidden := emu.AddItem(ws, notiontest.ItemSpec{Title: "Secret child", Unshared: true})
	id := emu.AddItem(ws, notiontest.ItemSpec{Title: "Many parts"})
	// A child page the connection cannot see stays an unknown tag.
	emu.SetContent(id, fmt.Sprintf("<unknown url=\"https://app.notion.com/p/x#%s\" alt=\"page\"/>\n", strings.ReplaceAll(hidden, "-", ""))+longBody(200, "far"))
	got, err := c.PageMarkdown(context.Background(), tok, id)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Partial || got.Subtrees != notion.MaxSubtrees {
		t.Errorf("partial %v after %d subtree calls, want partial after %d", got.Partial, got.Subtrees, notion.MaxSubtrees)
	}
	found := false
	for _, m := range got.Missing {
		found = found || m == hidden
	}
	if !found {
		t.Errorf("the unshared child %s is not among the missing parts %v", hidden, got.Missing)
	}
	if n := emu.Count(http.MethodGet, "/v1/pages/"+id+"/markdown"); n != 1 {
		t.Errorf("the page itself was fetched %d times", n)
	}
}

func TestPageMarkdownErrors(t *testing.T) {
	emu, c, ws, tok := contentEmu(t, notiontest.Options{})
	id := emu.AddItem(ws, notiontest.ItemSpec{Title: "Page"})
	ds := emu.AddItem(ws, notiontest.ItemSpec{Title: "Tasks", Kind: notiontest.KindDataSource})
	ctx := context.Background()

	if _, err := c.PageMarkdown(ctx, tok, "0123456789abcdef0123456789abcdef"); !notion.IsNotFound(err) {
		t.Errorf("unknown page: %v, want not found", err)
	}
	if _, err := c.PageMarkdown(ctx, tok, ds); err == nil || notion.IsNotFound(err) {
		t.Errorf("a data source: %v, want a validation error", err)
	}
	if _, err := c.PageMarkdown(ctx, tok, "../../v1/users/me"); err == nil || len(emu.Requests()) != 2 {
		t.Errorf("a malformed id reached the server: %v", err)
	}
	emu.SetContentAccess(ws, false)
	_, err := c.PageMarkdown(ctx, tok, id)
	if !errors.Is(err, notion.ErrNoContentAccess) {
		t.Fatalf("without Read content: %v, want ErrNoContentAccess", err)
	}
	var ae *notion.APIError
	if !errors.As(err, &ae) || ae.Code != "restricted_resource" {
		t.Errorf("the APIError is lost: %v", err)
	}
	emu.SetContentAccess(ws, true)
	if got, err := c.PageMarkdown(ctx, tok, id); err != nil || got.Markdown != emu.Content(id) {
		t.Errorf("with access again: %v", err)
	}
}

func TestPageMarkdownFollowsEdits(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 20, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	emu, c, ws, tok := contentEmu(t, notiontest.Options{Clock: clock})
	id := emu.AddItem(ws, notiontest.ItemSpec{Title: "Notes"})
	first, _ := c.PageMarkdown(context.Background(), tok, id)
	mu.Lock()
	now = now.Add(30 * time.Second)
	mu.Unlock()
	emu.EditContent(id, "brand new words")
	got, err := c.PageMarkdown(context.Background(), tok, id)
	if err != nil || got.Markdown != "brand new words" || got.Markdown == first.Markdown {
		t.Fatalf("after an edit: %v %q", err, got.Markdown)
	}
	if !got.Fetched.Equal(now.Truncate(time.Second)) {
		t.Errorf("fetched at %v, want the emulator's clock %v", got.Fetched, now)
	}
	for _, it := range emu.Items(ws) {
		if it.ID == id && !it.LastEdited.Equal(now.Truncate(time.Minute)) {
			t.Errorf("last edited %v, want %v rounded down to the minute", it.LastEdited, now)
		}
	}
}
