package content

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// fyneView parses CommonMark the way Fyne's RichText does (goldmark, no
// extensions) and lists what a person would see: block kinds with their
// text, and links with their URLs.
func fyneView(md string) (blocks []string, links []string) {
	src := []byte(md)
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		textOf := func(n ast.Node) string {
			var b strings.Builder
			_ = ast.Walk(n, func(m ast.Node, in bool) (ast.WalkStatus, error) {
				if t, ok := m.(*ast.Text); ok && in {
					// What Fyne shows: the raw source, minus the invisible space.
					b.WriteString(strings.ReplaceAll(string(t.Value(src)), zwsp, ""))
				}
				return ast.WalkContinue, nil
			})
			return b.String()
		}
		switch t := n.(type) {
		case *ast.Heading:
			blocks = append(blocks, "h: "+textOf(n))
		case *ast.Blockquote:
			blocks = append(blocks, "quote: "+textOf(n))
			return ast.WalkSkipChildren, nil
		case *ast.ListItem:
			blocks = append(blocks, "item: "+textOf(n.FirstChild()))
		case *ast.FencedCodeBlock:
			var b strings.Builder
			for i := 0; i < t.Lines().Len(); i++ {
				seg := t.Lines().At(i)
				b.Write(seg.Value(src))
			}
			blocks = append(blocks, "code: "+b.String())
		case *ast.Paragraph:
			if _, inItem := n.Parent().(*ast.ListItem); !inItem {
				blocks = append(blocks, "p: "+textOf(n))
			}
		case *ast.Link:
			links = append(links, string(t.Destination))
		}
		return ast.WalkContinue, nil
	})
	return blocks, links
}

func TestToCommonMarkKeepsStructure(t *testing.T) {
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
		"<columns>\n\t<column>\n\t\tLeft side\n\t</column>\n</columns>\n"
	out := ToCommonMark(in)
	blocks, links := fyneView(out)
	want := []string{
		"h: Plan",
		"p: Intro with bold, a doc and red words.",
		"item: first", "item: nested", "item: [x] done thing", "item: [ ] open thing",
		"item: one", "item: two",
		"quote: quoted",
		"quote: 💡 Mind the gap.",
		"code: func main() {}\n",
		"code: | Name | Role |\n|------|------|\n| Ada  | Lead |\n",
		"p: More", "p: Hidden child",
		"p: See Roadmap and @Ada on 2026-03-01.",
		"p: Sub page",
		"p: Left side",
	}
	if strings.Join(blocks, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\n\nwant:\n%s\n\nfrom:\n%s", strings.Join(blocks, "\n"), strings.Join(want, "\n"), out)
	}
	wantLinks := []string{"https://example.com/doc", "https://app.notion.com/p/abc", "https://www.notion.so/acme/Sub-0123"}
	if strings.Join(links, " ") != strings.Join(wantLinks, " ") {
		t.Errorf("links %v, want %v", links, wantLinks)
	}
}

// A callout's children are indented one tab under its tag; after a list
// that indent once made them a code block inside the quote.
func TestCalloutAfterAListIsAQuote(t *testing.T) {
	in := "- [x] Book the boat\n- [ ] Print the agenda\n\n<callout icon=\"📍\">\n\tBring a warm jacket.\n\t- gloves\n</callout>\n" +
		"- after\n\t<callout>\n\t\tNested under an item.\n\t</callout>\n"
	blocks, _ := fyneView(ToCommonMark(in))
	want := []string{
		"item: [x] Book the boat", "item: [ ] Print the agenda",
		"quote: 📍 Bring a warm jacket.gloves",
		"item: after", "quote: Nested under an item.",
	}
	if strings.Join(blocks, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\n\nwant:\n%s\n\nfrom:\n%s", strings.Join(blocks, "\n"), strings.Join(want, "\n"), ToCommonMark(in))
	}
}

