package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pagedeck/pagedeck/app/content"
	"github.com/pagedeck/pagedeck/app/index"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// ContentState says whether a workspace's page content is kept.
type ContentState string

const (
	ContentOn       ContentState = "on"
	ContentOff      ContentState = "off"
	ContentNoAccess ContentState = "no_access" // Notion refused: the connection lacks "Read content"
)

// ErrNoContentAccess wraps the refusal with how to fix it.
var ErrNoContentAccess = errors.New(`the connection may not read page content in this workspace: in Notion's developer portal, open the connection, and under Capabilities turn on "Read content"; then reconnect the workspace`)

// ContentProgress is a content crawl under way: Done of Total pages
// fetched for Workspace. The window shows Text().
type ContentProgress struct {
	WorkspaceID string
	Workspace   string // name
	Done, Total int
}

// Text is the status line: "Indexing content: 340 of 1,231 pages".
func (p ContentProgress) Text() string {
	return fmt.Sprintf("Indexing content: %s of %s pages", Thousands(p.Done), Thousands(p.Total))
}

// ContentResult is what a crawl did.
type ContentResult = content.CrawlResult

// TextRange is a byte range of a text, for highlighting.
type TextRange = content.Range

// Highlight finds the words of text that query matched, as search matches
// them (case and accents ignored; the last query word as a prefix): the
// window highlights a snippet (or a title) with these byte ranges.
func Highlight(text, query string) []TextRange { return content.Highlight(text, query) }

// A page as the window's reader shows it: blocks with kinds, nesting and
// styled runs (see content.Doc).
type (
	Doc       = content.Doc
	Block     = content.Block
	BlockKind = content.Kind
	Run       = content.Run
	RunStyle  = content.Style
)

// The block kinds and run styles of a Doc.
const (
	BlockParagraph = content.Paragraph
	BlockHeading   = content.Heading
	BlockBullet    = content.Bullet
	BlockNumber    = content.Number
	BlockTodo      = content.Todo
	BlockQuote     = content.Quote
	BlockCode      = content.CodeBlock
	BlockTable     = content.Table
	BlockDivider   = content.Divider
	BlockToggle    = content.Toggle

	StyleBold   = content.Bold
	StyleItalic = content.Italic
	StyleCode   = content.Code
	StyleStrike = content.Strike
)

// NewDoc reads Notion markdown into the reader's document.
func NewDoc(md string) Doc { return content.NewDoc(md) }

func contentKey(ws string) string { return "content." + ws }

// ContentInfo is a workspace's page content: its setting, and how many
// pages content search finds (stored and indexed; a page stored but not
// yet indexed is not counted).
type ContentInfo struct {
	State ContentState
	Pages int
}

// Content is ws's page content setting and count.
func (c *Core) Content(ws string) ContentInfo {
	return ContentInfo{State: c.contentState(ws), Pages: c.content.Count(ws)}
}

// contentState is a workspace's content setting.
func (c *Core) contentState(ws string) ContentState {
	v, _, _ := c.store.Setting(contentKey(ws))
	return contentState(v)
}

// contentState reads the stored setting: on unless turned off, or found
// without access.
func contentState(v string) ContentState {
	switch ContentState(v) {
	case ContentOff, ContentNoAccess:
		return ContentState(v)
	}
	return ContentOn
}

// FinishContent waits, until ctx ends, for a rebuild of the content index
// when one runs (a command that found it damaged finishes it), then
// returns, once, what the content layer did that the user should know: a
// damaged file set aside, the index rebuilt. The window gets each as an
// Notified event instead.
func (c *Core) FinishContent(ctx context.Context) []string {
	_ = c.content.Wait(ctx)
	return c.content.Notices()
}

// PrepareContent opens the content index, rebuilding a damaged or missing
// one from the stored pages, and waits for that until ctx ends: commands
// call it first, so what they print counts and finds every stored page.
func (c *Core) PrepareContent(ctx context.Context) error { return c.content.Prepare(ctx) }

