package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Sidebar widths: fixed in a normal window, narrower when the window is.
const (
	SidebarWidth    = 236
	sidebarMinWidth = 150
	// MinWindowWidth and MinWindowHeight are the smallest window the layout
	// promises to fit without overlap.
	MinWindowWidth  = 480
	MinWindowHeight = 360
)

// splitLayout puts the sidebar (first object) at a fixed width on the left
// and the main area (second) beside it, with a hairline (third) between.
// Unlike Fyne's split, its minimum size is small and fixed, so no content
// can make the window grow, and the sidebar does not stretch on a wide
// screen.
type splitLayout struct{}

func NewSplit(side, main fyne.CanvasObject) *fyne.Container {
	return container.New(splitLayout{}, side, main, widget.NewSeparator())
}

func SidebarWidthFor(total float32) float32 {
	if total >= 3*SidebarWidth {
		return SidebarWidth
	}
	return max(sidebarMinWidth, min(SidebarWidth, total*0.32))
}

func (splitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	side := SidebarWidthFor(size.Width)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(side, size.Height))
	objs[1].Move(fyne.NewPos(side+1, 0))
	objs[1].Resize(fyne.NewSize(size.Width-side-1, size.Height))
	objs[2].Move(fyne.NewPos(side, 0))
	objs[2].Resize(fyne.NewSize(1, size.Height))
}

// MinSize is fixed: the window never grows because of what it shows; long
// texts are cut or wrapped instead (see layout_test.go).
func (splitLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(MinWindowWidth, MinWindowHeight)
}

// PreviewLayout puts the results on the left and the preview on the right
// when there is room; in a narrow window the preview covers the results.
type PreviewLayout struct{}

func (l PreviewLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
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

func (l PreviewLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return objs[0].MinSize()
}
