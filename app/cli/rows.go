package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/rows"
)

// multiFlag collects a repeated flag (--where, ANDed).
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// rowJSON is the contract of `rows --json`.
type rowJSON struct {
	ID         string         `json:"id"`
	Title      string         `json:"title"`
	URL        string         `json:"url"`
	LastEdited string         `json:"last_edited_time"`
	Properties map[string]any `json:"properties"`
}

// maxColumns is how many properties the table shows besides the title.
const maxColumns = 6

func runRows(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("rows", env)
	var where multiFlag
	fs.Var(&where, "where", "a filter: Prop=Value, Prop!=Value, Prop~Text, Prop<V, Prop<=V, Prop>V, Prop>=V or Prop? (repeat to AND)")
	sortBy := fs.String("sort", "", "PROP[:asc|desc] (default: newest edit first)")
	limit := fs.Int("limit", 0, "at most this many rows (0: all)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *limit < 0 {
		return usagef("rows: --limit must not be negative")
	}
	core, err := env.NewReadOnlyCore(ctx)
	if err != nil {
		return err
	}
	ans, err := core.Databases().Rows(app.RowsQuery{DB: pos[0], Where: where, Sort: *sortBy, Limit: *limit})
	var fe *rows.FilterError
	if errors.As(err, &fe) {
		return usagef("rows: %v", fe)
	}
	if errors.Is(err, app.ErrNoSuchDatabase) {
		return fmt.Errorf("%w (run 'pagedeck sync' if it is new, or give its id)", err)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]rowJSON, 0, ans.Rows.Len())
		for i := range ans.Rows.Len() {
			r, err := ans.Rows.Row(i)
			if err != nil {
				return err
			}
			props := make(map[string]any, len(r.Properties))
			for name, v := range r.Properties {
				props[name] = v.Plain()
			}
			out = append(out, rowJSON{ID: r.ID, Title: r.Title, URL: r.URL,
				LastEdited: r.LastEdited.UTC().Format(time.RFC3339), Properties: props})
		}
		return writeJSON(env.Stdout, out)
	}
	// The title, then the six most telling columns: only those are read
	// of each row.
	cols := rows.Columns(&ans.Source.Schema, maxColumns)
	// tabwriter writes cell by cell: one system call each, unbuffered.
	out := bufio.NewWriterSize(env.Stdout, 64<<10)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	head := []string{"TITLE"}
	for _, p := range cols {
		head = append(head, strings.ToUpper(cell(p.Name)))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	names := make([]string, len(cols))
	for j, p := range cols {
		names[j] = p.Name
	}
	texts := ans.Rows.Texts(names...)
	line := make([]string, 1+len(cols))
	for i := range ans.Rows.Len() {
		title, err := ans.Rows.Title(i)
		if err != nil {
			return err
		}
		if strings.TrimSpace(title) == "" {
			title = "Untitled"
		}
		if err := texts(i, line[1:]); err != nil {
			return err
		}
		line[0] = cell(title)
		for j, s := range line[1:] {
			line[1+j] = cell(s)
		}
		fmt.Fprintln(tw, strings.Join(line, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "%d of %d rows of %s\n", ans.Rows.Len(), ans.Total, clean(ans.Source.Schema.Title))
	return nil
}

// syncRows syncs the rows of the synced workspaces' databases.
func syncRows(ctx context.Context, env *Env, core *app.Core, results []app.SyncResult, full bool) error {
	var errs []error
	for _, r := range results {
		w := r.Workspace
		res, err := core.Databases().Sync(ctx, w.ID, full)
		if err != nil {
			errs = append(errs, fmt.Errorf("syncing the rows of %s: %w", w.Name, err))
		}
		fmt.Fprintf(env.Stdout, "rows %s: %d databases, %d rows read\n", clean(w.Name), res.Sources, res.Rows)
	}
	return errors.Join(errs...)
}
