package ui

import (
	"bytes"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/icons"
	"github.com/pagedeck/pagedeck/assets"
)

const iconSize = 24

func appIcon() fyne.Resource { return fyne.NewStaticResource("pagedeck.png", assets.IconPNG) }

// iconView shows an emoji, an image, or a default glyph, in one square.
type iconView struct {
	emoji *canvas.Text
	image *canvas.Image
	glyph *widget.Icon
	box   *fyne.Container
}

func newIconView() *iconView {
	v := &iconView{
		emoji: canvas.NewText("", theme.Color(theme.ColorNameForeground)),
		image: canvas.NewImageFromResource(nil),
		glyph: widget.NewIcon(theme.DocumentIcon()),
	}
	v.emoji.TextSize = 22
	v.emoji.Alignment = fyne.TextAlignCenter
	v.image.FillMode = canvas.ImageFillContain
	v.image.SetMinSize(fyne.NewSize(iconSize, iconSize))
	v.box = container.NewGridWrap(fyne.NewSize(iconSize, iconSize), container.NewStack(v.glyph, v.image, container.NewCenter(v.emoji)))
	return v
}

// show picks what to draw for icon ("" or an emoji or an image URL).
func (v *iconView) show(w *Window, icon string, expires bool, fallback fyne.Resource) {
	v.emoji.Hide()
	v.image.Hide()
	v.glyph.Hide()
	switch {
	case icon == "":
	case !strings.Contains(icon, "://"):
		v.emoji.Text = icon
		v.emoji.Color = theme.Color(theme.ColorNameForeground)
		v.emoji.Show()
		v.emoji.Refresh()
		return
	default:
		if res := w.iconResource(icon, expires); res != nil {
			v.image.Resource = res
			v.image.Show()
			v.image.Refresh()
			return
		}
	}
	v.glyph.SetResource(fallback)
	v.glyph.Show()
}

// iconResource returns the image for an icon URL if it is in memory; if not,
// it is fetched (disk cache first) in the background and the lists redrawn.
func (w *Window) iconResource(u string, expires bool) fyne.Resource {
	key := icons.Key(u, expires)
	if r, ok := w.iconCache[key]; ok {
		return r
	}
	if w.deps.Icons == nil || w.iconMissing[key] {
		return nil
	}
	w.iconMissing[key] = true // until it arrives; also stops repeat fetches
	cache := w.deps.Icons
	w.goBackground(func() {
		data, err := cache.Get(w.ctx, u, expires)
		if err != nil {
			return
		}
		format, err := icons.Format(data)
		if err != nil {
			return
		}
		res := fyne.NewStaticResource(key+"."+format, bytes.Clone(data))
		w.do(func() {
			w.iconCache[key] = res
			delete(w.iconMissing, key)
			w.scheduleListRefresh()
		})
	})
	return nil
}

// scheduleListRefresh redraws the lists once for a burst of arriving icons.
func (w *Window) scheduleListRefresh() {
	if w.listRefreshPending {
		return
	}
	w.listRefreshPending = true
	w.goBackground(func() {
		sleep(w.ctx, 120)
		w.do(func() {
			w.listRefreshPending = false
			w.list.Refresh()
			w.sidebar.Refresh()
		})
	})
}

// itemRow is one page or database in the list.
type itemRow struct {
	widget.BaseWidget
	w     *Window
	id    widget.ListItemID
	hit   *app.Hit
	icon  *iconView
	title *widget.Label
	badge *canvas.Text
	sub   *widget.Label
	root  fyne.CanvasObject
}

func newItemRow(w *Window) *itemRow {
	r := &itemRow{w: w, icon: newIconView()}
	r.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.sub = widget.NewLabel("")
	r.sub.Importance = widget.LowImportance
	r.sub.SizeName = theme.SizeNameCaptionText
	r.sub.Truncation = fyne.TextTruncateEllipsis
	r.badge = canvas.NewText("", theme.Color(theme.ColorNamePrimary))
	r.badge.TextSize = 11
	r.badge.TextStyle = fyne.TextStyle{Bold: true}
	// Labels carry their own inner padding; pull the two lines together.
	text := container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()-2), r.title, r.sub)
	badge := container.New(layout.NewCustomPaddedLayout(0, 0, theme.Padding(), 3*theme.Padding()), container.NewCenter(r.badge))
	r.root = container.NewBorder(nil, nil, container.NewCenter(r.icon.box), badge, text)
	r.ExtendBaseWidget(r)
	return r
}

func (r *itemRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.root) }

func (r *itemRow) set(id widget.ListItemID, h *app.Hit) {
	r.id, r.hit = id, h
	r.title.SetText(app.DisplayTitle(h.Title))
	fallback := theme.DocumentIcon()
	badge := "PAGE"
	if h.Kind == app.KindDatabase {
		fallback, badge = theme.GridIcon(), "DATABASE"
	}
	r.badge.Text = badge
	r.badge.Color = theme.Color(theme.ColorNamePrimary)
	r.badge.Refresh()
	sub := "edited " + app.Ago(r.w.now().Sub(h.LastEdited))
	if h.LastEdited.IsZero() {
		sub = ""
	}
	if r.w.selected == "" {
		if name := r.w.workspaceName(h.WorkspaceID); name != "" {
			if sub != "" {
				sub = name + " · " + sub
			} else {
				sub = name
			}
		}
	}
	r.sub.SetText(sub)
	r.icon.show(r.w, h.Icon, h.IconExpires, fallback)
}

