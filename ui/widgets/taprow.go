package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TapRow is a row of the sidebar: a workspace, or an action such as
// Settings. A click or Enter/Space runs it, a right click opens its menu,
// Tab reaches it and draws a visible ring, Up and Down walk the rows.
//
// Fyne hands a click to the topmost object that takes any kind of tap, so a
// row must handle the primary click itself: one that only took the right
// click once swallowed every left click in the sidebar.
type TapRow struct {
	widget.BaseWidget
	Content fyne.CanvasObject
	onTap   func()
	OnMenu  func(at fyne.Position) // nil: no menu
	OnKey   func(row *TapRow, k *fyne.KeyEvent) bool
	tips    *Tooltips
	Tip     string

	selected, hovered, focused bool
}

func NewTapRow(content fyne.CanvasObject, tips *Tooltips, onTap func()) *TapRow {
	r := &TapRow{Content: content, tips: tips, onTap: onTap}
	r.ExtendBaseWidget(r)
	return r
}

// Selected says whether the row is drawn as the chosen one.
func (r *TapRow) Selected() bool { return r.selected }

// SetSelected draws the row as the chosen one, or not.
func (r *TapRow) SetSelected(on bool) {
	if r.selected != on {
		r.selected = on
		r.Refresh()
	}
}

// Tapped runs the row.
func (r *TapRow) Tapped(*fyne.PointEvent) {
	r.tips.HoverOut()
	if r.onTap != nil {
		r.onTap()
	}
}

// TappedSecondary opens the row's menu where the pointer is.
func (r *TapRow) TappedSecondary(e *fyne.PointEvent) {
	if r.OnMenu != nil {
		r.tips.HoverOut()
		r.OnMenu(e.AbsolutePosition)
	}
}

func (r *TapRow) FocusGained()   { r.focused = true; r.Refresh() }
func (r *TapRow) FocusLost()     { r.focused = false; r.Refresh() }
func (r *TapRow) TypedRune(rune) {}

func (r *TapRow) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		r.Tapped(nil)
	default:
		if r.OnKey != nil {
			r.OnKey(r, k)
		}
	}
}

func (r *TapRow) MouseIn(*desktop.MouseEvent) {
	r.hovered = true
	r.Refresh()
	r.tips.HoverIn(r, r.Tip)
}

func (r *TapRow) MouseMoved(*desktop.MouseEvent) {}

func (r *TapRow) MouseOut() {
	r.hovered = false
	r.Refresh()
	r.tips.HoverOut()
}

func (r *TapRow) CreateRenderer() fyne.WidgetRenderer {
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
	row      *TapRow
	bg, ring *canvas.Rectangle
}

func (rr *tapRowRenderer) Layout(size fyne.Size) {
	rr.bg.Resize(size)
	rr.ring.Resize(size)
	p := theme.Padding()
	rr.row.Content.Move(fyne.NewPos(p, 0))
	rr.row.Content.Resize(fyne.NewSize(size.Width-2*p, size.Height))
}

func (rr *tapRowRenderer) MinSize() fyne.Size {
	return rr.row.Content.MinSize().AddWidthHeight(2*theme.Padding(), 0)
}

func (rr *tapRowRenderer) Refresh() {
	r := rr.row
	switch {
	case r.selected:
		rr.bg.FillColor = ThemeColor(theme.ColorNameSelection)
	case r.hovered:
		rr.bg.FillColor = ThemeColor(theme.ColorNameHover)
	default:
		rr.bg.FillColor = nil
	}
	rr.ring.StrokeColor = ThemeColor(theme.ColorNameFocus)
	rr.ring.Hidden = !r.focused
	rr.bg.Refresh()
	rr.ring.Refresh()
	r.Content.Refresh()
}

func (rr *tapRowRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{rr.bg, rr.row.Content, rr.ring}
}

func (rr *tapRowRenderer) Destroy() {}
