package content

// Match is a page whose content matched a search.
type Match struct {
	Workspace, ID string
	Score         float64
	Snippet       Snippet
}

// Search finds pages of ws ("" for all) whose stored content holds every
// word of query (the last one also as a prefix), best first, at most limit
// (0: 1000), each with a snippet. Matches whose content has gone since
// they were indexed are left out.
func (s *Store) Search(query, ws string, limit int) ([]Match, error) {
	hits, err := s.index.search(query, ws, limit)
	if err != nil || len(hits) == 0 {
		return nil, err
	}
	// One read per workspace for the snippets' text.
	byWS := map[string][]string{}
	for _, h := range hits {
		byWS[h.ws] = append(byWS[h.ws], h.id)
	}
	text := map[string]string{}
	for w, ids := range byWS {
		list, err := s.pages.getMany(w, ids, true)
		if err != nil {
			return nil, err
		}
		for _, p := range list {
			text[w+"/"+p.ID] = p.plain
		}
	}
	out := make([]Match, 0, len(hits))
	for _, h := range hits {
		plain, ok := text[h.ws+"/"+h.id]
		if !ok {
			continue
		}
		out = append(out, Match{Workspace: h.ws, ID: h.id, Score: h.score, Snippet: MakeSnippet(plain, query)})
	}
	return out, nil
}
