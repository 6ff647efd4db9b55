package notiontest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Words for generated bodies: work and personal notes, a few accented.
var bodyWords = strings.Fields(`the a of and to in for on with we our team plan review launch
	customer feedback roadmap quarter goal metric revenue design draft meeting notes decision
	action item owner deadline budget hiring onboarding release bug fix test deploy server
	client search sync cache index latency error retry queue worker backlog sprint estimate
	scope risk dependency milestone summary context proposal option tradeoff follow up
	café résumé naïve Zürich São Kyōto crème brûlée façade jalapeño smørrebrød coördinate
	garden kitchen recipe trip flight hotel museum hike weekend book chapter quote idea
	analytics dashboard funnel retention churn pricing invoice contract partner vendor legal
	security audit incident postmortem outage alert oncall runbook migration schema database`)

var codeLangs = []string{"go", "python", "sql", "bash", "json", "typescript", "mermaid"}
var blockColors = []string{"gray", "blue", "red", "green", "yellow_bg", "purple_bg", "orange", "pink_bg"}

// GenerateMarkdown makes a plausible Notion-flavoured page body: headings,
// paragraphs with bold, italic, code, links, colours and mentions, nested
// lists, to-dos, quotes, callouts, toggles, columns, code, tables, page
// references and dividers, of about size bytes (0: varied, about 3 KB on
// average). Some bodies carry hostile parts: deep nesting, control
// characters, unbalanced tags and fences, image and script links, a huge
// line. The same seed gives the same body.
func GenerateMarkdown(seed int64, title string, size int) string {
	r := rand.New(rand.NewPCG(uint64(seed), 0x2545f4914f6cdd1d))
	varied := size <= 0
	if varied {
		size = 300 + r.IntN(6000)
	}
	g := &bodyGen{r: r}
	var b strings.Builder
	if title != "" && r.IntN(3) == 0 {
		fmt.Fprintf(&b, "%s\n\n", g.sentence(8))
	}
	for b.Len() < size {
		g.section(&b)
	}
	// Sized bodies (benchmarks) stay plain.
	if varied && r.IntN(100) < 3 {
		g.hostile(&b)
	}
	return b.String()
}

type bodyGen struct{ r *rand.Rand }

func (g *bodyGen) word() string { return bodyWords[g.r.IntN(len(bodyWords))] }

func (g *bodyGen) words(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.word()
	}
	return strings.Join(ws, " ")
}

func (g *bodyGen) id() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.r.UintN(256))
	}
	return formatUUID(b)
}

