package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/app/content"
	"github.com/pagedeck/pagedeck/app/index"
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

	idxMu     sync.Mutex
	idx       *index.Index
	idxLoaded bool
	usageMu   sync.Mutex // pins and opens: store, then index

	// live is which workspaces have an event stream up (live.go).
	live liveState

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
		idx:     index.New(),
		subs:    map[int]func(Event){},
		syncing: map[string]bool{},
		lastErr: map[string]error{},
	}
	c.api = c.notionClient("", "")
	if o.Content.Logger == nil {
		o.Content.Logger = o.Logger
	}
	c.content = content.Open(st.Dir(), o.Content)
	return c, nil
}

// Store is the underlying store (for the window's preferences).
func (c *Core) Store() *store.Store { return c.store }

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

// ---- Events ----

// EventKind says what happened.
type EventKind int

const (
	// EventWorkspaces: a workspace was added, changed or removed.
	EventWorkspaces EventKind = iota
	EventSyncStarted
	EventSyncProgress
	EventSyncDone
	EventSyncFailed
	// EventUsage: an item was opened, pinned or unpinned; the order of
	// results may have changed.
	EventUsage
	// EventContentProgress: a content crawl fetched more pages; Event.Content
	// carries the numbers.
	EventContentProgress
	// EventContentDone: a crawl finished (Event.Err set when it failed).
	EventContentDone
	// EventLive: a workspace's live stream came up or went down; Core.Live
	// tells which.
	EventLive
	// EventItemsChanged: a live update changed the cached items of
	// Event.WorkspaceID; run the search again.
	EventItemsChanged
)

// Event is sent to subscribers from whatever goroutine did the work; the
// window hands it to the UI goroutine itself.
type Event struct {
	Kind        EventKind
	WorkspaceID string
	Progress    Progress
	Content     ContentProgress
	Result      SyncResult
	Err         error
}

// Subscribe calls fn for every event until the returned func is called.
func (c *Core) Subscribe(fn func(Event)) (unsubscribe func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.nextSub
	c.nextSub++
	c.subs[id] = fn
	return func() {
		c.mu.Lock()
		delete(c.subs, id)
		c.mu.Unlock()
	}
}

func (c *Core) emit(e Event) {
	c.mu.Lock()
	fns := make([]func(Event), 0, len(c.subs))
	for _, fn := range c.subs {
		fns = append(fns, fn)
	}
	c.mu.Unlock()
	for _, fn := range fns {
		fn(e)
	}
}

// ---- Workspaces ----

// WorkspaceInfo is a workspace with what is happening to it now.
type WorkspaceInfo struct {
	store.Workspace
	Syncing bool
	// LastError is the last sync's failure in plain words, "" after a success.
	LastError string
	// Content says whether its page content is kept for search and reading.
	Content ContentState
}

// Workspaces lists the connected workspaces, oldest connection first.
func (c *Core) Workspaces() ([]WorkspaceInfo, error) {
	ws, err := c.store.Workspaces()
	if err != nil {
		return nil, err
	}
	settings, err := c.store.Settings()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]WorkspaceInfo, len(ws))
	for i, w := range ws {
		out[i] = WorkspaceInfo{Workspace: w, Syncing: c.syncing[w.ID], Content: contentState(settings[contentKey(w.ID)])}
		if err := c.lastErr[w.ID]; err != nil {
			out[i].LastError = Explain(err)
		}
	}
	return out, nil
}

// Resolve finds a workspace by id or by name (case-insensitive).
func (c *Core) Resolve(idOrName string) (store.Workspace, error) {
	ws, err := c.store.Workspaces()
	if err != nil {
		return store.Workspace{}, err
	}
	var byName []store.Workspace
	for _, w := range ws {
		if w.ID == idOrName {
			return w, nil
		}
		if strings.EqualFold(w.Name, idOrName) {
			byName = append(byName, w)
		}
	}
	switch len(byName) {
	case 1:
		return byName[0], nil
	case 0:
		return store.Workspace{}, fmt.Errorf("%w: %q", ErrUnknownWorkspace, idOrName)
	}
	ids := make([]string, len(byName))
	for i, w := range byName {
		ids[i] = w.ID
	}
	return store.Workspace{}, fmt.Errorf("%d workspaces are named %q; use an id: %s", len(byName), idOrName, strings.Join(ids, ", "))
}

