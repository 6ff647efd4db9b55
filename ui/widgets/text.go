package widgets

// Text helpers for what the views print.

// Ellipsize shortens s to at most n characters, ending in "…" when Ellipsize.
func Ellipsize(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
