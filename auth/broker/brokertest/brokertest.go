// Package brokertest holds what tests of other packages need to run a real
// token broker: a fresh sealing key, and a configuration with every limit
// off, so tests pace nothing.
package brokertest

import (
	"crypto/rand"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/auth/broker"
	"github.com/pagedeck/pagedeck/notion"
)

// NewKey is a fresh key for sealing states and codes.
func NewKey() []byte {
	k := make([]byte, broker.KeySize)
	_, _ = rand.Read(k)
	return k
}

// Unlimited returns c with every request limit turned off: the broker's
// per-client limits and its own pacing towards Notion.
func Unlimited(c broker.Config) broker.Config {
	off := broker.Limit{Rate: rate.Inf}
	c.AuthorizeLimit, c.CallbackLimit, c.TokenLimit, c.EventsLimit, c.WebhookLimit = off, off, off, off, off
	c.Notion = notion.Options{RateLimit: rate.Inf}
	return c
}
