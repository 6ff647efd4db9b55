package ui

import (
	"context"
	"image/color"
	"time"

	"github.com/pagedeck/pagedeck/ui/view"
	"github.com/pagedeck/pagedeck/ui/widgets"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// statusBar is the line at the bottom: counts, sync progress, errors, and
// short confirmations such as "Copied". Above it a thin line moves while
// something syncs; it keeps its few pixels when idle, so nothing jumps.
type statusBar struct {
	do         func(func())
	background func(func())
	ctx        context.Context
	text       *widget.RichText
	line       *busyLine
	root       fyne.CanvasObject
	base       string // what the line says when no confirmation shows
	flash      int    // the confirmation on screen, so an older one's timer does not clear a newer one
}

func newStatusBar(ctx context.Context, do, background func(func())) *statusBar {
	s := &statusBar{do: do, background: background, ctx: ctx, text: widgets.NewSecondaryText(), line: newBusyLine()}
	s.text.Segments[0].(*widget.TextSegment).Style.SizeName = theme.SizeNameText
	s.root = container.New(layout.NewCustomPaddedVBoxLayout(0), s.line, s.text)
	return s
}

func (s *statusBar) object() fyne.CanvasObject { return s.root }

// set is the standing text.
func (s *statusBar) set(text string) {
	s.base = text
	if s.flash == 0 {
		widgets.SetSecondaryText(s.text, text)
	}
}

// current is what the line says now.
func (s *statusBar) current() string { return s.text.Segments[0].(*widget.TextSegment).Text }

// confirm shows text for a moment, then the standing text again.
func (s *statusBar) confirm(text string) {
	s.flash++
	n := s.flash
	widgets.SetSecondaryText(s.text, text)
	s.background(func() {
		if !sleep(s.ctx, 2500*time.Millisecond) {
			return
		}
		s.do(func() {
			if s.flash == n {
				s.flash = 0
				widgets.SetSecondaryText(s.text, s.base)
			}
		})
	})
}

// busy shows what is under way: a moving segment while items sync (their
// end is not known ahead), a still bar as long as the share of pages done
// while only a crawl runs. A crawl lasts minutes to hours, and a bar that
// moves only when a page arrives keeps an idle window idle.
func (s *statusBar) busy(a view.Activity) {
	switch {
	case a.Syncing:
		s.line.moving()
	case a.Crawling:
		s.line.share(a.Done)
	default:
		s.line.off()
	}
}

// busyLine is a progress line, 3 px tall: off, a moving segment, or a
// still share of the width.
type busyLine struct {
	widget.BaseWidget
	bar    *canvas.Rectangle
	anim   *fyne.Animation
	going  bool    // the segment moves
	pos    float32 // 0…1, where the moving segment is
	amount float32 // 0…1, the still share; <0 while off or moving
}

func newBusyLine() *busyLine {
	b := &busyLine{bar: canvas.NewRectangle(color.Transparent), amount: -1}
	b.anim = &fyne.Animation{Duration: 1200 * time.Millisecond, RepeatCount: fyne.AnimationRepeatForever,
		Curve: fyne.AnimationEaseInOut, Tick: func(p float32) { b.pos = p; b.place() }}
	b.ExtendBaseWidget(b)
	return b
}

func (b *busyLine) moving() {
	if b.going {
		return
	}
	b.going, b.amount = true, -1
	b.bar.FillColor = widgets.ThemeColor(theme.ColorNamePrimary)
	b.anim.Start()
	b.bar.Refresh()
}

func (b *busyLine) share(f float32) {
	f = min(max(f, 0.02), 1) // a sliver from the start, so it shows
	if !b.going && b.amount == f {
		return
	}
	if b.going {
		b.anim.Stop()
		b.going = false
	}
	b.amount = f
	b.bar.FillColor = widgets.ThemeColor(theme.ColorNamePrimary)
	b.place()
	b.bar.Refresh()
}

func (b *busyLine) off() {
	if !b.going && b.amount < 0 {
		return
	}
	if b.going {
		b.anim.Stop()
		b.going = false
	}
	b.amount = -1
	b.bar.FillColor = color.Transparent
	b.bar.Refresh()
}

// animating says whether the line repaints by itself.
func (b *busyLine) animating() bool { return b.going }

func (b *busyLine) place() {
	w := b.Size().Width
	if !b.going && b.amount >= 0 {
		b.bar.Move(fyne.NewPos(0, 0))
		b.bar.Resize(fyne.NewSize(w*b.amount, 3))
		return
	}
	seg := w / 4
	b.bar.Move(fyne.NewPos(b.pos*(w-seg), 0))
	b.bar.Resize(fyne.NewSize(seg, 3))
}

func (b *busyLine) MinSize() fyne.Size { return fyne.NewSize(0, 3) }

func (b *busyLine) CreateRenderer() fyne.WidgetRenderer {
	return &busyRenderer{b: b}
}

type busyRenderer struct{ b *busyLine }

func (r *busyRenderer) Layout(fyne.Size)             { r.b.place() }
func (r *busyRenderer) MinSize() fyne.Size           { return r.b.MinSize() }
func (r *busyRenderer) Refresh()                     { r.b.bar.Refresh() }
func (r *busyRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.b.bar} }
func (r *busyRenderer) Destroy()                     { r.b.anim.Stop() }
