package content

// This file builds the document the window's reader shows: Notion's
// blocks with their kinds, nesting and styled text, read by the same
// parser as CommonMark and plain text. It is plain data, built off the
// UI thread.

// Kind is a block's kind.
type Kind uint8

// The block kinds.
const (
	Paragraph Kind = iota
	Heading        // Level 1-3
	Bullet
	Number // Num is its number as written
	Todo   // Checked
	Quote
	CodeBlock // Lang; Code holds the text
	Table     // Rows of cells
	Divider
	Toggle // a toggle's title; End is where its children end
)

// Block is one block of a page. Blocks inside a callout carry its number
// (Callout), the first of them its icon.
type Block struct {
	Kind    Kind
	Depth   int // nesting under list items and toggles
	Level   int
	Num     string
	Checked bool
	Callout int
	Icon    string
	Lang    string
	Code    string
	Runs    []Run
	Rows    [][][]Run // a table's rows of cells; the first is the header
	End     int       // a toggle's: the index after its last child
}

// Doc is a page as the reader shows it.
type Doc struct {
	Blocks []Block
	// Cut: the page was longer than MaxDocBytes; its start is shown.
	Cut bool
}

// MaxDocBytes bounds what NewDoc reads. The reader lays out any size in
// linear time; this keeps the memory of a preview bounded.
const MaxDocBytes = 16 << 20

// maxShownDepth caps indentation: deeper blocks are shown this deep.
const maxShownDepth = 8

// NewDoc reads Notion markdown into the reader's document. Links are kept
// only when LinkURL accepts them; images and files become links.
func NewDoc(md string) Doc {
	var d Doc
	if len(md) > MaxDocBytes {
		md, d.Cut = cut(md, MaxDocBytes), true
	}
	blocks := parse(md)
	d.Blocks = make([]Block, 0, len(blocks))
	// The nesting rule is CommonMark's view's: children of list items and
	// toggles are indented; children of anything else are shown after it,
	// at its level.
	var parents [maxDepth + 1]blockKind
	var eff [maxDepth + 1]int
	deepest := 0              // parents deeper than a block are not its
	var open, openLevel []int // toggles whose children may follow, and their levels
	for _, bl := range blocks {
		level := 0
		if dd := bl.depth; dd > 0 && (isList(parents[dd-1]) || parents[dd-1] == kSummary) {
			level = eff[dd-1] + 1
		} else if dd > 0 {
			level = eff[dd-1]
		}
		for d := bl.depth + 1; d <= deepest; d++ {
			parents[d], eff[d] = kPara, 0
		}
		deepest = bl.depth
		parents[bl.depth], eff[bl.depth] = bl.kind, level
		b := Block{Depth: min(level, maxShownDepth), Icon: bl.icon}
		if bl.quoted {
			b.Callout = max(bl.group, 1)
		}
		// A toggle ends at the first block not deeper than it.
		for len(open) > 0 && openLevel[len(open)-1] >= level {
			d.Blocks[open[len(open)-1]].End = len(d.Blocks)
			open, openLevel = open[:len(open)-1], openLevel[:len(open)-1]
		}
		switch bl.kind {
		case kHeading:
			b.Kind, b.Level = Heading, min(bl.level, 3)
		case kBullet:
			b.Kind = Bullet
		case kNumber:
			b.Kind, b.Num = Number, bl.num
		case kTodo:
			b.Kind, b.Checked = Todo, bl.checked
		case kQuote:
			b.Kind = Quote
		case kCode:
			b.Kind, b.Lang, b.Code = CodeBlock, bl.lang, bl.text
		case kRule:
			b.Kind = Divider
		case kTable:
			b.Kind = Table
			b.Rows = make([][][]Run, len(bl.rows))
			for i, row := range bl.rows {
				b.Rows[i] = make([][]Run, len(row))
				for j, c := range row {
					b.Rows[i][j] = Runs(c)
				}
			}
		case kSummary:
			b.Kind = Toggle
		}
		if b.Kind != CodeBlock && b.Kind != Table && b.Kind != Divider {
			b.Runs = Runs(bl.text)
		}
		if b.Kind == Toggle {
			open, openLevel = append(open, len(d.Blocks)), append(openLevel, level)
		}
		d.Blocks = append(d.Blocks, b)
	}
	for _, t := range open {
		d.Blocks[t].End = len(d.Blocks)
	}
	return d
}
