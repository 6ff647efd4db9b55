package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
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
