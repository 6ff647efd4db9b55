package app

import (
	"fmt"
	"strings"
	"time"
)

// DisplayTitle is a title as Notion shows it: "Untitled" when empty.
func DisplayTitle(t string) string {
	if strings.TrimSpace(t) == "" {
		return "Untitled"
	}
	return t
}

// Ago is a duration in the past, the way a list shows it: "just now",
// "5 min ago", "3 h ago", "12 d ago", "4 mo ago", "2 y ago".
func Ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	case d < 60*24*time.Hour:
		return fmt.Sprintf("%d d ago", int(d/(24*time.Hour)))
	case d < 730*24*time.Hour:
		return fmt.Sprintf("%d mo ago", int(d/(30*24*time.Hour)))
	}
	return fmt.Sprintf("%d y ago", int(d/(365*24*time.Hour)))
}

// Thousands writes n with thousands separators: 1234 → "1,234".
func Thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
