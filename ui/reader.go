package ui

import (
	"context"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/view"
)

// reader shows a page (app.Doc) as a reader expects it: the page is laid
// out into lines off the UI thread (view.Wrap), and only the lines on
// screen get widgets, so no page, whatever its size, holds the window up.
type reader struct {
	ctx        context.Context
	background func(func())
	do         func(func())
	onLink     func(raw string)

	scroll *container.Scroll
	body   *readerBody
	root   *fyne.Container

	metrics    *view.Metrics
	remeasured bool // the characters the first layout met were measured
	doc        app.Doc
	full       *view.Layout // doc at width, toggles open
	folded     map[int]bool // toggles closed
	width      float32      // the width laid out, or asked for
	gen        int          // the newest layout asked for; older ones are dropped
	cancel     context.CancelFunc
}

// resizeDelay gathers the widths a window passes through while dragged
// into one layout.
const resizeDelay = 120 * time.Millisecond

func newReader(ctx context.Context, background, do func(func()), onLink func(string)) *reader {
	r := &reader{ctx: ctx, background: background, do: do, onLink: onLink, folded: map[int]bool{}}
	r.body = &readerBody{r: r, rows: map[int]*lineRow{}}
	r.body.ExtendBaseWidget(r.body)
	r.scroll = container.NewVScroll(r.body)
	r.scroll.OnScrolled = func(fyne.Position) { r.body.placeRows() }
	r.root = container.New(readerLayout{r}, r.scroll)
	return r
}

func (r *reader) object() fyne.CanvasObject { return r.root }

// readerLayout fills the reader with its scroll, and fills a taller
// viewport with rows (the body's own size may not change).
type readerLayout struct{ r *reader }

func (l readerLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	l.r.scroll.Resize(size)
	l.r.body.placeRows()
}

func (l readerLayout) MinSize([]fyne.CanvasObject) fyne.Size { return l.r.scroll.MinSize() }

// clear empties the reader at once and drops any layout under way.
func (r *reader) clear() {
	r.setDoc(app.Doc{})
}

// setDoc shows d once it is laid out; until then the reader is empty.
func (r *reader) setDoc(d app.Doc) {
	r.doc, r.full, r.folded, r.remeasured = d, nil, map[int]bool{}, false
	r.body.show(&view.Layout{})
	r.scroll.ScrollToTop()
	r.layout(0)
}

// resized is the body's new width: the page is laid out again, once the
// width has stopped changing.
func (r *reader) resized(width float32) {
	if width == r.width {
		return
	}
	delay := resizeDelay
	if r.width <= 0 || r.full == nil {
		delay = 0
	}
	r.width = width
	r.layout(delay)
}

// layout lays the page out at the current width in the background, after
// delay; a newer call cancels it.
func (r *reader) layout(delay time.Duration) {
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
	r.gen++
	if len(r.doc.Blocks) == 0 || r.width <= 0 {
		return
	}
	if r.metrics == nil {
		r.metrics = newMetrics()
	}
	gen, doc, width, m := r.gen, r.doc, r.width, r.metrics
	ctx, cancel := context.WithCancel(r.ctx)
	r.cancel = cancel
	r.background(func() {
		defer cancel()
		if delay > 0 {
			t := time.NewTimer(delay)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
				return
			}
		}
		l, err := view.Wrap(ctx, doc, width, m)
		if err != nil {
			return
		}
		r.do(func() {
			if gen == r.gen {
				r.laidOut(l)
			}
		})
	})
}

func (r *reader) laidOut(l *view.Layout) {
	r.full = l
	r.body.show(view.Fold(l, r.doc, r.folded))
	// Characters the metrics had not measured were guessed wide; measure
	// them now, on the UI thread, and lay out once more.
	unknown := 0
	for _, rs := range l.Unknown {
		unknown += len(rs)
	}
	if unknown > 0 && !r.remeasured {
		r.remeasured = true
		r.metrics = r.metrics.With(l.Unknown, measureFace)
		r.layout(0)
	}
}

// toggle opens or closes the toggle block b.
func (r *reader) toggle(b int) {
	if r.full == nil {
		return
	}
	if r.folded[b] {
		delete(r.folded, b)
	} else {
		r.folded[b] = true
	}
	r.body.show(view.Fold(r.full, r.doc, r.folded))
}

