package widgets

import "testing"

// A long path loses titles from its middle, never its last.
func TestLongPathsAreCutInTheMiddle(t *testing.T) {
	measure := func(s string) float32 { return float32(len([]rune(s))) }
	path := []string{"Acme Corp", "Engineering", "Platform team", "Quarterly planning", "Roadmaps"}
	cases := []struct {
		room float32
		want string
	}{
		{200, "Acme Corp › Engineering › Platform team › Quarterly planning › Roadmaps"},
		{50, "Acme Corp › … › Quarterly planning › Roadmaps"},
		{30, "Acme Corp › … › Roadmaps"},
		{5, "Acme Corp › … › Roadmaps"},
	}
	for _, c := range cases {
		if got := FitPath(path, false, c.room, measure); got != c.want {
			t.Errorf("room %v: %q, want %q", c.room, got, c.want)
		}
	}
	if got := FitPath([]string{"Roadmaps"}, true, 5, measure); got != "… › Roadmaps" {
		t.Errorf("cut path: %q", got)
	}
}
