package notion_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func TestCreatePageUnderAPage(t *testing.T) {
	emu, c, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	parent := emu.AddItem(ws, notiontest.ItemSpec{Title: "Inbox"})
	older := emu.AddItem(ws, notiontest.ItemSpec{Title: "Older child", ParentType: "page_id", ParentID: parent})
	emu.SetContent(parent, "Notes live here.")
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	ctx := t.Context()

	it, err := c.CreatePage(ctx, tok, parent, "Call the plumber", "# Why\n\nThe tap drips.")
	if err != nil {
		t.Fatal(err)
	}
	if it.Title != "Call the plumber" || it.ParentID != parent || it.Kind != notion.KindPage || !strings.HasPrefix(it.URL, "https://") {
		t.Fatalf("created %+v", it)
	}
	// It is searchable, and its body reads back.
	found := false
	for s, err := range c.Search(ctx, tok, notion.SearchOptions{Query: "plumber"}) {
		if err != nil {
			t.Fatal(err)
		}
		found = found || s.ID == it.ID
	}
	if !found {
		t.Error("the new page is not in search")
	}
	if md, err := c.PageMarkdown(ctx, tok, it.ID); err != nil || md.Markdown != "# Why\n\nThe tap drips." {
		t.Errorf("body = %q, %v", md.Markdown, err)
	}
	// The parent lists it as a child page, after its body and older children.
	kids, err := c.BlockChildren(ctx, tok, parent)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range kids {
		got = append(got, b.Type+":"+b.Text)
	}
	want := []string{"paragraph:Notes live here.", "child_page:Older child", "child_page:Call the plumber"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("children = %q, want %q", got, want)
	}
	// Made now, by the connection (created_time is kept to the minute).
	if since := time.Since(kids[2].Created); kids[1].ID != older || kids[2].ID != it.ID || since < 0 || since > 2*time.Minute {
		t.Errorf("child ids/times: %+v", kids)
	}
}

func TestAppendMarkdownSplitsLongText(t *testing.T) {
	emu, c, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	page := emu.AddItem(ws, notiontest.ItemSpec{Title: "Journal"})
	emu.SetContent(page, "")
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	long := strings.Repeat("é🙂", 1500) // 4,500 UTF-16 units: three text objects
	blocks := notion.MarkdownBlocks("## Today\n- milk\n- [x] bread\n\n" + long)
	got, err := c.AppendBlocks(t.Context(), tok, page, blocks)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[3].Text != long || got[2].Type != "to_do" || !got[2].Checked {
		t.Fatalf("appended %d blocks: %+v", len(got), got[:min(len(got), 3)])
	}
	written := emu.Written(page)
	if len(written) != 4 || written[0].Type != "heading_2" || written[0].Text != "Today" || written[3].Text != long {
		t.Errorf("emulator has %+v", written)
	}
	// Each text object stayed within Notion's limit (the emulator refuses more).
	var sent struct {
		Children []map[string]map[string][]struct {
			Text struct{ Content string } `json:"text"`
		} `json:"children"`
	}
	for _, r := range emu.Requests() {
		if r.Method == http.MethodPatch {
			_ = json.Unmarshal(r.Body, &sent)
		}
	}
	parts := sent.Children[3]["paragraph"]["rich_text"]
	if len(parts) != 3 {
		t.Errorf("long text went as %d objects", len(parts))
	}
	for _, p := range parts {
		if n := len(utf16.Encode([]rune(p.Text.Content))); n > notion.MaxTextLen {
			t.Errorf("a text object of %d units", n)
		}
	}
	kids, err := c.BlockChildren(t.Context(), tok, page)
	if err != nil || len(kids) != 4 || kids[3].ID != got[3].ID {
		t.Errorf("children = %+v, %v", kids, err)
	}
}

func TestBlockChildrenFollowsTheCursor(t *testing.T) {
	emu, c, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	page := emu.AddItem(ws, notiontest.ItemSpec{Title: "Log"})
	lines := make([]string, 250)
	for i := range lines {
		lines[i] = "line " + strings.Repeat("x", i%7)
	}
	emu.SetContent(page, strings.Join(lines, "\n"))
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	kids, err := c.BlockChildren(t.Context(), tok, page)
	if err != nil || len(kids) != 250 || kids[249].Text != lines[249] {
		t.Fatalf("%d children, %v", len(kids), err)
	}
	if n := emu.Count(http.MethodGet, "/v1/blocks/"+page+"/children"); n != 3 {
		t.Errorf("%d calls for 250 blocks", n)
	}
}

