package content

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// docView lists a document as a reader would describe it: one line per
// block with its kind, depth and text, styles marked.
func docView(d Doc) []string {
	var out []string
	for _, b := range d.Blocks {
		s := fmt.Sprintf("%s%d", kindName[b.Kind], b.Depth)
		switch b.Kind {
		case Heading:
			s += fmt.Sprintf(" h%d", b.Level)
		case Number:
			s += " " + b.Num
		case Todo:
			s += fmt.Sprintf(" checked=%v", b.Checked)
		case CodeBlock:
			s += " " + b.Lang + ": " + b.Code
		case Table:
			for _, row := range b.Rows {
				var cells []string
				for _, c := range row {
					cells = append(cells, runsView(c))
				}
				s += " [" + strings.Join(cells, "|") + "]"
			}
		case Toggle:
			s += fmt.Sprintf(" end=%d", b.End)
		}
		if b.Callout != 0 {
			s += fmt.Sprintf(" callout%d %s", b.Callout, b.Icon)
		}
		if len(b.Runs) > 0 {
			s += ": " + runsView(b.Runs)
		}
		out = append(out, s)
	}
	return out
}

var kindName = map[Kind]string{Paragraph: "p", Heading: "h", Bullet: "bullet", Number: "number", Todo: "todo",
	Quote: "quote", CodeBlock: "code", Table: "table", Divider: "divider", Toggle: "toggle"}

// runsView marks styles: **bold**, _italic_, `code`, ~~strike~~, [link](url).
func runsView(rs []Run) string {
	var b strings.Builder
	for _, r := range rs {
		t := r.Text
		if r.Style&Code != 0 {
			t = "`" + t + "`"
		}
		if r.Style&Italic != 0 {
			t = "_" + t + "_"
		}
		if r.Style&Bold != 0 {
			t = "**" + t + "**"
		}
		if r.Style&Strike != 0 {
			t = "~~" + t + "~~"
		}
		if r.Link != "" {
			t = "[" + t + "](" + r.Link + ")"
		}
		b.WriteString(t)
	}
	return b.String()
}

