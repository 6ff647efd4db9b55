// Package twemoji holds the Twemoji images (Twemoji 15.0 as SVG, from the
// npm package @twemoji/svg) that Pagedeck draws emoji icons with, so an icon
// looks the same whatever fonts the system has: a ZWJ sequence or a skin
// tone is one picture, never two glyphs or "�".
//
// Graphics: Twemoji by Twitter, Inc and other contributors, CC-BY 4.0
// (https://github.com/jdecked/twemoji). Packaging: @twemoji/svg, MIT.
package twemoji

import (
	"archive/zip"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
)

//go:generate sh -c "npm pack @twemoji/svg@15.0.0 && go run gen.go twemoji-svg-15.0.0.tgz && rm twemoji-svg-15.0.0.tgz"

// archive is the images, one SVG per emoji named by its code points.
//
//go:embed twemoji.zip
var archive []byte

var (
	openOnce sync.Once
	files    map[string]*zip.File
)

func index() map[string]*zip.File {
	openOnce.Do(func() {
		files = map[string]*zip.File{}
		r, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
		if err != nil {
			return // a broken build; every lookup misses and icons fall back
		}
		for _, f := range r.File {
			files[strings.TrimSuffix(f.Name, ".svg")] = f
		}
	})
	return files
}

// Count is the number of images.
func Count() int { return len(index()) }

// Lookup finds the image for an emoji: its name (the code points) and the
// SVG. An emoji newer than the set falls back to the closest older one: the
// sequence without variation selectors, the first person of a ZWJ group,
// the person without a skin tone, the first code point. ok is false for
// text that is no emoji at all.
func Lookup(emoji string) (name string, svg []byte, ok bool) {
	if emoji == "" || len(emoji) > 64 {
		return "", nil, false
	}
	idx := index()
	for _, cand := range candidates([]rune(emoji)) {
		f, found := idx[cand]
		if !found {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", nil, false
		}
		b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
		rc.Close()
		if err != nil {
			return "", nil, false
		}
		return cand, b, true
	}
	return "", nil, false
}

const (
	zwj  = 0x200d
	vs16 = 0xfe0f
)

func isSkinTone(r rune) bool { return r >= 0x1f3fb && r <= 0x1f3ff }

// candidates are the names to try, best first.
func candidates(rs []rune) []string {
	var out []string
	add := func(rs []rune) {
		if len(rs) == 0 {
			return
		}
		n := name(rs)
		for _, o := range out {
			if o == n {
				return
			}
		}
		out = append(out, n)
	}
	keep := func(rs []rune, drop func(rune) bool) []rune {
		var k []rune
		for _, r := range rs {
			if !drop(r) {
				k = append(k, r)
			}
		}
		return k
	}
	add(rs)
	bare := keep(rs, func(r rune) bool { return r == vs16 })
	add(bare)
	head := bare
	for i, r := range bare {
		if r == zwj {
			head = bare[:i]
			break
		}
	}
	add(head)
	add(keep(bare, isSkinTone))
	add(keep(head, isSkinTone))
	add(rs[:1])
	return out
}

func name(rs []rune) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%x", r)
	}
	return strings.Join(parts, "-")
}
