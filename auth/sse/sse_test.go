package sse

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestWhatIsWrittenIsRead(t *testing.T) {
	var b []byte
	b = AppendRetry(b, 3000)
	b = AppendComment(b, "heartbeat")
	b = Append(b, Event{ID: "17-0", Name: "notion", Data: `{"type":"page.created"}`})
	b = Append(b, Event{Name: "reset", Data: "{}"})
	b = Append(b, Event{Data: "two\nlines"})
	lines := 0
	r := NewReader(strings.NewReader(string(b)), 1024, 1024)
	r.OnLine = func(string) { lines++ }
	want := []Event{
		{ID: "17-0", Name: "notion", Data: `{"type":"page.created"}`},
		{Name: "reset", Data: "{}"},
		{Name: "message", Data: "two\nlines"},
	}
	for i, w := range want {
		got, err := r.Next()
		if err != nil || got != w {
			t.Fatalf("event %d: %+v, %v; want %+v", i, got, err, w)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("after the last event: %v, want EOF", err)
	}
	if lines != strings.Count(string(b), "\n") {
		t.Errorf("OnLine ran %d times for %d lines", lines, strings.Count(string(b), "\n"))
	}
}

func TestAnEventCutOffByTheEndIsDropped(t *testing.T) {
	r := NewReader(strings.NewReader("id: 1\nevent: notion\ndata: {\"half"), 1024, 1024)
	if ev, err := r.Next(); err != io.EOF {
		t.Errorf("%+v, %v; want EOF", ev, err)
	}
}

func TestCaps(t *testing.T) {
	long := "data: " + strings.Repeat("x", 100) + "\n\n"
	if _, err := NewReader(strings.NewReader(long), 50, 1024).Next(); !errors.Is(err, bufio.ErrTooLong) {
		t.Errorf("a line over the cap: %v", err)
	}
	many := strings.Repeat("data: "+strings.Repeat("x", 30)+"\n", 10) + "\n"
	if _, err := NewReader(strings.NewReader(many), 1024, 200).Next(); !errors.Is(err, ErrTooLarge) {
		t.Errorf("an event over the cap: %v", err)
	}
}

func FuzzReader(f *testing.F) {
	f.Add(string(Append(nil, Event{ID: "1-0", Name: "ready", Data: "{}"})))
	f.Add("retry: 10\n\n: hi\n\nid\nevent\ndata\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		r := NewReader(strings.NewReader(in), 256, 512)
		for range 1000 {
			ev, err := r.Next()
			if err != nil {
				return
			}
			if len(ev.Data) > 512 {
				t.Fatalf("data of %d bytes passed a cap of 512", len(ev.Data))
			}
		}
	})
}
