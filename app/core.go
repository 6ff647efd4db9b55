package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/app/content"
	"github.com/pagedeck/pagedeck/app/filelock"
	"github.com/pagedeck/pagedeck/app/index"
	"github.com/pagedeck/pagedeck/app/live"
	"github.com/pagedeck/pagedeck/app/reqbudget"
	"github.com/pagedeck/pagedeck/app/rows"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
)

// Options build a Core.
type Options struct {
	Config Config
	Vault  auth.Vault
	// Store, when nil, is opened in Config.DataDir.
	Store      *store.Store
	HTTPClient *http.Client
	Logger     *slog.Logger
	Now        func() time.Time
	// RateLimit and Burst override Notion's pacing (tests, the demo).
	RateLimit rate.Limit
	Burst     int
	// Retry overrides the client's retry policy (tests).
	Retry notion.RetryPolicy
	// Sleep overrides the client's waits between retries (tests).
	Sleep func(ctx context.Context, d time.Duration) error
	// ConnectTimeout bounds a browser flow; default 5 minutes.
	ConnectTimeout time.Duration
	// ReadOnly opens the store read-only (commands that only read).
	ReadOnly bool
	// Content tunes the page content store (tests).
	Content content.Options
}

// Core is Pagedeck without a GUI. Safe for concurrent use.
type Core struct {
	cfg   Config
	store *store.Store
	vault auth.Vault
	api   *notion.Client
	opts  Options
	log   *slog.Logger
	now   func() time.Time
	loop  *auth.Loopback
	// content is the pages' text: crawl, storage, full-text index.
	content *content.Store

	// wsLocks serialise syncs, refreshes and disconnects per workspace:
	// a refresh rotates the pair, and two at once would lose one.
	wsLocks sync.Map

	// titles is the in-memory title search and what guards it.
	titles titleIndex

	// rowTables keep the databases' rows read for queries while the
	// process lives; a sync's write makes the next query read them anew.
	rowTables rows.Cache

	// live is which workspaces have an event stream up (app/live).
	live live.Status

	// budgets are the workspaces' request budgets, each shared with every
	// other Pagedeck process through a file in the data dir.
	budgets budgets

	// bg is the background work (the crawls AutoSync starts) that Close
	// stops and waits for.
	bg *background

	mu      sync.Mutex
	subs    map[int]func(Event)
	nextSub int
	syncing map[string]bool
	lastErr map[string]error
}

// New builds a Core.
func New(o Options) (*Core, error) {
	if o.Vault == nil {
		return nil, errors.New("app: no vault")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	st := o.Store
	if st == nil {
		var err error
		if st, err = store.Open(o.Config.DataDir, store.Options{ReadOnly: o.ReadOnly}); err != nil {
			return nil, err
		}
	}
	c := &Core{
		cfg:     o.Config,
		store:   st,
		vault:   o.Vault,
		opts:    o,
		log:     o.Logger,
		now:     o.Now,
		loop:    &auth.Loopback{Timeout: o.ConnectTimeout, Logger: o.Logger},
		titles:  titleIndex{idx: index.New()},
		subs:    map[int]func(Event){},
		syncing: map[string]bool{},
		lastErr: map[string]error{},
	}
	if o.ReadOnly {
		// A command that only reads: it searches once, then exits.
		c.titles.idx.VocabOnDemand()
	}
	c.api = c.notionClient("", "")
	if o.Content.Logger == nil {
		o.Content.Logger = o.Logger
	}
	o.Content.Allowed = c.contentAllowed
	o.Content.OnNotice = func(msg string) { c.emit(Notified{Text: msg}) }
	o.Content.Lock = filelock.Lock
	o.Content.CheckFile = store.CheckFile
	c.content = content.Open(st.Dir(), o.Content)
	c.bg = newBackground()
	return c, nil
}

// Config is the environment's configuration.
func (c *Core) Config() Config { return c.cfg }

func (c *Core) notionClient(clientID string, secret notion.Secret) *notion.Client {
	return notion.New(notion.Options{
		BaseURL:      c.cfg.NotionURL,
		ClientID:     clientID,
		ClientSecret: secret,
		UserAgent:    UserAgent(),
		HTTPClient:   c.opts.HTTPClient,
		Logger:       c.log,
		RateLimit:    c.opts.RateLimit,
		Burst:        c.opts.Burst,
		Retry:        c.opts.Retry,
		Sleep:        c.opts.Sleep,
	})
}

// titleIndex is the in-memory title search: the index, loaded from the
// store once (loaded, under mu), and the lock that keeps pins and opens in
// step between the store and the index (usageMu: store, then index).
type titleIndex struct {
	mu      sync.Mutex
	idx     *index.Index
	loaded  bool
	usageMu sync.Mutex
}

// budget is workspace id's request budget, the one every Pagedeck process
// using its token shares; nil when requests are not paced (tests).
func (c *Core) budget(id string) *notion.Budget {
	if c.opts.RateLimit == rate.Inf {
		return nil
	}
	return c.budgets.get(id, func() *notion.Budget {
		return notion.NewBudget(notion.BudgetOptions{
			Rate:  c.opts.RateLimit,
			Burst: c.opts.Burst,
			Store: reqbudget.Open(c.store.Dir(), id),
			OnPause: func(p notion.Pause) {
				c.emit(RateLimited{WorkspaceID: id, Pause: p})
			},
			RetryAfterScale: c.opts.Retry.RetryAfterScale,
			Logger:          c.log,
		})
	})
}

// lockWorkspace waits for the workspace's lock until ctx ends, so a
// cancelled connect or disconnect never waits out a sync of the same
// workspace.
func (c *Core) lockWorkspace(ctx context.Context, id string) (unlock func(), err error) {
	m, _ := c.wsLocks.LoadOrStore(id, make(chan struct{}, 1))
	ch := m.(chan struct{})
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
