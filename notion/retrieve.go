package notion

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrInvalidID: a value that is not a Notion id (a UUID, with or without
// dashes) was about to go into a request path.
var ErrInvalidID = errors.New("notion: not a Notion id")

// NormalizeID returns id as Notion writes it (lower-case UUID with dashes),
// accepting the 32-hex form without dashes, or reports that it is not an id.
// Ids that reach a request path pass through it, so a hostile value (from a
// webhook, say) cannot add path segments or a query.
func NormalizeID(id string) (string, bool) {
	hex := strings.ToLower(strings.ReplaceAll(id, "-", ""))
	if len(hex) != 32 || (len(id) != 32 && len(id) != 36) {
		return "", false
	}
	for i := 0; i < len(hex); i++ {
		c := hex[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "", false
		}
	}
	if len(id) == 36 && (id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-') {
		return "", false
	}
	return hex[:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:], true
}

// Page retrieves one page (GET /v1/pages/{id}): the current state of an
// item someone said had changed. A page that does not exist, or that is not
// shared with the connection, is ErrNotFound; a trashed page comes back
// with InTrash set.
func (c *Client) Page(ctx context.Context, token Secret, id string) (Item, error) {
	return c.retrieve(ctx, token, "pages", id, "page")
}

// DataSource retrieves one data source (GET /v1/data_sources/{id}), listed
// as a database like the ones search returns. ErrNotFound as for Page.
func (c *Client) DataSource(ctx context.Context, token Secret, id string) (Item, error) {
	return c.retrieve(ctx, token, "data_sources", id, "data_source")
}

func (c *Client) retrieve(ctx context.Context, token Secret, collection, id, object string) (Item, error) {
	norm, ok := NormalizeID(id)
	if !ok {
		return Item{}, fmt.Errorf("%w: %.40q", ErrInvalidID, id)
	}
	path := "/v1/" + collection + "/" + norm
	var raw json.RawMessage
	if err := c.do(ctx, request{method: http.MethodGet, path: path, bearer: token, idempotent: true}, &raw); err != nil {
		return Item{}, err
	}
	var w wireResult
	if err := json.Unmarshal(raw, &w); err != nil {
		return Item{}, fmt.Errorf("%w from /v1/%s: %v", ErrMalformedResponse, collection, err)
	}
	if w.Object != object {
		return Item{}, fmt.Errorf("%w from /v1/%s: object is %.40q, not %q", ErrMalformedResponse, collection, w.Object, object)
	}
	it, err := w.item()
	if err != nil {
		return Item{}, fmt.Errorf("%w from /v1/%s: %v", ErrMalformedResponse, collection, err)
	}
	if n, ok := NormalizeID(it.ID); !ok || n != norm {
		return Item{}, fmt.Errorf("%w from /v1/%s: asked for %s, got another id", ErrMalformedResponse, collection, norm)
	}
	return it, nil
}
