package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tapRow is a row of the sidebar: a workspace, or an action such as
// Settings. A click or Enter/Space runs it, a right click opens its menu,
// Tab reaches it and draws a visible ring, Up and Down walk the rows.
//
// Fyne hands a click to the topmost object that takes any kind of tap, so a
// row must handle the primary click itself: one that only took the right
// click once swallowed every left click in the sidebar.
type tapRow struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
	onMenu  func(at fyne.Position) // nil: no menu
	onKey   func(row *tapRow, k *fyne.KeyEvent) bool
	tips    *tooltips
	tip     string

	selected, hovered, focused bool
}

func newTapRow(content fyne.CanvasObject, tips *tooltips, onTap func()) *tapRow {
	r := &tapRow{content: content, tips: tips, onTap: onTap}
	r.ExtendBaseWidget(r)
	return r
}

func (r *tapRow) setSelected(on bool) {
	if r.selected != on {
		r.selected = on
		r.Refresh()
	}
}

// Tapped runs the row.
func (r *tapRow) Tapped(*fyne.PointEvent) {
	r.tips.hoverOut()
	if r.onTap != nil {
		r.onTap()
	}
}

// TappedSecondary opens the row's menu where the pointer is.
func (r *tapRow) TappedSecondary(e *fyne.PointEvent) {
	if r.onMenu != nil {
		r.tips.hoverOut()
		r.onMenu(e.AbsolutePosition)
	}
}

func (r *tapRow) FocusGained()   { r.focused = true; r.Refresh() }
func (r *tapRow) FocusLost()     { r.focused = false; r.Refresh() }
func (r *tapRow) TypedRune(rune) {}

func (r *tapRow) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		r.Tapped(nil)
	default:
		if r.onKey != nil {
			r.onKey(r, k)
		}
	}
}

func (r *tapRow) MouseIn(*desktop.MouseEvent) {
	r.hovered = true
	r.Refresh()
	r.tips.hoverIn(r, r.tip)
}

func (r *tapRow) MouseMoved(*desktop.MouseEvent) {}

func (r *tapRow) MouseOut() {
	r.hovered = false
	r.Refresh()
	r.tips.hoverOut()
}

func (r *tapRow) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(nil)
	bg.CornerRadius = 6
	ring := canvas.NewRectangle(nil)
	ring.CornerRadius = 6
	ring.StrokeWidth = 2
	rr := &tapRowRenderer{row: r, bg: bg, ring: ring}
	rr.Refresh()
	return rr
}

type tapRowRenderer struct {
	row      *tapRow
	bg, ring *canvas.Rectangle
}

func (rr *tapRowRenderer) Layout(size fyne.Size) {
	rr.bg.Resize(size)
	rr.ring.Resize(size)
	p := theme.Padding()
	rr.row.content.Move(fyne.NewPos(p, 0))
	rr.row.content.Resize(fyne.NewSize(size.Width-2*p, size.Height))
}

func (rr *tapRowRenderer) MinSize() fyne.Size {
	return rr.row.content.MinSize().AddWidthHeight(2*theme.Padding(), 0)
}

func (rr *tapRowRenderer) Refresh() {
	r := rr.row
	switch {
	case r.selected:
		rr.bg.FillColor = themeColor(theme.ColorNameSelection)
	case r.hovered:
		rr.bg.FillColor = themeColor(theme.ColorNameHover)
	default:
		rr.bg.FillColor = nil
	}
	rr.ring.StrokeColor = themeColor(theme.ColorNameFocus)
	rr.ring.Hidden = !r.focused
	rr.bg.Refresh()
	rr.ring.Refresh()
	r.content.Refresh()
}

func (rr *tapRowRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{rr.bg, rr.row.content, rr.ring}
}

func (rr *tapRowRenderer) Destroy() {}
