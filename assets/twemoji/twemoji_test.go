package twemoji

import (
	"bytes"
	"testing"
)

func TestLookup(t *testing.T) {
	if n := Count(); n < 3500 {
		t.Fatalf("only %d images embedded", n)
	}
	cases := []struct{ emoji, want string }{
		{"🚀", "1f680"},
		{"👩🏽‍💻", "1f469-1f3fd-200d-1f4bb"}, // ZWJ with a skin tone: one picture
		{"❤️‍🔥", "2764-fe0f-200d-1f525"},   // ZWJ that keeps its variation selector
		{"❤️", "2764"},                     // VS16 dropped when alone
		{"#️⃣", "23-20e3"},                 // keycap
		{"🇫🇷", "1f1eb-1f1f7"},              // flag
		{"🏴󠁧󠁢󠁳󠁣󠁴󠁿", "1f3f4-e0067-e0062-e0073-e0063-e0074-e007f"}, // tag sequence
		{"👍🏿", "1f44d-1f3ff"},
		// Newer than the set (Unicode 15.1 and 16.0): the closest older one.
		{"🙂‍↔️", "1f642"},           // head shaking horizontally → slightly smiling face
		{"🧑🏽‍🧑🏻‍🧒🏿", "1f9d1-1f3fd"}, // family with skin tones → first person
	}
	for _, c := range cases {
		name, svg, ok := Lookup(c.emoji)
		if !ok || name != c.want || !bytes.Contains(svg, []byte("<svg")) {
			t.Errorf("Lookup(%q) = %q, %d bytes, %v; want %q", c.emoji, name, len(svg), ok, c.want)
		}
	}
	for _, s := range []string{"", "A", "Acme", "\x00", string(make([]byte, 100))} {
		if _, _, ok := Lookup(s); ok {
			t.Errorf("Lookup(%q) found an image", s)
		}
	}
}
