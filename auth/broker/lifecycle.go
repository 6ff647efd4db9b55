package broker

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// startState sets up where the broker keeps what it shares: Redis when
// RedisURL is set, else this instance's memory. A Redis that is down at
// start is not fatal: the broker serves what does not need it, answers 503
// for what does, and picks Redis up when it comes (go-redis dials again on
// demand; the event reader retries with backoff).
func (s *Server) startState() {
	local := newMemoryState(s.cfg.Now)
	work, cancel := context.WithCancel(context.Background())
	s.stopWork = cancel
	if s.cfg.RedisURL == "" {
		s.state = local
		s.events = newMemoryLog(s.cfg.Now, s.cfg.Live, s.hub.dispatch)
		s.stateDesc = "per instance: single-use marks, rate limits and webhook events live in this process only; run one instance, or set " + EnvRedisURL + " to share them"
		close(s.workDone)
		return
	}
	opts, _ := redisOptions(s.cfg.RedisURL) // validated already
	goRedisLog.log.Store(s.log)
	s.rdb = redis.NewClient(opts)
	s.health = &redisHealth{log: s.log, password: opts.Password}
	s.state = newRedisState(s.rdb, local, s.health)
	log := newRedisLog(s.rdb, s.cfg.Now, s.cfg.Live, s.health)
	s.events = log
	s.stateDesc = "redis " + redactURL(s.cfg.RedisURL)
	ping, done := context.WithTimeout(work, 2*time.Second)
	if err := s.rdb.Ping(ping).Err(); err != nil {
		s.health.failed("start-up", err)
	}
	done()
	go func() {
		defer close(s.workDone)
		log.run(work, s.hub.dispatch, func(error) {
			// Streams would go quiet without saying so: end them, and let
			// desktops reconnect (503 until Redis is back) and resume.
			s.hub.endAll("event_log_lost")
		})
	}()
}

func (s *Server) webhookDesc() string {
	if s.cfg.WebhookToken == "" {
		return "no verification token (" + EnvWebhookToken + "): signed events are refused; the verification request is logged"
	}
	return "POST " + s.cfg.PublicURL + "/webhooks/notion"
}

// stop ends the streams.
func (s *Server) stop() {
	s.stopOnce.Do(func() { close(s.stopping) })
}

// Close ends the streams and the background work and closes the Redis
// client. Serve calls it when it returns; a Server used through Handler
// alone (tests, embedding) should call it when done.
func (s *Server) Close() {
	s.stop()
	s.stopWork()
	if s.rdb != nil {
		// Closing the client also ends the reader's blocking XREAD, which
		// a cancelled context does not interrupt.
		_ = s.rdb.Close()
	}
	<-s.workDone
}
