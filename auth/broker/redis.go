package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
	"golang.org/x/time/rate"
)

// Redis timeouts. A request that needs Redis waits at most redisOpTimeout
// for it; a Redis that is gone or stalled turns into a quick 503, not a
// hung request. The client never retries a command by itself: a SET NX
// that timed out may have landed, and retrying it would call the first use
// a replay.
const (
	redisOpTimeout   = time.Second
	redisDialTimeout = time.Second
)

// redisKeyPrefix starts every key the broker writes (redis_rate adds its
// own "rate:" in front of the limit keys).
const redisKeyPrefix = "pagedeck:broker:"

// redisOptions parses PAGEDECK_BROKER_REDIS_URL. Errors never repeat the
// URL's password: go-redis's own errors may quote the URL, so they are
// replaced by ours.
func redisOptions(raw string) (*redis.Options, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("the value is not a URL (want redis://[user:password@]host:port[/db] or rediss://…)")
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return nil, fmt.Errorf("%s must start with redis:// or rediss://", redactURL(raw))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%s names no host", redactURL(raw))
	}
	o, err := redis.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("%s is not a Redis URL go-redis understands (check the port, the database number and the query options)", redactURL(raw))
	}
	o.DialTimeout = redisDialTimeout
	o.ReadTimeout = redisOpTimeout
	o.WriteTimeout = redisOpTimeout
	o.PoolTimeout = redisOpTimeout
	o.ContextTimeoutEnabled = true
	o.MaxRetries = -1
	// One dial per attempt: the pool's own retries would hold a request
	// for half a second before its 503 while Redis is down.
	o.DialerRetries = 1
	// RESP2 and no identity or maintenance handshakes: any Redis from 5.0
	// on (streams) and the managed ones that refuse CLIENT SETINFO.
	o.Protocol = 2
	o.DisableIdentity = true
	o.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return o, nil
}

// redisLogger routes go-redis's own log lines (it prints one per failed
// dial to stderr by default) into the broker's JSON log at debug level;
// redisHealth says what an operator needs, once. go-redis has one logger
// per process, so the latest broker's logger gets them.
type redisLogger struct{ log atomic.Pointer[slog.Logger] }

var goRedisLog = func() *redisLogger {
	l := &redisLogger{}
	l.log.Store(slog.New(slog.DiscardHandler))
	redis.SetLogger(l)
	return l
}()

func (l *redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.Load().Log(ctx, slog.LevelDebug, "redis client: "+strings.TrimSpace(fmt.Sprintf(format, v...)))
}

// redisHealth remembers whether Redis answered last time, so the log says
// once that it went away and once that it came back, not once per request.
type redisHealth struct {
	log      *slog.Logger
	password string
	down     atomic.Bool
}

func (h *redisHealth) failed(during string, err error) {
	if h.down.CompareAndSwap(false, true) {
		h.log.Warn("broker: redis is unavailable; operations that need it answer 503 until it is back, rate limits are counted per instance meanwhile",
			"during", during, "err", h.scrub(err))
	}
}

func (h *redisHealth) ok() {
	if h.down.CompareAndSwap(true, false) {
		h.log.Info("broker: redis is back")
	}
}

// scrub is err's text without the password, should a library ever quote it.
func (h *redisHealth) scrub(err error) string {
	s := err.Error()
	if len(h.password) >= 4 {
		s = strings.ReplaceAll(s, h.password, "xxxxx")
	}
	return s
}

// redisState keeps marks and buckets in Redis. Marks are SET NX with an
// expiry; limits are redis_rate's GCRA, one atomic script per request.
// When Redis cannot be reached, marks fail (the caller answers 503: a
// replay check is never skipped) and limits fall back to this instance's
// own buckets, so refreshing a token does not depend on Redis.
type redisState struct {
	rdb     *redis.Client
	limiter *redis_rate.Limiter
	local   *memoryState
	health  *redisHealth
}

func newRedisState(rdb *redis.Client, local *memoryState, health *redisHealth) *redisState {
	return &redisState{rdb: rdb, limiter: redis_rate.NewLimiter(rdb), local: local, health: health}
}

func (r *redisState) firstUse(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, redisOpTimeout)
	defer cancel()
	first, err := r.rdb.SetNX(ctx, redisKeyPrefix+"used:"+key, 1, ttl).Result()
	if err != nil {
		r.health.failed("single-use check", err)
		return false, fmt.Errorf("redis: %w", err)
	}
	r.health.ok()
	return first, nil
}

// claimScript marks a code pending for its owner, or tells who has it: 1
// first use, 2 the same owner's unsettled attempt, 0 taken.
var claimScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == ARGV[1] then
  return 2
end
return 0
`)

func (r *redisState) claim(ctx context.Context, key, owner string, ttl time.Duration) (claimResult, error) {
	ctx, cancel := context.WithTimeout(ctx, redisOpTimeout)
	defer cancel()
	n, err := claimScript.Run(ctx, r.rdb, []string{redisKeyPrefix + "used:" + key}, "pending:"+owner, ttl.Milliseconds()).Int()
	if err != nil {
		r.health.failed("single-use check", err)
		return claimTaken, fmt.Errorf("redis: %w", err)
	}
	r.health.ok()
	switch n {
	case 1:
		return claimFirst, nil
	case 2:
		return claimRetry, nil
	}
	return claimTaken, nil
}

func (r *redisState) settle(ctx context.Context, key string, ttl time.Duration) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), redisOpTimeout)
	defer cancel()
	// Should this fail, the mark stays pending: only the owner could then
	// try again, and Notion refuses a code it has seen.
	if err := r.rdb.SetXX(ctx, redisKeyPrefix+"used:"+key, "done", ttl).Err(); err != nil {
		r.health.failed("settling a single-use mark", err)
	}
}

func (r *redisState) allow(ctx context.Context, name string, client netip.Addr, l Limit) (bool, time.Duration, error) {
	if l.Rate == rate.Inf {
		return true, 0, nil
	}
	ctx, cancel := context.WithTimeout(ctx, redisOpTimeout)
	defer cancel()
	key := redisKeyPrefix + "limit:" + name + ":" + clientKey(client).String()
	res, err := r.limiter.Allow(ctx, key, gcra(l))
	if err != nil {
		r.health.failed("rate limit", err)
		return r.local.allow(ctx, name, client, l)
	}
	r.health.ok()
	if res.Allowed > 0 {
		return true, 0, nil
	}
	return false, max(res.RetryAfter, time.Millisecond), nil
}

// gcra turns a token bucket (Rate a second, Burst) into redis_rate's
// terms: one request per 1/Rate seconds, with the same burst.
func gcra(l Limit) redis_rate.Limit {
	period := time.Duration(float64(time.Second) / float64(l.Rate))
	return redis_rate.Limit{Rate: 1, Period: max(period, time.Millisecond), Burst: max(l.Burst, 1)}
}
