package content

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/pagedeck/pagedeck/app/index"
)

// The full-text index: bleve's scorch engine in content-index/. Bodies are
// folded with index.Fold before they are indexed, exactly as titles are for
// title search, and split on the spaces Fold leaves; queries are folded the
// same way. Nothing is stored in the index but the terms: snippets come
// from the stored markdown, which keeps the index small.
//
// A document is one page: id "<workspace>/<page id>", field "w" the
// workspace (for filtering and dropping), field "b" the folded text.

const (
	fieldWS   = "w"
	fieldBody = "b"
	analyzer  = "pagedeck-folded"
)

// ftIndex opens the bleve index on demand and closes it after IndexIdle
// without use, so several Pagedeck processes can take turns on it.
type ftIndex struct {
	path string
	opts Options
	log  *slog.Logger

	mu    sync.Mutex
	idx   bleve.Index
	users int
	timer *time.Timer
	// notice is set when the index had to be rebuilt: what to tell the user.
	notice string
	// onRebuild starts refilling a fresh index from the stored pages, in
	// the background: opening never waits for it.
	onRebuild func()
	// onOpen starts, once per process after the first open, a background
	// sweep of what should no longer be there.
	onOpen   func()
	openOnce sync.Once
	closed   bool
}

func newFTIndex(path string, o Options, log *slog.Logger) *ftIndex {
	return &ftIndex{path: path, opts: o, log: log}
}

func indexMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	if err := m.AddCustomAnalyzer(analyzer, map[string]any{"type": custom.Name, "tokenizer": whitespace.Name}); err != nil {
		panic(err) // a constant mapping; failing is a bug
	}
	doc := bleve.NewDocumentStaticMapping()
	body := bleve.NewTextFieldMapping()
	body.Analyzer = analyzer
	body.Store, body.IncludeTermVectors, body.IncludeInAll, body.DocValues = false, false, false, false
	ws := bleve.NewKeywordFieldMapping()
	ws.Store, ws.IncludeTermVectors, ws.IncludeInAll, ws.DocValues = false, false, false, false
	doc.AddFieldMappingsAt(fieldBody, body)
	doc.AddFieldMappingsAt(fieldWS, ws)
	m.DefaultMapping = doc
	m.DefaultAnalyzer = analyzer
	return m
}

// ErrIndexBusy: another Pagedeck process is using the index.
var ErrIndexBusy = errors.New("the content index is in use by another Pagedeck; try again in a moment")

// acquire returns the open index, opening (creating, or rebuilding a
// broken one) as needed, waiting at most wait for another process to let
// go of it. Call release when done.
func (x *ftIndex) acquire(wait time.Duration) (bleve.Index, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.timer != nil {
		x.timer.Stop()
		x.timer = nil
	}
	if x.closed {
		return nil, errors.New("the content store is closed")
	}
	if x.idx == nil {
		idx, err := x.openLocked(wait)
		if err != nil {
			return nil, err
		}
		x.idx = idx
		if x.onOpen != nil {
			x.openOnce.Do(x.onOpen)
		}
	}
	x.users++
	return x.idx, nil
}

// release ends a use; the index closes keep after the last one.
func (x *ftIndex) release(keep time.Duration) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.users--
	if x.users > 0 || x.idx == nil {
		return
	}
	x.timer = time.AfterFunc(keep, func() {
		x.mu.Lock()
		defer x.mu.Unlock()
		if x.users == 0 && x.idx != nil {
			if err := x.idx.Close(); err != nil {
				x.log.Warn("content: closing the index", "err", err)
			}
			x.idx = nil
		}
	})
}

func (x *ftIndex) close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.closed = true
	if x.timer != nil {
		x.timer.Stop()
		x.timer = nil
	}
	if x.idx == nil {
		return nil
	}
	err := x.idx.Close()
	x.idx = nil
	return err
}

func (x *ftIndex) config(wait time.Duration) map[string]any {
	return map[string]any{"bolt_timeout": max(wait, time.Millisecond).String()}
}

// How long uses wait for, and keep, the index. A search (someone typing)
// waits briefly and keeps it warm for the next keystroke; a crawl's write
// waits longer and lets go soon after, so another Pagedeck process gets a
// turn between batches (and the merger a moment to tidy up).
func (x *ftIndex) searchWait() time.Duration { return min(x.opts.LockTimeout, x.opts.SearchWait) }
func (x *ftIndex) writeKeep() time.Duration  { return min(x.opts.IndexIdle, 200*time.Millisecond) }

