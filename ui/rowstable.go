package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/view"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// tableColumns is how many properties the table shows beside the title.
const tableColumns = 6

// rowsTable shows a database's rows as a table in place of the results:
// the title and the most telling properties, sorted by a click on a
// heading, narrowed by what is typed in the search box. Only the cells
// on screen are drawn, and a row's values are read when it shows.
type rowsTable struct {
	acts  tableActions
	db    *app.Hit
	head  *widget.Label
	table *widget.Table
	root  *fyne.Container

	ans     app.RowsAnswer
	cols    []string
	texts   func(i int, out []string) error
	row     int      // the row whose values are in vals
	vals    []string // the values of row, in the order of cols
	cur     int      // the highlighted row
	sort    string   // the column sorted by; "" for newest edit first
	desc    bool
	visible int // rows on screen, for Page Up and Page Down
	// headings are the heading buttons the table made, with the column
	// each shows: a new sort relabels them at once (the table relabels a
	// heading only when it lays it out again).
	headings map[*widget.Button]int
}

// tableActions are what the table asks of the window.
type tableActions struct {
	open  func(ans app.RowsAnswer, i int, mode app.OpenMode)
	sort  func(prop string, desc bool)
	close func()
}

func newRowsTable(db *app.Hit, tips *widgets.Tooltips, acts tableActions) *rowsTable {
	t := &rowsTable{acts: acts, db: db, row: -1, headings: map[*widget.Button]int{}}
	t.head = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.head.Truncation = fyne.TextTruncateEllipsis
	back := widgets.NewTipButton(theme.NavigateBackIcon(), "Back to the results (Esc)", tips, acts.close)
	t.table = widget.NewTableWithHeaders(t.size, t.createCell, t.updateCell)
	t.table.ShowHeaderColumn = false
	t.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	t.table.UpdateHeader = t.updateHeader
	t.table.OnSelected = func(id widget.TableCellID) {
		t.cur = id.Row
		t.table.Unselect(id) // the row is drawn highlighted, not one cell
		t.table.Refresh()
	}
	t.root = container.NewBorder(container.NewBorder(nil, nil, back, nil, t.head), nil, nil, nil, t.table)
	return t
}

func (t *rowsTable) object() fyne.CanvasObject { return t.root }

// set shows an answer; the highlight goes back to the top.
func (t *rowsTable) set(ans app.RowsAnswer) {
	t.ans = ans
	t.cols = ans.Columns(tableColumns)
	t.texts = ans.Rows.Texts(t.cols...)
	t.row, t.cur = -1, 0
	t.head.SetText(view.TableHead(app.DisplayTitle(t.db.Title), ans.Rows.Len(), ans.Total))
	for i := range t.cols {
		w := float32(150)
		if i == 0 {
			w = 300
		}
		t.table.SetColumnWidth(i, w)
	}
	t.table.ScrollToTop()
	t.table.Refresh()
}

func (t *rowsTable) size() (int, int) {
	if t.texts == nil {
		return 0, 0
	}
	return t.ans.Rows.Len(), len(t.cols)
}

func (t *rowsTable) createCell() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// value is a cell's text, read once per row as the table draws it.
func (t *rowsTable) value(row, col int) string {
	if row != t.row {
		if cap(t.vals) < len(t.cols) {
			t.vals = make([]string, len(t.cols))
		}
		t.vals = t.vals[:len(t.cols)]
		if err := t.texts(row, t.vals); err != nil {
			clear(t.vals)
			t.vals[0] = "(this row could not be read)"
		}
		t.row = row
	}
	return t.vals[col]
}

func (t *rowsTable) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	text := t.value(id.Row, id.Col)
	if id.Col == 0 {
		text = app.DisplayTitle(text)
	}
	l.TextStyle.Bold = id.Row == t.cur
	if l.Text != text || l.Importance != t.importance(id.Row) {
		l.Importance = t.importance(id.Row)
		l.SetText(text)
	}
}

func (t *rowsTable) importance(row int) widget.Importance {
	if row == t.cur {
		return widget.HighImportance
	}
	return widget.MediumImportance
}

func (t *rowsTable) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	t.headings[b] = id.Col
	t.label(b, id.Col)
}

// label names a heading's column, and makes a click on it sort by it
// (again: the other way round).
func (t *rowsTable) label(b *widget.Button, col int) {
	if col < 0 || col >= len(t.cols) {
		b.SetText("")
		b.OnTapped = nil
		return
	}
	name := t.cols[col]
	b.SetText(view.ColumnHeading(name, t.sort, t.desc))
	b.OnTapped = func() {
		desc := false
		if t.sort == name {
			desc = !t.desc
		}
		t.sort, t.desc = name, desc
		for h, c := range t.headings {
			t.label(h, c)
		}
		t.acts.sort(name, desc)
	}
}

// The navigator: the search box's arrows, Page keys and Enter drive the
// table while it shows.

func (t *rowsTable) move(delta int) {
	n := t.ans.Rows.Len()
	if n == 0 {
		return
	}
	t.cur = min(max(t.cur+delta, 0), n-1)
	t.table.ScrollTo(widget.TableCellID{Row: t.cur, Col: 0})
	t.table.Refresh()
}

func (t *rowsTable) jump(toEnd bool) {
	if toEnd {
		t.move(t.ans.Rows.Len())
	} else {
		t.move(-t.ans.Rows.Len())
	}
}

func (t *rowsTable) openCurrent(mode app.OpenMode) {
	if t.cur < t.ans.Rows.Len() {
		t.acts.open(t.ans, t.cur, mode)
	}
}

func (t *rowsTable) page() int { return max(t.visible, 8) }

// showMenu: a row of the table has no menu; Enter opens it.
func (t *rowsTable) showMenu() {}