// ---- Connecting ----

// provider is the way to run the OAuth flow now: your own connection when a
// client id and secret are known, else the broker. It also returns the
// configuration it decided on.
func (c *Core) provider(ctx context.Context) (auth.Provider, Config, error) {
	eff, err := c.Effective(ctx)
	if err != nil {
		return nil, eff, err
	}
	switch {
	case eff.ClientID != "" && eff.ClientSecret != "":
		return &auth.OwnConnection{Client: c.notionClient(eff.ClientID, eff.ClientSecret), ClientID: eff.ClientID}, eff, nil
	case eff.BrokerURL != "":
		p, err := c.brokerProvider(eff.BrokerURL)
		return p, eff, err
	}
	return nil, eff, ErrNotConfigured
}

// providerFor is the provider that can refresh or revoke a grant of kind.
func (c *Core) providerFor(ctx context.Context, kind auth.Kind) (auth.Provider, error) {
	eff, err := c.Effective(ctx)
	if err != nil {
		return nil, err
	}
	switch kind {
	case auth.KindOAuth:
		if eff.ClientID == "" || eff.ClientSecret == "" {
			return nil, errors.New("the connection's client ID and secret are no longer configured")
		}
		return &auth.OwnConnection{Client: c.notionClient(eff.ClientID, eff.ClientSecret), ClientID: eff.ClientID}, nil
	case auth.KindBroker:
		if eff.BrokerURL == "" {
			return nil, errors.New("no token broker is configured any more")
		}
		return c.brokerProvider(eff.BrokerURL)
	}
	return nil, fmt.Errorf("a %s grant cannot be refreshed", kind)
}

func (c *Core) brokerProvider(brokerURL string) (auth.Provider, error) {
	return auth.NewBroker(brokerURL, c.opts.HTTPClient)
}

// Connect runs the browser flow and then the first sync: Authorize, then
// Sync. A *FirstSyncError comes with the workspace when only the sync
// failed.
func (c *Core) Connect(ctx context.Context, op Opener) (store.Workspace, error) {
	return c.ConnectWithin(ctx, op, 0)
}

// ConnectWithin is Connect with a limit on the wait for the browser
// (0: the default, 5 minutes). The first sync is not limited by it.
func (c *Core) ConnectWithin(ctx context.Context, op Opener, timeout time.Duration) (store.Workspace, error) {
	w, err := c.Authorize(ctx, op, timeout)
	if err != nil {
		return w, err
	}
	// Someone is waiting for this first sync: it goes ahead of any crawl.
	if _, err := c.Sync(notion.WithPriority(ctx, notion.PriorityInteractive), w.ID, true, nil); err != nil {
		w, _ := c.store.Workspace(w.ID)
		return w, &FirstSyncError{Err: err}
	}
	return c.store.Workspace(w.ID)
}

// Authorize runs the browser flow: op opens the consent URL (it also gets
// the URL to show, for when no browser opens). The grant is kept in the
// vault and the workspace in the store before the browser hears it worked.
// It does not sync; the window syncs in the background with progress.
func (c *Core) Authorize(ctx context.Context, op Opener, timeout time.Duration) (store.Workspace, error) {
	p, eff, err := c.provider(ctx)
	if err != nil {
		return store.Workspace{}, err
	}
	if timeout <= 0 {
		timeout = c.opts.ConnectTimeout
	}
	sess, err := c.loop.Start(ctx, auth.Request{Provider: p, RedirectURI: eff.RedirectURI, Save: c.saveGrant, Timeout: timeout})
	if err != nil {
		return store.Workspace{}, err
	}
	if err := op.OpenURL(sess.URL); err != nil {
		// Not fatal: the URL is shown for the user to open by hand.
		c.log.Warn("app: could not open the browser", "err", err)
	}
	g, err := sess.Wait()
	if err != nil {
		return store.Workspace{}, err
	}
	return c.store.Workspace(g.WorkspaceID)
}

