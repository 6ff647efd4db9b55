package app

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
)

// Explain puts an error in the plain words of a status line.
func Explain(err error) string {
	var ke *auth.KeychainError
	var ae *notion.APIError
	var pe *notion.PauseError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrNeedsReconnect):
		var re *ReconnectError
		if errors.As(err, &re) {
			return "Access to " + re.Workspace + " was revoked or has expired. Reconnect it."
		}
		return "Access was revoked or has expired. Reconnect the workspace."
	case errors.As(err, &ke):
		return "The keychain is unavailable: " + ke.Hint
	case errors.Is(err, store.ErrBusy):
		return err.Error()
	case errors.Is(err, context.Canceled):
		return "Cancelled."
	case errors.As(err, &pe):
		// It says how long and when to try again.
		return pe.Error() + "."
	case notion.IsRateLimited(err):
		return "Notion is rate limiting Pagedeck. Wait a minute, then refresh."
	case errors.As(err, &ae) && ae.Status >= 500:
		return "Notion had a problem (HTTP " + strconv.Itoa(ae.Status) + "). Your cached pages are unchanged; refresh later."
	case isNetwork(err):
		return "Cannot reach Notion. Check your connection, then refresh."
	case errors.Is(err, notion.ErrMalformedResponse), errors.Is(err, notion.ErrBodyTooLarge):
		return "Notion sent an answer Pagedeck could not read. Your cached pages are unchanged."
	}
	s := err.Error()
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

func isNetwork(err error) bool {
	var ne *notion.NetworkError
	return errors.As(err, &ne)
}
