package notion

import (
	"fmt"
	"log/slog"
)

// Secret is a token or client secret. It prints as "[redacted]" through fmt,
// slog and %#v, so an accidental log line or error string cannot leak it.
// JSON encoding keeps the real value: the vault needs it, and nothing else
// marshals a Secret.
type Secret string

const redacted = "[redacted]"

// Reveal returns the real value, for the one place that must send it.
func (s Secret) Reveal() string { return string(s) }

// String redacts.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString redacts %#v too.
func (s Secret) GoString() string { return s.String() }

// Format redacts every verb, %q and %x included.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue redacts in structured logs.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }
