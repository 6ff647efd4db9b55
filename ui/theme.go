package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// pagedeckTheme is Fyne's theme in Pagedeck's indigo.
type pagedeckTheme struct{ fyne.Theme }

var (
	indigo      = color.NRGBA{R: 0x5b, G: 0x5b, B: 0xd6, A: 0xff}
	indigoLight = color.NRGBA{R: 0x8c, G: 0x8c, B: 0xf0, A: 0xff}
)

func newTheme() fyne.Theme { return &pagedeckTheme{Theme: theme.DefaultTheme()} }

func (t *pagedeckTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		if v == theme.VariantDark {
			return indigoLight
		}
		return indigo
	case theme.ColorNameFocus:
		return color.NRGBA{R: 0x5b, G: 0x5b, B: 0xd6, A: 0x55}
	case theme.ColorNameSelection:
		return color.NRGBA{R: 0x5b, G: 0x5b, B: 0xd6, A: 0x33}
	}
	return t.Theme.Color(n, v)
}
