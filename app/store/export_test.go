package store

import "testing"

// For the content layer's tests through the real binary (package
// store_test, which may import content): the same sample and binary.
var (
	PagedeckBinary = pagedeckBinary
	RunPagedeck    = runPagedeck
)

// BuildSample is buildSample without the layout.
func BuildSample(t testing.TB, dir string) *Store {
	s, _ := buildSample(t, dir)
	return s
}
