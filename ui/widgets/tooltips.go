package widgets

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

// Tooltips draws hover tips in a layer above the window's content. It is
// not a Fyne overlay: an overlay would take the keyboard focus from the
// search box and swallow the next click.
type Tooltips struct {
	do    func(func())
	Delay time.Duration
	Layer *fyne.Container
	Box   *fyne.Container
	text  *canvas.Text
	timer *time.Timer
	gen   int    // a reveal queued before the pointer left is stale
	Shown string // the tip on screen, for tests
}

func NewTooltips(do func(func())) *Tooltips {
	t := &Tooltips{do: do, Delay: tooltipDelay, text: canvas.NewText("", ThemeColor(theme.ColorNameForeground))}
	t.text.TextSize = theme.CaptionTextSize()
	bg := canvas.NewRectangle(ThemeColor(theme.ColorNameMenuBackground))
	bg.StrokeColor = ThemeColor(theme.ColorNameInputBorder)
	bg.StrokeWidth = 1
	bg.CornerRadius = 4
	t.Box = container.NewStack(bg, container.New(PaddedBy{H: 8, V: 4}, t.text))
	t.Box.Hide()
	t.Layer = container.NewWithoutLayout(t.Box)
	return t
}

// HoverIn starts the wait for a tip under o.
func (t *Tooltips) HoverIn(o fyne.CanvasObject, tip string) {
	t.Cancel()
	if tip == "" {
		return
	}
	gen := t.gen
	t.timer = time.AfterFunc(t.Delay, func() {
		t.do(func() {
			if gen == t.gen {
				t.show(o, tip)
			}
		})
	})
}

func (t *Tooltips) HoverOut() {
	t.Cancel()
	t.Box.Hide()
	t.Shown = ""
}

func (t *Tooltips) Cancel() {
	t.gen++
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
}

// show puts the tip just below o, kept inside the window.
func (t *Tooltips) show(o fyne.CanvasObject, tip string) {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil || !o.Visible() {
		return
	}
	t.text.Text = tip
	t.text.Color = ThemeColor(theme.ColorNameForeground)
	t.text.Refresh()
	size := t.Box.MinSize()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Add(fyne.NewPos(0, o.Size().Height+4))
	win := c.Size()
	pos.X = max(2, min(pos.X, win.Width-size.Width-2))
	if pos.Y+size.Height > win.Height {
		pos.Y = fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y - size.Height - 4
	}
	t.Box.Move(pos)
	t.Box.Resize(size)
	t.Box.Show()
	t.Shown = tip
}

// PaddedBy pads its content by fixed amounts.
type PaddedBy struct{ H, V float32 }

func (p PaddedBy) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(p.H, p.V))
		o.Resize(fyne.NewSize(size.Width-2*p.H, size.Height-2*p.V))
	}
}

func (p PaddedBy) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m.AddWidthHeight(2*p.H, 2*p.V)
}

// TipButton is an icon button that says what it does when the pointer rests
// on it.
type TipButton struct {
	widget.Button
	tips *Tooltips
	Tip  string
}

func NewTipButton(icon fyne.Resource, tip string, tips *Tooltips, tapped func()) *TipButton {
	b := &TipButton{tips: tips, Tip: tip}
	b.Icon = icon
	b.OnTapped = tapped
	b.Importance = widget.LowImportance
	b.ExtendBaseWidget(b)
	return b
}

func (b *TipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.tips.HoverIn(b, b.Tip)
}

func (b *TipButton) MouseOut() {
	b.Button.MouseOut()
	b.tips.HoverOut()
}

func (b *TipButton) Tapped(e *fyne.PointEvent) {
	b.tips.HoverOut()
	b.Button.Tapped(e)
}
