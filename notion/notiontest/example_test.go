package notiontest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// A demo setup: one preconnected workspace with generated content, searched
// the way a client would.
func Example() {
	s := notiontest.NewServer(notiontest.Options{RateLimit: -1})
	defer s.Close()
	ws := s.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme", Icon: "🚀"})
	s.Seed(ws, 1, 30)
	g := s.IssueGrant(ws)

	body, _ := json.Marshal(map[string]any{
		"sort":      map[string]any{"timestamp": "last_edited_time", "direction": "descending"},
		"page_size": 10,
	})
	req, _ := http.NewRequest("POST", s.URL()+"/v1/search", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+g.AccessToken)
	req.Header.Set("Notion-Version", "2026-03-11")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Body.Close()
	var page struct {
		Results []json.RawMessage `json:"results"`
		HasMore bool              `json:"has_more"`
	}
	_ = json.NewDecoder(res.Body).Decode(&page)
	fmt.Println(res.StatusCode, len(page.Results), page.HasMore)
	// Output: 200 10 true
}
