package auth

import (
	"errors"
	"html/template"
	"net/http"
)

// page is a result page shown in the browser after the consent screen.
type page struct {
	Title  string
	Lead   string // the sentence that matters
	Detail string
	OK     bool
}

// The pages are self-contained: inline CSS, no scripts, no external
// resources, everything escaped by html/template.
var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · Pagedeck</title>
<style>
:root{color-scheme:light dark}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
 font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif;background:#f4f4fb;color:#1d1d3a}
main{max-width:30rem;margin:2rem;padding:2.25rem 2.5rem;background:#fff;border-radius:18px;
 box-shadow:0 10px 40px rgba(43,43,110,.12);text-align:center}
.mark{width:56px;height:56px;margin:0 auto 1rem;border-radius:14px;display:flex;align-items:center;justify-content:center;
 font-size:30px;color:#fff;background:{{if .OK}}#5b5bd6{{else}}#c2410c{{end}}}
h1{font-size:1.35rem;margin:0 0 .5rem}
p{margin:.4rem 0;color:#4a4a6a}
.brand{margin-top:1.5rem;font-size:.85rem;color:#8a8aa8}
@media (prefers-color-scheme:dark){body{background:#16162a;color:#ececf8}main{background:#222240;box-shadow:none}p{color:#b9b9d6}}
</style></head>
<body><main>
<div class="mark">{{if .OK}}&#10003;{{else}}!{{end}}</div>
<h1>{{.Lead}}</h1>
{{if .Detail}}<p>{{.Detail}}</p>{{end}}
<p class="brand">Pagedeck</p>
</main></body></html>
`))

func renderPage(w http.ResponseWriter, status int, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, p)
}

func pageConnected(workspace string) page {
	if workspace == "" {
		workspace = "your Notion workspace"
	}
	return page{Title: "Connected", OK: true,
		Lead:   "Pagedeck is connected to " + workspace + ". You can close this tab.",
		Detail: "Your pages are loading in the Pagedeck window."}
}

func pageDenied() page {
	return page{Title: "Not connected",
		Lead:   "Pagedeck was not given access.",
		Detail: "You cancelled on Notion's page, so nothing was connected. If you change your mind, click Connect again in Pagedeck."}
}

func pageWrongState() page {
	return page{Title: "Link not recognised",
		Lead:   "This sign-in link does not belong to the connection Pagedeck is waiting for.",
		Detail: "It may be old or opened twice. Go back to Pagedeck and use the link it shows, or start again."}
}

func pageUsed() page {
	return page{Title: "Already used",
		Lead:   "This sign-in link was already used.",
		Detail: "Go back to Pagedeck: it shows whether the connection worked."}
}

func pageFailed(err error) page {
	detail := "Go back to Pagedeck and try again. If it keeps failing, check the connection settings (client ID, secret and redirect URI)."
	var ke *KeychainError
	if errors.As(err, &ke) {
		detail = ke.Hint
	}
	return page{Title: "Not connected",
		Lead:   "Pagedeck could not finish connecting: " + err.Error(),
		Detail: detail}
}
