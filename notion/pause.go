package notion

import (
	"fmt"
	"math"
	"time"
)

// Pause is a wait Notion asked for.
type Pause struct {
	Until time.Time
	// For is the Retry-After as Notion sent it.
	For time.Duration
	// Reason is the rate_limit_reason, or the error code without one.
	Reason string
}

// String says the pause in a person's words, e.g. "Notion asked Pagedeck
// to wait 2 min (this connection's per-minute budget)".
func (p Pause) String() string {
	s := "Notion asked Pagedeck to wait " + waitWords(p.For)
	if why := reasonWords(p.Reason); why != "" {
		s += " (" + why + ")"
	}
	return s
}

func waitWords(d time.Duration) string {
	switch secs := int(math.Ceil(d.Seconds())); {
	case secs < 90:
		return fmt.Sprintf("%d s", secs)
	case secs < 3600:
		return fmt.Sprintf("%d min", (secs+30)/60)
	default:
		return fmt.Sprintf("%.1f h", d.Hours())
	}
}

func reasonWords(r string) string {
	switch r {
	case "public_api_request_rate_limit":
		return "this connection's per-minute budget"
	case "public_api_space_request_rate_limit":
		return "the workspace's budget, shared by all its connections"
	case "service_overload":
		return "Notion is overloaded"
	case "rate_limited", "":
		return "its rate limit"
	}
	return r
}

// PauseError: a request cannot start before Notion's pause ends, and that
// is later than its context allows. It matches ErrRateLimited.
type PauseError struct{ Pause Pause }

func (e *PauseError) Error() string {
	return fmt.Sprintf("%s; try again after %s", e.Pause, e.Pause.Until.Local().Format("15:04:05"))
}

// Is matches ErrRateLimited.
func (e *PauseError) Is(target error) bool { return target == ErrRateLimited }
