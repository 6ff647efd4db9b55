package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// ColorNameSecondary is the grey of second lines (where a page lives, when
// it was edited). Fyne's own grey is the disabled colour, far too faint to
// read, so Pagedeck names its own and keeps it at 4.5:1 or better on every
// background a row can have (theme_test.go checks).
const ColorNameSecondary fyne.ThemeColorName = "pagedeck-secondary"

// pagedeckTheme is Pagedeck's palette over Fyne's default theme: an indigo
// accent, and every text colour readable (WCAG 2.x, 4.5:1) in both variants.
type pagedeckTheme struct{ fyne.Theme }

func NewTheme() fyne.Theme { return &pagedeckTheme{Theme: theme.DefaultTheme()} }

func RGB(v uint32) color.NRGBA {
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

func rgba(v uint32, a uint8) color.NRGBA {
	c := RGB(v)
	c.A = a
	return c
}

var palettes = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		theme.ColorNameBackground:          RGB(0xfafafb),
		theme.ColorNameForeground:          RGB(0x1b1b1f),
		ColorNameSecondary:                 RGB(0x55555f),
		theme.ColorNamePlaceHolder:         RGB(0x63636d),
		theme.ColorNameDisabled:            RGB(0x9a9aa3),
		theme.ColorNamePrimary:             RGB(0x4646c0),
		theme.ColorNameHyperlink:           RGB(0x4646c0),
		theme.ColorNameForegroundOnPrimary: RGB(0xffffff),
		theme.ColorNameFocus:               RGB(0x4646c0),
		theme.ColorNameSelection:           RGB(0xdfdff8),
		theme.ColorNameHover:               rgba(0x000000, 0x0d),
		theme.ColorNamePressed:             rgba(0x000000, 0x1a),
		theme.ColorNameButton:              RGB(0xebebf0),
		theme.ColorNameDisabledButton:      RGB(0xf1f1f4),
		theme.ColorNameInputBackground:     RGB(0xffffff),
		theme.ColorNameInputBorder:         RGB(0xb8b8c2),
		theme.ColorNameMenuBackground:      RGB(0xffffff),
		theme.ColorNameOverlayBackground:   RGB(0xffffff),
		theme.ColorNameHeaderBackground:    RGB(0xf0f0f3),
		theme.ColorNameSeparator:           RGB(0xe1e1e7),
		theme.ColorNameScrollBar:           rgba(0x000000, 0x66),
		theme.ColorNameShadow:              rgba(0x000000, 0x33),
		theme.ColorNameError:               RGB(0xb3261e),
		theme.ColorNameForegroundOnError:   RGB(0xffffff),
		theme.ColorNameWarning:             RGB(0x8a5a00),
		theme.ColorNameForegroundOnWarning: RGB(0xffffff),
		theme.ColorNameSuccess:             RGB(0x1b7a3a),
		theme.ColorNameForegroundOnSuccess: RGB(0xffffff),
	},
	theme.VariantDark: {
		theme.ColorNameBackground:          RGB(0x17171a),
		theme.ColorNameForeground:          RGB(0xededf0),
		ColorNameSecondary:                 RGB(0xa9a9b6),
		theme.ColorNamePlaceHolder:         RGB(0x9d9daa),
		theme.ColorNameDisabled:            RGB(0x5c5c66),
		theme.ColorNamePrimary:             RGB(0xa3a3f7),
		theme.ColorNameHyperlink:           RGB(0xa3a3f7),
		theme.ColorNameForegroundOnPrimary: RGB(0x17171a),
		theme.ColorNameFocus:               RGB(0xa3a3f7),
		theme.ColorNameSelection:           RGB(0x2c2c58),
		theme.ColorNameHover:               rgba(0xffffff, 0x10),
		theme.ColorNamePressed:             rgba(0xffffff, 0x1c),
		theme.ColorNameButton:              RGB(0x2a2a31),
		theme.ColorNameDisabledButton:      RGB(0x222227),
		theme.ColorNameInputBackground:     RGB(0x202024),
		theme.ColorNameInputBorder:         RGB(0x4a4a55),
		theme.ColorNameMenuBackground:      RGB(0x232328),
		theme.ColorNameOverlayBackground:   RGB(0x1e1e22),
		theme.ColorNameHeaderBackground:    RGB(0x1c1c20),
		theme.ColorNameSeparator:           RGB(0x2e2e36),
		theme.ColorNameScrollBar:           rgba(0xffffff, 0x66),
		theme.ColorNameShadow:              rgba(0x000000, 0x66),
		theme.ColorNameError:               RGB(0xff7b72),
		theme.ColorNameForegroundOnError:   RGB(0x17171a),
		theme.ColorNameWarning:             RGB(0xe3b341),
		theme.ColorNameForegroundOnWarning: RGB(0x17171a),
		theme.ColorNameSuccess:             RGB(0x56d364),
		theme.ColorNameForegroundOnSuccess: RGB(0x17171a),
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

// ThemeColor is a colour of the app's current theme and variant.
func ThemeColor(n fyne.ThemeColorName) color.Color {
	a := fyne.CurrentApp()
	return a.Settings().Theme().Color(n, a.Settings().ThemeVariant())
}

func WithAlpha(c color.Color, a uint8) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}
