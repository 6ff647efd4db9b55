package broker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Keys of the event log.
const (
	redisStreamKey = redisKeyPrefix + "events"
	redisEventKey  = redisKeyPrefix + "event:" // + Notion's event id: the dedupe mark
)

// addEventScript stores an event once: the dedupe mark and the stream entry
// are written together or not at all, so an event is never marked seen
// without being published (Notion's retry would then be dropped).
var addEventScript = redis.NewScript(`
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[3])
end
return false
`)

// redisLog keeps the events in one Redis stream, trimmed to MaxEvents.
// Stream ids are time-based, so they serve as SSE ids that any instance
// understands.
type redisLog struct {
	rdb    *redis.Client
	now    func() time.Time
	max    int
	window time.Duration
	health *redisHealth
}

func newRedisLog(rdb *redis.Client, now func() time.Time, o LiveOptions, health *redisHealth) *redisLog {
	return &redisLog{rdb: rdb, now: now, max: o.MaxEvents, window: o.ReplayWindow, health: health}
}

func (l *redisLog) add(ctx context.Context, ev liveEvent) (bool, error) {
	payload, err := json.Marshal(ev)
	if err != nil {
		return false, err
	}
	ctx, cancel := context.WithTimeout(ctx, redisOpTimeout)
	defer cancel()
	err = addEventScript.Run(ctx, l.rdb, []string{redisEventKey + ev.ID, redisStreamKey},
		int(dedupeTTL/time.Second), l.max, payload).Err()
	switch {
	case errors.Is(err, redis.Nil):
		l.health.ok()
		return false, nil
	case err != nil:
		l.health.failed("storing a webhook event", err)
		return false, fmt.Errorf("redis: %w", err)
	}
	l.health.ok()
	return true, nil
}

func (l *redisLog) since(ctx context.Context, id streamID, max int) ([]*entry, bool, error) {
	if id.time().Before(l.now().Add(-l.window)) {
		return nil, false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, redisOpTimeout)
	defer cancel()
	var first, last, after *redis.XMessageSliceCmd
	_, err := l.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		first = p.XRangeN(ctx, redisStreamKey, "-", "+", 1)
		last = p.XRevRangeN(ctx, redisStreamKey, "+", "-", 1)
		after = p.XRangeN(ctx, redisStreamKey, id.next().String(), "+", int64(max)+1)
		return nil
	})
	if err != nil {
		l.health.failed("replaying events", err)
		return nil, false, fmt.Errorf("redis: %w", err)
	}
	l.health.ok()
	if len(first.Val()) == 0 {
		// No stream: Redis lost it, or it never had one. Either way it
		// cannot vouch for what came after id.
		return nil, false, nil
	}
	oldest, err1 := parseStreamID(first.Val()[0].ID)
	newest, err2 := parseStreamID(last.Val()[0].ID)
	if err1 != nil || err2 != nil || id.less(oldest) || newest.less(id) {
		// Older than what is kept (trimmed, or a Redis that restarted), or
		// from a stream this one is not.
		return nil, false, nil
	}
	msgs := after.Val()
	if len(msgs) > max {
		return nil, false, nil
	}
	out := make([]*entry, 0, len(msgs))
	for _, m := range msgs {
		if e := decodeMessage(m); e != nil {
			out = append(out, e)
		}
	}
	return out, true, nil
}

// head is the newest id in the stream. An empty stream gets a marker entry
// first, so a stream that starts now has an id to resume from.
func (l *redisLog) head(ctx context.Context) (streamID, error) {
	ctx, cancel := context.WithTimeout(ctx, redisOpTimeout)
	defer cancel()
	msgs, err := l.rdb.XRevRangeN(ctx, redisStreamKey, "+", "-", 1).Result()
	if err == nil && len(msgs) == 0 {
		var id string
		id, err = l.rdb.XAdd(ctx, &redis.XAddArgs{Stream: redisStreamKey, MaxLen: int64(l.max), Approx: true, Values: []any{"e", ""}}).Result()
		msgs = []redis.XMessage{{ID: id}}
	}
	if err != nil {
		l.health.failed("reading the event log", err)
		return streamID{}, fmt.Errorf("redis: %w", err)
	}
	l.health.ok()
	return parseStreamID(msgs[0].ID)
}

// run follows the stream from its newest entry, handing each event to
// deliver. When Redis fails it calls lost, waits and tries again from
// where it was, so no event in the stream is skipped; if the stream came
// back with older ids than it had read (a Redis restarted on another
// clock), it starts over from the stream's beginning.
func (l *redisLog) run(ctx context.Context, deliver func(*entry), lost func(error)) {
	var last streamID
	started, failing := false, false
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		var err error
		if !started {
			last, err = l.head(ctx)
			started = err == nil
		} else if failing {
			err = l.checkAhead(ctx, &last)
		}
		var res []redis.XStream
		if err == nil {
			res, err = l.rdb.XRead(ctx, &redis.XReadArgs{Streams: []string{redisStreamKey, last.String()}, Block: 5 * time.Second, Count: 512}).Result()
			if errors.Is(err, redis.Nil) {
				err = nil // no event within the block time
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			l.health.failed("following the event log", err)
			if !failing {
				lost(err)
			}
			failing = true
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return
			}
			wait = min(2*wait, 5*time.Second)
			continue
		}
		l.health.ok()
		failing, wait = false, 100*time.Millisecond
		for _, s := range res {
			for _, m := range s.Messages {
				id, perr := parseStreamID(m.ID)
				if perr != nil {
					continue
				}
				last = id
				if e := decodeMessage(m); e != nil {
					deliver(e)
				}
			}
		}
	}
}

// checkAhead resets last to the beginning when the stream's newest id is
// older than it: the stream is not the one last was read from.
func (l *redisLog) checkAhead(ctx context.Context, last *streamID) error {
	ctx, cancel := context.WithTimeout(ctx, redisOpTimeout)
	defer cancel()
	msgs, err := l.rdb.XRevRangeN(ctx, redisStreamKey, "+", "-", 1).Result()
	if err != nil {
		return err
	}
	if len(msgs) == 0 {
		*last = streamID{}
		return nil
	}
	if newest, err := parseStreamID(msgs[0].ID); err == nil && newest.less(*last) {
		*last = streamID{}
	}
	return nil
}

// decodeMessage reads one stream entry; markers and entries this build
// cannot read are skipped.
func decodeMessage(m redis.XMessage) *entry {
	id, err := parseStreamID(m.ID)
	if err != nil {
		return nil
	}
	var payload string
	switch v := m.Values["e"].(type) {
	case string:
		payload = v
	default:
		return nil
	}
	if payload == "" {
		return nil
	}
	e, err := decodeEntry(id, []byte(payload))
	if err != nil || e.ev.ID == "" {
		return nil
	}
	return e
}
