package notiontest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// apiEndpoint runs the checks shared by the /v1/ API endpoints: method,
// bearer token, rate limit, version.
func (s *Server) apiEndpoint(w http.ResponseWriter, r *http.Request, c *call, method string,
	h func(http.ResponseWriter, *call, *grant, string)) {
	if r.Method != method {
		invalidURL(w, r, c)
		return
	}
	tok, _ := bearerToken(r)
	s.mu.Lock()
	var g *grant
	if ref, ok := s.tokens[tok]; ok && !ref.refresh {
		g = ref.g
	}
	retry := s.retryAfter
	s.mu.Unlock()
	if g == nil {
		writeError(w, c, http.StatusUnauthorized, "unauthorized", "API token is invalid.")
		return
	}
	if g.limiter != nil && !g.limiter.Allow() {
		w.Header().Set("Retry-After", strconv.Itoa(retry))
		writeLimited(w, c, http.StatusTooManyRequests, "rate_limited",
			"You have been rate limited. Please try again in a few minutes.")
		return
	}
	version, ok := checkVersion(w, r, c)
	if !ok {
		return
	}
	h(w, c, g, version)
}

// bearerToken reads "Authorization: Bearer …" (the scheme is case-insensitive).
func bearerToken(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", false
	}
	return tok, true
}

func (s *Server) handleUsersMe(w http.ResponseWriter, c *call, g *grant, _ string) {
	s.mu.Lock()
	ws, ok := s.workspaces[g.ws]
	var owner map[string]any
	var wsName any
	if ok {
		wsName = nullable(ws.spec.Name)
		if g.internal {
			owner = map[string]any{"type": "workspace", "workspace": true}
		} else {
			owner = userOwner(ws)
		}
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, c, http.StatusUnauthorized, "unauthorized", "API token is invalid.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"object":     "user",
		"id":         g.botID,
		"name":       "Pagedeck",
		"avatar_url": nil,
		"type":       "bot",
		"bot": map[string]any{
			"owner":          owner,
			"workspace_id":   g.ws,
			"workspace_name": wsName,
		},
		"request_id": c.rid,
	})
}

// validation answers Notion's validation_error with its usual wording.
func validation(w http.ResponseWriter, c *call, path, want string, raw json.RawMessage) {
	writeError(w, c, http.StatusBadRequest, "validation_error",
		fmt.Sprintf("body failed validation: %s should be %s, instead was `%s`.", path, want, compactJSON(raw)))
}

