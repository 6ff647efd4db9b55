package icons

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http/httptest"
	"net/netip"
	"os"
	"runtime"
	"testing"
)

// Images for the tests: real ones, and headers that lie about their size.
// testdata/*.webp come from golang.org/x/image's test data (BSD licence).

func pic(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	return img
}

func pngOf(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, pic(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegOf(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, pic(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gifOf(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, pic(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readTestdata(t testing.TB, name string) []byte {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bigPNG is a valid 1×1 PNG whose header claims w×h (checksum fixed up).
func bigPNG(t testing.TB, w, h uint32) []byte {
	b := pngOf(t, 1, 1)
	// signature (8), length (4), "IHDR" (4), width, height, …, crc
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// bigGIF claims a w×h screen and frame.
func bigGIF(t testing.TB, w, h uint16) []byte {
	b := gifOf(t, 2, 2)
	binary.LittleEndian.PutUint16(b[6:], w)
	binary.LittleEndian.PutUint16(b[8:], h)
	if i := bytes.IndexByte(b[13+3*256:], 0x2c); i >= 0 { // the image descriptor
		at := 13 + 3*256 + i
		binary.LittleEndian.PutUint16(b[at+5:], w)
		binary.LittleEndian.PutUint16(b[at+7:], h)
	}
	return b
}

// bigJPEG claims w×h in its frame header.
func bigJPEG(t testing.TB, w, h uint16) []byte {
	b := jpegOf(t, 8, 8)
	i := bytes.Index(b, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	binary.BigEndian.PutUint16(b[i+5:], h)
	binary.BigEndian.PutUint16(b[i+7:], w)
	return b
}

// bigWebP is a lossless WebP whose header claims 16384×16384.
func bigWebP(t testing.TB) []byte {
	b := bytes.Clone(readTestdata(t, "icon-lossless.webp"))
	i := bytes.Index(b, []byte("VP8L"))
	if i < 0 {
		t.Fatal("no VP8L chunk")
	}
	at := i + 9 // fourCC, chunk size, signature byte
	v := binary.LittleEndian.Uint32(b[at:])
	binary.LittleEndian.PutUint32(b[at:], v|0x0FFFFFFF)
	return b
}

// hugeSVG is the 126-byte SVG that took the window down.
const hugeSVG = `<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"><rect width="100000" height="100000" fill="red"/></svg>`

const okSVG = `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24px" height="24px"><circle cx="12" cy="12" r="10" fill="#e33" stroke="#000" stroke-width="2"/></svg>`

// allocated runs fn and reports the bytes it allocated.
func allocated(fn func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// thumbSize decodes a thumbnail's size, failing unless it is a PNG.
func thumbSize(t testing.TB, b []byte) (int, int) {
	t.Helper()
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return cfg.Width, cfg.Height
}

// trusting are Options that trust srv's certificate; public also treats
// every address as on the internet, for a TLS server that plays one.
func trusting(srv *httptest.Server, public bool) Options {
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	o := Options{tlsConfig: &tls.Config{RootCAs: pool}}
	if public {
		o.publicIP = func(netip.Addr) bool { return true }
	}
	return o
}