// AddToken checks a pasted internal connection secret and connects its
// workspace.
func (c *Core) AddToken(ctx context.Context, secret string) (store.Workspace, error) {
	g, err := auth.CheckToken(ctx, c.api, secret)
	if err != nil {
		return store.Workspace{}, err
	}
	if err := c.saveGrant(ctx, g); err != nil {
		return store.Workspace{}, err
	}
	if _, err := c.Sync(notion.WithPriority(ctx, notion.PriorityInteractive), g.WorkspaceID, true, nil); err != nil {
		w, _ := c.store.Workspace(g.WorkspaceID)
		return w, &FirstSyncError{Err: err}
	}
	return c.store.Workspace(g.WorkspaceID)
}

// saveGrant keeps the pair in the vault, then the metadata in the store.
// Connecting a workspace again overwrites its pair and clears its status.
func (c *Core) saveGrant(ctx context.Context, g *auth.Grant) error {
	unlock, err := c.lockWorkspace(ctx, g.WorkspaceID)
	if err != nil {
		return err
	}
	defer unlock()
	// Notion has issued the pair: once the lock is ours, keep it even if
	// the user gives up now.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	if err := c.vault.Save(sctx, g.WorkspaceID, g.Tokens()); err != nil {
		return err
	}
	_, err = c.store.UpsertWorkspace(g.WorkspaceID, func(w *store.Workspace, existed bool) {
		if g.WorkspaceName != "" || w.Name == "" {
			w.Name = g.WorkspaceName
		}
		if w.Name == "" {
			w.Name = "Untitled workspace"
		}
		if g.WorkspaceIcon != "" {
			w.Icon = g.WorkspaceIcon
		}
		if g.BotID != "" {
			w.BotID = g.BotID
		}
		if g.OwnerName != "" || g.OwnerEmail != "" {
			w.OwnerName, w.OwnerEmail = g.OwnerName, g.OwnerEmail
		}
		w.Auth = string(g.Kind)
		w.Status = store.StatusOK
		if !existed {
			w.Connected = c.now().UTC()
		}
	})
	if err != nil {
		return fmt.Errorf("saving the workspace: %w", err)
	}
	c.mu.Lock()
	delete(c.lastErr, g.WorkspaceID)
	c.mu.Unlock()
	c.emit(Event{Kind: EventWorkspaces, WorkspaceID: g.WorkspaceID})
	return nil
}

// Disconnect revokes the grant at Notion (unless revoke is false), then
// deletes the keychain entry, the metadata and the cached items.
func (c *Core) Disconnect(ctx context.Context, id string, revoke bool) error {
	unlock, err := c.lockWorkspace(ctx, id)
	if err != nil {
		return err
	}
	defer unlock()
	w, err := c.store.Workspace(id)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrUnknownWorkspace, id)
	}
	toks, err := c.vault.Load(ctx, id)
	switch {
	case errors.Is(err, auth.ErrNoToken):
	case err != nil:
		return err
	case revoke && toks.Kind != auth.KindToken:
		if err := c.revoke(ctx, toks); err != nil {
			return fmt.Errorf("%w: %w", ErrRevokeFailed, err)
		}
	}
	if err := c.vault.Delete(ctx, id); err != nil {
		return err
	}
	if err := c.store.DeleteWorkspace(id); err != nil {
		return err
	}
	if err := c.dropContent(id); err != nil {
		c.log.Warn("app: deleting the workspace's content", "err", err)
	}
	c.idxMu.Lock()
	c.idx.Remove(id)
	c.idxMu.Unlock()
	c.mu.Lock()
	delete(c.lastErr, id)
	c.mu.Unlock()
	c.log.Info("app: disconnected", "workspace", w.Name)
	c.emit(Event{Kind: EventWorkspaces, WorkspaceID: id})
	return nil
}

