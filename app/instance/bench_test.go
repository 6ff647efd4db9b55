package instance

import "testing"

// BenchmarkSendQuick: `pagedeck quick`'s request to a running window, from
// dial to "ok" (the window's callback only records it).
func BenchmarkSendQuick(b *testing.B) {
	dir := b.TempDir()
	var rec recorder
	p, err := AcquireWith(dir, Options{OnQuick: func() {}, OnShow: rec.on("show")})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Release()
	for b.Loop() {
		if err := Send(b.Context(), dir, Quick); err != nil {
			b.Fatal(err)
		}
	}
}
