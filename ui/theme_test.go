package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// luminance is WCAG 2.x relative luminance of an opaque colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// over paints top (which may be translucent) over an opaque bottom.
func over(top, bottom color.Color) color.Color {
	t := color.NRGBAModel.Convert(top).(color.NRGBA)
	b := color.NRGBAModel.Convert(bottom).(color.NRGBA)
	a := float64(t.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(t.R, b.R), G: mix(t.G, b.G), B: mix(t.B, b.B), A: 0xff}
}

// TestContrast checks every text against every background it is drawn on,
// in both variants, including selected and hovered rows, at WCAG AA (4.5:1).
func TestContrast(t *testing.T) {
	th := widgets.NewTheme()
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
		bg := c(theme.ColorNameBackground)
		hover := over(c(theme.ColorNameHover), bg)
		selected := over(c(theme.ColorNameSelection), bg)
		input := c(theme.ColorNameInputBackground)
		button := over(c(theme.ColorNameButton), bg)
		banner := over(widgets.WithAlpha(c(theme.ColorNameWarning), bannerAlpha), bg)
		surfaces := map[string]color.Color{
			"background": bg, "hovered row": hover, "selected row": selected,
			"selected and hovered row": over(c(theme.ColorNameHover), selected),
			"menu":                     c(theme.ColorNameMenuBackground),
			"hovered menu item":        over(c(theme.ColorNameHover), c(theme.ColorNameMenuBackground)),
			"dialog":                   c(theme.ColorNameOverlayBackground),
			"button":                   button, "hovered button": over(c(theme.ColorNameHover), button),
			"input": input, "warning banner": banner,
		}
		texts := map[string]fyne.ThemeColorName{
			"text": theme.ColorNameForeground, "second line": widgets.ColorNameSecondary,
			"badge and link": theme.ColorNamePrimary, "error": theme.ColorNameError,
		}
		for tn, tc := range texts {
			for sn, s := range surfaces {
				if tn == "error" && sn != "dialog" && sn != "background" {
					continue // errors show only in dialogs and the status line
				}
				if r := contrast(c(tc), s); r < 4.5 {
					t.Errorf("%s: %s on %s is %.2f:1, want 4.5:1", variantName(v), tn, sn, r)
				}
			}
		}
		pairs := []struct {
			name   string
			fg, bg color.Color
		}{
			{"placeholder on input", c(theme.ColorNamePlaceHolder), input},
			{"text on input", c(theme.ColorNameForeground), input},
			{"primary button text", c(theme.ColorNameForegroundOnPrimary), c(theme.ColorNamePrimary)},
			{"danger button text", c(theme.ColorNameForegroundOnError), c(theme.ColorNameError)},
			{"success mark", c(theme.ColorNameSuccess), bg},
			{"warning mark", c(theme.ColorNameWarning), bg},
		}
		for _, p := range pairs {
			min := 4.5
			if p.name == "success mark" || p.name == "warning mark" {
				min = 3 // icons: WCAG's non-text contrast
			}
			if r := contrast(p.fg, p.bg); r < min {
				t.Errorf("%s: %s is %.2f:1, want %.1f:1", variantName(v), p.name, r, min)
			}
		}
		// The focus ring must stand out from what it surrounds (non-text, 3:1).
		for sn, s := range map[string]color.Color{"background": bg, "selected row": selected, "input": input} {
			if r := contrast(c(theme.ColorNameFocus), s); r < 3 {
				t.Errorf("%s: the focus ring on %s is %.2f:1, want 3:1", variantName(v), sn, r)
			}
		}
	}
}

func variantName(v fyne.ThemeVariant) string {
	if v == theme.VariantDark {
		return "dark"
	}
	return "light"
}

// The test's own arithmetic, against WCAG's published figures.
func TestContrastFormula(t *testing.T) {
	if r := contrast(color.White, color.Black); math.Abs(r-21) > 0.01 {
		t.Errorf("white on black = %.2f", r)
	}
	if r := contrast(widgets.RGB(0x767676), color.White); math.Abs(r-4.54) > 0.01 {
		t.Errorf("#767676 on white = %.2f, WCAG says 4.54", r)
	}
}
