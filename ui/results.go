package ui

import (
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
)

// resultActions are what the results ask the window for.
type resultActions struct {
	// open opens a hit; mode "" is the user's setting.
	open func(h *app.Hit, mode app.OpenMode)
	menu func(h *app.Hit) *fyne.Menu
	// workspaceName names a hit's workspace on its row, or "" when only one
	// workspace is shown.
	workspaceName func(id string) string
	// moved: the highlight is on another item.
	moved func()
	// glance is a database row's most telling values, nil when none or
	// not read yet (the row is drawn again when they are).
	glance func(h *app.Hit) []string
}

// resultsView is the list of matches with its highlight (the cursor). The
// highlight stays on the top row until the person moves it; after that it
// follows the item they chose through background updates.
type resultsView struct {
	acts  resultActions
	icons *iconStore
	now   func() time.Time
	list  *resultsList
	hits  []*app.Hit
	query string // what the hits answer, for highlighting
	// cursor is the highlighted row; moved says the person put it there.
	cursor int
	moved  bool
	rowH   float32
}

// resultsList is the virtualised list. It takes no keyboard focus: the
// search box owns the keyboard and drives it, as in a launcher. Fyne's
// focus chain skips a disabled widget, and nothing else in Fyne reads this
// flag for a list.
type resultsList struct{ widget.List }

func (l *resultsList) Disabled() bool { return true }
func (l *resultsList) Enable()        {}
func (l *resultsList) Disable()       {}

func newResultsView(icons *iconStore, now func() time.Time, acts resultActions) *resultsView {
	v := &resultsView{acts: acts, icons: icons, now: now}
	v.list = &resultsList{}
	v.list.Length = func() int { return len(v.hits) }
	v.list.CreateItem = func() fyne.CanvasObject { return newItemRow(v) }
	v.list.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		if id < len(v.hits) {
			o.(*itemRow).set(id, v.hits[id], id == v.cursor)
		}
	}
	v.list.ExtendBaseWidget(v.list)
	v.rowH = newItemRow(v).MinSize().Height + theme.Padding()
	return v
}

func (v *resultsView) object() fyne.CanvasObject { return v.list }

// set shows new hits. reset (a new query, kind or scope) puts the highlight
// and the scroll back on top; otherwise (a background update) the person's
// place is kept.
func (v *resultsView) set(hits []*app.Hit, query string, reset bool) {
	v.query = query
	keep := ""
	if !reset && v.moved && v.cursor < len(v.hits) {
		keep = v.hits[v.cursor].ID
	}
	offset := v.list.GetScrollOffset()
	v.hits, v.cursor = hits, 0
	if reset {
		v.moved = false
	}
	if keep != "" {
		v.moved = false
		for i, h := range hits {
			if h.ID == keep {
				v.cursor, v.moved = i, true
				break
			}
		}
	}
	v.list.Refresh()
	if reset {
		v.list.ScrollToTop()
	} else {
		v.list.ScrollToOffset(offset)
	}
	v.acts.moved()
}

// current is the highlighted hit, or nil.
func (v *resultsView) current() *app.Hit {
	if v.cursor >= 0 && v.cursor < len(v.hits) {
		return v.hits[v.cursor]
	}
	return nil
}

// showMenu shows the highlighted row's menu under its title, as a right
// click on it would.
func (v *resultsView) showMenu() {
	h := v.current()
	if h == nil {
		return
	}
	v.list.ScrollTo(v.cursor)
	c := fyne.CurrentApp().Driver().CanvasForObject(v.list)
	if c == nil {
		return
	}
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(v.list).
		Add(fyne.NewPos(3*theme.Padding(), float32(v.cursor+1)*v.rowH-v.list.GetScrollOffset()))
	widget.ShowPopUpMenuAtPosition(v.acts.menu(h), c, at)
}

// visible is the range of rows fully on screen.
func (v *resultsView) visible() (first, last int) {
	off, h := v.list.GetScrollOffset(), v.list.Size().Height
	first = int(math.Ceil(float64(off / v.rowH)))
	last = int(math.Floor(float64((off+h)/v.rowH))) - 1
	return first, max(first, last)
}

// page is how many rows one Page Up/Down moves.
func (v *resultsView) page() int {
	first, last := v.visible()
	return max(1, last-first)
}

// move moves the highlight by delta rows. After the wheel scrolled the
// highlight off screen, movement starts from what is visible.
func (v *resultsView) move(delta int) {
	if len(v.hits) == 0 {
		return
	}
	from := v.cursor
	if first, last := v.visible(); from < first || from > last {
		if delta > 0 {
			from = first - 1
		} else {
			from = last + 1
		}
	}
	v.moveTo(from + delta)
}

// jump moves the highlight to the first or the last row.
func (v *resultsView) jump(toEnd bool) {
	if toEnd {
		v.moveTo(len(v.hits) - 1)
	} else {
		v.moveTo(0)
	}
}

func (v *resultsView) moveTo(row int) {
	if len(v.hits) == 0 {
		return
	}
	row = max(0, min(row, len(v.hits)-1))
	old := v.cursor
	v.cursor, v.moved = row, true
	v.list.RefreshItem(old)
	v.list.RefreshItem(row)
	v.list.ScrollTo(row)
	v.acts.moved()
}

// openCurrent opens the highlighted hit.
func (v *resultsView) openCurrent(mode app.OpenMode) {
	if h := v.current(); h != nil {
		v.acts.open(h, mode)
	}
}

// refresh redraws the rows (icons arrived, times moved on).
func (v *resultsView) refresh() { v.list.Refresh() }
