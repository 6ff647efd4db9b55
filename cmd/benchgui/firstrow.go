// benchgui firstrow: the consent played as a browser, timed to the first
// result row on screen.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func runFirstRow(args []string) error {
	fs := flag.NewFlagSet("firstrow", flag.ContinueOnError)
	urlFile := fs.String("url-file", "", "the file the fake opener writes the consent URL to")
	limit := fs.Duration("limit", 5*time.Minute, "how long to wait for the first row")
	s, err := open(fs, args)
	if err != nil {
		return err
	}
	defer s.conn.Close()
	var consent string
	for deadline := time.Now().Add(time.Minute); consent == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile(*urlFile)
		consent = strings.TrimSpace(string(b))
	}
	if consent == "" {
		return fmt.Errorf("the window handed no consent URL to the opener (%s stayed empty)", *urlFile)
	}
	if hasRow, err := s.rowShown(); err != nil || hasRow {
		return errors.Join(err, errors.New("a result row is on screen before the consent"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, consent, nil)
	if err != nil {
		return fmt.Errorf("the consent URL: %w", err)
	}
	t0 := time.Now()
	resp, err := http.DefaultClient.Do(req) // follows the redirect to the window's callback
	if err != nil {
		return fmt.Errorf("playing the browser: %w", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	callback := time.Since(t0)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the consent and callback answered %s", resp.Status)
	}
	for time.Since(t0) < *limit {
		time.Sleep(10 * time.Millisecond)
		ok, err := s.rowShown()
		if err != nil {
			return err
		}
		if ok {
			fmt.Printf("%-24s %s (the callback answered after %s)\n", "first row on connect", ms(time.Since(t0)), ms(callback))
			return nil
		}
	}
	return fmt.Errorf("no result row within %v of the consent", *limit)
}
