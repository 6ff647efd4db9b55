package broker

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// page is an error page for a browser: /authorize and /callback are visited
// by people, so they answer in words and say what to do next.
type page struct {
	Title, Message, Hint string
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pagedeck: {{.Title}}</title>
<style>
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f7f6f3;color:#37352f;
 font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif}
main{max-width:440px;margin:24px;background:#fff;border-radius:12px;padding:32px;
 box-shadow:0 0 0 1px rgba(15,15,15,.05),0 3px 6px rgba(15,15,15,.1),0 9px 24px rgba(15,15,15,.2)}
h1{font-size:18px;margin:0 0 12px}.hint{color:#787774}
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{if .Message}}<p>{{.Message}}</p>{{end}}
{{if .Hint}}<p class="hint">{{.Hint}}</p>{{end}}
</main>
</body>
</html>
`))

func renderPage(w http.ResponseWriter, status int, p page) {
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, p); err != nil {
		http.Error(w, p.Title, status)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// maxStaticBytes bounds the privacy and terms files.
const maxStaticBytes = 1 << 20

// staticPage is an operator's document (privacy policy, terms of use),
// read once at start. Notion's portal asks for both URLs.
type staticPage struct {
	body        []byte
	contentType string
}

// loadStatic reads path, or returns nil when path is empty (the page then
// answers 404). name is the variable that set it, for the error.
func loadStatic(name, path string) (*staticPage, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxStaticBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(body) > maxStaticBytes {
		return nil, fmt.Errorf("%s: %s is larger than %d KiB", name, path, maxStaticBytes>>10)
	}
	ct := "text/plain; charset=utf-8"
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm":
		ct = "text/html; charset=utf-8"
	}
	return &staticPage{body: body, contentType: ct}, nil
}

func (p *staticPage) serve(w http.ResponseWriter, r *http.Request) {
	if p == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", p.contentType)
	// The operator's page may style itself and show images; it runs no script.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'none'")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Content-Length", strconv.Itoa(len(p.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(p.body)
	}
}