func (c *Core) revoke(ctx context.Context, toks auth.Tokens) error {
	p, err := c.providerFor(ctx, toks.Kind)
	if err != nil {
		return err
	}
	err = p.Revoke(ctx, toks.Access)
	// A token that is already dead needs no revoking.
	if err == nil || notion.IsUnauthorized(err) || errors.Is(err, notion.ErrInvalidGrant) {
		return nil
	}
	return err
}

// ---- Settings ----

// Setting keys in the store.
const (
	SettingClientID        = "client_id"
	SettingRedirectURI     = "redirect_uri"
	SettingBrokerURL       = "broker_url"
	SettingOpenIn          = "open_in"
	SettingRefreshInterval = "refresh_minutes"
)

// Settings are what the settings dialog edits. Environment variables (or
// the demo) win over them; FixedBy says which.
type Settings struct {
	ClientID        string
	RedirectURI     string
	BrokerURL       string
	OpenIn          OpenMode
	RefreshInterval time.Duration // 0: no automatic refresh
	// HasClientSecret: a secret is in the keychain (never read back).
	HasClientSecret bool
	// Configured: Connect can run (own connection or broker, from the
	// environment or these settings). Set even when Settings also returns
	// a keychain error.
	Configured bool
	// FixedBy maps a setting (SettingClientID, SettingClientSecret,
	// SettingRedirectURI, SettingBrokerURL) to what sets it instead: an
	// environment variable's name, or "the demo".
	FixedBy map[string]string
}

// SettingClientSecret names the client secret in Settings.FixedBy; it is
// kept in the keychain, never in the store.
const SettingClientSecret = "client_secret"

func (c *Core) fixedBy() map[string]string {
	out := map[string]string{}
	for key, f := range map[string]struct {
		set bool
		env string
	}{
		SettingClientID:     {c.cfg.ClientID != "", EnvClientID},
		SettingClientSecret: {c.cfg.ClientSecret != "", EnvClientSecret},
		SettingRedirectURI:  {c.cfg.RedirectURI != "", EnvRedirectURI},
		SettingBrokerURL:    {c.cfg.BrokerURL != "", EnvBrokerURL},
	} {
		switch {
		case !f.set:
		case c.cfg.Demo:
			out[key] = "the demo"
		default:
			out[key] = f.env
		}
	}
	return out
}

