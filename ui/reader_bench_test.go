package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/view"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// BenchmarkPreview compares what a preview costs: the reader's document
// and layout (off the UI thread) for a 5 MB one-line page and a page of
// 100,000 blocks, against the old path, RichText.ParseMarkdown on the UI
// thread, for a paragraph of only 20 KB.
func BenchmarkPreview(b *testing.B) {
	test.NewTempApp(b).Settings().SetTheme(widgets.NewTheme())
	m := newMetrics()
	for _, c := range []struct{ name, md string }{
		{"reader-5MB-line", strings.Repeat("wall of text ", 5<<20/13)},
		{"reader-100k-blocks", manyBlocks(100_000)},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := view.Wrap(context.Background(), app.NewDoc(c.md), 400, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("old-richtext-20KB-paragraph", func(b *testing.B) {
		md := strings.Repeat("wall of text ", 20<<10/13)
		for b.Loop() {
			rt := widget.NewRichText()
			rt.Wrapping = fyne.TextWrapWord
			w := test.NewWindow(rt)
			w.Resize(fyne.NewSize(400, 600))
			rt.ParseMarkdown(md)
			w.Close()
		}
	})
}
