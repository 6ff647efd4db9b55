package cli

// Captures through the real command line: each pagedeck is a process of its
// own (the budget stand-in, see budget_e2e_test.go), against the emulator,
// sharing one data directory and keychain.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// envKillAfterCapture makes the stand-in kill itself (SIGKILL on Unix)
// once a capture is on disk and before it is sent: a crash at the worst
// moment. Test-only: it is read by the test binary standing in for
// pagedeck, never by pagedeck itself.
const envKillAfterCapture = "PAGEDECK_TEST_KILL_AFTER_CAPTURE"

func killSelf(store.OutboxItem) {
	p, err := os.FindProcess(os.Getpid())
	if err == nil {
		_ = p.Kill() // this process, by its own id
	}
	select {} // the kill lands; nothing after the capture runs
}

// captureWorld is a connected machine with a page "Inbox" in the list.
type captureWorld struct {
	*budgetWorld
	inbox string
}

func newCaptureWorld(t *testing.T) *captureWorld {
	t.Helper()
	w := newBudgetWorld(t, 10)
	inbox := w.emu.AddItem(w.ws, notiontest.ItemSpec{Title: "Inbox"})
	w.emu.SetContent(inbox, "Things to sort.")
	w.connect()
	return &captureWorld{budgetWorld: w, inbox: inbox}
}

// run runs pagedeck to its end.
func (w *captureWorld) run(args ...string) (code int, stdout, stderr string) {
	w.tb.Helper()
	p := w.start(args...)
	code = p.wait()
	return code, p.stdout.String(), p.stderr.String()
}

// down points the next processes at a port where nothing answers.
func (w *captureWorld) down(t *testing.T) {
	w.extra = []string{app.EnvNotionURL + "=http://127.0.0.1:" + fmt.Sprint(notiontest.Port(t))}
}

func (w *captureWorld) up() { w.extra = nil }

// childPages are the pages the API made under parent, by title.
func (w *captureWorld) childPages(parent string) map[string]int {
	out := map[string]int{}
	for _, b := range w.emu.Written(parent) {
		if b.Type == "child_page" {
			out[b.Text]++
		}
	}
	return out
}

func (w *captureWorld) outbox(t *testing.T) []outboxJSON {
	t.Helper()
	code, out, errs := w.run("outbox", "--json")
	if code != 0 {
		t.Fatalf("outbox: exit %d: %s", code, errs)
	}
	var items []outboxJSON
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("outbox --json: %v in %q", err, out)
	}
	return items
}

func TestCaptureNewUnderAPage(t *testing.T) {
	w := newCaptureWorld(t)
	w.stdin = "# Why\n\nThe tap drips."
	code, out, errs := w.run("new", w.inbox, "Call the plumber", "--body", "-", "--json")
	if code != 0 {
		t.Fatalf("new: exit %d: %s", code, errs)
	}
	var got captureJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if got.Status != "sent" || got.Title != "Call the plumber" || got.ParentID != w.inbox || got.WorkspaceID != w.ws ||
		got.ID == "" || !strings.HasPrefix(got.URL, "https://") {
		t.Errorf("new --json = %+v", got)
	}
	if n := w.childPages(w.inbox); n["Call the plumber"] != 1 || len(n) != 1 {
		t.Errorf("Notion has %v", n)
	}
	if body := w.emu.Content(got.ID); body != "# Why\n\nThe tap drips." {
		t.Errorf("body = %q", body)
	}
	// It is in the local list at once, with its path, before any sync.
	code, out, errs = w.run("search", "plumber", "--json")
	if code != 0 || !strings.Contains(out, got.ID) || !strings.Contains(out, "Inbox") {
		t.Errorf("search after new: exit %d: %s %s", code, out, errs)
	}
	// Text output, and nothing left in the outbox.
	code, out, errs = w.run("new", w.inbox, "Second thought")
	if code != 0 || !strings.HasPrefix(out, "created: Second thought (") {
		t.Errorf("new: exit %d: %q %s", code, out, errs)
	}
	if items := w.outbox(t); len(items) != 0 {
		t.Errorf("the outbox keeps %+v", items)
	}
}

