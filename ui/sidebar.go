package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// sidebarActions are what a click in the sidebar asks the window for.
type sidebarActions struct {
	selectWorkspace func(id string) // "" for all
	menu            func(id string) *fyne.Menu
	connect         func()
	addToken        func()
	settings        func()
}

// sidebar lists "All workspaces" and each workspace, with its sync state
// and menu, and the actions below them.
type sidebar struct {
	acts  sidebarActions
	icons *iconStore
	tips  *widgets.Tooltips

	all     *wsRow
	rows    []*wsRow // one per workspace, in order
	actions []*widgets.TapRow
	list    *fyne.Container
	root    fyne.CanvasObject
}

// wsRow is one entry: a tapRow and what it shows. The tapRow itself goes
// in the tree: Fyne keys renderers by object, so the wrapper must not.
type wsRow struct {
	*widgets.TapRow
	id     string // "" for All workspaces
	icon   *widget.Icon
	name   *widget.Label
	mark   *widget.Icon
	spin   *widget.Activity
	more   *widgets.TipButton
	status string // "synced", "syncing", "needs reconnect", "error"; for tests and tips
}

func newSidebar(icons *iconStore, tips *widgets.Tooltips, acts sidebarActions) *sidebar {
	s := &sidebar{acts: acts, icons: icons, tips: tips}
	s.all = s.newRow("")
	s.list = container.NewVBox(s.all.TapRow)

	brand := canvas.NewImageFromResource(appIcon())
	brand.FillMode = canvas.ImageFillContain
	brand.SetMinSize(fyne.NewSquareSize(22))
	title := widget.NewLabelWithStyle("Pagedeck", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head := container.NewBorder(nil, nil, container.NewCenter(brand), nil, title)

	s.actions = []*widgets.TapRow{
		s.action(theme.ContentAddIcon(), "Connect a workspace", "Connect a Notion workspace ("+shortcutLabel("N")+")", acts.connect),
		s.action(theme.LoginIcon(), "Add an internal token…", "Add an internal connection's secret", acts.addToken),
		s.action(theme.SettingsIcon(), "Settings", "Settings ("+shortcutLabel(",")+")", acts.settings),
	}
	bottom := container.NewVBox(widget.NewSeparator())
	for _, a := range s.actions {
		bottom.Add(a)
	}
	s.root = container.NewBorder(container.NewVBox(head, widget.NewSeparator()), bottom, nil, nil, container.NewVScroll(s.list))
	return s
}

func (s *sidebar) object() fyne.CanvasObject { return s.root }

// action is a row below the workspaces that runs something.
func (s *sidebar) action(icon fyne.Resource, label, tip string, run func()) *widgets.TapRow {
	ic, box := iconBox()
	ic.SetResource(icon)
	l := widget.NewLabel(label)
	l.Truncation = fyne.TextTruncateEllipsis
	r := widgets.NewTapRow(container.NewBorder(nil, nil, container.NewCenter(box), nil, l), s.tips, run)
	r.Tip = tip
	r.OnKey = s.walk
	return r
}

func (s *sidebar) newRow(id string) *wsRow {
	r := &wsRow{id: id}
	var box fyne.CanvasObject
	r.icon, box = iconBox()
	r.name = widget.NewLabel("")
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.mark = widget.NewIcon(nil)
	r.spin = widget.NewActivity()
	r.spin.Hide()
	r.more = widgets.NewTipButton(theme.MoreVerticalIcon(), "Workspace menu", s.tips, func() {
		d := fyne.CurrentApp().Driver()
		pos := d.AbsolutePositionForObject(r.more).AddXY(0, r.more.Size().Height)
		s.showMenu(r.id, pos, r.more)
	})
	marks := container.NewHBox(container.NewStack(container.NewCenter(r.mark), container.NewCenter(r.spin)), r.more)
	r.TapRow = widgets.NewTapRow(container.NewBorder(nil, nil, container.NewCenter(box), marks, r.name), s.tips, func() {
		s.acts.selectWorkspace(r.id)
	})
	r.OnKey = s.walk
	if id == "" {
		r.name.SetText("All workspaces")
		r.icon.SetResource(theme.HomeIcon())
		r.mark.Hide()
		r.more.Hide()
		r.Tip = "All workspaces (" + shortcutLabel("0") + ")"
		return r
	}
	r.OnMenu = func(at fyne.Position) { s.showMenu(r.id, at, r.TapRow) }
	return r
}

func (s *sidebar) showMenu(id string, at fyne.Position, from fyne.CanvasObject) {
	c := fyne.CurrentApp().Driver().CanvasForObject(from)
	if c == nil || id == "" {
		return
	}
	widget.ShowPopUpMenuAtPosition(s.acts.menu(id), c, at)
}

// walk moves the keyboard focus to the next or previous row.
func (s *sidebar) walk(from *widgets.TapRow, k *fyne.KeyEvent) bool {
	var step int
	switch k.Name {
	case fyne.KeyDown:
		step = 1
	case fyne.KeyUp:
		step = -1
	default:
		return false
	}
	rows := s.focusOrder()
	for i, r := range rows {
		if r == from {
			next := i + step
			if next < 0 || next >= len(rows) {
				return true
			}
			if c := fyne.CurrentApp().Driver().CanvasForObject(from); c != nil {
				c.Focus(rows[next])
			}
			return true
		}
	}
	return false
}

// focusOrder is every tapRow top to bottom.
func (s *sidebar) focusOrder() []*widgets.TapRow {
	out := []*widgets.TapRow{s.all.TapRow}
	for _, r := range s.rows {
		out = append(out, r.TapRow)
	}
	return append(out, s.actions...)
}

// set shows the workspaces, which one is selected and what each is doing.
func (s *sidebar) set(ws []app.WorkspaceInfo, selected string, progress map[string]app.Progress) {
	for len(s.rows) < len(ws) {
		s.rows = append(s.rows, s.newRow("-"))
	}
	s.rows = s.rows[:len(ws)]
	objs := []fyne.CanvasObject{s.all.TapRow}
	for i := range ws {
		r := s.rows[i]
		s.fill(r, &ws[i], progress)
		r.SetSelected(ws[i].ID == selected)
		objs = append(objs, r.TapRow)
	}
	s.all.SetSelected(selected == "")
	s.all.Tip = "All workspaces (" + shortcutLabel("0") + ")"
	s.list.Objects = objs
	s.list.Refresh()
}

func (s *sidebar) fill(r *wsRow, ws *app.WorkspaceInfo, progress map[string]app.Progress) {
	r.id = ws.ID
	r.name.SetText(ws.Name)
	r.icon.SetResource(s.icons.resource(ws.Icon, false, theme.FolderIcon()))
	_, syncing := progress[ws.ID]
	switch {
	case syncing || ws.Syncing:
		r.status = "syncing"
		r.Tip = ws.Name + ": syncing…"
		r.mark.Hide()
		r.spin.Show()
		r.spin.Start()
		return
	case ws.Status == app.StatusNeedsReconnect:
		r.status = "needs reconnect"
		r.Tip = ws.Name + ": access was revoked or has expired"
		r.mark.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
	case ws.LastError != "":
		r.status = "error"
		r.Tip = ws.Name + ": " + ws.LastError
		r.mark.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
	default:
		r.status = "synced"
		// The whole name, which a narrow sidebar cuts.
		r.Tip = ws.Name + ": synced"
		r.mark.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	}
	r.spin.Stop()
	r.spin.Hide()
	r.mark.Show()
}

// refresh redraws the rows (an icon arrived).
