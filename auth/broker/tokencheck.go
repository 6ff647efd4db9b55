package broker

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/pagedeck/pagedeck/notion"
)

// maxCheckedTokens bounds the token cache; past it, expired entries go, and
// if that is not enough, arbitrary ones (they are checked again).
const maxCheckedTokens = 100_000

// tokenKey names an access token without holding it: a hash.
type tokenKey [sha256.Size]byte

func keyOf(tok notion.Secret) tokenKey {
	return sha256.Sum256([]byte("pagedeck-broker/token/" + tok.Reveal()))
}

// tokenInfo is what a checked access token says about its connection.
type tokenInfo struct {
	workspace, bot string
	key            tokenKey
	until          time.Time
}

// tokenChecker learns a desktop's workspace and bot from its access token
// with Notion's GET /v1/users/me, and remembers the answer for a few
// minutes under a hash of the token (never the token itself).
type tokenChecker struct {
	me  func(ctx context.Context, tok notion.Secret) (*notion.Bot, error)
	ttl time.Duration
	now func() time.Time

	mu sync.Mutex
	m  map[tokenKey]tokenInfo
}

func newTokenChecker(me func(context.Context, notion.Secret) (*notion.Bot, error), ttl time.Duration, now func() time.Time) *tokenChecker {
	return &tokenChecker{me: me, ttl: ttl, now: now, m: map[tokenKey]tokenInfo{}}
}

// check returns the token's workspace and bot, asking Notion only when the
// cache has no fresh answer. Notion's errors come back as they are.
func (c *tokenChecker) check(ctx context.Context, tok notion.Secret) (tokenInfo, error) {
	key := keyOf(tok)
	now := c.now()
	c.mu.Lock()
	info, ok := c.m[key]
	c.mu.Unlock()
	if ok && now.Before(info.until) {
		return info, nil
	}
	bot, err := c.me(ctx, tok)
	if err != nil {
		return tokenInfo{}, err
	}
	info = tokenInfo{workspace: bot.WorkspaceID, bot: bot.ID, key: key, until: now.Add(c.ttl)}
	c.mu.Lock()
	if len(c.m) >= maxCheckedTokens {
		for k, v := range c.m {
			if !now.Before(v.until) || len(c.m) >= maxCheckedTokens {
				delete(c.m, k)
			}
		}
	}
	c.m[key] = info
	c.mu.Unlock()
	return info, nil
}

func (c *tokenChecker) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
