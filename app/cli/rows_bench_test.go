package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// rowsBenchDir is a data directory with one workspace and a database
// "Tasks" of n rows, written as a sync writes them (2,000 a transaction,
// ids in no order), and how many of them rowsBenchArgs finds (a fifth).
func rowsBenchDir(b *testing.B, n int) (string, int) {
	b.Helper()
	dir := b.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.UpsertWorkspace("ws", func(w *store.Workspace, _ bool) { w.Name, w.Auth, w.Status = "Acme", "oauth", store.StatusOK }); err != nil {
		b.Fatal(err)
	}
	opts := func(names ...string) []notion.Option {
		var out []notion.Option
		for _, n := range names {
			out = append(out, notion.Option{Name: n})
		}
		return out
	}
	schema := notion.Schema{DataSourceID: "ds", DatabaseID: "db", Title: "Tasks", Properties: []notion.PropertySchema{
		{Name: "Name", Type: notion.PropTitle},
		{Name: "Status", Type: notion.PropStatus, Options: opts("Not started", "Doing", "Done", "Blocked")},
		{Name: "Due", Type: notion.PropDate},
		{Name: "Owner", Type: notion.PropPeople},
		{Name: "Tags", Type: notion.PropMultiSelect, Options: opts("Backend", "Design", "Ops")},
		{Name: "Estimate", Type: notion.PropNumber},
		{Name: "Notes", Type: notion.PropRichText},
		{Name: "Edited", Type: notion.PropLastEditedTime},
	}}
	sj, _ := json.Marshal(schema)
	src := store.SourceRecord{ID: "ds", Schema: sj}
	edited := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	statuses := []string{"Doing", "Done", "Not started", "Blocked"}
	found := 0
	for i := 0; i < n; i += 2000 {
		put := make([]store.RowRecord, 0, 2000)
		for j := i; j < min(i+2000, n); j++ {
			h := sha256.Sum256([]byte(strconv.Itoa(j)))
			est := float64(j % 13)
			at := edited.Add(-time.Duration(j) * time.Minute)
			title := fmt.Sprintf("Task %d", j)
			r := rows.Row{Title: title, URL: "https://www.notion.so/" + fmt.Sprintf("%x", h[:16]), Properties: map[string]notion.Value{
				"Name":     {Type: notion.PropTitle, Text: title},
				"Status":   {Type: notion.PropStatus, Text: statuses[j%4]},
				"Due":      {Type: notion.PropDate, Date: &notion.DateRange{Start: edited.AddDate(0, 0, j%11).Format("2006-01-02")}},
				"Owner":    {Type: notion.PropPeople, List: []string{[]string{"Ada Lovelace", "Grace Hopper", "Alan Turing"}[j%3]}},
				"Tags":     {Type: notion.PropMultiSelect, List: []string{"Backend", "Ops"}[:1+j%2]},
				"Estimate": {Type: notion.PropNumber, Number: &est},
				"Notes":    {Type: notion.PropRichText, Text: fmt.Sprintf("Call %x about the launch", h[:3])},
				"Edited":   {Type: notion.PropLastEditedTime, Time: at},
			}}
			if j%4 == 0 && j%11 <= 7 {
				found++ // Doing, due by the 14th
			}
			id := fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
			put = append(put, store.RowRecord{ID: id, LastEdited: at, Data: rows.EncodeRow(r)})
		}
		if err := st.WriteRows("ws", store.RowWrite{Source: src, Put: put}); err != nil {
			b.Fatal(err)
		}
	}
	return dir, found
}

// rowsBenchArgs is the benchmarks' query (an absolute date, so the answer
// does not move with the clock).
var rowsBenchArgs = []string{"rows", "Tasks", "--where", "Status=Doing", "--where", "Due<=2026-12-14"}

// BenchmarkRowsCommand100k: `pagedeck rows Tasks --where Status=Doing
// --where Due<=2026-12-14` over 100,000 stored rows as a whole process
// (this test binary standing in for pagedeck: process start, opening and
// checking the store, reading the rows, printing 18,182 lines of table).
func BenchmarkRowsCommand100k(b *testing.B) {
	benchRowsProcess(b, rowsBenchArgs)
}

// BenchmarkRowsCommand100kLimit50: the same with --limit 50, a
// screenful: what the command costs besides printing.
func BenchmarkRowsCommand100kLimit50(b *testing.B) {
	benchRowsProcess(b, append(rowsBenchArgs, "--limit", "50"))
}

// BenchmarkRowsCommand100kJSON: the same with --json (every property of
// every row).
func BenchmarkRowsCommand100kJSON(b *testing.B) {
	benchRowsProcess(b, append(rowsBenchArgs, "--json"))
}

func benchRowsProcess(b *testing.B, args []string) {
	dir, found := rowsBenchDir(b, 100_000)
	cpu := benchProcess(b, dir, args, func(out []byte, errOut string) { checkRowsOutput(b, args, found, out, errOut) })
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// benchProcess runs this test binary as pagedeck ARGS over the data dir,
// once per iteration, checks each answer, and returns the processes'
// own CPU time: on a shared machine the wall time also counts the waits
// for a core.
func benchProcess(b *testing.B, dir string, args []string, check func(out []byte, errOut string)) time.Duration {
	b.Setenv(app.EnvDataDir, dir)
	b.Setenv(standIn, "cli")
	b.ResetTimer()
	var cpu time.Duration
	for b.Loop() {
		var out, errb bytes.Buffer
		cmd := exec.Command(os.Args[0], args...)
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			b.Fatalf("%v: %s", err, errb.String())
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		check(out.Bytes(), errb.String())
	}
	return cpu
}

// BenchmarkRowsCommand100kInProcess: the command's work without the
// process: cli.Main with a new Core each time (opening and checking the
// store, reading the rows, the query, the table written to a buffer).
func BenchmarkRowsCommand100kInProcess(b *testing.B) {
	dir, found := rowsBenchDir(b, 100_000)
	b.Setenv(app.EnvDataDir, dir)
	b.ResetTimer()
	for b.Loop() {
		var out, errb bytes.Buffer
		if code := Main(context.Background(), rowsBenchArgs, Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader("")}); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
		checkRowsOutput(b, rowsBenchArgs, found, out.Bytes(), errb.String())
	}
}

// checkRowsOutput checks that the command printed the rows it should.
func checkRowsOutput(b *testing.B, args []string, found int, out []byte, stderr string) {
	b.Helper()
	joined := strings.Join(args, " ")
	if strings.Contains(joined, "--limit 50") {
		found = 50
	}
	if strings.Contains(joined, "--json") {
		var list []rowJSON
		if err := json.Unmarshal(out, &list); err != nil {
			b.Fatalf("--json: %v", err)
		}
		for _, r := range list {
			if r.Properties["Status"] != "Doing" {
				b.Fatalf("row %+v", r)
			}
		}
		if len(list) != found {
			b.Fatalf("%d rows, want %d", len(list), found)
		}
		return
	}
	lines := bytes.Count(out, []byte("\n")) - 1 // the header
	if lines != found || !strings.Contains(stderr, fmt.Sprintf("%d of 100000 rows of Tasks", found)) {
		b.Fatalf("%d lines, want %d; stderr %q", lines, found, stderr)
	}
}
