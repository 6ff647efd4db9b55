package icons

import (
	"runtime"
	"testing"
)

// FuzzThumbnail: any bytes become a thumbnail of at most ThumbSize pixels a
// side, or an error; never a panic, never a large allocation.
func FuzzThumbnail(f *testing.F) {
	f.Add(pngOf(f, 40, 20))
	f.Add(jpegOf(f, 16, 16))
	f.Add(gifOf(f, 8, 8))
	f.Add(readTestdata(f, "icon.webp"))
	f.Add(readTestdata(f, "icon-lossless.webp"))
	f.Add([]byte(okSVG))
	f.Add([]byte(hugeSVG))
	f.Add(bigPNG(f, 50000, 50000))
	f.Add([]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient><g id="a"><path d="M1 1 Q 5 20 20 1 T 3 3 A 5 5 0 1 1 9 9 Z" fill="url(#g)" stroke="blue" stroke-dasharray="1 2" transform="rotate(30) scale(2 1)"/></g></defs><use href="#a" x="2"/><polygon points="1,1 5,9 9,1"/><ellipse cx="5" cy="5" rx="3" ry="2"/></svg>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b, err := Thumbnail(data)
		runtime.ReadMemStats(&after)
		// The largest honest case: a MaxPixels image decoded (16 MiB of
		// RGBA), scaled, encoded; anything far past that is a bomb.
		if n := after.TotalAlloc - before.TotalAlloc; n > 96<<20 {
			t.Fatalf("%d MiB allocated for %d bytes of input", n>>20, len(data))
		}
		if err != nil {
			return
		}
		if !isThumbnail(b) {
			t.Fatalf("the result is not a thumbnail: %d bytes", len(b))
		}
	})
}
