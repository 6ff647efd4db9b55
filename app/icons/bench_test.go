package icons

import "testing"

// BenchmarkThumbnail turns a 512×512 PNG, a 1024×768 JPEG and a small SVG
// icon into thumbnails: the work per icon the first time it is seen.
func BenchmarkThumbnail(b *testing.B) {
	for name, data := range map[string][]byte{
		"png512":   pngOf(b, 512, 512),
		"jpeg1024": jpegOf(b, 1024, 768),
		"svg":      []byte(okSVG),
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Thumbnail(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