func TestDocRichSample(t *testing.T) {
	md, err := os.ReadFile("testdata/rich.md")
	if err != nil {
		t.Fatal(err)
	}
	got := docView(NewDoc(string(md)))
	want := []string{
		"h0 h1: Rich content sample",
		"p0: A paragraph with **bold**, _italic_, `code`, ~~struck out~~ and a [link to the docs](https://example.com/docs) at its end.",
		"h0 h2: Lists",
		"bullet0: level one",
		"bullet1: level two",
		"bullet2: level three",
		"bullet0: back to one",
		"number0 1: first",
		"number1 1: nested first",
		"number1 2: nested second",
		"number0 2: second",
		"todo0 checked=true: done thing",
		"todo0 checked=false: open thing",
		"h0 h3: Boxes",
		"quote0: A quote with **bold** and a [link](https://example.com/quote) inside.",
		"p0 callout1 💡: Mind the **gap** between the [train](https://example.com/train) and the platform.",
		"bullet0 callout1 : a point inside the callout",
		"code0 go: func main() {\n\tfmt.Println(\"hello\")\n}",
		"table0 [Name|Role|Notes] [Ada|Lead|Writes the **first** programs] [Grace|Compiler|Finds the moth]",
		"toggle0 end=21: A toggle",
		"p1: Hidden child text",
		"divider0",
		"p0: [diagram](https://example.com/diagram.png) and tracker",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDocInlineStyles(t *testing.T) {
	cases := map[string]string{
		"***both*** plain":               "**_both_** plain",
		"a * lone star and ** two":       "a * lone star and ** two",
		"~~gone~~ and ~ tilde ~~ open":   "~~gone~~ and ~ tilde ~~ open",
		"**not closed ** here":           "**not closed ** here",
		"**bold [link](https://x.com)**": "**bold **[**link**](https://x.com)",
		"[bad](javascript:alert(1)) ok":  "bad ok",
		"<mention-page url=\"https://app.notion.com/p/1\">Road</mention-page> by <mention-user url=\"user://x\">Ada</mention-user>": "[Road](https://app.notion.com/p/1) by @Ada",
		"`a*b*` *c*":                        "`a*b*` _c_",
		"\\*not italic\\*":                  "*not italic*",
		"<span underline=\"true\">u</span>": "u",
	}
	for in, want := range cases {
		if got := runsView(Runs(in)); got != want {
			t.Errorf("Runs(%q) = %q, want %q", in, got, want)
		}
	}
}

// Callouts, quotes and nesting as Notion writes them after a list.
func TestDocCalloutsAndNesting(t *testing.T) {
	in := "- [x] Book the boat\n\t- [ ] Print the agenda\n\t\tdetails under it\n<callout icon=\"📍\">\n\tBring a warm jacket.\n\t- gloves\n</callout>\n" +
		"- after\n\t<callout>\n\t\tNested under an item.\n\t</callout>\n<callout icon=\"⚠️\">One line</callout>\n"
	got := docView(NewDoc(in))
	want := []string{
		"todo0 checked=true: Book the boat",
		"todo1 checked=false: Print the agenda",
		"p2: details under it",
		"p0 callout1 📍: Bring a warm jacket.",
		"bullet0 callout1 : gloves",
		"bullet0: after",
		"p1 callout2 : Nested under an item.",
		"p0 callout3 ⚠️: One line",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Hostile pages: the document is built in bounded time, holds valid text
// without control characters, and keeps no link but https ones.
func TestDocHostileInput(t *testing.T) {
	cases := map[string]string{
		"deep":      strings.Repeat("\t", 5000) + "- deep\n" + strings.Repeat("> ", 5000) + "q\n",
		"brackets":  strings.Repeat("[", 100000) + strings.Repeat("](", 50000),
		"stars":     strings.Repeat("[", 5000) + strings.Repeat("*_", 50000) + strings.Repeat("](", 3000),
		"tildes":    strings.Repeat("~~ ", 100000) + strings.Repeat("*** ", 100000),
		"backticks": strings.Repeat("` ", 100000),
		"tags":      strings.Repeat("<page url=\"https://x.com\">", 50000) + strings.Repeat("<", 50000),
		"control":   "a\x00b\x1b[31mc\u202ed\x7fe\u0085f\n",
		"links":     "![t](http://tracker.example/p.png) [r](javascript:alert(1)) [f](file:///etc/passwd) <script>alert(1)</script>",
		"fence":     "```go\nnever closed\n" + strings.Repeat("x\n", 10000),
		"huge":      strings.Repeat("wall of text ", 400000),
		"table":     "<table>" + strings.Repeat("<tr><td>x</td>", 100000),
		"invalid":   "\xff\xfe\xfd valid \xc3",
		"callouts":  strings.Repeat("<callout>\n", 100000) + strings.Repeat("\t\tx\n", 10000) + strings.Repeat("</callout>\n", 200000),
		"toggles":   strings.Repeat("<details>\n<summary>t</summary>\n", 20000) + strings.Repeat("\tx\n", 10000),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			tm := time.AfterFunc(20*time.Second, func() { panic("NewDoc hangs on " + name) })
			defer tm.Stop()
			d := NewDoc(in)
			_ = PlainText(in)
			check := func(r Run) {
				if !utf8.ValidString(r.Text) || strings.ContainsAny(r.Text, "\x00\x1b\x7f\u202e\u0085") {
					t.Errorf("bad text %q", r.Text[:min(len(r.Text), 40)])
				}
				if r.Link != "" && !strings.HasPrefix(r.Link, "https://") {
					t.Errorf("link %q kept", r.Link)
				}
			}
			for _, b := range d.Blocks {
				for _, r := range b.Runs {
					check(r)
				}
				for _, row := range b.Rows {
					for _, c := range row {
						for _, r := range c {
							check(r)
						}
					}
				}
				if b.Depth > maxShownDepth || b.Kind == Toggle && (b.End <= 0 || b.End > len(d.Blocks)) {
					t.Errorf("block %+v", b)
				}
			}
		})
	}
}

// FuzzDoc: whatever the page holds, the document, the plain text and
// snippets never panic or hang, and the document keeps no link but https
// ones.
func FuzzDoc(f *testing.F) {
	for i := range 200 {
		// Bodies past the target's size limit would only slow the engine.
		if md := notiontest.GenerateMarkdown(int64(i), "t", 0); len(md) <= 1<<16 {
			f.Add(md)
		}
	}
	f.Add("[a](<javascript:x>) ![b](https://x) <mention-page url=\"javascript:1\">x</mention-page>")
	f.Add("<callout>\n\t```\n\tcode\n</callout>\n$$\nx^2\n$$")
	f.Add("**a *b* ~~c~~** [d](https://x.com) `e`")
	f.Add("<details>\n<summary>t</summary>\n\tx\n\t<details>\n\t<summary>u</summary>\n\t\ty\n</details>\nz")
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 1<<16 {
			return
		}
		tm := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("HANG on %q", in)) })
		defer tm.Stop()
		_ = MakeSnippet(PlainText(in), "a b")
		for _, b := range NewDoc(in).Blocks {
			for _, r := range b.Runs {
				if r.Link != "" && !strings.HasPrefix(r.Link, "https://") {
					t.Fatalf("link %q", r.Link)
				}
			}
		}
	})
}

