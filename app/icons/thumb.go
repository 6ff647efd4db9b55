package icons

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders for image.Decode
	_ "image/jpeg"
	"image/png"
	"strings"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// Limits on what an icon may be. Notion's icons are a few kilobytes and a
// few hundred pixels; anything far bigger is a mistake or an attack.
const (
	// MaxBytes caps one download.
	MaxBytes = 2 << 20
	// MaxSVGBytes caps an SVG, whose cost is in its parsing.
	MaxSVGBytes = 512 << 10
	// MaxSide caps the width and the height an image declares.
	MaxSide = 4096
	// MaxPixels caps width × height (16 MB of RGBA).
	MaxPixels = 2048 * 2048
	// ThumbSize is the largest side of a thumbnail.
	ThumbSize = 128
)

// Errors of the icon pipeline.
var (
	// ErrNotImage: the data is not a PNG, JPEG, GIF, WebP or SVG image.
	ErrNotImage = errors.New("not an image")
	// ErrTooLarge: the download, or the size the image declares, is over
	// the limits.
	ErrTooLarge = errors.New("the icon is too large")
)

// Format tells what kind of image data is: "png", "jpeg", "gif", "webp" or
// "svg"; anything else is ErrNotImage. It reads only the header.
func Format(data []byte) (string, error) {
	if _, f, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		return f, nil
	}
	if looksLikeSVG(data) {
		return "svg", nil
	}
	return "", ErrNotImage
}

func looksLikeSVG(data []byte) bool {
	head := strings.ToLower(string(data[:min(len(data), 1024)]))
	return strings.Contains(head, "<svg")
}

// Thumbnail turns icon data into a PNG at most ThumbSize pixels a side.
// The sizes an image declares are checked before anything is decoded, so
// a small file that claims 50000×50000 pixels costs nothing; an SVG is
// rasterised straight at thumbnail size. It never panics.
func Thumbnail(data []byte) (out []byte, err error) {
	defer func() {
		// The decoders and the rasteriser are not ours: whatever they
		// trip over is a bad icon, not a crash.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: the decoder failed (%v)", ErrNotImage, r)
		}
	}()
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes", ErrTooLarge, len(data))
	}
	var img image.Image
	if cfg, _, cerr := image.DecodeConfig(bytes.NewReader(data)); cerr == nil {
		if err := checkSize(float64(cfg.Width), float64(cfg.Height)); err != nil {
			return nil, err
		}
		src, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotImage, err)
		}
		if b := src.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
			return nil, fmt.Errorf("%w: the image is not the size its header says", ErrNotImage)
		}
		img = scale(src)
	} else if looksLikeSVG(data) {
		if img, err = rasterSVG(data); err != nil {
			return nil, err
		}
	} else {
		return nil, ErrNotImage
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func checkSize(w, h float64) error {
	switch {
	case !(w > 0 && h > 0): // also NaN
		return fmt.Errorf("%w: it declares no size", ErrNotImage)
	case w > MaxSide || h > MaxSide || w*h > MaxPixels:
		return fmt.Errorf("%w: it declares %.0f×%.0f pixels", ErrTooLarge, w, h)
	}
	return nil
}

// fit is the thumbnail size for a w×h image: the same shape, at most
// ThumbSize a side, at least one pixel.
func fit(w, h float64) (int, int) {
	s := min(1, ThumbSize/max(w, h))
	return max(1, int(w*s+0.5)), max(1, int(h*s+0.5))
}

// scale shrinks a decoded image to thumbnail size (a smaller one is kept).
func scale(src image.Image) image.Image {
	b := src.Bounds()
	w, h := fit(float64(b.Dx()), float64(b.Dy()))
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	return dst
}
