package content

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

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
	// notices gets what to tell the user (the index had to be rebuilt);
	// hasPages says whether any content is stored (a missing index then
	// needs rebuilding).
	notices  func(string)
	hasPages func() bool
	// onRebuild starts refilling a fresh index from the stored pages, in
	// the background: opening never waits for it.
	onRebuild func()
	// onReset marks every stored page unindexed (the index was recreated).
	onReset func() error
	// onOpen starts, once per process after the first open, a background
	// sweep of what should no longer be there.
	onOpen   func()
	openOnce sync.Once
	closed   bool
	openedAs os.FileInfo // the directory the open index is in
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
		var idx bleve.Index
		err := x.guard(func() error {
			var err error
			idx, err = x.openLocked(wait)
			return err
		})
		if errors.Is(err, ErrCorrupt) {
			// Damage bleve found only once it read the segments: set the
			// index aside and start afresh.
			idx, err = x.replaceLocked(err, wait)
		}
		if err != nil {
			return nil, err
		}
		x.idx = idx
		x.openedAs, _ = os.Stat(x.path)
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

// guard runs fn with bleve's panics (and faults on its mapped segments)
// turned into a *CorruptError, as pagedeck.db's reads are.
func (x *ftIndex) guard(fn func() error) error {
	return guard(fn, func(cause error) error {
		return &CorruptError{Path: x.path, Cause: cause, Did: "rebuilds it from the stored pages"}
	})
}

// rebuildMark, beside the index, says a rebuild from the stored pages is
// under way; a process that stops before it is done leaves it for the next.
func (x *ftIndex) rebuildMark() string { return x.path + ".rebuild" }

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
	return x.use(func() error { return addBatch(idx, ws, list) })
}

// use runs fn on the open index inside the guard; damage it meets is
// handled at once (see broken) and returned.
func (x *ftIndex) use(fn func() error) error {
	err := x.guard(fn)
	if err != nil && (errors.Is(err, syscall.ENOSPC) || lowDisk(filepath.Dir(x.path))) {
		// A full disk, not damage: the index stays as it is.
		return &FileError{Path: x.path, Err: syscall.ENOSPC}
	}
	x.broken(err)
	return err
}

func addBatch(idx bleve.Index, ws string, list []Page) error {
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
	return x.use(func() error {
		b := idx.NewBatch()
		for _, id := range ids {
			b.Delete(docID(ws, id))
		}
		return idx.Batch(b)
	})
}

// removeWorkspace deletes whatever the index still holds of ws.
func (x *ftIndex) removeWorkspace(ws string) error {
	idx, err := x.acquire(x.opts.LockTimeout)
	if err != nil {
		return err
	}
	defer x.release(x.writeKeep())
	return x.use(func() error { return removeAll(idx, ws) })
}

func removeAll(idx bleve.Index, ws string) error {
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
	var res *bleve.SearchResult
	err = x.use(func() error {
		var err error
		res, err = idx.Search(bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(parts...), limit, 0, false))
		return err
	})
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

// closeIdle closes the index now if no one uses it; false when someone
// does.
func (x *ftIndex) closeIdle() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.users > 0 {
		return false
	}
	if x.timer != nil {
		x.timer.Stop()
		x.timer = nil
	}
	if x.idx != nil {
		_ = x.guard(x.idx.Close)
		x.idx = nil
	}
	return true
}