func TestWritesWithoutInsertContent(t *testing.T) {
	emu, c, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	page := emu.AddItem(ws, notiontest.ItemSpec{Title: "Inbox"})
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	emu.SetInsertAccess(ws, false)
	_, err := c.CreatePage(t.Context(), tok, page, "Nope", "")
	var ae *notion.APIError
	if !errors.Is(err, notion.ErrNoInsertAccess) || !errors.As(err, &ae) || ae.Code != "restricted_resource" {
		t.Errorf("create: %v", err)
	}
	_, err = c.AppendBlocks(t.Context(), tok, page, notion.MarkdownBlocks("hi"))
	if !errors.Is(err, notion.ErrNoInsertAccess) {
		t.Errorf("append: %v", err)
	}
	if len(emu.Written(page)) != 0 || len(emu.Items(ws)) != 1 {
		t.Error("a refused write happened")
	}
	// Listing blocks reads content: Read content, not Insert content.
	if _, err := c.BlockChildren(t.Context(), tok, page); err != nil {
		t.Errorf("children without Insert content: %v", err)
	}
	emu.SetContentAccess(ws, false)
	if _, err := c.BlockChildren(t.Context(), tok, page); !errors.Is(err, notion.ErrNoContentAccess) || errors.Is(err, notion.ErrNoInsertAccess) {
		t.Errorf("children without Read content: %v", err)
	}
	emu.SetInsertAccess(ws, true)
	if _, err := c.CreatePage(t.Context(), tok, page, "Yes", ""); err != nil {
		t.Errorf("after the capability came back: %v", err)
	}
}

func TestWriteValidation(t *testing.T) {
	emu, c, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	page := emu.AddItem(ws, notiontest.ItemSpec{Title: "Inbox"})
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	// A hand-made block with too long a text: Notion's 400 names the field.
	bad := []notion.NewBlock{{Type: "paragraph", Text: "ok"}, {Type: "no_such_type", Text: "x"}}
	_, err := c.AppendBlocks(t.Context(), tok, page, bad)
	var ae *notion.APIError
	if !errors.As(err, &ae) || ae.Status != 400 || ae.Code != "validation_error" || !strings.Contains(ae.Message, "body.children[1].type") {
		t.Errorf("bad type: %v", err)
	}
	// An unknown parent is 404, as at Notion.
	if _, err := c.CreatePage(t.Context(), tok, "0b5c3d1e-0000-4000-8000-000000000001", "x", ""); !notion.IsNotFound(err) {
		t.Errorf("unknown parent: %v", err)
	}
	if _, err := c.AppendBlocks(t.Context(), tok, page, make([]notion.NewBlock, 101)); err == nil {
		t.Error("101 blocks were sent")
	}
	if len(emu.Written(page)) != 0 {
		t.Error("a refused append wrote")
	}
}

func TestLostAnswerWritesAndDrops(t *testing.T) {
	emu, c, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	page := emu.AddItem(ws, notiontest.ItemSpec{Title: "Inbox"})
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	emu.FailNext("/v1/pages", 1, notiontest.FaultLostAnswer)
	_, err := c.CreatePage(t.Context(), tok, page, "Lost", "")
	var ne *notion.NetworkError
	if !errors.As(err, &ne) {
		t.Fatalf("want a network error, got %v", err)
	}
	// The page was made, once: the client did not send it again.
	w := emu.Written(page)
	if len(w) != 1 || w[0].Type != "child_page" || w[0].Text != "Lost" || emu.Count(http.MethodPost, "/v1/pages") != 1 {
		t.Errorf("written %+v after %d posts", w, emu.Count(http.MethodPost, "/v1/pages"))
	}
}

func TestMarkdownBlocks(t *testing.T) {
	got := notion.MarkdownBlocks("# A\nline one\nline two\n\n1. first\n> said\n```\ncode\n  here\n```\n* b")
	var s []string
	for _, b := range got {
		s = append(s, b.Type+"="+b.Text)
	}
	want := "heading_1=A|paragraph=line one\nline two|numbered_list_item=first|quote=said|code=code\n  here|bulleted_list_item=b"
	if strings.Join(s, "|") != want {
		t.Errorf("got %q", strings.Join(s, "|"))
	}
	huge := strings.Repeat("a", notion.MaxTextLen*notion.MaxRichText+1)
	if b := notion.MarkdownBlocks(huge); len(b) != 2 || len(b[1].Text) != 1 {
		t.Errorf("a text past one block's room made %d blocks", len(b))
	}
}
