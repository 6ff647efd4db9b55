package notion

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Sentinel errors callers test with errors.Is. An *APIError matches the one
// that fits its status and code.
var (
	// ErrUnauthorized: the token is invalid, revoked or expired (HTTP 401).
	// Refreshing is the caller's job.
	ErrUnauthorized = errors.New("notion: unauthorized")
	// ErrInvalidGrant: a code or refresh token was refused at the token endpoint.
	ErrInvalidGrant = errors.New("notion: invalid grant")
	// ErrInvalidClient: the token endpoint refused our client id and secret;
	// the connection's settings are wrong, not the user's token.
	ErrInvalidClient = errors.New("notion: invalid client id or secret")
	// ErrRateLimited: Notion asked us to slow down (429 or 529) and the wait was
	// longer than we are willing to block, or retries ran out.
	ErrRateLimited = errors.New("notion: rate limited")
	// ErrNotFound: the object does not exist or is not shared with the connection.
	ErrNotFound = errors.New("notion: not found")
	// ErrBodyTooLarge: a response was bigger than MaxResponseBytes.
	ErrBodyTooLarge = errors.New("notion: response too large")
	// ErrMalformedResponse: a 2xx answer that is not the JSON we expect.
	ErrMalformedResponse = errors.New("notion: malformed response")
)

// APIError is an error answer from Notion, in either of its shapes: Notion's
// error object or RFC 6749's {error, error_description}.
type APIError struct {
	Status    int    // HTTP status
	Code      string // e.g. "unauthorized", "rate_limited", "invalid_grant"
	Message   string // Notion's words, with any secret of the request removed
	RequestID string
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
	// RateLimitReason is additional_data.rate_limit_reason of a 429 or 529,
	// when Notion says which budget ran out.
	RateLimitReason string
}

func (e *APIError) Error() string {
	code := e.Code
	if code == "" {
		code = http.StatusText(e.Status)
	}
	msg := fmt.Sprintf("notion: %s (HTTP %d)", code, e.Status)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	if e.RequestID != "" {
		msg += " [request " + e.RequestID + "]"
	}
	return msg
}

// Is maps the error onto the sentinels.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized && e.Code != "invalid_client"
	case ErrInvalidClient:
		return e.Code == "invalid_client"
	case ErrInvalidGrant:
		return e.Code == "invalid_grant"
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests || e.Status == 529
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	}
	return false
}

// transient reports whether the status is worth retrying for a read.
func (e *APIError) transient() bool {
	switch e.Status {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// NetworkError wraps a failure to reach Notion at all (DNS, refused, reset,
// timeout of one attempt).
type NetworkError struct{ Err error }

func (e *NetworkError) Error() string { return "notion: cannot reach Notion: " + e.Err.Error() }
func (e *NetworkError) Unwrap() error { return e.Err }

// IsUnauthorized reports a 401: the token is no longer valid.
func IsUnauthorized(err error) bool { return errors.Is(err, ErrUnauthorized) }

// IsRateLimited reports a 429 or 529.
func IsRateLimited(err error) bool { return errors.Is(err, ErrRateLimited) }

// IsNotFound reports a 404.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsTransient reports an error that may go away by itself: a 5xx, a rate
// limit, or a network failure. Trying again later is reasonable.
func IsTransient(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.transient() || IsRateLimited(ae)
	}
	var ne *NetworkError
	return errors.As(err, &ne)
}