func TestCaptureAppend(t *testing.T) {
	w := newCaptureWorld(t)
	code, out, errs := w.run("append", w.inbox, "- milk\n- bread", "--json")
	if code != 0 {
		t.Fatalf("append: exit %d: %s", code, errs)
	}
	var got appendJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.PageID != w.inbox || got.Status != "sent" {
		t.Errorf("append --json = %+v (%v)", got, err)
	}
	w.stdin = "A thought from stdin."
	if code, _, errs := w.run("append", w.inbox, "-"); code != 0 {
		t.Fatalf("append -: exit %d: %s", code, errs)
	}
	var texts []string
	for _, b := range w.emu.Written(w.inbox) {
		texts = append(texts, b.Type+":"+b.Text)
	}
	want := "bulleted_list_item:milk|bulleted_list_item:bread|paragraph:A thought from stdin."
	if strings.Join(texts, "|") != want {
		t.Errorf("the page got %q", texts)
	}
	if !strings.HasSuffix(w.emu.Content(w.inbox), "- milk\n- bread\nA thought from stdin.") {
		t.Errorf("content = %q", w.emu.Content(w.inbox))
	}
}

func TestCaptureWhileNotionIsDownThenSync(t *testing.T) {
	w := newCaptureWorld(t)
	w.down(t)
	code, out, errs := w.run("new", w.inbox, "Offline idea", "--json")
	if code != 0 {
		t.Fatalf("new while down: exit %d: %s", code, errs)
	}
	var got captureJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Status != "queued" || got.OutboxID == "" {
		t.Errorf("new --json while down = %q (%v)", out, err)
	}
	if !strings.Contains(errs, "waits in the outbox") {
		t.Errorf("stderr = %q", errs)
	}
	items := w.outbox(t)
	if len(items) != 1 || items[0].State != "waiting" || items[0].Kind != "new" || items[0].Title != "Offline idea" ||
		items[0].ParentID != w.inbox || items[0].WorkspaceID != w.ws || items[0].Attempts != 1 {
		t.Fatalf("outbox = %+v", items)
	}
	w.up()
	if code, _, errs := w.run("sync", "--no-content"); code != 0 {
		t.Fatalf("sync: exit %d: %s", code, errs)
	}
	if n := w.childPages(w.inbox); n["Offline idea"] != 1 {
		t.Errorf("Notion has %v", n)
	}
	if items := w.outbox(t); len(items) != 0 {
		t.Errorf("the outbox keeps %+v", items)
	}
	// Another sync sends nothing more.
	if code, _, errs := w.run("sync", "--no-content"); code != 0 {
		t.Fatalf("sync: exit %d: %s", code, errs)
	}
	if n := w.emu.Count(http.MethodPost, "/v1/pages"); n != 1 {
		t.Errorf("%d creates reached Notion", n)
	}
}

func TestCaptureLostAnswerOnNew(t *testing.T) {
	w := newCaptureWorld(t)
	w.emu.FailNext("/v1/pages", 1, notiontest.FaultLostAnswer)
	code, out, errs := w.run("new", w.inbox, "Maybe made")
	if code != 0 || !strings.HasPrefix(out, "queued: Maybe made") {
		t.Fatalf("new: exit %d: %q %s", code, out, errs)
	}
	for range 2 {
		if code, _, errs := w.run("outbox", "send"); code != 0 {
			t.Fatalf("outbox send: exit %d: %s", code, errs)
		}
	}
	if n := w.childPages(w.inbox); n["Maybe made"] != 1 {
		t.Errorf("Notion has %v", n)
	}
	if n := w.emu.Count(http.MethodPost, "/v1/pages"); n != 1 {
		t.Errorf("the page was sent %d times", n)
	}
	if items := w.outbox(t); len(items) != 0 {
		t.Errorf("the outbox keeps %+v", items)
	}
	// The page found by looking joins the local list too.
	if code, out, _ := w.run("search", "Maybe made", "--json"); code != 0 || !strings.Contains(out, "Maybe made") {
		t.Errorf("search: %d %s", code, out)
	}
}

