package ui

import (
	"errors"

	"github.com/pagedeck/pagedeck/app"
)

// The window's side of a database's table: what it shows, how the search
// box narrows it, and what a row opens.

// showRows shows db's rows in place of the results. A database none of
// whose rows are stored yet opens in Notion, as before (fallback).
func (w *Window) showRows(db *app.Hit, fallback func()) {
	w.background(func() {
		ans, err := w.core.Databases().Rows(app.RowsQuery{DB: db.ID})
		w.do(func() {
			switch {
			case errors.Is(err, app.ErrNoSuchDatabase):
				fallback()
				return
			case err != nil:
				w.showError("Could not read the rows of “"+app.DisplayTitle(db.Title)+"”", err)
				return
			}
			t := newRowsTable(db, w.views.tips, tableActions{
				open:  w.openRow,
				sort:  func(string, bool) { w.queryRows() },
				close: w.closeRows,
			})
			w.views.table = t
			t.set(ans)
			w.views.bar.drive(t)
			w.views.bar.entry.SetPlaceHolder("Filter “" + app.DisplayTitle(db.Title) + "”: words of a title, status:doing, due<today+7")
			w.st.Query = ""
			w.views.bar.entry.SetText("")
			w.updateBody()
		})
	})
}

// queryRows asks for the table's rows again: the search box's words and
// the sorted column. An older answer that arrives late is dropped.
func (w *Window) queryRows() {
	t := w.views.table
	q := app.RowsQuery{DB: t.db.ID, Text: w.st.Query}
	if t.sort != "" {
		q.Sort = t.sort + ":asc"
		if t.desc {
			q.Sort = t.sort + ":desc"
		}
	}
	w.rowsAsked++
	n := w.rowsAsked
	w.background(func() {
		ans, err := w.core.Databases().Rows(q)
		w.do(func() {
			if w.views.table != t || n != w.rowsAsked {
				return
			}
			if err != nil {
				// A filter naming no property or option: say which there are.
				w.views.status.confirm(app.Explain(err))
				return
			}
			t.set(ans)
		})
	})
}

// closeRows goes back to the results.
func (w *Window) closeRows() {
	if w.views.table == nil {
		return
	}
	w.views.table = nil
	w.views.bar.drive(w.views.results)
	w.views.bar.entry.SetPlaceHolder(searchPlaceholder)
	w.st.Query = ""
	w.views.bar.entry.SetText("")
	w.runSearch(true)
}

// openRow opens the i-th row: as any page when it is in the list, else by
// its link, through the same checks as a link in a page.
func (w *Window) openRow(ans app.RowsAnswer, i int, mode app.OpenMode) {
	id := ans.Rows.ID(i)
	if h, err := w.core.Item(id); err == nil {
		w.openHit(h, mode)
		return
	}
	if r, err := ans.Rows.Row(i); err == nil && r.URL != "" {
		w.openPreviewLink(r.URL)
	}
}
