package notiontest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// retrievePath recognises GET /v1/pages/{id} and GET /v1/data_sources/{id}
// (and nothing below them, such as /v1/pages/{id}/markdown).
func retrievePath(p string) (collection, id string, ok bool) {
	rest, found := strings.CutPrefix(p, "/v1/")
	if !found {
		return "", "", false
	}
	collection, id, found = strings.Cut(rest, "/")
	if !found || id == "" || strings.Contains(id, "/") || (collection != "pages" && collection != "data_sources") {
		return "", "", false
	}
	return collection, id, true
}

// handleRetrieve is GET /v1/pages/{id} or /v1/data_sources/{id}: the item as
// search renders it. As at Notion, an id that is unknown, in another
// workspace, not shared with the connection or of the other kind is 404
// object_not_found; a trashed item is returned with in_trash set; an id
// that is not a UUID is a validation error.
func (s *Server) handleRetrieve(w http.ResponseWriter, r *http.Request, c *call) {
	collection, rawID, _ := retrievePath(r.URL.Path)
	s.apiEndpoint(w, r, c, http.MethodGet, func(w http.ResponseWriter, c *call, g *grant, version string) {
		kind, param, noun := KindPage, "page_id", "page"
		if collection == "data_sources" {
			if version < versionDataSources {
				invalidURL(w, r, c)
				return
			}
			kind, param, noun = KindDataSource, "data_source_id", "data source"
		}
		id, ok := normalizeUUID(rawID)
		if !ok {
			writeError(w, c, http.StatusBadRequest, "validation_error",
				fmt.Sprintf("path failed validation: path.%s should be a valid uuid, instead was `%s`.", param, strconv.Quote(rawID)))
			return
		}
		s.mu.Lock()
		it, found := s.items[id]
		visible := found && it.ws == g.ws && !it.Unshared && it.Kind == kind
		var body map[string]any
		if visible {
			body = s.renderLocked(it, version, s.now())
		}
		s.mu.Unlock()
		if !visible {
			writeError(w, c, http.StatusNotFound, "object_not_found",
				fmt.Sprintf("Could not find %s with ID: %s. Make sure the relevant pages and databases are shared with your integration.", noun, id))
			return
		}
		body["request_id"] = c.rid
		writeJSON(w, http.StatusOK, body)
	})
}

// normalizeUUID accepts a UUID with or without dashes, in either case, and
// returns the dashed lower-case form the emulator stores.
func normalizeUUID(id string) (string, bool) {
	hex := strings.ToLower(strings.ReplaceAll(id, "-", ""))
	if len(hex) != 32 || (len(id) != 32 && len(id) != 36) {
		return "", false
	}
	for i := 0; i < len(hex); i++ {
		if c := hex[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "", false
		}
	}
	if len(id) == 36 && (id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-') {
		return "", false
	}
	return hex[:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:], true
}

func isRetrieve(p string) bool {
	_, _, ok := retrievePath(p)
	return ok
}