func TestCaptureLostAnswerOnAppend(t *testing.T) {
	w := newCaptureWorld(t)
	// The same note twice: the second must not be taken for the first.
	if code, _, errs := w.run("append", w.inbox, "buy milk"); code != 0 {
		t.Fatalf("append: exit %d: %s", code, errs)
	}
	w.emu.FailNext("/v1/blocks/"+w.inbox+"/children", 1, notiontest.FaultLostAnswer)
	code, out, errs := w.run("append", w.inbox, "buy milk")
	if code != 0 || !strings.HasPrefix(out, "queued:") {
		t.Fatalf("append: exit %d: %q %s", code, out, errs)
	}
	if code, _, errs := w.run("outbox", "send"); code != 0 {
		t.Fatalf("outbox send: exit %d: %s", code, errs)
	}
	var n int
	for _, b := range w.emu.Written(w.inbox) {
		if b.Text == "buy milk" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("the page has %d notes, want 2: %+v", n, w.emu.Written(w.inbox))
	}
	if p := w.emu.Count(http.MethodPatch, "/v1/blocks/"+w.inbox+"/children"); p != 2 {
		t.Errorf("%d appends reached Notion", p)
	}
}

func TestCaptureKilledBeforeSending(t *testing.T) {
	w := newCaptureWorld(t)
	w.extra = []string{envKillAfterCapture + "=1"}
	code, _, errs := w.run("new", w.inbox, "Survives a crash")
	if code == 0 {
		t.Fatalf("the process was not killed: %s", errs)
	}
	w.extra = nil
	if n := w.emu.Count(http.MethodPost, "/v1/pages"); n != 0 {
		t.Fatalf("%d creates before the crash", n)
	}
	items := w.outbox(t)
	if len(items) != 1 || items[0].Title != "Survives a crash" || items[0].State != "waiting" || items[0].Attempts != 0 {
		t.Fatalf("outbox after the crash = %+v", items)
	}
	for range 2 {
		if code, _, errs := w.run("outbox", "send"); code != 0 {
			t.Fatalf("outbox send: exit %d: %s", code, errs)
		}
	}
	if n := w.childPages(w.inbox); n["Survives a crash"] != 1 || w.emu.Count(http.MethodPost, "/v1/pages") != 1 {
		t.Errorf("Notion has %v after %d creates", n, w.emu.Count(http.MethodPost, "/v1/pages"))
	}
}

func TestCaptureTwoProcessesSendOnce(t *testing.T) {
	w := newCaptureWorld(t)
	w.down(t)
	titles := []string{"one", "two", "three"}
	for _, title := range titles {
		if code, _, errs := w.run("new", w.inbox, title); code != 0 {
			t.Fatalf("new: exit %d: %s", code, errs)
		}
	}
	w.up()
	// Notion holds the first create a while, so the two senders overlap.
	w.emu.FailNext("/v1/pages", 1, notiontest.FaultSlow)
	a, b := w.start("outbox", "send"), w.start("outbox", "send")
	if ca, cb := a.wait(), b.wait(); ca != 0 || cb != 0 {
		t.Fatalf("outbox send: exits %d %d: %s %s", ca, cb, a.stderr, b.stderr)
	}
	n := w.childPages(w.inbox)
	for _, title := range titles {
		if n[title] != 1 {
			t.Errorf("%q made %d times", title, n[title])
		}
	}
	if p := w.emu.Count(http.MethodPost, "/v1/pages"); p != len(titles) {
		t.Errorf("%d creates for %d captures", p, len(titles))
	}
	// In order: one, two, three.
	var order []string
	for _, b := range w.emu.Written(w.inbox) {
		order = append(order, b.Text)
	}
	if strings.Join(order, ",") != "one,two,three" {
		t.Errorf("made in the order %v", order)
	}
}

