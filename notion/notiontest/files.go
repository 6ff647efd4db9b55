package notiontest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// filesPrefix is where the emulator serves the images behind "file" and
// "custom_emoji" icons, with signed, expiring URLs like Notion's S3 links.
const filesPrefix = "/files/"

// fileURL signs a URL for an icon image; a zero exp never expires.
func (s *Server) fileURL(kind, name string, exp time.Time) string {
	e := "0"
	if !exp.IsZero() {
		e = strconv.FormatInt(exp.Unix(), 10)
	}
	q := url.Values{}
	q.Set("expires", e)
	q.Set("signature", s.sign("file", kind, name, e))
	return s.base + filesPrefix + kind + "/" + url.PathEscape(name) + ".png?" + q.Encode()
}

func (s *Server) handleFile(w http.ResponseWriter, r *http.Request, _ *call) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, filesPrefix)
	kind, file, ok := strings.Cut(rest, "/")
	name, isPNG := strings.CutSuffix(file, ".png")
	if !ok || !isPNG || name == "" || (kind != "icon" && kind != "emoji") {
		s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	q := r.URL.Query()
	e := q.Get("expires")
	if !s.validSig(q.Get("signature"), "file", kind, name, e) {
		s3Error(w, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
		return
	}
	if e != "0" {
		exp, err := strconv.ParseInt(e, 10, 64)
		if err != nil || s.now().Unix() > exp {
			s3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired")
			return
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, iconImage(name)); err != nil {
		s3Error(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(buf.Bytes())
	}
}

// s3Error answers like the object store behind Notion's file URLs.
func s3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Error><Code>" + code +
		"</Code><Message>" + msg + "</Message></Error>"))
}

// iconImage draws a small, recognisable 64×64 icon: a rounded tile in a
// colour derived from the name with a white page on it.
func iconImage(name string) image.Image {
	const size = 64
	h := idHash(name)
	palette := []color.RGBA{
		{0x23, 0x83, 0xe2, 0xff}, {0x0f, 0x7b, 0x6c, 0xff}, {0xd9, 0x73, 0x0d, 0xff},
		{0x90, 0x65, 0xb0, 0xff}, {0xe0, 0x3e, 0x3e, 0xff}, {0xc1, 0x4c, 0x8a, 0xff},
	}
	bg := palette[h%uint64(len(palette))]
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	line := color.RGBA{bg.R / 2, bg.G / 2, bg.B / 2, 0xff}
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	const radius = 12
	for y := range size {
		for x := range size {
			if !inRoundedRect(x, y, 0, 0, size, size, radius) {
				continue
			}
			c := bg
			if x >= 18 && x < 46 && y >= 12 && y < 52 {
				c = white
				// Text lines on the page, shorter last line.
				if (y == 22 || y == 30 || y == 38) && x >= 23 && x < 41 || y == 44 && x >= 23 && x < 34 {
					c = line
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func inRoundedRect(x, y, x0, y0, x1, y1, r int) bool {
	cx := min(max(x, x0+r), x1-1-r)
	cy := min(max(y, y0+r), y1-1-r)
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r*r
}
