package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tooltipDelay is how long the pointer rests on a control before its tip.
const tooltipDelay = 600 * time.Millisecond

// tooltips draws hover tips in a layer above the window's content. It is
// not a Fyne overlay: an overlay would take the keyboard focus from the
// search box and swallow the next click.
type tooltips struct {
	do    func(func())
	delay time.Duration
	layer *fyne.Container
	box   *fyne.Container
	text  *canvas.Text
	timer *time.Timer
	gen   int    // a reveal queued before the pointer left is stale
	shown string // the tip on screen, for tests
}

func newTooltips(do func(func())) *tooltips {
	t := &tooltips{do: do, delay: tooltipDelay, text: canvas.NewText("", themeColor(theme.ColorNameForeground))}
	t.text.TextSize = theme.CaptionTextSize()
	bg := canvas.NewRectangle(themeColor(theme.ColorNameMenuBackground))
	bg.StrokeColor = themeColor(theme.ColorNameInputBorder)
	bg.StrokeWidth = 1
	bg.CornerRadius = 4
	t.box = container.NewStack(bg, container.New(paddedBy{h: 8, v: 4}, t.text))
	t.box.Hide()
	t.layer = container.NewWithoutLayout(t.box)
	return t
}

// hoverIn starts the wait for a tip under o.
func (t *tooltips) hoverIn(o fyne.CanvasObject, tip string) {
	t.cancel()
	if tip == "" {
		return
	}
	gen := t.gen
	t.timer = time.AfterFunc(t.delay, func() {
		t.do(func() {
			if gen == t.gen {
				t.show(o, tip)
			}
		})
	})
}

func (t *tooltips) hoverOut() {
	t.cancel()
	t.box.Hide()
	t.shown = ""
}

func (t *tooltips) cancel() {
	t.gen++
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
}

// show puts the tip just below o, kept inside the window.
func (t *tooltips) show(o fyne.CanvasObject, tip string) {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil || !o.Visible() {
		return
	}
	t.text.Text = tip
	t.text.Color = themeColor(theme.ColorNameForeground)
	t.text.Refresh()
	size := t.box.MinSize()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Add(fyne.NewPos(0, o.Size().Height+4))
	win := c.Size()
	pos.X = max(2, min(pos.X, win.Width-size.Width-2))
	if pos.Y+size.Height > win.Height {
		pos.Y = fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y - size.Height - 4
	}
	t.box.Move(pos)
	t.box.Resize(size)
	t.box.Show()
	t.shown = tip
}

// paddedBy pads its content by fixed amounts.
type paddedBy struct{ h, v float32 }

func (p paddedBy) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(p.h, p.v))
		o.Resize(fyne.NewSize(size.Width-2*p.h, size.Height-2*p.v))
	}
}

func (p paddedBy) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m.AddWidthHeight(2*p.h, 2*p.v)
}

// tipButton is an icon button that says what it does when the pointer rests
// on it.
type tipButton struct {
	widget.Button
	tips *tooltips
	tip  string
}

func newTipButton(icon fyne.Resource, tip string, tips *tooltips, tapped func()) *tipButton {
	b := &tipButton{tips: tips, tip: tip}
	b.Icon = icon
	b.OnTapped = tapped
	b.Importance = widget.LowImportance
	b.ExtendBaseWidget(b)
	return b
}

func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.tips.hoverIn(b, b.tip)
}

func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.tips.hoverOut()
}

func (b *tipButton) Tapped(e *fyne.PointEvent) {
	b.tips.hoverOut()
	b.Button.Tapped(e)
}