// Settings reads the saved settings.
func (c *Core) Settings(ctx context.Context) (Settings, error) {
	kv, err := c.store.Settings()
	if err != nil {
		return Settings{}, err
	}
	s := Settings{
		ClientID:        kv[SettingClientID],
		RedirectURI:     kv[SettingRedirectURI],
		BrokerURL:       kv[SettingBrokerURL],
		OpenIn:          OpenMode(kv[SettingOpenIn]),
		RefreshInterval: DefaultRefreshInterval,
		FixedBy:         c.fixedBy(),
	}
	if s.OpenIn != OpenInApp {
		s.OpenIn = OpenInBrowser
	}
	if m, ok := kv[SettingRefreshInterval]; ok {
		if n, err := strconv.Atoi(m); err == nil && n >= 0 {
			s.RefreshInterval = time.Duration(n) * time.Minute
		}
	}
	_, err = c.vault.ClientSecret(ctx)
	s.HasClientSecret = err == nil
	// The same rule as provider: a client id with a secret, or a broker.
	s.Configured = (firstOf(c.cfg.ClientID, s.ClientID) != "" && (c.cfg.ClientSecret != "" || s.HasClientSecret)) ||
		firstOf(c.cfg.BrokerURL, s.BrokerURL) != ""
	if err != nil && !errors.Is(err, auth.ErrNoToken) {
		return s, err
	}
	return s, nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// SaveSettings validates and stores s. A non-empty newSecret replaces the
// client secret in the keychain; clearSecret removes it.
func (c *Core) SaveSettings(ctx context.Context, s Settings, newSecret notion.Secret, clearSecret bool) error {
	s.ClientID = strings.TrimSpace(s.ClientID)
	s.RedirectURI = strings.TrimSpace(s.RedirectURI)
	s.BrokerURL = strings.TrimSpace(s.BrokerURL)
	var errs []error
	if s.ClientID != "" {
		if err := ValidateClientID(s.ClientID); err != nil {
			errs = append(errs, fmt.Errorf("client ID: %w", err))
		}
	}
	if s.RedirectURI != "" {
		if err := ValidateRedirectURI(s.RedirectURI); err != nil {
			errs = append(errs, fmt.Errorf("redirect URI: %w", err))
		}
	}
	if s.BrokerURL != "" {
		if err := ValidateBrokerURL(s.BrokerURL); err != nil {
			errs = append(errs, fmt.Errorf("broker URL: %w", err))
		}
	}
	if s.OpenIn != OpenInBrowser && s.OpenIn != OpenInApp {
		errs = append(errs, fmt.Errorf("open links in: %q is neither browser nor app", s.OpenIn))
	}
	if s.RefreshInterval < 0 || (s.RefreshInterval > 0 && s.RefreshInterval < time.Minute) || s.RefreshInterval > 24*time.Hour {
		errs = append(errs, errors.New("refresh interval: choose between 1 minute and 24 hours, or 0 for never"))
	}
	if strings.ContainsAny(newSecret.Reveal(), " \t\r\n") {
		errs = append(errs, errors.New("client secret: it contains spaces; paste only the secret"))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	switch {
	case newSecret != "":
		if err := c.vault.SaveClientSecret(ctx, newSecret); err != nil {
			return err
		}
	case clearSecret:
		if err := c.vault.DeleteClientSecret(ctx); err != nil {
			return err
		}
	}
	return c.store.SetSettings(map[string]string{
		SettingClientID:        s.ClientID,
		SettingRedirectURI:     s.RedirectURI,
		SettingBrokerURL:       s.BrokerURL,
		SettingOpenIn:          string(s.OpenIn),
		SettingRefreshInterval: strconv.Itoa(int(s.RefreshInterval / time.Minute)),
	})
}

// Effective is the configuration in force: the environment, then settings,
// then defaults. The client secret comes from the environment or the
// keychain.
func (c *Core) Effective(ctx context.Context) (Config, error) {
	eff := c.cfg
	kv, err := c.store.Settings()
	if err != nil {
		return eff, err
	}
	if eff.ClientID == "" {
		eff.ClientID = kv[SettingClientID]
	}
	if eff.RedirectURI == "" {
		eff.RedirectURI = kv[SettingRedirectURI]
	}
	if eff.RedirectURI == "" {
		eff.RedirectURI = DefaultRedirectURI
	}
	if eff.BrokerURL == "" {
		eff.BrokerURL = kv[SettingBrokerURL]
	}
	if eff.ClientSecret == "" && eff.ClientID != "" {
		s, err := c.vault.ClientSecret(ctx)
		switch {
		case err == nil:
			eff.ClientSecret = s
		case errors.Is(err, auth.ErrNoToken):
		default:
			return eff, err
		}
	}
	return eff, nil
}

// Configured reports whether Connect can run.
func (c *Core) Configured(ctx context.Context) bool {
	s, _ := c.Settings(ctx)
	return s.Configured
}

// Pref and SetPref keep small UI state (window size, last workspace) in the
// store, so demo mode's temporary data dir holds it too.
func (c *Core) Pref(key string) string {
	v, _, _ := c.store.Setting("ui." + key)
	return v
}

// SetPref stores a UI preference.
func (c *Core) SetPref(key, value string) error {
	return c.SetPrefs(map[string]string{key: value})
}

// SetPrefs stores several UI preferences in one transaction.
func (c *Core) SetPrefs(kv map[string]string) error {
	m := make(map[string]string, len(kv))
	for k, v := range kv {
		m["ui."+k] = v
	}
	return c.store.SetSettings(m)
}
