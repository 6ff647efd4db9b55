package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// colorNameSecondary is the grey of second lines (where a page lives, when
// it was edited). Fyne's own grey is the disabled colour, far too faint to
// read, so Pagedeck names its own and keeps it at 4.5:1 or better on every
// background a row can have (theme_test.go checks).
const colorNameSecondary fyne.ThemeColorName = "pagedeck-secondary"

// pagedeckTheme is Pagedeck's palette over Fyne's default theme: an indigo
// accent, and every text colour readable (WCAG 2.x, 4.5:1) in both variants.
type pagedeckTheme struct{ fyne.Theme }

func newTheme() fyne.Theme { return &pagedeckTheme{Theme: theme.DefaultTheme()} }

func rgb(v uint32) color.NRGBA {
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

func rgba(v uint32, a uint8) color.NRGBA {
	c := rgb(v)
	c.A = a
	return c
}

var palettes = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		theme.ColorNameBackground:          rgb(0xfafafb),
		theme.ColorNameForeground:          rgb(0x1b1b1f),
		colorNameSecondary:                 rgb(0x55555f),
		theme.ColorNamePlaceHolder:         rgb(0x63636d),
		theme.ColorNameDisabled:            rgb(0x9a9aa3),
		theme.ColorNamePrimary:             rgb(0x4646c0),
		theme.ColorNameHyperlink:           rgb(0x4646c0),
		theme.ColorNameForegroundOnPrimary: rgb(0xffffff),
		theme.ColorNameFocus:               rgb(0x4646c0),
		theme.ColorNameSelection:           rgb(0xdfdff8),
		theme.ColorNameHover:               rgba(0x000000, 0x0d),
		theme.ColorNamePressed:             rgba(0x000000, 0x1a),
		theme.ColorNameButton:              rgb(0xebebf0),
		theme.ColorNameDisabledButton:      rgb(0xf1f1f4),
		theme.ColorNameInputBackground:     rgb(0xffffff),
		theme.ColorNameInputBorder:         rgb(0xb8b8c2),
		theme.ColorNameMenuBackground:      rgb(0xffffff),
		theme.ColorNameOverlayBackground:   rgb(0xffffff),
		theme.ColorNameHeaderBackground:    rgb(0xf0f0f3),
		theme.ColorNameSeparator:           rgb(0xe1e1e7),
		theme.ColorNameScrollBar:           rgba(0x000000, 0x66),
		theme.ColorNameShadow:              rgba(0x000000, 0x33),
		theme.ColorNameError:               rgb(0xb3261e),
		theme.ColorNameForegroundOnError:   rgb(0xffffff),
		theme.ColorNameWarning:             rgb(0x8a5a00),
		theme.ColorNameForegroundOnWarning: rgb(0xffffff),
		theme.ColorNameSuccess:             rgb(0x1b7a3a),
		theme.ColorNameForegroundOnSuccess: rgb(0xffffff),
	},
	theme.VariantDark: {
		theme.ColorNameBackground:          rgb(0x17171a),
		theme.ColorNameForeground:          rgb(0xededf0),
		colorNameSecondary:                 rgb(0xa9a9b6),
		theme.ColorNamePlaceHolder:         rgb(0x9d9daa),
		theme.ColorNameDisabled:            rgb(0x5c5c66),
		theme.ColorNamePrimary:             rgb(0xa3a3f7),
		theme.ColorNameHyperlink:           rgb(0xa3a3f7),
		theme.ColorNameForegroundOnPrimary: rgb(0x17171a),
		theme.ColorNameFocus:               rgb(0xa3a3f7),
		theme.ColorNameSelection:           rgb(0x2c2c58),
		theme.ColorNameHover:               rgba(0xffffff, 0x10),
		theme.ColorNamePressed:             rgba(0xffffff, 0x1c),
		theme.ColorNameButton:              rgb(0x2a2a31),
		theme.ColorNameDisabledButton:      rgb(0x222227),
		theme.ColorNameInputBackground:     rgb(0x202024),
		theme.ColorNameInputBorder:         rgb(0x4a4a55),
		theme.ColorNameMenuBackground:      rgb(0x232328),
		theme.ColorNameOverlayBackground:   rgb(0x1e1e22),
		theme.ColorNameHeaderBackground:    rgb(0x1c1c20),
		theme.ColorNameSeparator:           rgb(0x2e2e36),
		theme.ColorNameScrollBar:           rgba(0xffffff, 0x66),
		theme.ColorNameShadow:              rgba(0x000000, 0x66),
		theme.ColorNameError:               rgb(0xff7b72),
		theme.ColorNameForegroundOnError:   rgb(0x17171a),
		theme.ColorNameWarning:             rgb(0xe3b341),
		theme.ColorNameForegroundOnWarning: rgb(0x17171a),
		theme.ColorNameSuccess:             rgb(0x56d364),
		theme.ColorNameForegroundOnSuccess: rgb(0x17171a),
	},
}

func (t *pagedeckTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if v != theme.VariantDark {
		v = theme.VariantLight
	}
	if c, ok := palettes[v][n]; ok {
		return c
	}
	return t.Theme.Color(n, v)
}

// themeColor is a colour of the app's current theme and variant.
func themeColor(n fyne.ThemeColorName) color.Color {
	a := fyne.CurrentApp()
	return a.Settings().Theme().Color(n, a.Settings().ThemeVariant())
}

func withAlpha(c color.Color, a uint8) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}
