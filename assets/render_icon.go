//go:build ignore

// render_icon rasterizes icon.svg into icon.png (512 px) with the same SVG
// renderer Fyne uses, so the PNG matches what the app draws.
// Run it with: go generate ./assets
package main

import (
	"image"
	"image/png"
	"log"
	"os"

	"github.com/fyne-io/oksvg"
	"github.com/srwiley/rasterx"
)

func main() {
	const size = 512
	in, err := os.Open("icon.svg")
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()
	icon, err := oksvg.ReadIconStream(in)
	if err != nil {
		log.Fatal(err)
	}
	icon.SetTarget(0, 0, size, size)
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	scanner := rasterx.NewScannerGV(size, size, img, img.Bounds())
	icon.Draw(rasterx.NewDasher(size, size, scanner), 1)
	out, err := os.Create("icon.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(out, img); err != nil {
		log.Fatal(err)
	}
	if err := out.Close(); err != nil {
		log.Fatal(err)
	}
}