func TestToCommonMarkRefusesUnsafeThings(t *testing.T) {
	in := "![pixel](https://tracker.example/p.png) and ![local](http://127.0.0.1/x.png)\n" +
		"[run](javascript:alert(1)) [plain](http://example.com) [file](file:///etc/passwd) [creds](https://u:p@example.com/)\n" +
		"<script>alert(1)</script> <img src=x onerror=alert(1)>\n" +
		"[ref]: https://tracker.example/ref.png\n![also][ref]\n" +
		"<https://example.com/auto> <javascript:alert(1)>\n"
	out := ToCommonMark(in)
	if !safeCommonMark(out) {
		t.Fatalf("unsafe output:\n%s", out)
	}
	blocks, links := fyneView(out)
	for _, l := range links {
		if l != "https://tracker.example/p.png" && l != "https://example.com/auto" {
			t.Errorf("link %q kept", l)
		}
	}
	joined := strings.Join(blocks, "\n")
	for _, w := range []string{"pixel", "run", "plain", "file", "alert(1)", "also"} {
		if !strings.Contains(joined, w) {
			t.Errorf("text %q lost:\n%s", w, joined)
		}
	}
}

func TestToCommonMarkHostileInput(t *testing.T) {
	cases := map[string]string{
		"deep":      strings.Repeat("\t", 5000) + "- deep\n" + strings.Repeat("> ", 5000) + "q\n",
		"brackets":  strings.Repeat("[", 100000) + strings.Repeat("](", 50000),
		"backticks": strings.Repeat("` ", 100000),
		"tags":      strings.Repeat("<page url=\"https://x.com\">", 50000) + strings.Repeat("<", 50000),
		"control":   "a\x00b\x1b[31mc\u202ed\x7fe\u0085f\n",
		"fence":     "```go\nnever closed\n" + strings.Repeat("x\n", 10000),
		"huge":      strings.Repeat("wall of text ", 200000),
		"table":     "<table>" + strings.Repeat("<tr><td>x</td>", 100000),
		"invalid":   "\xff\xfe\xfd valid \xc3",
		"callouts":  strings.Repeat("<callout>\n", 100000) + strings.Repeat("\t\tx\n", 10000) + strings.Repeat("</callout>\n", 200000),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			out := ToCommonMark(in)
			if !safeCommonMark(out) || !utf8.ValidString(out) {
				t.Errorf("unsafe or invalid output")
			}
			if strings.ContainsAny(out, "\x00\x1b\x7f\u202e\u0085") {
				t.Errorf("control characters survived")
			}
			_ = PlainText(in)
		})
	}
}

// FuzzToCommonMark: whatever the page holds, the preview's markdown is
// valid UTF-8 and parses (as Fyne parses it) to no image, no raw HTML and
// no link but https ones, without the plain-text fallback; and the
// conversion and the plain text never panic.
func FuzzToCommonMark(f *testing.F) {
	for i := range 200 {
		// Bodies past the target's size limit would only slow the engine.
		if md := notiontest.GenerateMarkdown(int64(i), "t", 0); len(md) <= 1<<16 {
			f.Add(md)
		}
	}
	f.Add("[a](<javascript:x>) ![b](https://x) <mention-page url=\"javascript:1\">x</mention-page>")
	f.Add("| a | b |\n|---|---|\n| c | d |\n")
	f.Add("<callout>\n\t```\n\tcode\n</callout>\n$$\nx^2\n$$")
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 1<<16 {
			return
		}
		tm := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("HANG on %q", in)) })
		defer tm.Stop()
		out := renderCommonMark(parse(in))
		if !safeCommonMark(out) {
			t.Fatalf("unsafe CommonMark for %q:\n%s", in, out)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8")
		}
		_ = ToCommonMark(in)
		_ = PlainText(in)
		_ = MakeSnippet(PlainText(in), "a b")
	})
}

func TestPlainTextDropsMarkupKeepsText(t *testing.T) {
	in := "## Title\nSome **bold** and `code` with [link text](https://x.com) <span color=\"red\">kept</span> \\*literal\\*\n" +
		"<unknown url=\"https://x#1\" alt=\"bookmark\"/>\n"
	got := PlainText(in)
	want := "Title\nSome bold and code with link text kept *literal*\n\n"
	if got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}
