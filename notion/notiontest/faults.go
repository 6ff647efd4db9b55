package notiontest

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault is a failure the emulator can inject.
type Fault int

// The injectable failures.
const (
	// FaultRateLimit answers 429 rate_limited with Retry-After.
	FaultRateLimit Fault = iota + 1
	// FaultOverload answers 529 service_overload with Retry-After.
	FaultOverload
	// FaultServerError answers 500 internal_server_error.
	FaultServerError
	// FaultBadGateway answers 502 with an HTML body, as a proxy would.
	FaultBadGateway
	// FaultUnavailable answers 503 service_unavailable.
	FaultUnavailable
	// FaultGatewayTimeout answers 504 gateway_timeout.
	FaultGatewayTimeout
	// FaultMalformedJSON answers 200 with a truncated JSON body.
	FaultMalformedJSON
	// FaultSlow holds the request for Options.SlowDelay (or until the client
	// gives up), then serves it normally.
	FaultSlow
	// FaultHugeBody answers 200 with an 11 MiB body.
	FaultHugeBody
	// FaultIncomplete serves a search page with every other result missing
	// and request_status "incomplete", as Notion does when its index cannot
	// answer in full.
	FaultIncomplete
	// FaultLostAnswer serves the request (a write happens) and then drops
	// the connection without an answer, as a network cut after sending does.
	FaultLostAnswer
)

func (f Fault) String() string {
	names := []string{"", "FaultRateLimit", "FaultOverload", "FaultServerError", "FaultBadGateway",
		"FaultUnavailable", "FaultGatewayTimeout", "FaultMalformedJSON", "FaultSlow", "FaultHugeBody", "FaultIncomplete", "FaultLostAnswer"}
	if f > 0 && int(f) < len(names) {
		return names[f]
	}
	return "Fault(" + strconv.Itoa(int(f)) + ")"
}

type faultRule struct {
	prefix string
	left   int
	fault  Fault
}

// FailNext makes the next n requests whose path starts with pathPrefix fail
// this way; then normal service resumes. Rules queue up in the order given:
// a request takes the first rule that matches it.
func (s *Server) FailNext(pathPrefix string, n int, f Fault) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	s.faults = append(s.faults, faultRule{prefix: pathPrefix, left: n, fault: f})
	s.mu.Unlock()
}

// FailAll makes every request whose path starts with pathPrefix fail this
// way, as in an outage, until Recover.
func (s *Server) FailAll(pathPrefix string, f Fault) {
	s.mu.Lock()
	// A negative count never reaches zero: the rule stays.
	s.faults = append(s.faults, faultRule{prefix: pathPrefix, left: -1, fault: f})
	s.mu.Unlock()
}

// Recover ends every fault: FailAll's, and what is left of FailNext's.
func (s *Server) Recover() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

func (s *Server) takeFault(path string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.faults {
		r := &s.faults[i]
		if !strings.HasPrefix(path, r.prefix) {
			continue
		}
		f := r.fault
		r.left--
		if r.left == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return f, true
	}
	return 0, false
}

// hugeBodySize is past the 10 MiB a sane client reads.
const hugeBodySize = 11 << 20

// serveFault answers with the fault; it returns false when the request
// should go on to be served normally (FaultSlow).
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, c *call, f Fault) bool {
	s.mu.Lock()
	retry := strconv.Itoa(s.retryAfter)
	s.mu.Unlock()
	switch f {
	case FaultRateLimit:
		w.Header().Set("Retry-After", retry)
		writeLimited(w, c, http.StatusTooManyRequests, "rate_limited",
			"You have been rate limited. Please try again in a few minutes.")
	case FaultOverload:
		w.Header().Set("Retry-After", retry)
		writeError(w, c, 529, "service_overload", "Notion is overloaded. Please try again later.")
	case FaultServerError:
		writeError(w, c, http.StatusInternalServerError, "internal_server_error",
			"Unexpected error occurred.")
	case FaultBadGateway:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
			"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"))
	case FaultUnavailable:
		writeError(w, c, http.StatusServiceUnavailable, "service_unavailable",
			"Notion is unavailable. This can occur when the time to respond to a request takes longer than 60 seconds. Please try again later.")
	case FaultGatewayTimeout:
		writeError(w, c, http.StatusGatewayTimeout, "gateway_timeout",
			"Notion timed out while attempting to complete this request. Please try again later.")
	case FaultMalformedJSON:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"object":"list","results":[{"object":"page","id":"59833787-2cf9-4fdf-8782-e53db20768a5","properties":{"title":{"ti`))
	case FaultSlow:
		t := time.NewTimer(s.opts.SlowDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
		}
		// Served either way, as a real backend finishes work whose client
		// has gone: a timed-out token exchange may still spend its code.
		return false
	case FaultHugeBody:
		writeHuge(w, c)
	case FaultIncomplete:
		c.incomplete = true
		return false
	case FaultLostAnswer:
		c.lost = true
		return false
	default:
		writeError(w, c, http.StatusInternalServerError, "internal_server_error", "Unknown fault injected.")
	}
	return true
}

// writeHuge streams a well-formed JSON object of hugeBodySize bytes, so only
// a size cap (not a parse error) can save the client.
func writeHuge(w http.ResponseWriter, c *call) {
	head := []byte(`{"object":"list","results":[],"next_cursor":null,"has_more":false,"type":"page_or_data_source","page_or_data_source":{},"request_id":"` + c.rid + `","padding":"`)
	tail := []byte(`"}`)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(hugeBodySize))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(head); err != nil {
		return
	}
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	left := hugeBodySize - len(head) - len(tail)
	for left > 0 {
		n := min(left, len(chunk))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		left -= n
	}
	_, _ = w.Write(tail)
}
