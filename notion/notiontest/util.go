package notiontest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// formatUUID renders 16 bytes as a version-4 UUID (dashed, lower case), the
// form Notion uses for every id in API responses.
func formatUUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// newUUID returns a random UUID v4 for server-made ids (request ids, bots).
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return formatUUID(b)
}

// derivedUUID maps a string to a stable UUID v4, so seeded data can be made
// unique per workspace and still be reproducible.
func derivedUUID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	var b [16]byte
	copy(b[:], sum[:16])
	return formatUUID(b)
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// randomToken returns prefix followed by n random base62 characters; tokens
// and codes are unguessable like the real ones.
func randomToken(prefix string, n int) string {
	buf := make([]byte, n)
	_, _ = rand.Read(buf)
	var sb strings.Builder
	sb.WriteString(prefix)
	for _, c := range buf {
		// The modulo bias is harmless: tokens only need to be unguessable
		// enough for tests and unique.
		sb.WriteByte(base62[int(c)%62])
	}
	return sb.String()
}

// notionTime formats a time the way Notion does: UTC, milliseconds, "Z".
func notionTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// compactID strips the dashes of a UUID, as Notion URLs carry ids.
func compactID(id string) string {
	return strings.ReplaceAll(id, "-", "")
}

// sign returns a hex HMAC of the parts under the server's key; used for the
// consent form, search cursors and file URLs so none can be forged.
func (s *Server) sign(parts ...string) string {
	m := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		fmt.Fprintf(m, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// validSig compares a presented signature in constant time.
func (s *Server) validSig(sig string, parts ...string) bool {
	return hmac.Equal([]byte(sig), []byte(s.sign(parts...)))
}

// writeJSON sends v as a JSON body with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own maps are marshalled; failing here is a bug.
		panic(fmt.Sprintf("notiontest: marshal: %v", err))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError sends Notion's error object.
func writeError(w http.ResponseWriter, c *call, status int, code, message string) {
	writeJSON(w, status, map[string]any{
		"object":     "error",
		"status":     status,
		"code":       code,
		"message":    message,
		"request_id": c.rid,
	})
}

// writeLimited answers 429 rate_limited the way Notion's newer versions
// do: with the budget that ran out in additional_data.
func writeLimited(w http.ResponseWriter, c *call, status int, code, message string) {
	writeJSON(w, status, map[string]any{
		"object":          "error",
		"status":          status,
		"code":            code,
		"message":         message,
		"request_id":      c.rid,
		"additional_data": map[string]any{"rate_limit_reason": "public_api_request_rate_limit"},
	})
}

// writeOAuthError sends the RFC 6749 error shape that Notion's token
// endpoint answers in practice (plus its request id).
func writeOAuthError(w http.ResponseWriter, c *call, status int, code, description string) {
	writeJSON(w, status, map[string]any{
		"error":             code,
		"error_description": description,
		"request_id":        c.rid,
	})
}

// nullable turns "" into JSON null, for Notion's nullable strings.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
