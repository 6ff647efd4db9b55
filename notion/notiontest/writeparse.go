package notiontest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf16"
)

// Reading a write's body as strictly as Notion: rich text, blocks and the
// fields a request may carry.

// parseRichText validates a rich-text array: at most 100 text objects of
// at most 2,000 characters each.
func parseRichText(w http.ResponseWriter, c *call, path string, raw json.RawMessage) ([]string, bool) {
	parts, msg := richTextParts(path, raw)
	if msg != "" {
		writeError(w, c, http.StatusBadRequest, "validation_error", msg)
		return nil, false
	}
	return parts, true
}

// richTextParts reads a rich-text array's contents, or says what is wrong
// as Notion's validation_error message.
func richTextParts(path string, raw json.RawMessage) ([]string, string) {
	should := func(path, want string, raw json.RawMessage) string {
		return fmt.Sprintf("body failed validation: %s should be %s, instead was `%s`.", path, want, compactJSON(raw))
	}
	var arr []json.RawMessage
	if raw == nil || string(raw) == "null" || json.Unmarshal(raw, &arr) != nil {
		return nil, should(path, "an array", raw)
	}
	if len(arr) > 100 {
		return nil, fmt.Sprintf("body failed validation: %s.length should be ≤ `100`, instead was `%d`.", path, len(arr))
	}
	parts := make([]string, 0, len(arr))
	for i, el := range arr {
		p := fmt.Sprintf("%s[%d]", path, i)
		m, ok := rawObject(el)
		if !ok {
			return nil, should(p, "an object", el)
		}
		if typ, ok := m["type"]; ok {
			if t, ok := rawString(typ); !ok || t != "text" {
				return nil, should(p+".type", `"text"`, typ)
			}
		}
		txt, ok := rawObject(m["text"])
		if !ok {
			return nil, should(p+".text", "an object", m["text"])
		}
		content, ok := rawString(txt["content"])
		if !ok {
			return nil, should(p+".text.content", "a string", txt["content"])
		}
		if n := len(utf16.Encode([]rune(content))); n > 2000 {
			return nil, fmt.Sprintf("body failed validation: %s.text.content.length should be ≤ `2000`, instead was `%d`.", p, n)
		}
		parts = append(parts, content)
	}
	return parts, ""
}

// parseBlocks validates children: 1 to 100 blocks of the text types.
func parseBlocks(w http.ResponseWriter, c *call, raw json.RawMessage) ([]*blockRec, bool) {
	var arr []json.RawMessage
	if raw == nil || string(raw) == "null" || json.Unmarshal(raw, &arr) != nil {
		validation(w, c, "body.children", "an array", raw)
		return nil, false
	}
	if len(arr) > 100 {
		writeError(w, c, http.StatusBadRequest, "validation_error",
			fmt.Sprintf("body failed validation: body.children.length should be ≤ `100`, instead was `%d`.", len(arr)))
		return nil, false
	}
	out := make([]*blockRec, 0, len(arr))
	for i, el := range arr {
		p := fmt.Sprintf("body.children[%d]", i)
		m, ok := rawObject(el)
		if !ok {
			validation(w, c, p, "an object", el)
			return nil, false
		}
		typ, ok := rawString(m["type"])
		if !ok || !slices.Contains(textTypes, typ) {
			validation(w, c, p+".type", "one of "+strings.Join(textTypes, ", "), m["type"])
			return nil, false
		}
		body, ok := rawObject(m[typ])
		if !ok {
			validation(w, c, p+"."+typ, "an object", m[typ])
			return nil, false
		}
		parts, ok := parseRichText(w, c, p+"."+typ+".rich_text", body["rich_text"])
		if !ok {
			return nil, false
		}
		b := &blockRec{id: newUUID(), typ: typ, parts: parts}
		if typ == "to_do" {
			if v, ok := body["checked"]; ok {
				if string(v) != "true" && string(v) != "false" {
					validation(w, c, p+".to_do.checked", "a boolean", v)
					return nil, false
				}
				b.checked = string(v) == "true"
			}
		}
		out = append(out, b)
	}
	return out, true
}

// parseWriteBody decodes a JSON object body and refuses keys not allowed.
func parseWriteBody(w http.ResponseWriter, c *call, allowed ...string) (map[string]json.RawMessage, bool) {
	if !json.Valid(c.body) {
		writeError(w, c, http.StatusBadRequest, "invalid_json", "Error parsing JSON body.")
		return nil, false
	}
	m, ok := rawObject(c.body)
	if !ok {
		validation(w, c, "body", "an object", c.body)
		return nil, false
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(allowed, k) {
			validation(w, c, "body."+k, "not present", m[k])
			return nil, false
		}
	}
	return m, true
}
