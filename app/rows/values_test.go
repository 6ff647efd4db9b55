package rows_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/notion"
)

// valueSchema adds the contact types to the filter tests' schema.
var valueSchema = notion.Schema{Title: "Tasks", Properties: append(append([]notion.PropertySchema(nil), testSchema.Properties...),
	notion.PropertySchema{Name: "Link", Type: notion.PropURL},
	notion.PropertySchema{Name: "Mail", Type: notion.PropEmail},
	notion.PropertySchema{Name: "Phone", Type: notion.PropPhoneNumber},
)}

func TestPropValuesParse(t *testing.T) {
	now := time.Date(2026, 12, 7, 23, 30, 0, 0, time.UTC)
	got, err := rows.ParseValues(&valueSchema, map[string]string{
		"status": "doing", "Priority": "High", "tags": " café , Backend,Café,", "Due": "tomorrow",
		"Estimate": "2.5", "reviewed": "FALSE", "Notes": "  as typed ", "Link": "https://example.com/a",
		"Mail": "ada@example.com", "Phone": "+41 44 555 01 23", "Name": "", // empty: not set
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Status": "Doing", "Priority": "High", "Tags": "Café, Backend", "Due": "2026-12-08", "Estimate": "2.5",
		"Reviewed": "false", "Notes": "  as typed ", "Link": "https://example.com/a", "Mail": "ada@example.com",
		"Phone": "+41 44 555 01 23",
	}
	if len(got) != len(want) {
		t.Errorf("parsed %d values, want %d: %v", len(got), len(want), got)
	}
	for name, w := range want {
		if v, ok := got[name]; !ok || v.String() != w {
			t.Errorf("%s = %q (%v), want %q", name, v.String(), ok, w)
		}
	}
	if got["Due"].Type != notion.PropDate || got["Tags"].Type != notion.PropMultiSelect {
		t.Errorf("types: %+v", got)
	}
	// What is sent is Notion's write shape.
	w, err := got["Priority"].WriteWire()
	if err != nil || w["select"].(map[string]any)["name"] != "High" {
		t.Errorf("select wire = %v, %v", w, err)
	}
}

func TestPropValuesRefused(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name, value string
		err         error
		says        string
	}{
		{"Colour", "red", rows.ErrUnknownProperty, "valid: Name, Status, Priority, Tags, Due, Estimate, Reviewed, Notes, Link, Mail, Phone"},
		{"Priority", "Urgent", rows.ErrUnknownOption, "valid: High, Low"},
		{"Status", "Blocked", rows.ErrUnknownOption, "valid: Not started, Doing, Done"},
		{"Tags", "Backend, Frontend", rows.ErrUnknownOption, `"Frontend"`},
		{"Tags", " , ", rows.ErrBadValue, "separated by commas"},
		{"Due", "next week", rows.ErrBadValue, "2026-12-24"},
		{"Due", "2026-02-30", rows.ErrBadValue, "Due is a date"},
		{"Estimate", "3 days", rows.ErrBadValue, "a number"},
		{"Estimate", "NaN", rows.ErrBadValue, "a number"},
		{"Reviewed", "yes", rows.ErrBadValue, "true or false"},
		{"Mail", "ada at example.com", rows.ErrBadValue, "email"},
		{"Phone", "call me", rows.ErrBadValue, "phone"},
		{"Link", "has a space", rows.ErrBadValue, "URL"},
		{"Score", "3", rows.ErrBadValue, "formula"},
		{"Owner", "Ada", rows.ErrBadValue, "people"},
	}
	for _, c := range cases {
		_, err := rows.ParseValues(&valueSchema, map[string]string{c.name: c.value}, now)
		var ve *rows.ValueError
		if !errors.As(err, &ve) || !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s=%q: %v, want %v saying %q", c.name, c.value, err, c.err, c.says)
		}
	}
	// The same property twice, by two spellings.
	if _, err := rows.ParseValues(&valueSchema, map[string]string{"status": "Done", "Status": "Doing"}, now); !errors.Is(err, rows.ErrBadValue) {
		t.Errorf("twice: %v", err)
	}
}