// ---- Metrics ----

func faceStyle(f view.Face) fyne.TextStyle {
	switch f {
	case view.FaceBold:
		return fyne.TextStyle{Bold: true}
	case view.FaceItalic:
		return fyne.TextStyle{Italic: true}
	case view.FaceBoldItalic:
		return fyne.TextStyle{Bold: true, Italic: true}
	case view.FaceMono:
		return fyne.TextStyle{Monospace: true}
	}
	return fyne.TextStyle{}
}

func runStyle(s app.RunStyle) fyne.TextStyle { return faceStyle(view.FaceOf(s)) }

// measureFace measures on the UI thread: Fyne's font caches are not
// safe to share with the painter from another goroutine.
func measureFace(s string, f view.Face) float32 {
	return fyne.MeasureText(s, theme.TextSize(), faceStyle(f)).Width
}

func textSizes() [view.NumSizes]float32 {
	body := theme.TextSize()
	return [view.NumSizes]float32{body, theme.Size(theme.SizeNameHeadingText), theme.Size(theme.SizeNameSubHeadingText), body * 1.15}
}

func newMetrics() *view.Metrics {
	sizes := textSizes()
	var heights [view.NumSizes]float32
	for i, s := range sizes {
		heights[i] = float32(int(fyne.MeasureText("Mg", s, fyne.TextStyle{Bold: true}).Height*1.3 + 0.5))
	}
	return view.NewMetrics(sizes, heights, sizes[0]*1.6, theme.Padding()*2, measureFace)
}

// ---- The virtualized body ----

// readerBody is as tall as the page; it holds widgets only for the lines
// in the scroll's viewport, reusing them as it scrolls.
type readerBody struct {
	widget.BaseWidget
	r       *reader
	layout  *view.Layout
	rows    map[int]*lineRow // by line, those on screen
	free    []*lineRow
	shown   []fyne.CanvasObject
	created int // row widgets made, ever: stays about a screenful
}

func (b *readerBody) show(l *view.Layout) {
	b.layout = l
	for i, row := range b.rows {
		b.free = append(b.free, row)
		delete(b.rows, i)
	}
	// The scroll sizes its content to the new height.
	b.r.scroll.Refresh()
	b.placeRows()
}

func (b *readerBody) MinSize() fyne.Size {
	if b.layout == nil {
		return fyne.Size{}
	}
	return fyne.NewSize(0, b.layout.Height)
}

func (b *readerBody) CreateRenderer() fyne.WidgetRenderer { return &readerBodyRenderer{b: b} }

// placeRows gives each line in the viewport a row widget.
func (b *readerBody) placeRows() {
	l := b.layout
	if l == nil {
		return
	}
	top := b.r.scroll.Offset.Y
	bottom := top + b.r.scroll.Size().Height
	first, last := 0, -1
	if len(l.Lines) > 0 && bottom > top {
		first = view.At(l.Tops, top)
		last = first
		for last+1 < len(l.Lines) && l.Tops[last+1] < bottom {
			last++
		}
	}
	for i, row := range b.rows {
		if i < first || i > last {
			b.free = append(b.free, row)
			delete(b.rows, i)
		}
	}
	b.shown = b.shown[:0]
	width := b.Size().Width
	for i := first; i <= last; i++ {
		row, ok := b.rows[i]
		if !ok {
			if n := len(b.free); n > 0 {
				row, b.free = b.free[n-1], b.free[:n-1]
			} else {
				row = newLineRow(b.r)
				b.created++
			}
			row.set(&l.Lines[i], b.r.metrics)
			b.rows[i] = row
		}
		row.Move(fyne.NewPos(0, l.Tops[i]))
		row.Resize(fyne.NewSize(width, l.Lines[i].Height))
		b.shown = append(b.shown, row)
	}
	canvas.Refresh(b)
}

type readerBodyRenderer struct{ b *readerBody }

