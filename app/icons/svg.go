package icons

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fyne-io/oksvg"
	"github.com/srwiley/rasterx"
	"golang.org/x/net/html/charset"
)

// Limits on an SVG's structure, checked before it is parsed for drawing.
const (
	maxSVGElements = 10_000
	maxSVGDepth    = 64
	// maxUseCost bounds what <use> elements expand to: each copies a
	// definition, so uses × defined elements is what drawing costs.
	maxUseCost = 20_000
	// maxPathData bounds the drawing commands after parsing.
	maxPathData = 1 << 20
	// renderTimeout gives up on an SVG that takes too long to draw.
	renderTimeout = 3 * time.Second
)

// ErrTooComplex: an SVG whose drawing would cost too much.
var ErrTooComplex = errors.New("the SVG icon is too complex")

type viewBox struct{ x, y, w, h float64 }

// scanSVG reads the structure of an SVG without drawing it: the root's
// declared size and view box, and counts that bound what drawing costs.
func scanSVG(data []byte) (viewBox, error) {
	if len(data) > MaxSVGBytes {
		return viewBox{}, fmt.Errorf("%w: an SVG of %d bytes", ErrTooLarge, len(data))
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = charset.NewReaderLabel
	var (
		vb                        viewBox
		root                      bool
		depth, elements, defDepth int
		uses, defined             int
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return vb, fmt.Errorf("%w: %v", ErrNotImage, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			elements++
			if depth > maxSVGDepth || elements > maxSVGElements {
				return vb, fmt.Errorf("%w: too many or too deeply nested elements", ErrTooComplex)
			}
			if !root {
				if t.Name.Local != "svg" {
					return vb, fmt.Errorf("%w: the root element is <%s>", ErrNotImage, t.Name.Local)
				}
				root = true
				if vb, err = rootBox(t.Attr); err != nil {
					return vb, err
				}
			}
			switch {
			case t.Name.Local == "defs" && defDepth == 0:
				defDepth = depth
			case t.Name.Local == "use" && defDepth > 0:
				// A definition that uses another can nest, or loop,
				// without end when drawn.
				return vb, fmt.Errorf("%w: <use> inside <defs>", ErrTooComplex)
			case t.Name.Local == "use":
				uses++
			case defDepth > 0:
				defined++
			}
			if uses*max(defined, 1) > maxUseCost {
				return vb, fmt.Errorf("%w: its <use> elements copy too much", ErrTooComplex)
			}
		case xml.EndElement:
			if depth == defDepth {
				defDepth = 0
			}
			depth--
		}
	}
	if !root {
		return vb, ErrNotImage
	}
	return vb, nil
}

// rootBox is the view box the root <svg> declares, checked: width and
// height (when absolute) within the limits, a finite, positive view box.
func rootBox(attrs []xml.Attr) (viewBox, error) {
	var vb viewBox
	var w, h float64
	var hasBox bool
	for _, a := range attrs {
		switch a.Name.Local {
		case "width":
			w = length(a.Value)
		case "height":
			h = length(a.Value)
		case "viewBox":
			f := strings.FieldsFunc(a.Value, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
			if len(f) != 4 {
				return vb, fmt.Errorf("%w: viewBox %q", ErrNotImage, a.Value)
			}
			var n [4]float64
			for i, s := range f {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil || math.IsInf(v, 0) || math.IsNaN(v) || math.Abs(v) > 1e9 {
					return vb, fmt.Errorf("%w: viewBox %q", ErrNotImage, a.Value)
				}
				n[i] = v
			}
			vb, hasBox = viewBox{n[0], n[1], n[2], n[3]}, true
		}
	}
	if w > 0 || h > 0 {
		if err := checkSize(max(w, 1), max(h, 1)); err != nil {
			return vb, err
		}
	}
	if !hasBox {
		vb = viewBox{0, 0, w, h}
	}
	if !(vb.w > 0 && vb.h > 0) {
		return vb, fmt.Errorf("%w: it declares no size", ErrNotImage)
	}
	// A sliver renders as nothing: refuse a shape thinner than 1:256.
	if r := vb.w / vb.h; r > 256 || r < 1.0/256 {
		return vb, fmt.Errorf("%w: a %g×%g view box", ErrNotImage, vb.w, vb.h)
	}
	return vb, nil
}

// length is an absolute SVG length in pixels; 0 for a relative one (a
// percentage) or nonsense.
func length(s string) float64 {
	s = strings.TrimSpace(s)
	units := map[string]float64{"px": 1, "pt": 4.0 / 3, "pc": 16, "in": 96, "cm": 96 / 2.54, "mm": 96 / 25.4, "em": 16, "ex": 8}
	mul := 1.0
	for u, m := range units {
		if strings.HasSuffix(s, u) {
			s, mul = strings.TrimSuffix(s, u), m
			break
		}
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return 0
	}
	return v * mul
}

// rasterSVG draws an SVG at thumbnail size with the rasteriser Fyne uses.
func rasterSVG(data []byte) (image.Image, error) {
	vb, err := scanSVG(data)
	if err != nil {
		return nil, err
	}
	icon, err := oksvg.ReadIconStream(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	n := 0
	for i := range icon.SVGPaths {
		n += len(icon.SVGPaths[i].Path)
		// Dashes multiply the work by the path's length over the dash's:
		// a hairline dash on a long path never finishes. An icon drawn
		// with solid lines is close enough.
		icon.SVGPaths[i].Dash = nil
	}
	if n > maxPathData {
		return nil, fmt.Errorf("%w: %d drawing commands", ErrTooComplex, n)
	}
	// The root's box, checked; oksvg takes a nested <svg>'s, or none.
	icon.ViewBox.X, icon.ViewBox.Y, icon.ViewBox.W, icon.ViewBox.H = vb.x, vb.y, vb.w, vb.h
	s := ThumbSize / max(vb.w, vb.h)
	w, h := max(1, int(vb.w*s+0.5)), max(1, int(vb.h*s+0.5))
	icon.SetTarget(0, 0, float64(w), float64(h))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))

	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("%w: drawing failed (%v)", ErrNotImage, r)
			}
		}()
		scanner := rasterx.NewScannerGV(w, h, img, img.Bounds())
		icon.Draw(rasterx.NewDasher(w, h, scanner), 1)
		done <- nil
	}()
	t := time.NewTimer(renderTimeout)
	defer t.Stop()
	select {
	case err := <-done:
		if err != nil {
			return nil, err
		}
		return img, nil
	case <-t.C:
		// The drawing goes on in the background until it ends; the icon
		// is remembered as failed, so it is never started again.
		return nil, fmt.Errorf("%w: drawing it takes too long", ErrTooComplex)
	}
}
