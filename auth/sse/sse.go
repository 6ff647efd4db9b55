// Package sse is the Server-Sent Events wire format between the token
// broker and desktops (GET /events): the broker writes frames with Append,
// and the desktop, and the broker's own tests, read them with a Reader. One
// codec, so the two sides cannot drift apart. What a Reader reads came from
// a server and is capped: a line, and an event's data.
package sse

import (
	"bufio"
	"errors"
	"io"
	"strconv"
	"strings"
)

// Event is one event: its id (may be empty), its name ("message" when the
// stream names none, as browsers do) and its data lines joined by "\n".
type Event struct {
	ID   string
	Name string
	Data string
}

// Append appends ev to b as one frame, ended by a blank line. Data with
// line breaks becomes several data lines, as the format requires.
func Append(b []byte, ev Event) []byte {
	if ev.ID != "" {
		b = append(b, "id: "...)
		b = append(b, ev.ID...)
		b = append(b, '\n')
	}
	if ev.Name != "" {
		b = append(b, "event: "...)
		b = append(b, ev.Name...)
		b = append(b, '\n')
	}
	for line := range strings.SplitSeq(ev.Data, "\n") {
		b = append(b, "data: "...)
		b = append(b, line...)
		b = append(b, '\n')
	}
	return append(b, '\n')
}

// AppendRetry appends the reconnection delay a client should use.
func AppendRetry(b []byte, ms int) []byte {
	return append(strconv.AppendInt(append(b, "retry: "...), int64(ms), 10), '\n', '\n')
}

// AppendComment appends a comment line, which clients ignore: a heartbeat.
func AppendComment(b []byte, text string) []byte {
	return append(append(append(b, ':'), text...), '\n', '\n')
}

// ErrTooLarge: an event's data is over the Reader's cap.
var ErrTooLarge = errors.New("an event is too large")

// Reader reads events from a stream.
type Reader struct {
	sc       *bufio.Scanner
	maxEvent int
	// OnLine, when set, runs for every line read, comments included: a
	// client's watchdog hears the heartbeat through it.
	OnLine func(line string)
}

// NewReader reads r with lines of at most maxLine bytes and events whose
// data is at most maxEvent bytes.
func NewReader(r io.Reader, maxLine, maxEvent int) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, min(4096, maxLine)), maxLine)
	return &Reader{sc: sc, maxEvent: maxEvent}
}

// Next is the next complete event. At the end of the stream it returns
// io.EOF (an event cut off by the end is dropped, as the format says), or
// the read's error, bufio.ErrTooLong for a line over the cap, or
// ErrTooLarge.
func (r *Reader) Next() (Event, error) {
	var ev Event
	var data strings.Builder
	hasData := false
	for r.sc.Scan() {
		line := r.sc.Text()
		if r.OnLine != nil {
			r.OnLine(line)
		}
		if line == "" {
			if !hasData && ev.ID == "" && ev.Name == "" {
				continue // a comment's or retry's end
			}
			ev.Data = data.String()
			if ev.Name == "" {
				ev.Name = "message"
			}
			return ev, nil
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "": // a comment
		case "id":
			ev.ID = value
		case "event":
			ev.Name = value
		case "data":
			if data.Len()+len(value)+1 > r.maxEvent {
				return Event{}, ErrTooLarge
			}
			if hasData {
				data.WriteByte('\n')
			}
			data.WriteString(value)
			hasData = true
		}
	}
	if err := r.sc.Err(); err != nil {
		return Event{}, err
	}
	return Event{}, io.EOF
}
