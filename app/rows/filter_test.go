package rows_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/notion"
)

var testSchema = notion.Schema{Title: "Tasks", Properties: []notion.PropertySchema{
	{Name: "Name", Type: notion.PropTitle},
	{Name: "Status", Type: notion.PropStatus, Options: []notion.Option{{Name: "Not started"}, {Name: "Doing"}, {Name: "Done"}}},
	{Name: "Priority", Type: notion.PropSelect, Options: []notion.Option{{Name: "High"}, {Name: "Low"}}},
	{Name: "Tags", Type: notion.PropMultiSelect, Options: []notion.Option{{Name: "Café"}, {Name: "Backend"}}},
	{Name: "Due", Type: notion.PropDate},
	{Name: "Estimate", Type: notion.PropNumber},
	{Name: "Reviewed", Type: notion.PropCheckbox},
	{Name: "Owner", Type: notion.PropPeople},
	{Name: "Notes", Type: notion.PropRichText},
	{Name: "Score", Type: notion.PropFormula},
	{Name: "ID", Type: notion.PropUniqueID},
	{Name: "Edited", Type: notion.PropLastEditedTime},
	{Name: "Verified", Type: "verification"},
}}

func val(t testing.TB, js string) notion.Value {
	t.Helper()
	v, err := notion.DecodeValue([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// testRows: a, b, c with distinct values; d with everything empty.
func testRows(t testing.TB) []rows.Row {
	mk := func(id, title, status, prio, tags, due, est, rev, owner, notes, score, uid, edited string) rows.Row {
		return rows.Row{ID: id, Title: title, Properties: map[string]notion.Value{
			"Name":     val(t, `{"type":"title","title":[{"plain_text":"`+title+`"}]}`),
			"Status":   val(t, `{"type":"status","status":`+status+`}`),
			"Priority": val(t, `{"type":"select","select":`+prio+`}`),
			"Tags":     val(t, `{"type":"multi_select","multi_select":`+tags+`}`),
			"Due":      val(t, `{"type":"date","date":`+due+`}`),
			"Estimate": val(t, `{"type":"number","number":`+est+`}`),
			"Reviewed": val(t, `{"type":"checkbox","checkbox":`+rev+`}`),
			"Owner":    val(t, `{"type":"people","people":`+owner+`}`),
			"Notes":    val(t, `{"type":"rich_text","rich_text":`+notes+`}`),
			"Score":    val(t, `{"type":"formula","formula":`+score+`}`),
			"ID":       val(t, `{"type":"unique_id","unique_id":`+uid+`}`),
			"Edited":   val(t, `{"type":"last_edited_time","last_edited_time":"`+edited+`"}`),
			"Verified": val(t, `{"type":"verification","verification":{"state":"verified"}}`),
		}}
	}
	return []rows.Row{
		mk("a", "Launch plan", `{"name":"Doing"}`, `{"name":"High"}`, `[{"name":"Café"},{"name":"Backend"}]`,
			`{"start":"2026-12-07"}`, `3`, `true`, `[{"id":"u1","name":"Ada Lovelace"}]`, `[{"plain_text":"Crème brûlée"}]`,
			`{"type":"number","number":10}`, `{"prefix":"T","number":1}`, "2026-12-07T08:00:00.000Z"),
		mk("b", "Write update", `{"name":"Done"}`, `{"name":"Low"}`, `[{"name":"Backend"}]`,
			`{"start":"2026-12-14T09:00:00.000+00:00","end":"2026-12-15"}`, `8.5`, `false`, `[{"id":"u2","name":"Grace"}]`, `[]`,
			`{"type":"string","string":"ok"}`, `{"prefix":"T","number":2}`, "2026-12-01T08:00:00.000Z"),
		mk("c", "Board deck", `{"name":"Not started"}`, `null`, `[]`,
			`{"start":"2026-12-06"}`, `0`, `false`, `[]`, `[{"plain_text":"call Émile"}]`,
			`{"type":"date","date":{"start":"2026-12-08"}}`, `{"prefix":"T","number":3}`, "2026-11-20T08:00:00.000Z"),
		mk("d", "", `null`, `null`, `[]`, `null`, `null`, `false`, `[]`, `[]`,
			`{"type":"number","number":null}`, `{"prefix":"T","number":4}`, "2026-11-01T08:00:00.000Z"),
	}
}

// operatorCases are filters over testRows at 2026-12-07 15:00 UTC, and
// the ids of the rows they match.
var operatorCases = []struct {
	exprs []string
	want  string
}{
	{[]string{"Status=Doing"}, "a"},
	{[]string{"status=doing"}, "a"},
	{[]string{" STATUS = DONE "}, "b"},
	{[]string{"Status!=Done"}, "acd"},
	{[]string{"Status~o"}, "abc"},
	{[]string{"Status?"}, "abc"},
	{[]string{"Status="}, "d"},
	{[]string{"Priority=high"}, "a"},
	{[]string{"Priority?"}, "ab"},
	{[]string{"Tags=cafe"}, "a"},
	{[]string{"Tags=Backend"}, "ab"},
	{[]string{"Tags!=Backend"}, "cd"},
	{[]string{"Tags~back"}, "ab"},
	{[]string{"Name~launch"}, "a"},
	{[]string{"Name=launch plan"}, "a"},
	{[]string{"Notes~creme"}, "a"},
	{[]string{"Notes~EMILE"}, "c"},
	{[]string{"Estimate>3"}, "b"},
	{[]string{"Estimate>=3"}, "ab"},
	{[]string{"Estimate<3"}, "c"},
	{[]string{"Estimate<=3"}, "ac"},
	{[]string{"Estimate=8.5"}, "b"},
	{[]string{"Estimate!=3"}, "bcd"},
	{[]string{"Estimate?"}, "abc"},
	{[]string{"Reviewed=true"}, "a"},
	{[]string{"Reviewed=no"}, "bcd"},
	{[]string{"Due=today"}, "a"},
	{[]string{"Due<today"}, "c"},
	{[]string{"Due<=today+7"}, "abc"},
	{[]string{"Due>tomorrow"}, "b"},
	{[]string{"Due>=2026-12-14"}, "b"},
	{[]string{"Due=yesterday"}, "c"},
	{[]string{"Due=today-1"}, "c"},
	{[]string{"Due?"}, "abc"},
	{[]string{"Owner=ada lovelace"}, "a"},
	{[]string{"Owner~gra"}, "b"},
	{[]string{"Score>5"}, "a"},
	{[]string{"Score=ok"}, "b"},
	{[]string{"Score=2026-12-08"}, "c"},
	{[]string{"Score?"}, "abc"},
	{[]string{"ID=T-2"}, "b"},
	{[]string{"ID>=3"}, "cd"},
	{[]string{"Edited>=2026-12-01"}, "ab"},
	{[]string{"Edited<today-30"}, "d"},
	{[]string{"Verified~verified"}, "abcd"},
	{[]string{"Status!=Done", "Tags=Backend"}, "a"},
	{[]string{"Due<today+30", "Estimate>0", "Reviewed=false"}, "b"},
}

func TestFilterOperators(t *testing.T) {
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	all := testRows(t)
	for _, tc := range operatorCases {
		f, err := rows.ParseFilters(tc.exprs, &testSchema, now)
		if err != nil {
			t.Errorf("%q: %v", tc.exprs, err)
			continue
		}
		var got []string
		for i := range all {
			if f.Match(&all[i]) {
				got = append(got, all[i].ID)
			}
		}
		if strings.Join(got, "") != tc.want {
			t.Errorf("%q matched %q, want %q", tc.exprs, strings.Join(got, ""), tc.want)
		}
	}
}

func TestFilterErrors(t *testing.T) {
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		expr  string
		err   error
		valid []string
	}{
		{"Statuz=Done", rows.ErrUnknownProperty, testSchema.Names()},
		{"Status=Blocked", rows.ErrUnknownOption, []string{"Not started", "Doing", "Done"}},
		{"Tags=Frontend", rows.ErrUnknownOption, []string{"Café", "Backend"}},
		{"Status<Done", rows.ErrBadFilter, nil},
		{"Name>b", rows.ErrBadFilter, nil},
		{"Estimate>many", rows.ErrBadFilter, nil},
		{"Due<soon", rows.ErrBadFilter, nil},
		{"Due<today+x", rows.ErrBadFilter, nil},
		{"Reviewed>1", rows.ErrBadFilter, nil},
		{"Reviewed=maybe", rows.ErrBadFilter, nil},
		{"Score<ok", rows.ErrBadFilter, nil},
		{"Name~", rows.ErrBadFilter, nil},
		{"Status", rows.ErrBadFilter, nil},
		{"=Done", rows.ErrBadFilter, nil},
		{"Status!Done", rows.ErrBadFilter, nil},
		{"", rows.ErrBadFilter, nil},
	} {
		_, err := rows.ParseFilter(tc.expr, &testSchema, now)
		var fe *rows.FilterError
		if !errors.Is(err, tc.err) || !errors.As(err, &fe) || !slices.Equal(fe.Valid, tc.valid) {
			t.Errorf("%q: %v, want %v listing %v", tc.expr, err, tc.err, tc.valid)
			continue
		}
		for _, v := range tc.valid {
			if !strings.Contains(err.Error(), v) {
				t.Errorf("%q: the message %q does not list %q", tc.expr, err, v)
			}
		}
	}
}

func TestParseDay(t *testing.T) {
	zurich := time.FixedZone("CET", 3600)
	// 23:30 UTC on the 7th is already the 8th in Zürich.
	now := time.Date(2026, 12, 7, 23, 30, 0, 0, time.UTC).In(zurich)
	for in, want := range map[string]string{
		"today": "2026-12-08", "Tomorrow": "2026-12-09", "yesterday": "2026-12-07", "today+7": "2026-12-15",
		"today-8": "2026-11-30", "today+30": "2027-01-07", "2026-12-24": "2026-12-24", " 2026-02-28 ": "2026-02-28",
		"2026-02-30": "", "today+": "", "today*2": "", "todays": "", "24.12.2026": "", "today+999999": "",
	} {
		d, ok := rows.ParseDay(in, now)
		if got := d.Format("2006-01-02"); ok != (want != "") || (ok && (got != want || d.Location() != zurich)) {
			t.Errorf("%q = %s, %v; want %q", in, got, ok, want)
		}
	}
}

// FuzzFilter: any expression parses or fails with a *FilterError, never
// panics, and a parsed filter can be matched against any row.
func FuzzFilter(f *testing.F) {
	for _, s := range []string{"Status=Doing", "Due<=today+7", "Estimate>-1e308", "Tags~", "ID=T-", "Score>=2026-12-08",
		"Name!=", "Reviewed=yes", "Verified?", "é=ü", "<=>", "Due=today+99999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	all := testRows(f)
	f.Fuzz(func(t *testing.T, expr string) {
		c, err := rows.ParseFilter(expr, &testSchema, now)
		if err != nil {
			var fe *rows.FilterError
			if !errors.As(err, &fe) || fe.Expr != expr {
				t.Fatalf("%q: %v is not a *FilterError", expr, err)
			}
			return
		}
		if _, ok := testSchema.Property(c.Prop.Name); !ok {
			t.Fatalf("%q parsed to an unknown property %q", expr, c.Prop.Name)
		}
		for i := range all {
			c.Match(&all[i])
		}
		c.Match(&rows.Row{})
	})
}

func TestFilterWord(t *testing.T) {
	for in, want := range map[string][2]string{
		"status:doing":  {"status=doing", "status"},
		"due<today+7":   {"due<today+7", "due"},
		"Estimate>=3":   {"Estimate>=3", "Estimate"},
		"tags~caf":      {"tags~caf", "tags"},
		"owner?":        {"owner?", "owner"},
		"Status!=Done":  {"Status!=Done", "Status"},
		"status:":       {"status=", "status"},
		"launch":        {"", ""},
		":doing":        {"", ""},
		"?":             {"", ""},
		"https://x.com": {"https=//x.com", "https"},
		"why?not":       {"", ""},
		"a!b":           {"", ""},
	} {
		expr, name, ok := rows.FilterWord(in)
		if ok != (want[0] != "") || expr != want[0] || name != want[1] {
			t.Errorf("%q = %q %q %v, want %q %q", in, expr, name, ok, want[0], want[1])
		}
	}
}
