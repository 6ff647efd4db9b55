package live

import "time"

// Options tune Run; zero values get the defaults.
type Options struct {
	// MinBackoff and MaxBackoff bound the wait before reconnecting a
	// stream that failed (doubling, with jitter); default 1 s and 5 min.
	MinBackoff, MaxBackoff time.Duration
	// IdleTimeout ends a stream that sent nothing, not even a heartbeat,
	// for this long; default 75 s (the broker beats every 25 s).
	IdleTimeout time.Duration
	// Debounce gathers the changes that arrive together (Notion sends
	// bursts) into one refresh; default 150 ms.
	Debounce time.Duration
	// Recheck is how often the set of streams is compared with the
	// workspaces and settings, besides on every workspace event; default
	// one minute.
	Recheck time.Duration
}

func (o Options) withDefaults() Options {
	if o.MinBackoff <= 0 {
		o.MinBackoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Minute
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 75 * time.Second
	}
	if o.Debounce <= 0 {
		o.Debounce = 150 * time.Millisecond
	}
	if o.Recheck <= 0 {
		o.Recheck = time.Minute
	}
	return o
}