// openLocked opens the index; a missing one is created, a broken one is
// moved aside and started afresh (Store.Rebuilt tells the caller to refill
// it from the stored markdown).
func (x *ftIndex) openLocked(wait time.Duration) (bleve.Index, error) {
	idx, err := bleve.OpenUsing(x.path, x.config(wait))
	switch {
	case err == nil:
		return idx, nil
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
	case errors.Is(err, berrors.ErrTimeout) || strings.Contains(err.Error(), "timeout"):
		return nil, ErrIndexBusy
	default:
		aside := fmt.Sprintf("%s.broken-%d", x.path, time.Now().Unix())
		x.log.Warn("content: the index does not open; rebuilding it from the stored pages", "err", err, "moved_to", aside)
		if rerr := os.Rename(x.path, aside); rerr != nil {
			_ = os.RemoveAll(x.path)
		}
		x.notice = "The content index could not be read and is being rebuilt from the stored pages; content search results may be incomplete until it is done."
		if x.onRebuild != nil {
			defer x.onRebuild()
		}
	}
	idx, err = bleve.NewUsing(x.path, indexMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, x.config(wait))
	if err != nil {
		return nil, fmt.Errorf("creating the content index: %w", err)
	}
	return idx, nil
}

// takeNotice returns and clears the rebuild notice.
func (x *ftIndex) takeNotice() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	n := x.notice
	x.notice = ""
	return n
}

func docID(ws, id string) string { return ws + "/" + id }

type indexDoc struct {
	W string `json:"w"`
	B string `json:"b"`
}

// add indexes pages (replacing earlier versions).
func (x *ftIndex) add(ws string, list []Page) error {
	idx, err := x.acquire(x.opts.LockTimeout)
	if err != nil {
		return err
	}
	defer x.release(x.writeKeep())
	b := idx.NewBatch()
	for _, p := range list {
		f := p.folded
		if f == "" {
			if p.plain == "" {
				p.plain = PlainText(p.Markdown)
			}
			f = index.Fold(p.plain)
		}
		if err := b.Index(docID(ws, p.ID), indexDoc{W: ws, B: f}); err != nil {
			return err
		}
	}
	return idx.Batch(b)
}

func (x *ftIndex) remove(ws string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	idx, err := x.acquire(x.opts.LockTimeout)
	if err != nil {
		return err
	}
	defer x.release(x.writeKeep())
	b := idx.NewBatch()
	for _, id := range ids {
		b.Delete(docID(ws, id))
	}
	return idx.Batch(b)
}

// removeWorkspace deletes whatever the index still holds of ws.
func (x *ftIndex) removeWorkspace(ws string) error {
	idx, err := x.acquire(x.opts.LockTimeout)
	if err != nil {
		return err
	}
	defer x.release(x.writeKeep())
	for {
		q := bleve.NewTermQuery(ws)
		q.SetField(fieldWS)
		res, err := idx.Search(bleve.NewSearchRequestOptions(q, 1000, 0, false))
		if err != nil {
			return err
		}
		if len(res.Hits) == 0 {
			return nil
		}
		b := idx.NewBatch()
		for _, h := range res.Hits {
			b.Delete(h.ID)
		}
		if err := idx.Batch(b); err != nil {
			return err
		}
	}
}

// queryTerms folds a query into words: all but the last must match whole
// words, the last as a prefix (it is still being typed). A last word of
// one character is left out until a second is typed: as a prefix it
// would match most of the index (hundreds of milliseconds), as a word
// almost nothing the person means.
func queryTerms(q string) (whole []string, prefix string) {
	words := strings.Fields(index.Fold(q))
	if len(words) == 0 {
		return nil, ""
	}
	last := words[len(words)-1]
	whole = words[:len(words)-1]
	if utf8.RuneCountInString(last) < 2 {
		return whole, ""
	}
	return whole, last
}

// hit is one matching page.
type hit struct {
	ws, id string
	score  float64
}

// search finds pages holding every query word, best first.
func (x *ftIndex) search(q, ws string, limit int) ([]hit, error) {
	whole, prefix := queryTerms(q)
	if len(whole) == 0 && prefix == "" {
		return nil, nil
	}
	var parts []query.Query
	for _, w := range whole {
		t := bleve.NewTermQuery(w)
		t.SetField(fieldBody)
		parts = append(parts, t)
	}
	if prefix != "" {
		p := bleve.NewPrefixQuery(prefix)
		p.SetField(fieldBody)
		parts = append(parts, p)
	}
	if ws != "" {
		t := bleve.NewTermQuery(ws)
		t.SetField(fieldWS)
		parts = append(parts, t)
	}
	idx, err := x.acquire(x.searchWait())
	if err != nil {
		return nil, err
	}
	defer x.release(x.opts.IndexIdle)
	if limit <= 0 {
		limit = 1000
	}
	res, err := idx.Search(bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(parts...), limit, 0, false))
	if err != nil {
		return nil, err
	}
	out := make([]hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		w, id, ok := strings.Cut(h.ID, "/")
		if ok {
			out = append(out, hit{ws: w, id: id, score: h.Score})
		}
	}
	return out, nil
}
