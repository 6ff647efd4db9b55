package notiontest

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/time/rate"
)

// This file serves GET /v1/pages/{id}/markdown: a page's content as
// Notion-flavoured markdown. Generated pages get a generated body (stable
// for an id and its revision); tests can set a body, edit it (which moves
// last_edited_time, rounded down to the minute, as at Notion), refuse
// content to a workspace's connection (403 restricted_resource), and make
// long pages come back truncated with unknown_block_ids.

// mdState is the content side of the emulator; guarded by Server.mu.
type mdState struct {
	bodies    map[string]string // item id → a body set by a test
	revs      map[string]int    // item id → edits of a generated body
	noContent map[string]bool   // workspace id → its connection lacks "Read content"
	blocks    map[string]string // block id → the subtree cut from a truncated answer
}

func (s *Server) mdLocked() *mdState {
	if s.md == nil {
		s.md = &mdState{bodies: map[string]string{}, revs: map[string]int{}, noContent: map[string]bool{}, blocks: map[string]string{}}
	}
	return s.md
}

// DefaultRecordLimit is how many blocks one markdown answer holds before
// Notion truncates it (about 20,000 at Notion).
const DefaultRecordLimit = 20000

// SetContent sets a page's body without touching its last_edited_time (as
// when a test prepares a page before the first sync).
func (s *Server) SetContent(itemID, markdown string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustItem(itemID)
	s.mdLocked().bodies[itemID] = markdown
}

// EditContent changes a page's body as a person editing it would: its
// last_edited_time becomes Clock() rounded down to the minute, and the
// webhook hears page.content_updated. An empty markdown regenerates a
// different generated body.
func (s *Server) EditContent(itemID, markdown string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.mustItem(itemID)
	m := s.mdLocked()
	if markdown == "" {
		delete(m.bodies, itemID)
		m.revs[itemID]++
	} else {
		m.bodies[itemID] = markdown
	}
	it.LastEdited = s.editedNow()
	s.webhookLocked("content_updated", it)
}

// Content returns the body the endpoint would serve for a page, whole.
func (s *Server) Content(itemID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.contentLocked(s.mustItem(itemID))
}

func (s *Server) contentLocked(it *item) string {
	body := s.bodyLocked(it)
	if tail := s.tailMarkdownLocked(it.ID); tail != "" {
		if body != "" {
			body += "\n"
		}
		body += tail
	}
	return body
}

// bodyLocked is a page's body without what the API added to it.
func (s *Server) bodyLocked(it *item) string {
	m := s.mdLocked()
	if b, ok := m.bodies[it.ID]; ok {
		return b
	}
	return GenerateMarkdown(int64(idHash(it.ID)>>1)+int64(m.revs[it.ID]), it.Title, s.opts.ContentBytes)
}

// SetContentAccess gives or takes away the "Read content" capability of
// the connection in a workspace; without it the markdown endpoint answers
// 403 restricted_resource. Workspaces have it by default.
func (s *Server) SetContentAccess(workspaceID string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustWorkspace(workspaceID)
	s.mdLocked().noContent[workspaceID] = !on
}

// SetRateLimit changes the per-grant limit of the API endpoints, for
// grants issued before and after: perSecond requests a second with a burst
// (perSecond < 0 turns limiting off).
func (s *Server) SetRateLimit(perSecond float64, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.RateLimit, s.opts.Burst = perSecond, max(burst, 1)
	for _, g := range s.grants {
		if perSecond < 0 {
			g.limiter = nil
		} else {
			g.limiter = rate.NewLimiter(rate.Limit(perSecond), s.opts.Burst)
		}
	}
}

var markdownPath = regexp.MustCompile(`^/v1/pages/([^/]+)/markdown$`)

