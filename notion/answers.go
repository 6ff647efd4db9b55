package notion

// Reading Notion's answers: capped bodies, error objects, Retry-After.

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func readCapped(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return b[:max], ErrBodyTooLarge
	}
	return b, nil
}

// parseError reads both error shapes; anything else (a proxy's HTML page)
// becomes a bare status.
func parseError(resp *http.Response, body []byte) *APIError {
	ae := &APIError{Status: resp.StatusCode, RequestID: resp.Header.Get("x-request-id")}
	var w struct {
		Object           string `json:"object"`
		Code             string `json:"code"`
		Message          string `json:"message"`
		RequestID        string `json:"request_id"`
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
		AdditionalData   struct {
			RateLimitReason string `json:"rate_limit_reason"`
		} `json:"additional_data"`
	}
	if json.Unmarshal(body, &w) == nil {
		switch {
		case w.Code != "":
			ae.Code, ae.Message = w.Code, w.Message
		case w.Error != "":
			ae.Code, ae.Message = w.Error, w.ErrorDescription
		}
		if w.RequestID != "" {
			ae.RequestID = w.RequestID
		}
		ae.RateLimitReason = w.AdditionalData.RateLimitReason
	}
	if len(ae.Message) > 500 {
		ae.Message = ae.Message[:500] + "…"
	}
	ae.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return ae
}

// parseRetryAfter accepts delta-seconds and HTTP dates (RFC 9110).
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n < 0 {
			return 0
		}
		// Far beyond any cap we wait out; bounded so the conversion cannot overflow.
		return time.Duration(min(n, 1e6) * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