// contentAllowed says whether ws's content may still be written: the
// content layer asks under its cross-process lock before every write, so
// 'content off' or a disconnect in any process is never undone by a crawl.
func (c *Core) contentAllowed(ws string) (bool, error) {
	if _, err := c.store.Workspace(ws); errors.Is(err, store.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	v, _, err := c.store.Setting(contentKey(ws))
	if err != nil {
		return false, err
	}
	return contentState(v) == ContentOn, nil
}

// ErrContentFile: a content file or folder may not be written (read-only,
// or the disk is full); the error names it.
var ErrContentFile = content.ErrFile

// ErrContentTurnedOff: the crawl stopped because the workspace's content
// was turned off or the workspace disconnected meanwhile.
var ErrContentTurnedOff = content.ErrTurnedOff

// SetContent turns content on or off for a workspace. Off deletes the
// workspace's stored content and index entries at once; on lets the next
// sync (or StartCrawl) fetch it.
func (c *Core) SetContent(ws string, on bool) error {
	if _, err := c.store.Workspace(ws); err != nil {
		return fmt.Errorf("%w: %s", ErrUnknownWorkspace, ws)
	}
	if on {
		if err := c.store.SetSettings(map[string]string{contentKey(ws): ""}); err != nil {
			return err
		}
	} else {
		if err := c.store.SetSettings(map[string]string{contentKey(ws): string(ContentOff)}); err != nil {
			return err
		}
		if err := c.content.Drop(context.Background(), ws); err != nil {
			return fmt.Errorf("deleting the stored content: %w", err)
		}
	}
	c.emit(WorkspacesChanged{WorkspaceID: ws})
	return nil
}

// CrawlContent fetches the content of the workspace's pages that changed
// since their stored copy (newest first), stores and indexes it, and
// drops the content of pages that left the list. It runs at background
// priority: interactive requests on the same token go first. Nothing
// happens when the workspace's content is off or refused.
func (c *Core) CrawlContent(ctx context.Context, ws string, progress func(ContentProgress)) (ContentResult, error) {
	w, err := c.store.Workspace(ws)
	if err != nil {
		return ContentResult{}, fmt.Errorf("%w: %s", ErrUnknownWorkspace, ws)
	}
	if c.contentState(ws) != ContentOn || w.Status == store.StatusNeedsReconnect {
		return ContentResult{}, nil
	}
	cached, err := c.store.Items(ws)
	if err != nil {
		return ContentResult{}, err
	}
	items := make([]content.Item, 0, len(cached))
	_ = c.LoadIndex() // for the open counts; without them the newest goes first
	now := c.now()
	for _, it := range cached {
		// Data sources have no body.
		if it.Kind == store.KindPage {
			items = append(items, content.Item{ID: it.ID, Edited: it.LastEdited, Rank: c.crawlRank(it, ws, now)})
		}
	}
	report := func(p content.Progress) {
		cp := ContentProgress{WorkspaceID: ws, Workspace: w.Name, Done: p.Done, Total: p.Total}
		if progress != nil {
			progress(cp)
		}
		c.emit(ContentProgressed{WorkspaceID: ws, Progress: cp})
	}
	bg := notion.WithPriority(ctx, notion.PriorityBackground)
	var res ContentResult
	err = c.withToken(bg, w, func(tok notion.Secret) error {
		var err error
		res, err = c.content.Crawl(bg, ws, items, c.fetcher(tok), report)
		return err
	})
	err = c.contentError(ws, err)
	c.emit(ContentDone{WorkspaceID: ws, Err: err})
	return res, err
}

// crawlRank orders the crawl within a workspace: pinned pages and those
// the user opens most (frecency, as search ranks them) first; between
// equals, the newest edit.
func (c *Core) crawlRank(it store.Item, ws string, now time.Time) float64 {
	u := c.titles.idx.Usage(ws, it.ID)
	r := index.Frecency(u, now)
	if u.Pinned {
		r += 1e6
	}
	return r
}

// startCrawl runs SyncRows, then CrawlContent, in the background;
// progress and the end arrive as events, and Close stops and waits for it.
func (c *Core) startCrawl(ctx context.Context, ws string) {
	c.bg.goWith(ctx, func(ctx context.Context) {
		// The databases' rows first: a query per data source, where the
		// crawl is a call per changed page.
		if _, err := c.Databases().Sync(ctx, ws, false); err != nil && !errors.Is(err, context.Canceled) {
			c.log.Warn("app: rows sync", "workspace", ws, "err", err)
		}
		if _, err := c.CrawlContent(ctx, ws, nil); err != nil && !errors.Is(err, context.Canceled) {
			c.log.Warn("app: content crawl", "workspace", ws, "err", err)
		}
	})
}

// fetcher adapts the API to the crawl: 404 is gone, 403 no access, and a
// refused token or a long rate limit stops the crawl (the token is
// refreshed, or the crawl resumes at the next sync).
func (c *Core) fetcher(tok notion.Secret) content.Fetch {
	return func(ctx context.Context, id string) (content.Fetched, error) {
		pm, err := c.api.PageMarkdown(ctx, tok, id)
		switch {
		case err == nil:
			return content.Fetched{Markdown: pm.Markdown, Fetched: pm.Fetched, Partial: pm.Partial}, nil
		case notion.IsNotFound(err):
			return content.Fetched{}, fmt.Errorf("%w: %w", content.ErrGone, err)
		case errors.Is(err, notion.ErrNoContentAccess):
			return content.Fetched{}, fmt.Errorf("%w: %w", content.ErrNoAccess, err)
		case notion.IsUnauthorized(err) || notion.IsRateLimited(err):
			return content.Fetched{}, fmt.Errorf("%w: %w", content.ErrStop, err)
		}
		return content.Fetched{}, err
	}
}

// contentError turns Notion's refusal into the no_access state.
func (c *Core) contentError(ws string, err error) error {
	if !errors.Is(err, content.ErrNoAccess) && !errors.Is(err, notion.ErrNoContentAccess) {
		return err
	}
	if serr := c.store.SetSettings(map[string]string{contentKey(ws): string(ContentNoAccess)}); serr != nil {
		c.log.Warn("app: saving the content state", "err", serr)
	}
	c.emit(WorkspacesChanged{WorkspaceID: ws})
	return fmt.Errorf("%w (%v)", ErrNoContentAccess, err)
}

// PageContent is a page's stored content, for the preview and `show`.
type PageContent struct {
	ItemID, WorkspaceID string
	// Markdown is what Notion sent (Notion-flavoured); Doc is it read
	// into blocks for the window's reader (built here, off the UI thread).
	Markdown string
	Doc      Doc
	Edited   time.Time // the edit the copy reflects
	Fetched  time.Time
	Partial  bool // parts of a long page could not be fetched
	// Stale: the item list knows of a newer edit than the copy.
	Stale bool
}

// ErrNoContent: nothing is stored for the page yet.
var ErrNoContent = errors.New("no content is stored for this page yet")

// PageContent reads a page's stored content; it needs no network.
func (c *Core) PageContent(id string) (PageContent, error) {
	h, err := c.Item(id)
	if err != nil {
		return PageContent{}, err
	}
	if h.Kind != store.KindPage {
		return PageContent{}, fmt.Errorf("%w: a database has no page content", ErrNoContent)
	}
	p, ok, err := c.content.Page(h.WorkspaceID, id)
	if err != nil {
		return PageContent{}, err
	}
	if !ok {
		return PageContent{}, ErrNoContent
	}
	return PageContent{
		ItemID: id, WorkspaceID: h.WorkspaceID, Markdown: p.Markdown, Doc: content.NewDoc(p.Markdown),
		Edited: p.Edited, Fetched: p.Fetched, Partial: p.Partial, Stale: h.LastEdited.After(p.Edited),
	}, nil
}

// RefreshPage fetches a page's content now, ahead of any crawl, stores and
// indexes it, and returns it. A page Notion no longer has loses its stored
// content.
func (c *Core) RefreshPage(ctx context.Context, id string) (PageContent, error) {
	h, err := c.Item(id)
	if err != nil {
		return PageContent{}, err
	}
	if h.Kind != store.KindPage {
		return PageContent{}, fmt.Errorf("%w: a database has no page content", ErrNoContent)
	}
	ws := h.WorkspaceID
	if st := c.contentState(ws); st == ContentOff {
		return PageContent{}, errors.New("content is turned off for this workspace")
	}
	w, err := c.store.Workspace(ws)
	if err != nil {
		return PageContent{}, err
	}
	var got *notion.PageMarkdown
	err = c.withToken(notion.WithPriority(ctx, notion.PriorityInteractive), w, func(tok notion.Secret) error {
		var err error
		got, err = c.api.PageMarkdown(notion.WithPriority(ctx, notion.PriorityInteractive), tok, id)
		return err
	})
	switch {
	case notion.IsNotFound(err):
		_ = c.content.Remove(ws, id)
		return PageContent{}, fmt.Errorf("%w: Notion no longer shares this page with Pagedeck", ErrUnknownItem)
	case err != nil:
		return PageContent{}, c.contentError(ws, err)
	}
	if c.contentState(ws) == ContentNoAccess {
		// It works again: the capability was turned on.
		_ = c.store.SetSettings(map[string]string{contentKey(ws): ""})
	}
	if err := c.content.Put(ws, content.Page{ID: id, Edited: h.LastEdited, Fetched: got.Fetched, Partial: got.Partial, Markdown: got.Markdown}); err != nil {
		return PageContent{}, err
	}
	return c.PageContent(id)
}

// dropContent deletes a disconnected workspace's content and setting.
func (c *Core) dropContent(ws string) error {
	err := c.content.Drop(context.Background(), ws)
	if serr := c.store.SetSettings(map[string]string{contentKey(ws): ""}); err == nil {
		err = serr
	}
	return err
}

// Close stops the background crawls and waits for them, stops the request
// budgets, then lets go of the content index (the store closes itself after each transaction).
func (c *Core) Close() error {
	c.bg.close()
	c.budgets.close()
	return c.content.Close()
}