func TestDocKeepsStructure(t *testing.T) {
	in := "# Plan {color=\"blue\"}\n" +
		"Intro with **bold**, a [doc](https://example.com/doc) and <span color=\"red\">red words</span>.\n" +
		"- first\n\t- nested\n- [x] done thing\n- [ ] open thing\n" +
		"1. one\n2. two\n" +
		"> quoted {color=\"gray\"}\n" +
		"<callout icon=\"💡\" color=\"yellow_bg\">\n\tMind the gap.\n</callout>\n" +
		"```go\nfunc main() {}\n```\n" +
		"<table header-row=\"true\">\n\t<tr>\n\t\t<td>Name</td>\n\t\t<td>Role</td>\n\t</tr>\n\t<tr>\n\t\t<td>Ada</td>\n\t\t<td>Lead</td>\n\t</tr>\n</table>\n" +
		"<details>\n<summary>More</summary>\n\tHidden child\n</details>\n" +
		"See <mention-page url=\"https://app.notion.com/p/abc\">Roadmap</mention-page> and <mention-user url=\"user://x\">Ada</mention-user> on <mention-date start=\"2026-03-01\"/>.\n" +
		"<page url=\"https://www.notion.so/acme/Sub-0123\">Sub page</page>\n" +
		"<columns>\n\t<column>\n\t\tLeft side\n\t</column>\n</columns>\n" +
		"| a | b |\n|---|---|\n| c \\| d | e |\n$$\nx^2\n$$\n"
	got := docView(NewDoc(in))
	want := []string{
		"h0 h1: Plan",
		"p0: Intro with **bold**, a [doc](https://example.com/doc) and red words.",
		"bullet0: first", "bullet1: nested", "todo0 checked=true: done thing", "todo0 checked=false: open thing",
		"number0 1: one", "number0 2: two",
		"quote0: quoted",
		"p0 callout1 💡: Mind the gap.",
		"code0 go: func main() {}",
		"table0 [Name|Role] [Ada|Lead]",
		"toggle0 end=14: More", "p1: Hidden child",
		"p0: See [Roadmap](https://app.notion.com/p/abc) and @Ada on 2026-03-01.",
		"p0: [Sub page](https://www.notion.so/acme/Sub-0123)",
		"p0: Left side",
		"table0 [a|b] [c | d|e]",
		"code0 latex: x^2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Links survive only as https; images and files become links, never
// fetched; raw HTML is text.
func TestDocRefusesUnsafeLinks(t *testing.T) {
	in := "![pixel](https://tracker.example/p.png) and ![local](http://127.0.0.1/x.png)\n" +
		"[run](javascript:alert(1)) [plain](http://example.com) [file](file:///etc/passwd) [creds](https://u:p@example.com/)\n" +
		"<script>alert(1)</script> <img src=x onerror=alert(1)>\n" +
		"[ref]: https://tracker.example/ref.png\n![also][ref]\n" +
		"<https://example.com/auto> <javascript:alert(1)>\n"
	got := strings.Join(docView(NewDoc(in)), "\n")
	want := strings.Join([]string{
		"p0: [pixel](https://tracker.example/p.png) and local",
		"p0: run plain file creds",
		"p0: alert(1) ",
		"p0: [ref]: https://tracker.example/ref.png",
		"p0: ![also][ref]",
		"p0: [https://example.com/auto](https://example.com/auto) <javascript:alert(1)>",
	}, "\n")
	if got != want {
		t.Errorf("blocks:\n%s\n\nwant:\n%s", got, want)
	}
}
