package notion

import "fmt"

// cursorPage is one page of a list Notion pages through with cursors.
type cursorPage interface {
	// next says whether more pages follow, and the cursor of the next.
	next() (more bool, cursor string)
}

func (p *SearchPage) next() (bool, string) { return p.HasMore, p.NextCursor }
func (p *RowPage) next() (bool, string)    { return p.HasMore, p.NextCursor }

// walkCursors yields the page fetch returns for each cursor, from start,
// until a page has no more or yield stops. After an error the walk ends. A
// page that says has_more without a new cursor ends it with
// ErrMalformedResponse: a cursor that repeats would page forever.
func walkCursors[P cursorPage](what, start string, fetch func(cursor string) (P, error), yield func(P, error) bool) {
	var none P
	seen := map[string]bool{}
	for cursor := start; ; {
		page, err := fetch(cursor)
		if err != nil {
			yield(none, err)
			return
		}
		more, next := page.next()
		if !yield(page, nil) || !more {
			return
		}
		if next == "" || seen[next] {
			yield(none, fmt.Errorf("%w: %s said has_more without a new next_cursor", ErrMalformedResponse, what))
			return
		}
		seen[next] = true
		cursor = next
	}
}
