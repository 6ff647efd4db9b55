package notiontest

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// authParams are the query parameters of an authorize request, carried
// through the consent form unchanged.
type authParams struct {
	ClientID, RedirectURI, ResponseType, Owner, State string
	HasState                                          bool
}

func authParamsFrom(v url.Values) authParams {
	_, has := v["state"]
	return authParams{
		ClientID:     v.Get("client_id"),
		RedirectURI:  v.Get("redirect_uri"),
		ResponseType: v.Get("response_type"),
		Owner:        v.Get("owner"),
		State:        v.Get("state"),
		HasState:     has,
	}
}

// problem says what is wrong with the request, or "" when it may proceed.
// Nothing here may redirect: the redirect URI is not trusted yet.
func (s *Server) problem(p authParams) string {
	switch {
	case p.ClientID == "":
		return "The request has no client_id."
	case !constEq(p.ClientID, s.opts.ClientID):
		return "This connection does not exist (unknown client_id)."
	case p.RedirectURI == "":
		return "The request has no redirect_uri."
	case !slices.Contains(s.opts.RedirectURIs, p.RedirectURI):
		return "The redirect_uri is not registered for this connection."
	case p.ResponseType != "code":
		return "response_type must be \"code\"."
	case p.Owner != "user":
		return "owner must be \"user\"."
	}
	return ""
}

// formSig binds the hidden fields of the consent form together so a
// tampered POST (another redirect_uri, another state) is refused.
func (s *Server) formSig(p authParams) string {
	has := "0"
	if p.HasState {
		has = "1"
	}
	return s.sign("consent", p.ClientID, p.RedirectURI, p.ResponseType, p.Owner, has, p.State)
}

// backTo builds the redirect to the client, keeping any query the
// registered URI has and passing state back verbatim.
func backTo(p authParams, key, value string) string {
	u, err := url.Parse(p.RedirectURI)
	if err != nil {
		// Registered URIs are trusted; an unparsable one is a test bug.
		panic("notiontest: registered redirect URI does not parse: " + err.Error())
	}
	q := u.Query()
	q.Set(key, value)
	if p.HasState {
		q.Set("state", p.State)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request, c *call) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		s.authorizeGet(w, r)
	case http.MethodPost:
		s.authorizePost(w, c)
	default:
		w.Header().Set("Allow", "GET, POST")
		s.errorPage(w, http.StatusMethodNotAllowed, "This page only answers GET and POST.")
	}
}