func (r *readerBodyRenderer) Layout(size fyne.Size) {
	r.b.r.resized(size.Width)
	r.b.placeRows()
}
func (r *readerBodyRenderer) MinSize() fyne.Size           { return r.b.MinSize() }
func (r *readerBodyRenderer) Refresh()                     {}
func (r *readerBodyRenderer) Objects() []fyne.CanvasObject { return r.b.shown }
func (r *readerBodyRenderer) Destroy()                     {}

// ---- One line ----

// lineRow draws one visual line: its boxes, marker and text. A tap on a
// link opens it (through the window's checks); on a toggle's arrow, it
// opens or closes the toggle.
type lineRow struct {
	widget.BaseWidget
	r       *reader
	line    *view.Line
	m       *view.Metrics
	hoverX  float32 // where the pointer is, -1 when not over the row
	objs    []fyne.CanvasObject
	stretch []*canvas.Rectangle // boxes that reach the right edge
}

func newLineRow(r *reader) *lineRow {
	row := &lineRow{r: r, hoverX: -1}
	row.ExtendBaseWidget(row)
	return row
}

func (row *lineRow) CreateRenderer() fyne.WidgetRenderer { return &lineRowRenderer{row: row} }

// Tapped opens the link under the pointer, or opens or closes a toggle.
func (row *lineRow) Tapped(ev *fyne.PointEvent) {
	toggle, link := row.at(ev.Position.X)
	switch {
	case toggle:
		row.r.toggle(row.line.Block)
	case link != "":
		row.r.onLink(link)
	}
}

// at is what lies at x: a toggle's arrow, or a link.
func (row *lineRow) at(x float32) (toggle bool, link string) {
	l := row.line
	if l == nil || row.m == nil || x < 0 {
		return false, ""
	}
	if l.Marker == view.MarkToggle && x >= l.MarkerX && x < l.MarkerX+row.m.Indent {
		return true, ""
	}
	for _, f := range l.Frags {
		if f.Link != "" && x >= f.X && x < f.X+f.W {
			return false, f.Link
		}
	}
	return false, ""
}

// The pointer shows a hand over what a tap acts on. (The driver asks for
// the cursor before it reports the move: a hand comes one move late.)
func (row *lineRow) MouseIn(ev *desktop.MouseEvent)    { row.hoverX = ev.Position.X }
func (row *lineRow) MouseMoved(ev *desktop.MouseEvent) { row.hoverX = ev.Position.X }
func (row *lineRow) MouseOut()                         { row.hoverX = -1 }