func TestCaptureWithoutInsertContent(t *testing.T) {
	w := newCaptureWorld(t)
	w.emu.SetInsertAccess(w.ws, false)
	code, _, errs := w.run("new", w.inbox, "Needs a permission")
	if code != 1 || !strings.Contains(errs, "Insert content") || !strings.Contains(errs, "pagedeck connect") ||
		!strings.Contains(errs, "outbox") {
		t.Errorf("new without Insert content: exit %d: %s", code, errs)
	}
	items := w.outbox(t)
	if len(items) != 1 || items[0].State != "needs_permission" || !strings.Contains(items[0].Error, "Insert content") ||
		!strings.Contains(items[0].Error, "reconnect") || items[0].Attempts != 1 {
		t.Fatalf("outbox = %+v", items)
	}
	// No retry loop: syncs leave it held and send nothing.
	for range 2 {
		if code, _, errs := w.run("sync", "--no-content"); code != 0 {
			t.Fatalf("sync: exit %d: %s", code, errs)
		}
	}
	if n := w.emu.Count(http.MethodPost, "/v1/pages"); n != 1 {
		t.Errorf("%d creates while held", n)
	}
	if items := w.outbox(t); len(items) != 1 || items[0].State != "needs_permission" {
		t.Errorf("outbox = %+v", items)
	}
	// Once the capability is on, asking again sends it, once.
	w.emu.SetInsertAccess(w.ws, true)
	if code, out, errs := w.run("outbox", "send"); code != 0 || !strings.Contains(out, "Needs a permission") {
		t.Fatalf("outbox send: exit %d: %s %s", code, out, errs)
	}
	if n := w.childPages(w.inbox); n["Needs a permission"] != 1 {
		t.Errorf("Notion has %v", n)
	}
}

func TestCaptureRejectedAndDropped(t *testing.T) {
	w := newCaptureWorld(t)
	// The parent is gone at Notion but still in the local list: 404.
	w.emu.Delete(w.inbox)
	code, _, errs := w.run("new", w.inbox, "Into the void")
	if code != 1 || !strings.Contains(errs, "refused") || !strings.Contains(errs, "outbox drop") {
		t.Errorf("new under a deleted page: exit %d: %s", code, errs)
	}
	items := w.outbox(t)
	if len(items) != 1 || items[0].State != "rejected" || !strings.Contains(items[0].Error, "Could not find page") {
		t.Fatalf("outbox = %+v", items)
	}
	// Never sent again by itself.
	if code, _, _ := w.run("sync", "--no-content"); code != 0 {
		t.Error("sync failed")
	}
	if n := w.emu.Count(http.MethodPost, "/v1/pages"); n != 1 {
		t.Errorf("%d creates", n)
	}
	if code, _, errs := w.run("outbox", "drop", items[0].ID); code != 2 || !strings.Contains(errs, "--yes") {
		t.Errorf("drop without a terminal: exit %d: %s", code, errs)
	}
	if code, out, errs := w.run("outbox", "drop", items[0].ID, "--yes"); code != 0 || !strings.Contains(out, "dropped") {
		t.Errorf("drop: exit %d: %s", code, errs)
	}
	if items := w.outbox(t); len(items) != 0 {
		t.Errorf("the outbox keeps %+v", items)
	}
}

func TestCaptureKilledWhileSending(t *testing.T) {
	w := newCaptureWorld(t)
	// Notion holds the create; the process is killed while it waits. The
	// emulator then finishes the write, as a server does whose client went.
	w.emu.FailNext("/v1/pages", 1, notiontest.FaultSlow)
	p := w.start("new", w.inbox, "Sent as it died")
	inFlight := func() bool {
		for _, r := range w.emu.Requests() {
			if r.Method == http.MethodPost && r.Path == "/v1/pages" {
				return true
			}
		}
		return false
	}
	if !waitFor(p, inFlight) {
		t.Fatalf("new ended before sending: %d %s", p.code, p.stderr)
	}
	_ = p.cmd.Process.Kill() // this test's own child, by its id
	p.wait()
	// The emulator finishes serving the create (its log has the status).
	served := func() bool {
		for _, r := range w.emu.Requests() {
			if r.Method == http.MethodPost && r.Path == "/v1/pages" && r.Status != 0 {
				return true
			}
		}
		return false
	}
	for !served() {
		time.Sleep(10 * time.Millisecond)
	}
	if n := w.childPages(w.inbox); n["Sent as it died"] != 1 {
		t.Fatalf("the held create made %v", n)
	}
	items := w.outbox(t)
	if len(items) != 1 || items[0].Attempts != 1 {
		t.Fatalf("outbox after the kill = %+v", items)
	}
	if code, _, errs := w.run("outbox", "send"); code != 0 {
		t.Fatalf("outbox send: exit %d: %s", code, errs)
	}
	if n := w.childPages(w.inbox); n["Sent as it died"] != 1 || w.emu.Count(http.MethodPost, "/v1/pages") != 1 {
		t.Errorf("Notion has %v after %d creates", n, w.emu.Count(http.MethodPost, "/v1/pages"))
	}
	if items := w.outbox(t); len(items) != 0 {
		t.Errorf("the outbox keeps %+v", items)
	}
}

