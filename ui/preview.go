package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// previewActions are what the preview asks the window for.
type previewActions struct {
	ctx context.Context
	// background runs work off the UI thread (Close waits for it); do
	// brings a result back onto it.
	background func(func())
	do         func(func())
	load       func(id string, refresh bool, done func(app.PageContent, error))
	open       func(h *app.Hit)
	link       func(raw string)
	close      func()
	now        func() time.Time
}

// previewPane reads the highlighted page from its stored copy, offline,
// beside the results (in place of them in a narrow window). It follows the
// highlight while it is open.
type previewPane struct {
	acts    previewActions
	title   *widget.Label
	meta    *widget.RichText
	reader  *reader
	fetch   *widget.Button
	root    *fyne.Container
	hit     *app.Hit
	loading int // the newest load; an older answer is dropped
}

func newPreviewPane(tips *widgets.Tooltips, acts previewActions) *previewPane {
	p := &previewPane{acts: acts}
	p.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.title.Truncation = fyne.TextTruncateEllipsis
	p.meta = widgets.NewSecondaryText()
	p.reader = newReader(acts.ctx, acts.background, acts.do, acts.link)
	p.fetch = widget.NewButtonWithIcon("Fetch from Notion", theme.DownloadIcon(), func() { p.show(p.hit, true) })
	p.fetch.Importance = widget.LowImportance
	p.fetch.Hide()
	openBtn := widgets.NewTipButton(theme.ComputerIcon(), "Open in the browser (Enter)", tips, func() {
		if p.hit != nil {
			acts.open(p.hit)
		}
	})
	closeBtn := widgets.NewTipButton(theme.CancelIcon(), "Close the preview ("+shortcutLabel("Y")+")", tips, acts.close)
	head := container.NewBorder(nil, nil, nil, container.NewHBox(openBtn, closeBtn), p.title)
	top := container.NewVBox(head, container.NewBorder(nil, nil, nil, p.fetch, p.meta), widget.NewSeparator())
	p.root = container.NewBorder(top, nil, nil, nil, p.reader.object())
	p.root.Hide()
	return p
}

func (p *previewPane) object() fyne.CanvasObject { return p.root }
func (p *previewPane) visible() bool             { return p.root.Visible() }

// show loads h's stored copy (or fetches it first), and shows the pane.
func (p *previewPane) show(h *app.Hit, refresh bool) {
	if h == nil {
		return
	}
	if p.hit == nil || p.hit.ID != h.ID {
		// Never the new title over the old page's text. (A fetch of the
		// same page keeps its text until the new copy comes.)
		p.reader.clear()
	}
	p.hit = h
	p.root.Show()
	p.title.SetText(app.DisplayTitle(h.Title))
	p.fetch.Hide()
	if h.Kind == app.KindDatabase {
		widgets.SetSecondaryText(p.meta, "A database has no page content to show; Enter opens it.")
		return
	}
	widgets.SetSecondaryText(p.meta, "Loading…")
	if refresh {
		widgets.SetSecondaryText(p.meta, "Fetching from Notion…")
	}
	p.loading++
	n := p.loading
	p.acts.load(h.ID, refresh, func(pc app.PageContent, err error) {
		if n != p.loading {
			return
		}
		p.render(pc, err)
	})
}

func (p *previewPane) render(pc app.PageContent, err error) {
	switch {
	case errors.Is(err, app.ErrNoContent):
		widgets.SetSecondaryText(p.meta, "No copy of this page is stored yet.")
		p.fetch.Show()
		p.reader.clear()
		return
	case err != nil:
		widgets.SetSecondaryText(p.meta, app.Explain(err))
		p.fetch.Show()
		return
	}
	meta := "Stored copy, read offline"
	if !pc.Fetched.IsZero() {
		meta += " · fetched " + app.Ago(p.acts.now().Sub(pc.Fetched))
	}
	switch {
	case pc.Stale:
		meta += " · Notion has a newer version"
		p.fetch.Show()
	case pc.Partial:
		meta += " · some parts could not be fetched"
	}
	if pc.Doc.Cut {
		meta += " · only its start is shown"
	}
	widgets.SetSecondaryText(p.meta, meta)
	p.reader.setDoc(pc.Doc)
}

func (p *previewPane) hide() {
	p.root.Hide()
	p.hit = nil
	p.loading++
	p.reader.clear()
}
