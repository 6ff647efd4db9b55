package rows

import (
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/notion"
)

// FuzzDecodeRow: no stored bytes make the decoder panic or read past its
// input (the store's checksum finds damage; this is the belt).
func FuzzDecodeRow(f *testing.F) {
	n, yes := 2.5, true
	sub := notion.Value{Type: "number", Number: &n}
	f.Add(EncodeRow(Row{Title: "Launch", URL: "https://x", Properties: map[string]notion.Value{
		"Status": {Type: notion.PropStatus, Text: "Doing"},
		"Tags":   {Type: notion.PropMultiSelect, List: []string{"a", "b"}},
		"Due":    {Type: notion.PropDate, Date: &notion.DateRange{Start: "2026-12-07", End: "2026-12-08"}},
		"Done":   {Type: notion.PropCheckbox, Bool: &yes},
		"Score":  {Type: notion.PropFormula, Result: &sub},
		"Raw":    {Type: "verification", Raw: []byte(`{"state":"verified"}`)},
	}}))
	f.Add([]byte(`{"title":"old"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := decodeRow(data, false)
		if err == nil && data[0] == rowFormat {
			// What decodes encodes back to a row that decodes the same.
			again, err := decodeRow(EncodeRow(r), false)
			if err != nil || again.Title != r.Title || len(again.Properties) != len(r.Properties) {
				t.Fatalf("%+v does not survive a second round: %+v %v", r, again, err)
			}
		}
		for name := range r.Properties {
			_, _, _ = property(data, name, false)
		}
		_, _, _ = property(data, "Status", false)
		names := []string{"Status", "Tags", "Status", ""}
		raws, oks := make([][]byte, len(names)), make([]bool, len(names))
		if err := propertiesBytes(data, names, raws, oks); err == nil {
			for k, name := range names {
				one, ok, _ := propertyBytes(data, name)
				if ok != oks[k] || ok && string(one) != string(raws[k]) {
					t.Fatalf("%q: in one pass %q %v, alone %q %v", name, raws[k], oks[k], one, ok)
				}
			}
		}
		_, _ = rowTitle(data, false)
	})
}

// FuzzParseDate: parseDate reads a date exactly when time.Parse does, as
// the same day.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-12-07", "2024-02-29", "2026-02-29", "2026-13-01", "2026-00-10", "0000-01-01", "2026-1-01", "2026-12-7x", "+026-12-07"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		y, m, d, ok := parseDate(s)
		want, err := time.Parse("2006-01-02", s)
		if ok != (err == nil) || ok && (y != want.Year() || m != want.Month() || d != want.Day()) {
			t.Fatalf("%q: %d-%d-%d %v; time.Parse: %v %v", s, y, m, d, ok, want, err)
		}
	})
}
