//go:build ignore

// gen.go turns the npm package @twemoji/svg into twemoji.zip, the emoji
// images Pagedeck draws icons with:
//
//	npm pack @twemoji/svg@15.0.0 && go run gen.go twemoji-svg-15.0.0.tgz
//
// `make twemoji` runs both. Only the SVG files go in, sorted, deflated, with
// a fixed time, so the same package always gives the same zip.
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run gen.go twemoji-svg-VERSION.tgz")
		os.Exit(2)
	}
	if err := run(os.Args[1], "twemoji.zip"); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(tgz, out string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		name := path.Base(h.Name)
		if h.Typeflag != tar.TypeReg || !strings.HasSuffix(name, ".svg") {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, 1<<20))
		if err != nil {
			return err
		}
		files[name] = b
	}
	if len(files) < 1000 {
		return fmt.Errorf("%s holds only %d SVG files; is it @twemoji/svg?", tgz, len(files))
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(o)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	stamp := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		if _, err := w.Write(files[n]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	fmt.Printf("twemoji.zip: %d images\n", len(names))
	return o.Close()
}