func TestCaptureCannotLookDoesNotResend(t *testing.T) {
	w := newCaptureWorld(t)
	// The answer is lost, and the connection may not read blocks to check:
	// Pagedeck holds the capture rather than risk a second page.
	w.emu.SetContentAccess(w.ws, false)
	w.emu.FailNext("/v1/pages", 1, notiontest.FaultLostAnswer)
	if code, out, errs := w.run("new", w.inbox, "Unverifiable"); code != 0 || !strings.HasPrefix(out, "queued:") {
		t.Fatalf("new: exit %d: %q %s", code, out, errs)
	}
	code, _, errs := w.run("outbox", "send")
	if code != 1 || !strings.Contains(errs, "Read content") {
		t.Errorf("outbox send: exit %d: %s", code, errs)
	}
	items := w.outbox(t)
	if len(items) != 1 || items[0].State != "needs_permission" || !strings.Contains(items[0].Error, "Read content") {
		t.Errorf("outbox = %+v", items)
	}
	if n := w.emu.Count(http.MethodPost, "/v1/pages"); n != 1 {
		t.Errorf("%d creates: sent again without looking", n)
	}
	// With the capability back, the look finds the page: still one.
	w.emu.SetContentAccess(w.ws, true)
	if code, _, errs := w.run("outbox", "send"); code != 0 {
		t.Fatalf("outbox send: exit %d: %s", code, errs)
	}
	if n := w.childPages(w.inbox); n["Unverifiable"] != 1 || w.emu.Count(http.MethodPost, "/v1/pages") != 1 {
		t.Errorf("Notion has %v", n)
	}
}

func TestCaptureRateLimitedThenServerError(t *testing.T) {
	w := newCaptureWorld(t)
	w.extra = []string{envRetryScale + "=0.01"}
	// Refused past every retry: surely not made, so queued, and sent later
	// without looking.
	w.emu.FailNext("/v1/pages", 5, notiontest.FaultRateLimit)
	code, out, errs := w.run("new", w.inbox, "Limited", "--json")
	if code != 0 || !strings.Contains(out, `"status": "queued"`) || !strings.Contains(errs, "outbox") {
		t.Fatalf("new while limited: exit %d: %s %s", code, out, errs)
	}
	if items := w.outbox(t); len(items) != 1 || items[0].State != "waiting" {
		t.Fatalf("outbox = %+v", items)
	}
	if code, _, errs := w.run("outbox", "send"); code != 0 {
		t.Fatalf("outbox send: exit %d: %s", code, errs)
	}
	if n := w.emu.Count(http.MethodGet, "/v1/blocks/"+w.inbox+"/children"); n != 0 {
		t.Errorf("looked %d times after a refusal that made nothing", n)
	}
	// A 500 may have made the page: the next send looks, and sends once.
	w.emu.FailNext("/v1/pages", 1, notiontest.FaultServerError)
	if code, out, errs := w.run("new", w.inbox, "After a 500"); code != 0 || !strings.HasPrefix(out, "queued:") {
		t.Fatalf("new after a 500: exit %d: %q %s", code, out, errs)
	}
	if code, _, errs := w.run("outbox", "send"); code != 0 {
		t.Fatalf("outbox send: exit %d: %s", code, errs)
	}
	if n := w.emu.Count(http.MethodGet, "/v1/blocks/"+w.inbox+"/children"); n != 1 {
		t.Errorf("looked %d times after a 500", n)
	}
	n := w.childPages(w.inbox)
	if n["Limited"] != 1 || n["After a 500"] != 1 || len(n) != 2 {
		t.Errorf("Notion has %v", n)
	}
}
