package ui

import (
	"context"
	"image/color"
	"time"

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
	s := &statusBar{do: do, background: background, ctx: ctx, text: newSecondaryText(), line: newBusyLine()}
	s.text.Segments[0].(*widget.TextSegment).Style.SizeName = theme.SizeNameText
	s.root = container.New(layout.NewCustomPaddedVBoxLayout(0), s.line, s.text)
	return s
}

func (s *statusBar) object() fyne.CanvasObject { return s.root }

// set is the standing text.
func (s *statusBar) set(text string) {
	s.base = text
	if s.flash == 0 {
		setSecondaryText(s.text, text)
	}
}

// current is what the line says now.
func (s *statusBar) current() string { return s.text.Segments[0].(*widget.TextSegment).Text }

// confirm shows text for a moment, then the standing text again.
func (s *statusBar) confirm(text string) {
	s.flash++
	n := s.flash
	setSecondaryText(s.text, text)
	s.background(func() {
		if !sleep(s.ctx, 2500*time.Millisecond) {
			return
		}
		s.do(func() {
			if s.flash == n {
				s.flash = 0
				setSecondaryText(s.text, s.base)
			}
		})
	})
}

func (s *statusBar) busy(on bool) { s.line.set(on) }

// busyLine is an indeterminate progress line, 3 px tall.
type busyLine struct {
	widget.BaseWidget
	on   bool
	bar  *canvas.Rectangle
	anim *fyne.Animation
	pos  float32 // 0…1, where the moving segment is
}

func newBusyLine() *busyLine {
	b := &busyLine{bar: canvas.NewRectangle(color.Transparent)}
	b.anim = &fyne.Animation{Duration: 1200 * time.Millisecond, RepeatCount: fyne.AnimationRepeatForever,
		Curve: fyne.AnimationEaseInOut, Tick: func(p float32) { b.pos = p; b.place() }}
	b.ExtendBaseWidget(b)
	return b
}

func (b *busyLine) set(on bool) {
	if b.on == on {
		return
	}
	b.on = on
	if on {
		b.bar.FillColor = themeColor(theme.ColorNamePrimary)
		b.anim.Start()
	} else {
		b.anim.Stop()
		b.bar.FillColor = color.Transparent
	}
	b.bar.Refresh()
}

func (b *busyLine) place() {
	w := b.Size().Width
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
