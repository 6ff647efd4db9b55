package icons

import (
	"errors"
	"strings"
	"testing"
)

// TestThumbnails: each format becomes a PNG of at most 128 pixels a side,
// in the image's shape; small images keep their size.
func TestThumbnails(t *testing.T) {
	for name, c := range map[string]struct {
		data []byte
		w, h int
	}{
		"png":         {pngOf(t, 512, 256), 128, 64},
		"small png":   {pngOf(t, 20, 30), 20, 30},
		"jpeg":        {jpegOf(t, 300, 300), 128, 128},
		"gif":         {gifOf(t, 64, 256), 32, 128},
		"webp":        {readTestdata(t, "icon.webp"), 128, 0},
		"svg":         {[]byte(okSVG), 128, 128},
		"wide svg":    {[]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"><rect width="40" height="10"/></svg>`), 128, 32},
		"svg in mm":   {[]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10mm" height="5mm"><rect width="10" height="5"/></svg>`), 128, 64},
		"svg, dashes": {[]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0 L24 24" stroke="#000" stroke-dasharray="2 1"/></svg>`), 128, 128},
	} {
		b, err := Thumbnail(c.data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		w, h := thumbSize(t, b)
		if w != c.w || (c.h != 0 && h != c.h) || h > ThumbSize {
			t.Errorf("%s: %d×%d, want %d×%d", name, w, h, c.w, c.h)
		}
	}
}

// TestHostileImages: files that declare huge sizes are refused from their
// header, before anything is decoded, at the cost of a few kilobytes.
func TestHostileImages(t *testing.T) {
	for name, data := range map[string][]byte{
		"126-byte SVG of 100000×100000": []byte(hugeSVG),
		"PNG of 50000×50000":            bigPNG(t, 50000, 50000),
		"PNG of 4096×4096":              bigPNG(t, 4096, 4096),
		"PNG of 1×2^31":                 bigPNG(t, 1, 1<<31-1),
		"GIF of 65535×65535":            bigGIF(t, 65535, 65535),
		"JPEG of 65000×65000":           bigJPEG(t, 65000, 65000),
		"WebP of 16384×16384":           bigWebP(t),
		"SVG of 5000in":                 []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="5000in" height="1in"/>`),
	} {
		var err error
		if n := allocated(func() { _, err = Thumbnail(data) }); n > 4<<20 {
			t.Errorf("%s: %d bytes allocated", name, n)
		}
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestHostileSVGs: SVGs built to make drawing loop, explode or hang are
// refused or drawn within bounds.
func TestHostileSVGs(t *testing.T) {
	const head = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 24 24">`
	many := head + `<defs><g id="a">` + strings.Repeat(`<rect width="1" height="1"/>`, 200) + `</g></defs>` + strings.Repeat(`<use href="#a"/>`, 200) + `</svg>`
	for name, c := range map[string]struct {
		svg  string
		want error
	}{
		"use that uses itself": {head + `<defs><g id="a"><use href="#a"/></g></defs><use href="#a"/></svg>`, ErrTooComplex},
		"uses that multiply":   {many, ErrTooComplex},
		"deep nesting":         {head + strings.Repeat("<g>", 100) + strings.Repeat("</g>", 100) + `</svg>`, ErrTooComplex},
		"no size":              {`<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>`, ErrNotImage},
		"zero view box":        {`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 0 0"/>`, ErrNotImage},
		"NaN view box":         {`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 NaN 1"/>`, ErrNotImage},
		"sliver":               {`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100000 1"/>`, ErrNotImage},
		"not svg at the root":  {`<html><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/></html>`, ErrNotImage},
		"broken XML":           {head + `<rect`, ErrNotImage},
		"hairline dashes":      {head + strings.Repeat(`<path d="M0 0 L 1e6 0" stroke="#000" stroke-dasharray="0.02"/>`, 10) + `</svg>`, nil},
		"huge stroke":          {head + `<path d="M0 0 C 1e7 1e7 -1e7 1e7 24 24" stroke="#000" stroke-width="1e9"/></svg>`, nil},
		"nested svg, big box":  {head + `<svg viewBox="0 0 1e9 1e9" width="1e9" height="1e9"><rect width="1e9" height="1e9"/></svg></svg>`, nil},
		"entity in a DTD":      {`<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>` + head + `<text>&a;</text></svg>`, ErrNotImage},
		"over 512 KiB":         {head + strings.Repeat(" ", MaxSVGBytes) + `</svg>`, ErrTooLarge},
	} {
		b, err := Thumbnail([]byte(c.svg))
		switch {
		case c.want == nil && err != nil:
			t.Errorf("%s: %v", name, err)
		case c.want == nil:
			thumbSize(t, b)
		case !errors.Is(err, c.want):
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
}
