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

// outboxRowsShown bounds the rows the panel lists; the heading counts all.
const outboxRowsShown = 3

// outboxPanel shows, above the status line and only while something waits,
// the captures that have not reached Notion: what they are, why they wait,
// Retry for all and Drop for each.
type outboxPanel struct {
	acts outboxActions
	head *widget.Label
	rows *fyne.Container
	root *fyne.Container
}

// outboxActions are what the panel's buttons ask of the window.
type outboxActions struct {
	retry func()
	drop  func(it app.OutboxItem)
}

func newOutboxPanel(acts outboxActions) *outboxPanel {
	p := &outboxPanel{acts: acts}
	p.head = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	retry := widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), func() { p.acts.retry() })
	retry.Importance = widget.LowImportance
	p.rows = container.NewVBox()
	p.root = container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, retry, p.head), p.rows)
	p.root.Hide()
	return p
}

func (p *outboxPanel) object() fyne.CanvasObject { return p.root }

// set lists items; titleOf names a target page from the local list.
func (p *outboxPanel) set(items []app.OutboxItem, titleOf func(id string) string) {
	if len(items) == 0 {
		p.root.Hide()
		p.rows.RemoveAll()
		return
	}
	p.head.SetText(view.OutboxHead(len(items)))
	p.rows.RemoveAll()
	for i, it := range items {
		if i == outboxRowsShown {
			break
		}
		line := widgets.NewSecondaryText()
		widgets.SetSecondaryText(line, view.OutboxLine(it, titleOf(it.Parent)))
		drop := widget.NewButton("Drop…", func() { p.acts.drop(it) })
		drop.Importance = widget.LowImportance
		p.rows.Add(container.NewBorder(nil, nil, nil, drop, line))
	}
	p.root.Show()
	p.root.Refresh()
}