func (s *Server) handleMarkdown(id string) func(http.ResponseWriter, *call, *grant, string) {
	return func(w http.ResponseWriter, c *call, g *grant, _ string) {
		s.mu.Lock()
		m := s.mdLocked()
		if m.noContent[g.ws] {
			s.mu.Unlock()
			writeError(w, c, http.StatusForbidden, "restricted_resource",
				"Insufficient permissions for this endpoint.")
			return
		}
		key := normalizeID(id)
		body, page, ok := "", "", false
		if it, found := s.items[key]; found && it.ws == g.ws && !it.Unshared {
			if it.Kind != KindPage {
				s.mu.Unlock()
				writeError(w, c, http.StatusBadRequest, "validation_error",
					fmt.Sprintf("Provided ID %s is a data source, not a page. Data sources have no markdown content.", id))
				return
			}
			body, page, ok = s.contentLocked(it), it.ID, true
		} else if sub, found := m.blocks[key]; found {
			body, page, ok = sub, key, true
		}
		if !ok {
			s.mu.Unlock()
			writeError(w, c, http.StatusNotFound, "object_not_found",
				fmt.Sprintf("Could not find page with ID: %s. Make sure the relevant pages and databases are shared with your integration.", id))
			return
		}
		limit := s.opts.RecordLimit
		if limit <= 0 {
			limit = DefaultRecordLimit
		}
		out, unknown := s.truncateLocked(page, body, limit)
		now := s.now()
		s.mu.Unlock()
		w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
		if unknown == nil {
			unknown = []string{}
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"object":            "page_markdown",
			"id":                page,
			"markdown":          out,
			"truncated":         len(unknown) > 0,
			"unknown_block_ids": unknown,
			"request_id":        c.rid,
		})
	}
}

// normalizeID accepts dashed and compact ids, as Notion does.
func normalizeID(id string) string {
	c := strings.ToLower(strings.ReplaceAll(id, "-", ""))
	if len(c) != 32 {
		return id
	}
	return c[0:8] + "-" + c[8:12] + "-" + c[12:16] + "-" + c[16:20] + "-" + c[20:32]
}

var unknownTag = regexp.MustCompile(`<unknown\b[^>]*#([0-9a-fA-F]{32})[^>]*/?>`)

// truncateLocked cuts a body at the record limit. Every line counts as one
// block; a block owns the more indented lines under it. Blocks that no
// longer fit become <unknown …/> tags (at their indentation) whose ids fetch
// them; a block too big for any answer shows its first line and is cut
// further down. Tags already in the body (a child page not shared with the
// connection) are listed too, and fetch nothing.
func (s *Server) truncateLocked(page, body string, limit int) (string, []string) {
	var unknown []string
	for _, m := range unknownTag.FindAllStringSubmatch(body, -1) {
		unknown = append(unknown, normalizeID(m[1]))
	}
	lines := strings.Split(body, "\n")
	if len(lines) <= limit {
		return body, unknown
	}
	depth := func(l string) int { return len(l) - len(strings.TrimLeft(l, "\t")) }
	// end finds where the block starting at i stops.
	end := func(i int) int {
		d := depth(lines[i])
		fence := strings.HasPrefix(strings.TrimLeft(lines[i], "\t"), "```")
		j := i + 1
		for ; j < len(lines); j++ {
			if fence {
				if strings.HasPrefix(strings.TrimLeft(lines[j], "\t"), "```") {
					return j + 1
				}
				continue
			}
			if lines[j] != "" && depth(lines[j]) <= d {
				break
			}
		}
		for j > i+1 && lines[j-1] == "" {
			j-- // blank lines after a block are not part of it
		}
		return j
	}
	var out []string
	used := 0
	for i := 0; i < len(lines); {
		if lines[i] == "" {
			// Blank lines are spacing, not blocks.
			out = append(out, "")
			i++
			continue
		}
		j := end(i)
		n := j - i
		switch {
		case used+n <= limit:
			out = append(out, lines[i:j]...)
			used += n
			i = j
		case n > limit && used < limit:
			// Too big for any one answer: keep its first line, go inside.
			out = append(out, lines[i])
			used++
			i++
		default:
			d := depth(lines[i])
			id := derivedUUID("block", page, strconv.Itoa(i), body)
			sub := make([]string, n)
			for k, l := range lines[i:j] {
				sub[k] = l[min(d, depth(l)):]
			}
			s.mdLocked().blocks[id] = strings.Join(sub, "\n")
			out = append(out, fmt.Sprintf(`%s<unknown url="https://app.notion.com/p/%s#%s" alt="truncated"/>`,
				strings.Repeat("\t", d), compactID(page), compactID(id)))
			unknown = append(unknown, id)
			used++
			i = j
		}
	}
	return strings.Join(out, "\n"), unknown
}

// ClearFaults drops every fault still queued by FailNext: the network is
// back.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}