// sentence is rich text: mostly words, with inline formatting and tags.
func (g *bodyGen) sentence(n int) string {
	var parts []string
	for i := 0; i < n; i++ {
		switch g.r.IntN(40) {
		case 0:
			parts = append(parts, "**"+g.words(2)+"**")
		case 1:
			parts = append(parts, "*"+g.word()+"*")
		case 2:
			parts = append(parts, "`"+g.word()+"()`")
		case 3:
			parts = append(parts, fmt.Sprintf("[%s](https://example.com/%s)", g.words(2), g.word()))
		case 4:
			parts = append(parts, fmt.Sprintf(`<span color="%s">%s</span>`, blockColors[g.r.IntN(len(blockColors))], g.words(2)))
		case 5:
			parts = append(parts, fmt.Sprintf(`<mention-user url="user://%s">Avery Quinn</mention-user>`, g.id()))
		case 6:
			parts = append(parts, fmt.Sprintf(`<mention-page url="https://app.notion.com/p/%s">%s</mention-page>`, compactID(g.id()), g.words(2)))
		case 7:
			parts = append(parts, fmt.Sprintf(`<mention-date start="2026-0%d-1%d"/>`, 1+g.r.IntN(9), g.r.IntN(10)))
		case 8:
			parts = append(parts, "~~"+g.word()+"~~")
		case 9:
			parts = append(parts, `<span underline="true">`+g.word()+`</span>`)
		default:
			parts = append(parts, g.word())
		}
	}
	s := strings.Join(parts, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func (g *bodyGen) color() string {
	if g.r.IntN(5) == 0 {
		return fmt.Sprintf(` {color="%s"}`, blockColors[g.r.IntN(len(blockColors))])
	}
	return ""
}

func (g *bodyGen) section(b *strings.Builder) {
	switch g.r.IntN(14) {
	case 0, 1:
		w := g.words(3)
		fmt.Fprintf(b, "%s %s%s\n", strings.Repeat("#", 1+g.r.IntN(3)), strings.ToUpper(w[:1])+w[1:], g.color())
	case 2, 3, 4:
		fmt.Fprintf(b, "%s%s\n", g.sentence(12+g.r.IntN(30)), g.color())
	case 5:
		for range 2 + g.r.IntN(4) {
			fmt.Fprintf(b, "- %s\n", g.sentence(4+g.r.IntN(8)))
			if g.r.IntN(3) == 0 {
				fmt.Fprintf(b, "\t- %s\n", g.sentence(5))
			}
		}
	case 6:
		for i := range 2 + g.r.IntN(4) {
			fmt.Fprintf(b, "%d. %s\n", i+1, g.sentence(6))
		}
	case 7:
		for range 2 + g.r.IntN(4) {
			mark := " "
			if g.r.IntN(2) == 0 {
				mark = "x"
			}
			fmt.Fprintf(b, "- [%s] %s\n", mark, g.sentence(5))
		}
	case 8:
		fmt.Fprintf(b, "> %s%s\n", g.sentence(10), g.color())
	case 9:
		fmt.Fprintf(b, "<callout icon=\"💡\" color=\"%s\">\n\t%s\n</callout>\n", blockColors[g.r.IntN(len(blockColors))], g.sentence(12))
	case 10:
		lang := codeLangs[g.r.IntN(len(codeLangs))]
		fmt.Fprintf(b, "```%s\nfunc %s() error {\n\treturn nil // %s\n}\n```\n", lang, g.word(), g.words(4))
	case 11:
		b.WriteString("<table header-row=\"true\">\n")
		for row := range 2 + g.r.IntN(4) {
			b.WriteString("\t<tr>\n")
			for range 3 {
				cell := g.words(1 + g.r.IntN(3))
				if row == 0 {
					cell = strings.ToUpper(cell[:1]) + cell[1:]
				}
				fmt.Fprintf(b, "\t\t<td>%s</td>\n", cell)
			}
			b.WriteString("\t</tr>\n")
		}
		b.WriteString("</table>\n")
	case 12:
		fmt.Fprintf(b, "<details>\n<summary>%s</summary>\n\t%s\n</details>\n", g.words(3), g.sentence(10))
	case 13:
		switch g.r.IntN(4) {
		case 0:
			fmt.Fprintf(b, "<page url=\"https://app.notion.com/p/%s\">%s</page>\n", compactID(g.id()), g.words(2))
		case 1:
			b.WriteString("---\n")
		case 2:
			fmt.Fprintf(b, "<columns>\n\t<column>\n\t\t%s\n\t</column>\n\t<column>\n\t\t%s\n\t</column>\n</columns>\n", g.sentence(6), g.sentence(6))
		default:
			b.WriteString("<empty-block/>\n")
		}
	}
}

// hostile appends what a careless or hostile editor can put in a page.
func (g *bodyGen) hostile(b *strings.Builder) {
	switch g.r.IntN(7) {
	case 0: // deep nesting
		for d := range 400 {
			fmt.Fprintf(b, "%s- %s\n", strings.Repeat("\t", d), g.word())
		}
		b.WriteString(strings.Repeat("> ", 300) + "deep quote\n")
	case 1: // control characters and bidi overrides
		b.WriteString("Bell\a and NUL\x00 and ESC\x1b[31m red\x1b[0m and \u202egnp.exe\u202c and DEL\x7f and C1\u0085 end\n")
	case 2: // tags that never close, a fence that never closes
		b.WriteString("<callout icon=\"⚠️\">\n\t<details>\n<summary>open\n<columns><column>\n```go\nfunc never() {\n")
	case 3: // links Pagedeck must not follow
		b.WriteString("![tracker](http://tracker.example/pixel.png) [run me](javascript:alert(1)) " +
			"[file](file:///etc/passwd) <script>alert(1)</script> [ok](https://www.notion.so/acme/Page-0123456789abcdef0123456789abcdef)\n" +
			"[ref]: http://tracker.example/ref.png\n![also][ref]\n")
	case 4: // one huge line
		b.WriteString(strings.Repeat("wall of text ", 60000) + "\n")
	case 5: // brackets and emphasis that make naive parsers quadratic
		b.WriteString(strings.Repeat("[", 5000) + strings.Repeat("*_", 5000) + strings.Repeat("](", 3000) + "\n")
	default: // a huge body
		for range 4000 {
			fmt.Fprintf(b, "%s\n", g.sentence(40))
		}
	}
}
