package notion_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func TestRetrieveAgainstEmulator(t *testing.T) {
	emu, c, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	parent := emu.AddItem(ws, notiontest.ItemSpec{Title: "Projects"})
	page := emu.AddItem(ws, notiontest.ItemSpec{Title: "Roadmap", ParentType: "page_id", ParentID: parent, Icon: notiontest.IconSpec{Type: "emoji", Emoji: "🗺"}})
	ds := emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	hidden := emu.AddItem(ws, notiontest.ItemSpec{Title: "Hidden", Unshared: true})
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	ctx := t.Context()

	it, err := c.Page(ctx, tok, page)
	if err != nil || it.ID != page || it.Kind != notion.KindPage || it.Title != "Roadmap" || it.Icon.Emoji != "🗺" ||
		it.ParentID != parent || it.InTrash || !strings.HasPrefix(it.URL, "https://") || it.LastEdited.IsZero() {
		t.Fatalf("page = %+v, %v", it, err)
	}
	// It agrees with search.
	for s, err := range c.Search(ctx, tok, notion.SearchOptions{Query: "Roadmap"}) {
		if err != nil {
			t.Fatal(err)
		}
		if s.ID == page && s != it {
			t.Errorf("search says %+v, retrieve %+v", s, it)
		}
	}
	d, err := c.DataSource(ctx, tok, strings.ReplaceAll(ds, "-", ""))
	if err != nil || d.ID != ds || d.Kind != notion.KindDatabase || d.Title != "Tasks" {
		t.Errorf("data source = %+v, %v", d, err)
	}
	emu.Trash(page)
	if it, err := c.Page(ctx, tok, page); err != nil || !it.InTrash {
		t.Errorf("trashed page = %+v, %v", it, err)
	}
	for name, get := range map[string]func() error{
		"unshared":            func() error { _, err := c.Page(ctx, tok, hidden); return err },
		"data source as page": func() error { _, err := c.Page(ctx, tok, ds); return err },
		"page as data source": func() error { _, err := c.DataSource(ctx, tok, parent); return err },
	} {
		if err := get(); !notion.IsNotFound(err) {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}

	// Hostile ids never reach a request path.
	before := len(emu.Requests())
	for _, bad := range []string{"", "../search", page + "/markdown", page + "?x=1", "g" + page[1:], strings.Repeat("a", 36), page[:35] + "%"} {
		if _, err := c.Page(ctx, tok, bad); !errors.Is(err, notion.ErrInvalidID) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if n := len(emu.Requests()); n != before {
		t.Errorf("%d requests for bad ids", n-before)
	}
	if n := emu.Count(http.MethodGet, "/v1/pages/"+page); n != 2 {
		t.Errorf("%d retrieves of the page", n)
	}
}

func TestNormalizeID(t *testing.T) {
	for in, want := range map[string]string{
		"0f9e8d7c-6b5a-4a39-8281-7f6e5d4c3b2a": "0f9e8d7c-6b5a-4a39-8281-7f6e5d4c3b2a",
		"0F9E8D7C6B5A4A3982817F6E5D4C3B2A":     "0f9e8d7c-6b5a-4a39-8281-7f6e5d4c3b2a",
		"0f9e8d7c6b5a4a39-82817f6e5d4c3b2a":    "",
		"0f9e8d7c-6b5a-4a39-8281-7f6e5d4c3b2":  "",
		"0f9e8d7c-6b5a-4a39-8281-7f6e5d4c3b2g": "",
		"0f9e8d7c--b5a-4a39-8281-7f6e5d4c3b2a": "",
	} {
		got, ok := notion.NormalizeID(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeID(%q) = %q, %v", in, got, ok)
		}
	}
}