func compactJSON(raw json.RawMessage) string {
	if raw == nil {
		return "undefined"
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return buf.String()
}

// rawString decodes a JSON string, refusing null and other types.
func rawString(raw json.RawMessage) (string, bool) {
	var v string
	if raw == nil || string(raw) == "null" || json.Unmarshal(raw, &v) != nil {
		return "", false
	}
	return v, true
}

// rawObject decodes a JSON object, refusing null and other types.
func rawObject(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if raw == nil || string(raw) == "null" || json.Unmarshal(raw, &m) != nil || m == nil {
		return nil, false
	}
	return m, true
}

// idHash gives the stable, edit-independent order of unsorted results, so
// a client that forgets to ask for a sort does not get one by luck.
func idHash(id string) uint64 {
	sum := sha256.Sum256([]byte("order:" + id))
	return binary.BigEndian.Uint64(sum[:8])
}

// orderKey is an item's position in a result list; a cursor stores the last
// key of a page.
type orderKey struct {
	edited int64 // last_edited_time, Unix nanoseconds
	id     string
}

// before orders results: by edit time when asked, else by a hash of the id;
// ties are broken by id so cursors are stable.
func before(dir string, a, b orderKey) bool {
	switch dir {
	case "ascending":
		if a.edited != b.edited {
			return a.edited < b.edited
		}
	case "descending":
		if a.edited != b.edited {
			return a.edited > b.edited
		}
	default:
		if ha, hb := idHash(a.id), idHash(b.id); ha != hb {
			return ha < hb
		}
	}
	return a.id < b.id
}

// cursorScope binds a cursor to the grant and the search it came from, so a
// cursor from another token or another query is refused.
func cursorScope(g *grant, p searchParams, payload string) []string {
	return []string{"cursor", g.id, p.query, p.filter, p.sortDir, payload}
}

func (s *Server) makeCursor(g *grant, p searchParams, k orderKey) string {
	payload := strconv.FormatInt(k.edited, 10) + "|" + k.id
	sig := s.sign(cursorScope(g, p, payload)...)[:32]
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + sig
}

func (s *Server) readCursor(g *grant, p searchParams) (orderKey, bool) {
	enc, sig, ok := strings.Cut(p.cursor, ".")
	if !ok || len(sig) != 32 {
		return orderKey{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return orderKey{}, false
	}
	if !constEq(sig, s.sign(cursorScope(g, p, string(payload))...)[:32]) {
		return orderKey{}, false
	}
	ts, id, ok := strings.Cut(string(payload), "|")
	if !ok {
		return orderKey{}, false
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return orderKey{}, false
	}
	return orderKey{edited: n, id: id}, true
}

func (s *Server) handleSearch(w http.ResponseWriter, c *call, g *grant, version string) {
	p, ok := parseSearch(w, c, version)
	if !ok {
		return
	}
	var start orderKey
	if p.cursor != "" {
		if start, ok = s.readCursor(g, p); !ok {
			validation(w, c, "body.start_cursor", "a cursor returned by this search", json.RawMessage(strconv.Quote(p.cursor)))
			return
		}
	}
	q := strings.ToLower(p.query)
	type hit struct {
		key orderKey
		it  *item
	}

	s.mu.Lock()
	ws, ok := s.workspaces[g.ws]
	if !ok {
		s.mu.Unlock()
		writeError(w, c, http.StatusUnauthorized, "unauthorized", "API token is invalid.")
		return
	}
	var hits []hit
	for _, id := range ws.order {
		it := s.items[id]
		if it.Unshared {
			continue
		}
		switch p.filter {
		case "page":
			if it.Kind != KindPage {
				continue
			}
		case "data_source", "database":
			if it.Kind != KindDataSource {
				continue
			}
		}
		if q != "" && !strings.Contains(strings.ToLower(it.Title), q) {
			continue
		}
		hits = append(hits, hit{orderKey{it.LastEdited.UnixNano(), it.ID}, it})
	}
	slices.SortFunc(hits, func(a, b hit) int {
		switch {
		case before(p.sortDir, a.key, b.key):
			return -1
		case before(p.sortDir, b.key, a.key):
			return 1
		}
		return 0
	})
	from := 0
	if p.cursor != "" {
		// The first result strictly after the cursor: robust to edits made
		// between pages, like a real keyset cursor.
		from = len(hits)
		for i, h := range hits {
			if before(p.sortDir, start, h.key) {
				from = i
				break
			}
		}
	}
	to := min(from+p.pageSize, len(hits))
	now := s.now()
	results := make([]any, 0, to-from)
	for _, h := range hits[from:to] {
		results = append(results, s.renderLocked(h.it, version, now))
	}
	var next any
	hasMore := to < len(hits)
	if hasMore {
		next = s.makeCursor(g, p, hits[to-1].key)
	}
	s.mu.Unlock()

	kind := "page_or_data_source"
	if version < versionDataSources {
		kind = "page_or_database"
	}
	answer := map[string]any{
		"object":      "list",
		"results":     results,
		"next_cursor": next,
		"has_more":    hasMore,
		"type":        kind,
		kind:          map[string]any{},
		"request_id":  c.rid,
	}
	if c.incomplete {
		half := make([]any, 0, len(results)/2)
		for i, r := range results {
			if i%2 == 0 {
				half = append(half, r)
			}
		}
		answer["results"] = half
		answer["request_status"] = map[string]any{"type": "incomplete"}
	}
	writeJSON(w, http.StatusOK, answer)
}