func (row *lineRow) Cursor() desktop.Cursor {
	if toggle, link := row.at(row.hoverX); toggle || link != "" {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

// set shows l; the objects are made in Refresh, so a theme change
// redraws them in its colours.
func (row *lineRow) set(l *view.Line, m *view.Metrics) {
	row.line, row.m = l, m
	row.Refresh()
}

func (row *lineRow) build() {
	l, m := row.line, row.m
	row.objs, row.stretch = row.objs[:0], row.stretch[:0]
	if l == nil {
		return
	}
	th := row.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	col := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
	rect := func(c color.Color, x, y, w, h float32, stretch bool) {
		r := canvas.NewRectangle(c)
		r.Move(fyne.NewPos(x, y))
		r.Resize(fyne.NewSize(w, h))
		row.objs = append(row.objs, r)
		if stretch {
			row.stretch = append(row.stretch, r)
		}
	}
	h := l.Height
	if l.Callout {
		rect(col(theme.ColorNameHover), l.BoxX, l.BoxY, 0, h-l.BoxY, true)
	}
	if l.Code {
		rect(col(theme.ColorNameInputBackground), l.BoxX, l.BoxY, 0, h-l.BoxY, true)
	}
	if l.Quote {
		rect(col(theme.ColorNamePrimary), l.BarX, 0, 3, h, false)
	}
	size := m.Sizes[l.Size]
	lh := m.LineHeights[l.Size]
	textTop := l.Top + l.Pad
	switch l.Kind {
	case view.LineRule:
		rect(col(theme.ColorNameSeparator), l.BoxX, l.Top+lh/2, 0, 1, true)
	case view.LineTable:
		if l.Header {
			rect(col(theme.ColorNameHeaderBackground), l.Cols[0], l.Top, l.Cols[len(l.Cols)-1]-l.Cols[0], h-l.Top, false)
			rect(col(theme.ColorNameSeparator), l.Cols[0], l.Top, l.Cols[len(l.Cols)-1]-l.Cols[0], 1, false)
		}
		rect(col(theme.ColorNameSeparator), l.Cols[0], h-1, l.Cols[len(l.Cols)-1]-l.Cols[0], 1, false)
		for _, x := range l.Cols {
			rect(col(theme.ColorNameSeparator), x, l.Top, 1, h-l.Top, false)
		}
	}
	// The marker, centred on the first line's text.
	mid := textTop + lh/2
	switch l.Marker {
	case view.MarkBullet, view.MarkHollowBullet:
		d := size * 0.38
		c := canvas.NewCircle(col(theme.ColorNameForeground))
		if l.Marker == view.MarkHollowBullet {
			c.FillColor, c.StrokeColor, c.StrokeWidth = color.Transparent, col(theme.ColorNameForeground), 1
		}
		c.Move(fyne.NewPos(l.MarkerX+m.Indent/2-d/2, mid-d/2))
		c.Resize(fyne.NewSize(d, d))
		row.objs = append(row.objs, c)
	case view.MarkIcon:
		if res := emojiResource(l.Number); res != nil {
			img := canvas.NewImageFromResource(res)
			d := size * 1.2
			img.Move(fyne.NewPos(l.MarkerX, mid-d/2))
			img.Resize(fyne.NewSize(d, d))
			row.objs = append(row.objs, img)
			break
		}
		fallthrough
	case view.MarkNumber:
		t := canvas.NewText(l.Number, col(theme.ColorNameForeground))
		t.TextSize = size
		t.Move(fyne.NewPos(l.MarkerX, mid-t.MinSize().Height/2))
		t.Resize(t.MinSize())
		row.objs = append(row.objs, t)
	case view.MarkTodo, view.MarkDone, view.MarkToggle:
		res := theme.CheckButtonIcon()
		switch {
		case l.Marker == view.MarkDone:
			res = theme.CheckButtonCheckedIcon()
		case l.Marker == view.MarkToggle && row.r.folded[l.Block]:
			res = theme.MenuExpandIcon()
		case l.Marker == view.MarkToggle:
			res = theme.MenuDropDownIcon()
		}
		img := canvas.NewImageFromResource(res)
		d := size * 1.15
		img.Move(fyne.NewPos(l.MarkerX+(m.Indent-d)/2, mid-d/2))
		img.Resize(fyne.NewSize(d, d))
		row.objs = append(row.objs, img)
	}
	for _, f := range l.Frags {
		fg := col(theme.ColorNameForeground)
		if f.Link != "" {
			fg = col(theme.ColorNameHyperlink)
		}
		t := canvas.NewText(f.Text, fg)
		t.TextSize, t.TextStyle = size, runStyle(f.Style)
		tall := t.MinSize().Height
		y := textTop + (lh-tall)/2
		if f.Style&app.StyleCode != 0 && l.Kind != view.LineCode {
			rect(col(theme.ColorNameInputBackground), f.X-1, y, f.W+2, tall, false)
		}
		t.Move(fyne.NewPos(f.X, y))
		t.Resize(fyne.NewSize(max(f.W, t.MinSize().Width), tall))
		row.objs = append(row.objs, t)
		if f.Style&app.StyleStrike != 0 {
			rect(fg, f.X, y+tall*0.55, f.W, 1, false)
		}
		if f.Link != "" {
			rect(fg, f.X, y+tall-2, f.W, 1, false)
		}
	}
}

type lineRowRenderer struct{ row *lineRow }

func (r *lineRowRenderer) Layout(size fyne.Size) {
	for _, s := range r.row.stretch {
		s.Resize(fyne.NewSize(max(size.Width-s.Position().X, 0), s.Size().Height))
	}
}
func (r *lineRowRenderer) MinSize() fyne.Size { return fyne.Size{} }
func (r *lineRowRenderer) Refresh() {
	r.row.build()
	r.Layout(r.row.Size())
}
func (r *lineRowRenderer) Objects() []fyne.CanvasObject { return r.row.objs }
func (r *lineRowRenderer) Destroy()                     {}