// Tapped opens the item; it also selects it, for the keyboard.
func (r *itemRow) Tapped(*fyne.PointEvent) {
	if r.hit == nil {
		return
	}
	r.w.list.Select(r.id)
	r.w.openItem(r.hit, r.w.settings.OpenIn)
}

// DoubleTapped opens too, once: Fyne holds a tap back to tell the two apart.
func (r *itemRow) DoubleTapped(e *fyne.PointEvent) { r.Tapped(e) }

// TappedSecondary shows the item's menu.
func (r *itemRow) TappedSecondary(e *fyne.PointEvent) {
	if r.hit == nil {
		return
	}
	r.w.list.Select(r.id)
	widget.ShowPopUpMenuAtPosition(r.w.itemMenu(r.hit), r.w.win.Canvas(), e.AbsolutePosition)
}

func (w *Window) itemMenu(h *app.Hit) *fyne.Menu {
	return fyne.NewMenu("",
		fyne.NewMenuItem("Open in browser", func() { w.openItem(h, app.OpenInBrowser) }),
		fyne.NewMenuItem("Open in Notion app", func() { w.openItem(h, app.OpenInApp) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Copy link", func() { w.copy(h.URL) }),
		fyne.NewMenuItem("Copy title", func() { w.copy(app.DisplayTitle(h.Title)) }),
	)
}

// workspaceRow is one entry of the sidebar: "All workspaces" or a workspace.
type workspaceRow struct {
	widget.BaseWidget
	w      *Window
	ws     *app.WorkspaceInfo
	icon   *iconView
	name   *widget.Label
	mark   *widget.Icon
	spin   *widget.Activity
	more   *widget.Button
	root   fyne.CanvasObject
	isAll  bool
	wsID   string
	status string // for tests: "synced", "syncing", "needs reconnect", "error"
}

func newWorkspaceRow(w *Window) *workspaceRow {
	r := &workspaceRow{w: w, icon: newIconView()}
	r.name = widget.NewLabel("")
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.mark = widget.NewIcon(nil)
	r.spin = widget.NewActivity()
	r.more = widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), func() {
		if r.ws != nil {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.more)
			widget.ShowPopUpMenuAtPosition(r.w.workspaceMenu(r.ws.ID), r.w.win.Canvas(), pos.Add(fyne.NewPos(0, r.more.Size().Height)))
		}
	})
	r.more.Importance = widget.LowImportance
	marks := container.NewHBox(container.NewStack(r.mark, r.spin), r.more)
	r.root = container.NewBorder(nil, nil, container.NewCenter(r.icon.box), marks, r.name)
	r.ExtendBaseWidget(r)
	return r
}

func (r *workspaceRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.root) }

func (r *workspaceRow) setAll(n int) {
	r.ws, r.isAll, r.wsID = nil, true, ""
	r.name.SetText("All workspaces")
	r.icon.show(r.w, "", false, theme.HomeIcon())
	r.spin.Stop()
	r.spin.Hide()
	r.mark.Hide()
	r.more.Hide()
	r.status = ""
}

func (r *workspaceRow) set(ws *app.WorkspaceInfo) {
	r.ws, r.isAll, r.wsID = ws, false, ws.ID
	r.name.SetText(ws.Name)
	r.icon.show(r.w, ws.Icon, false, theme.FolderIcon())
	r.more.Show()
	_, syncing := r.w.progress[ws.ID]
	switch {
	case syncing || ws.Syncing:
		r.status = "syncing"
		r.mark.Hide()
		r.spin.Show()
		r.spin.Start()
		return
	case ws.Status == app.StatusNeedsReconnect:
		r.status = "needs reconnect"
		r.mark.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
	case ws.LastError != "":
		r.status = "error"
		r.mark.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
	default:
		r.status = "synced"
		r.mark.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	}
	r.spin.Stop()
	r.spin.Hide()
	r.mark.Show()
}

// TappedSecondary shows the workspace's menu.
func (r *workspaceRow) TappedSecondary(e *fyne.PointEvent) {
	if r.ws != nil {
		widget.ShowPopUpMenuAtPosition(r.w.workspaceMenu(r.ws.ID), r.w.win.Canvas(), e.AbsolutePosition)
	}
}

func (w *Window) workspaceMenu(id string) *fyne.Menu {
	return fyne.NewMenu("",
		fyne.NewMenuItem("Refresh", func() {
			w.selectWorkspace(id)
			w.refresh(false)
		}),
		fyne.NewMenuItem("Full sync", func() {
			w.selectWorkspace(id)
			w.refresh(true)
		}),
		fyne.NewMenuItem("Reconnect / choose more pages", func() { w.startConnect() }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Disconnect…", func() { w.confirmDisconnect(id) }),
	)
}
