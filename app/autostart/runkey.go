package autostart

import "strings"

// runCommand is the Run value: a command line as CreateProcess reads it.
// The program path is always quoted (a path with a space would otherwise
// run C:\Program); Windows paths cannot contain a quote.
func runCommand(e Entry) string {
	parts := []string{`"` + e.Exe + `"`}
	for _, a := range e.Args {
		parts = append(parts, windowsArg(a))
	}
	return strings.Join(parts, " ")
}

// windowsArg quotes an argument by the rules of CommandLineToArgvW:
// backslashes are literal unless they precede a quote; there they are
// doubled, and the quote takes one more.
func windowsArg(a string) string {
	if a != "" && !strings.ContainsAny(a, " \t\"") {
		return a
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for _, r := range a {
		switch r {
		case '\\':
			slashes++
		case '"':
			b.WriteString(strings.Repeat(`\`, slashes+1))
			slashes = 0
		default:
			slashes = 0
		}
		b.WriteRune(r)
	}
	// Backslashes before the closing quote are doubled too.
	b.WriteString(strings.Repeat(`\`, slashes))
	b.WriteByte('"')
	return b.String()
}
