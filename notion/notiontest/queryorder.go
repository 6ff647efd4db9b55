package notiontest

import "strings"

// A data-source query's order: sort keys per row, and their comparison.

// sortKey is one sort's value for a row, comparable across rows; empty
// values sort last whatever the direction, as in Notion.
type sortKey struct {
	N     float64 `json:"n,omitempty"`
	S     string  `json:"s,omitempty"`
	Empty bool    `json:"e,omitempty"`
}

type rowHit struct {
	ID   string    `json:"id"`
	Keys []sortKey `json:"k"`
	it   *item
}

func (s *Server) keysLocked(p queryParams, row, ds *item) []sortKey {
	keys := make([]sortKey, 0, len(p.sorts))
	for _, sp := range p.sorts {
		var k sortKey
		switch {
		case sp.timestamp == "created_time":
			k.N = float64(row.Created.Unix())
		case sp.timestamp == "last_edited_time":
			k.N = float64(row.LastEdited.Unix())
		default:
			v := s.cellLocked(row, ds, ds.columns[sp.col])
			switch {
			case v.num != nil:
				k.N = *v.num
			case v.b != nil:
				if *v.b {
					k.N = 1
				}
			case v.date != "":
				t, _ := dateOf(v.date)
				k.N = float64(t.Unix())
			default:
				k.S = strings.ToLower(cellText(v))
				k.Empty = k.S == ""
			}
		}
		keys = append(keys, k)
	}
	return keys
}

func compareHits(p queryParams, a, b rowHit) int {
	for i, sp := range p.sorts {
		ka, kb := a.Keys[i], b.Keys[i]
		if ka.Empty != kb.Empty {
			if ka.Empty {
				return 1
			}
			return -1
		}
		c := 0
		switch {
		case ka.N < kb.N:
			c = -1
		case ka.N > kb.N:
			c = 1
		default:
			c = strings.Compare(ka.S, kb.S)
		}
		if sp.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	if len(p.sorts) == 0 {
		// Unsorted: a stable order that is not the edit order.
		if ha, hb := idHash(a.ID), idHash(b.ID); ha != hb {
			if ha < hb {
				return -1
			}
			return 1
		}
	}
	return strings.Compare(a.ID, b.ID)
}