func (s *Server) authorizeGet(w http.ResponseWriter, r *http.Request) {
	p := authParamsFrom(r.URL.Query())
	if msg := s.problem(p); msg != "" {
		s.errorPage(w, http.StatusBadRequest, msg)
		return
	}
	s.mu.Lock()
	deny, auto := s.autoDeny, s.autoApprove
	if !deny && auto != "" {
		if _, ok := s.workspaces[auto]; ok {
			code := s.issueCodeLocked(auto, p.RedirectURI)
			s.mu.Unlock()
			http.Redirect(w, r, backTo(p, "code", code), http.StatusFound)
			return
		}
	}
	var page consentPage
	if !deny {
		page = s.consentPageLocked(p)
	}
	s.mu.Unlock()
	if deny {
		http.Redirect(w, r, backTo(p, "error", "access_denied"), http.StatusFound)
		return
	}
	var buf bytes.Buffer
	if err := consentTmpl.Execute(&buf, page); err != nil {
		panic("notiontest: consent template: " + err.Error())
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// No form-action here: browsers apply it to the redirect that follows
	// the form, which goes to the app's loopback URI.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) authorizePost(w http.ResponseWriter, c *call) {
	form, err := url.ParseQuery(string(c.body))
	if err != nil {
		s.errorPage(w, http.StatusBadRequest, "The form could not be read.")
		return
	}
	p := authParams{
		ClientID:     form.Get("client_id"),
		RedirectURI:  form.Get("redirect_uri"),
		ResponseType: form.Get("response_type"),
		Owner:        form.Get("owner"),
		State:        form.Get("state"),
		HasState:     form.Get("has_state") == "1",
	}
	if msg := s.problem(p); msg != "" {
		s.errorPage(w, http.StatusBadRequest, msg)
		return
	}
	if !s.validSig(form.Get("sig"), "consent", p.ClientID, p.RedirectURI, p.ResponseType, p.Owner, form.Get("has_state"), p.State) {
		s.errorPage(w, http.StatusBadRequest, "The consent form was altered. Start again from the app.")
		return
	}
	switch form.Get("decision") {
	case "cancel":
		w.Header().Set("Location", backTo(p, "error", "access_denied"))
		w.WriteHeader(http.StatusFound)
	case "allow":
		ws := form.Get("workspace_id")
		s.mu.Lock()
		_, ok := s.workspaces[ws]
		var code string
		if ok {
			code = s.issueCodeLocked(ws, p.RedirectURI)
		}
		s.mu.Unlock()
		if !ok {
			s.errorPage(w, http.StatusBadRequest, "Pick a workspace to connect.")
			return
		}
		w.Header().Set("Location", backTo(p, "code", code))
		w.WriteHeader(http.StatusFound)
	default:
		s.errorPage(w, http.StatusBadRequest, "Choose Allow access or Cancel.")
	}
}

// issueCodeLocked makes a single-use code bound to the workspace and the
// redirect URI; expired codes are swept here so the map stays small.
func (s *Server) issueCodeLocked(ws, redirectURI string) string {
	now := s.now()
	for k, ac := range s.codes {
		if now.After(ac.issued.Add(s.opts.CodeTTL + time.Hour)) {
			delete(s.codes, k)
		}
	}
	code := randomToken("", 8) + "-" + newUUID()
	s.codes[code] = &authCode{ws: ws, redirectURI: redirectURI, issued: now}
	return code
}

type consentPage struct {
	Params     authParams
	HasState   string
	Sig        string
	Host       string
	Workspaces []consentWorkspace
}

type consentWorkspace struct {
	ID, Name, Icon string
	Pages          []consentItem
	More           int
}

type consentItem struct{ Icon, Title string }

// consentPageLocked gathers what the page shows: every workspace and a few
// of the pages the connection would see in each.
func (s *Server) consentPageLocked(p authParams) consentPage {
	page := consentPage{Params: p, HasState: "0", Sig: s.formSig(p), Host: p.RedirectURI}
	if p.HasState {
		page.HasState = "1"
	}
	if u, err := url.Parse(p.RedirectURI); err == nil {
		page.Host = u.Host
	}
	const shown = 6
	for _, id := range s.wsOrder {
		ws := s.workspaces[id]
		cw := consentWorkspace{ID: id, Name: ws.spec.Name, Icon: "🏢"}
		if cw.Name == "" {
			cw.Name = "Untitled workspace"
		}
		if e := ws.spec.Icon; e != "" && len(e) <= 16 && !isURL(e) {
			cw.Icon = e
		}
		n := 0
		for _, iid := range ws.order {
			it := s.items[iid]
			if it.Unshared || it.InTrash {
				continue
			}
			n++
			if len(cw.Pages) < shown {
				cw.Pages = append(cw.Pages, consentItem{Icon: plainIcon(it), Title: displayTitle(it.Title)})
			}
		}
		cw.More = n - len(cw.Pages)
		page.Workspaces = append(page.Workspaces, cw)
	}
	return page
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

func displayTitle(t string) string {
	if t == "" {
		return "Untitled"
	}
	return t
}

// plainIcon is a text stand-in for an item's icon on the consent page.
func plainIcon(it *item) string {
	if it.Icon.Type == "emoji" && it.Icon.Emoji != "" {
		return it.Icon.Emoji
	}
	if it.Kind == KindDataSource {
		return "🗂️"
	}
	return "📄"
}

func (s *Server) errorPage(w http.ResponseWriter, status int, msg string) {
	var buf bytes.Buffer
	if err := errorTmpl.Execute(&buf, msg); err != nil {
		panic("notiontest: error template: " + err.Error())
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

const pageStyle = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
 background:#f7f6f3;color:#37352f;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif}
.card{width:100%;max-width:440px;margin:24px;background:#fff;border-radius:12px;
 box-shadow:0 0 0 1px rgba(15,15,15,.05),0 3px 6px rgba(15,15,15,.1),0 9px 24px rgba(15,15,15,.2);padding:32px}
.logos{display:flex;align-items:center;justify-content:center;gap:12px;margin-bottom:20px}
.logo{width:48px;height:48px;border-radius:10px;display:flex;align-items:center;justify-content:center;
 font:700 26px Georgia,serif}
.app{background:#2f6fde;color:#fff}.notion{background:#fff;color:#000;border:2px solid #000}
.dots{color:#9b9a97;letter-spacing:3px}
h1{font-size:18px;font-weight:600;text-align:center;margin:0 0 20px}
h2{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#787774;margin:18px 0 6px;font-weight:600}
label{display:block;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#787774;font-weight:600;margin-bottom:6px}
select{width:100%;padding:8px 10px;font-size:15px;border:1px solid #e0dfdc;border-radius:6px;background:#fff;color:inherit}
ul{list-style:none;margin:0;padding:0}
.caps li{padding:3px 0 3px 22px;position:relative}.caps li:before{content:"✓";position:absolute;left:2px;color:#0f7b6c}
.pagelist{border:1px solid #ebeae7;border-radius:6px;padding:4px 0;margin-bottom:6px}
.pagelist h3{font-size:13px;margin:4px 10px;color:#787774;font-weight:500}
.pagelist li{padding:4px 10px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.pagelist .icon{display:inline-block;width:22px}
.pagelist .more,.pagelist .empty{color:#9b9a97}
.note{font-size:13px;color:#787774;margin:16px 0}
.note code{background:#f1f1ef;border-radius:3px;padding:1px 4px;color:#eb5757}
.buttons{display:flex;flex-direction:row-reverse;gap:10px}
button{flex:1;padding:9px 12px;font-size:15px;border-radius:6px;cursor:pointer;font-weight:500}
.primary{background:#2383e2;color:#fff;border:1px solid #2383e2}.primary:hover{background:#0077d4}
.primary:disabled{background:#a5cdf3;border-color:#a5cdf3;cursor:default}
.secondary{background:#fff;color:#37352f;border:1px solid #e0dfdc}.secondary:hover{background:#f1f1ef}
.error{color:#eb5757}
`

// The consent page works without script; the script only narrows the list
// of pages to the workspace picked.
var consentTmpl = template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pagedeck wants to access your Notion workspace</title>
<style>` + pageStyle + `</style>
</head>
<body>
<main class="card">
<div class="logos"><span class="logo app">P</span><span class="dots">•••</span><span class="logo notion">N</span></div>
<h1><strong>Pagedeck</strong> wants to access your Notion workspace</h1>
<form method="post" action="/v1/oauth/authorize">
<input type="hidden" name="client_id" value="{{.Params.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.Params.RedirectURI}}">
<input type="hidden" name="response_type" value="{{.Params.ResponseType}}">
<input type="hidden" name="owner" value="{{.Params.Owner}}">
<input type="hidden" name="state" value="{{.Params.State}}">
<input type="hidden" name="has_state" value="{{.HasState}}">
<input type="hidden" name="sig" value="{{.Sig}}">
{{if .Workspaces}}
<label for="workspace">Workspace</label>
<select id="workspace" name="workspace_id">
{{range .Workspaces}}<option value="{{.ID}}">{{.Icon}} {{.Name}}</option>
{{end}}</select>
{{else}}
<p class="error">There is no workspace to connect.</p>
{{end}}
<h2>Pagedeck will be able to</h2>
<ul class="caps">
<li>Read the pages and databases you share with it</li>
<li>See your workspace's name and icon</li>
<li>See your name and email address</li>
</ul>
{{if .Workspaces}}
<h2>Pages that will be shared</h2>
{{range .Workspaces}}<ul class="pagelist" data-ws="{{.ID}}">
<li><h3>{{.Icon}} {{.Name}}</h3></li>
{{range .Pages}}<li><span class="icon">{{.Icon}}</span>{{.Title}}</li>
{{else}}<li class="empty">No pages yet</li>
{{end}}{{if .More}}<li class="more">and {{.More}} more</li>{{end}}
</ul>
{{end}}{{end}}
<p class="note">You'll be sent back to <code>{{.Host}}</code>. You can change what Pagedeck sees at any time in Settings → Connections.</p>
<div class="buttons">
<button type="submit" name="decision" value="allow" class="primary"{{if not .Workspaces}} disabled{{end}} autofocus>Allow access</button>
<button type="submit" name="decision" value="cancel" class="secondary">Cancel</button>
</div>
</form>
</main>
<script>
(function () {
  var sel = document.getElementById("workspace");
  if (!sel) return;
  var lists = document.querySelectorAll(".pagelist");
  function show() {
    for (var i = 0; i < lists.length; i++) {
      lists[i].style.display = lists[i].getAttribute("data-ws") === sel.value ? "" : "none";
    }
  }
  sel.addEventListener("change", show);
  show();
})();
</script>
</body>
</html>
`))

var errorTmpl = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Something went wrong</title>
<style>` + pageStyle + `</style>
</head>
<body>
<main class="card">
<div class="logos"><span class="logo notion">N</span></div>
<h1>Something went wrong</h1>
<p class="error">{{.}}</p>
<p class="note">Go back to the app and try connecting again.</p>
</main>
</body>
</html>
`))
