package notion_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func TestCreateRowWithProps(t *testing.T) {
	emu, c, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	ds := emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	ctx := t.Context()
	est, yes := 2.5, true
	props := map[string]notion.Value{
		"Name":     {Type: notion.PropTitle, Text: "Ship it"},
		"Status":   {Type: notion.PropStatus, Text: "In progress"},
		"Priority": {Type: notion.PropSelect, Text: "Someday"}, // new: Notion adds it
		"Tags":     {Type: notion.PropMultiSelect, List: []string{"Design", "Docs"}},
		"Due":      {Type: notion.PropDate, Date: &notion.DateRange{Start: "2026-12-24"}},
		"Estimate": {Type: notion.PropNumber, Number: &est},
		"Reviewed": {Type: notion.PropCheckbox, Bool: &yes},
		"Link":     {Type: notion.PropURL, Text: "https://example.com"},
	}
	it, row, err := c.CreateRow(ctx, tok, ds, props, "Body text.")
	if err != nil {
		t.Fatal(err)
	}
	if it.Title != "Ship it" || it.Parent.Type != notion.ParentDataSource || it.Parent.ID != ds || row.ID != it.ID {
		t.Fatalf("created %+v / %+v", it, row)
	}
	for name, want := range map[string]string{"Status": "In progress", "Priority": "Someday", "Tags": "Design, Docs",
		"Due": "2026-12-24", "Estimate": "2.5", "Reviewed": "true", "Link": "https://example.com", "Notes": "", "Contact": ""} {
		if got := row.Properties[name].String(); got != want {
			t.Errorf("answer's %s = %q, want %q", name, got, want)
		}
	}
	if got := emu.Options(ds, "Priority"); !slices.Contains(got, "Someday") || !slices.Contains(emu.Options(ds, "Tags"), "Docs") {
		t.Errorf("options after a new name: %v", got)
	}
	// The look before a resend finds it: made by this connection, just now.
	found, err := c.RowsCreatedSince(ctx, tok, ds, "Name", "ship IT", time.Now().Add(-2*time.Minute))
	if err != nil || len(found) != 1 || found[0].ID != it.ID || found[0].CreatedBy == "" || found[0].CreatedBy != row.CreatedBy {
		t.Errorf("look = %+v, %v", found, err)
	}
	if emu.Content(it.ID) != "Body text." {
		t.Errorf("body = %q", emu.Content(it.ID))
	}
}

// TestCreateRowPropsRefused: the emulator refuses what Notion refuses,
// with a 400 validation_error naming the property, and makes nothing.
func TestCreateRowPropsRefused(t *testing.T) {
	emu, c, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	ds := emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	before := len(emu.Rows(ds))
	cases := []struct{ props, says string }{
		{`{"Colour":{"select":{"name":"Red"}}}`, "Colour is not a property that exists."},
		{`{"Estimate":{"number":"3"}}`, "body.properties.Estimate.number should be a number"},
		{`{"Estimate":{"rich_text":[]}}`, "body.properties.Estimate.rich_text should be not present"},
		{`{"Status":{"status":{"name":"Blocked"}}}`, `Status option "Blocked" does not exist`},
		{`{"Priority":{"select":{"name":"a,b"}}}`, "commas not allowed"},
		{`{"Reviewed":{"checkbox":"yes"}}`, "should be a boolean"},
		{`{"Due":{"date":{"start":"soon"}}}`, "body.properties.Due.date.start should be an ISO 8601 date"},
		{`{"Score":{"formula":{"number":3}}}`, "cannot be set"},
		{`{"Name":{"title":"Ship"}}`, "body.properties.Name.title should be an array"},
	}
	for _, cs := range cases {
		status, code, msg := rawCreate(t, emu, tok, `{"parent":{"data_source_id":"`+ds+`"},"properties":`+cs.props+`}`)
		if status != 400 || code != "validation_error" || !strings.Contains(msg, cs.says) {
			t.Errorf("%s: %d %s %q, want 400 saying %q", cs.props, status, code, msg, cs.says)
		}
	}
	if n := len(emu.Rows(ds)); n != before {
		t.Errorf("%d rows made by refused writes", n-before)
	}
	// Without Insert content: 403, which the client names.
	emu.SetInsertAccess(ws, false)
	_, _, err := c.CreateRow(t.Context(), tok, ds, map[string]notion.Value{"Name": {Type: notion.PropTitle, Text: "x"}}, "")
	if !errors.Is(err, notion.ErrNoInsertAccess) {
		t.Errorf("without Insert content: %v", err)
	}
}

// rawCreate posts a body to /v1/pages as the client would, and returns the
// answer's status, and its error code and message.
func rawCreate(t *testing.T, emu *notiontest.Server, tok notion.Secret, body string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, emu.URL()+"/v1/pages", bytes.NewReader([]byte(body)))
	req.Header.Set("Authorization", "Bearer "+tok.Reveal())
	req.Header.Set("Notion-Version", notion.Version)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct{ Code, Message string }
	_ = json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e.Code, e.Message
}

// TestCreateRowInADatabase: a database_id parent works for a database with
// one data source, and is refused for one with several.
func TestCreateRowInADatabase(t *testing.T) {
	emu, _, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	const one, two = "11111111-2222-4333-8444-555555555555", "66666666-7777-4888-9999-aaaaaaaaaaaa"
	ds := emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks", DatabaseID: one})
	emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "A", DatabaseID: two})
	emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "B", DatabaseID: two})
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	before := len(emu.Rows(ds))
	title := `"properties":{"Name":{"title":[{"text":{"content":"In the database"}}]}}`
	if status, code, msg := rawCreate(t, emu, tok, `{"parent":{"database_id":"`+one+`"},`+title+`}`); status != 200 {
		t.Errorf("one data source: %d %s %s", status, code, msg)
	}
	if n := len(emu.Rows(ds)); n != before+1 {
		t.Errorf("%d rows made", n-before)
	}
	if status, _, msg := rawCreate(t, emu, tok, `{"parent":{"database_id":"`+two+`"},`+title+`}`); status != 400 || !strings.Contains(msg, "multiple data sources") {
		t.Errorf("two data sources: %d %s", status, msg)
	}
}
