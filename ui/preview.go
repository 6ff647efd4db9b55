package ui

import (
	"errors"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
)

// previewActions are what the preview asks the window for.
type previewActions struct {
	load  func(id string, refresh bool, done func(app.PageContent, error))
	open  func(h *app.Hit)
	link  func(raw string)
	close func()
	now   func() time.Time
}

// previewPane reads the highlighted page from its stored copy, offline,
// beside the results (in place of them in a narrow window). It follows the
// highlight while it is open.
type previewPane struct {
	acts    previewActions
	title   *widget.Label
	meta    *widget.RichText
	body    *widget.RichText
	scroll  *container.Scroll
	fetch   *widget.Button
	root    *fyne.Container
	hit     *app.Hit
	loading int // the newest load; an older answer is dropped
}

func newPreviewPane(tips *tooltips, acts previewActions) *previewPane {
	p := &previewPane{acts: acts}
	p.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.title.Truncation = fyne.TextTruncateEllipsis
	p.meta = newSecondaryText()
	p.body = widget.NewRichText()
	p.body.Wrapping = fyne.TextWrapWord
	p.scroll = container.NewVScroll(p.body)
	p.fetch = widget.NewButtonWithIcon("Fetch from Notion", theme.DownloadIcon(), func() { p.show(p.hit, true) })
	p.fetch.Importance = widget.LowImportance
	p.fetch.Hide()
	openBtn := newTipButton(theme.ComputerIcon(), "Open in the browser (Enter)", tips, func() {
		if p.hit != nil {
			acts.open(p.hit)
		}
	})
	closeBtn := newTipButton(theme.CancelIcon(), "Close the preview ("+shortcutLabel("Y")+")", tips, acts.close)
	head := container.NewBorder(nil, nil, nil, container.NewHBox(openBtn, closeBtn), p.title)
	top := container.NewVBox(head, container.NewBorder(nil, nil, nil, p.fetch, p.meta), widget.NewSeparator())
	p.root = container.NewBorder(top, nil, nil, nil, p.scroll)
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
	p.hit = h
	p.root.Show()
	p.title.SetText(app.DisplayTitle(h.Title))
	p.fetch.Hide()
	if h.Kind == app.KindDatabase {
		setSecondaryText(p.meta, "A database has no page content to show; Enter opens it.")
		p.setText("")
		return
	}
	setSecondaryText(p.meta, "Loading…")
	if refresh {
		setSecondaryText(p.meta, "Fetching from Notion…")
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
		setSecondaryText(p.meta, "No copy of this page is stored yet.")
		p.fetch.Show()
		p.setText("")
		return
	case err != nil:
		setSecondaryText(p.meta, app.Explain(err))
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
	setSecondaryText(p.meta, meta)
	p.setText(pc.CommonMark)
}

// setText renders markdown; its links go through the window's checks
// instead of Fyne opening them directly.
func (p *previewPane) setText(md string) {
	p.body.ParseMarkdown(md)
	for _, seg := range p.body.Segments {
		routeLinks(seg, p.acts.link)
	}
	p.body.Refresh()
	p.scroll.ScrollToTop()
}

func routeLinks(seg widget.RichTextSegment, open func(string)) {
	switch s := seg.(type) {
	case *widget.HyperlinkSegment:
		raw := ""
		if s.URL != nil {
			raw = s.URL.String()
		}
		s.OnTapped = func() { open(raw) }
	case *widget.ListSegment:
		for _, item := range s.Items {
			routeLinks(item, open)
		}
	case *widget.ParagraphSegment:
		for _, t := range s.Texts {
			routeLinks(t, open)
		}
	}
}

func (p *previewPane) hide() {
	p.root.Hide()
	p.hit = nil
	p.loading++
}

// previewLayout puts the results on the left and the preview on the right
// when there is room; in a narrow window the preview covers the results.
type previewLayout struct{}

func (l previewLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	results, preview := objs[0], objs[1]
	if !preview.Visible() {
		results.Move(fyne.NewPos(0, 0))
		results.Resize(size)
		return
	}
	if size.Width < 700 {
		results.Resize(fyne.NewSize(0, 0))
		preview.Move(fyne.NewPos(0, 0))
		preview.Resize(size)
		return
	}
	left := size.Width * 0.45
	gap := theme.Padding() * 2
	results.Move(fyne.NewPos(0, 0))
	results.Resize(fyne.NewSize(left, size.Height))
	preview.Move(fyne.NewPos(left+gap, 0))
	preview.Resize(fyne.NewSize(size.Width-left-gap, size.Height))
}

func (l previewLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return objs[0].MinSize()
}

// ---- The window's side ----

func (w *Window) newPreview() *previewPane {
	return newPreviewPane(w.tips, previewActions{
		load: func(id string, refresh bool, done func(app.PageContent, error)) {
			w.background(func() {
				var pc app.PageContent
				var err error
				if refresh {
					pc, err = w.core.RefreshPage(w.ctx, id)
				} else {
					pc, err = w.core.PageContent(id)
				}
				w.do(func() { done(pc, err) })
			})
		},
		open:  func(h *app.Hit) { w.openHit(h, "") },
		link:  w.openPreviewLink,
		close: w.togglePreview,
		now:   w.now,
	})
}

// togglePreview shows the highlighted page's stored copy, or hides it.
func (w *Window) togglePreview() {
	if w.preview.visible() {
		w.preview.hide()
	} else {
		w.preview.show(w.results.current(), false)
	}
	w.body.Refresh()
}

// previewFollows keeps an open preview on the highlighted row.
func (w *Window) previewFollows() {
	if w.preview.visible() {
		if h := w.results.current(); h != nil && (w.preview.hit == nil || h.ID != w.preview.hit.ID) {
			w.preview.show(h, false)
		}
	}
}

// openPreviewLink opens a link from a page's text: https only, through the
// same checks as items.
func (w *Window) openPreviewLink(raw string) {
	u, err := w.core.PreviewLinkURL(raw)
	if err != nil {
		w.showError("Could not open the link", err)
		return
	}
	if parsed, perr := url.Parse(u); perr == nil && parsed.Host != "" {
		w.openExternal(u)
	}
}
