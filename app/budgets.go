package app

import (
	"sync"

	"github.com/pagedeck/pagedeck/notion"
)

// budgets are the workspaces' request budgets, made on first use, one per
// token: each is shared with every Pagedeck process using that token.
type budgets struct {
	mu sync.Mutex
	m  map[string]*notion.Budget
}

// get is workspace id's budget, made by newBudget the first time.
func (bs *budgets) get(id string, newBudget func() *notion.Budget) *notion.Budget {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if b, ok := bs.m[id]; ok {
		return b
	}
	if bs.m == nil {
		bs.m = map[string]*notion.Budget{}
	}
	b := newBudget()
	bs.m[id] = b
	return b
}

// close stops the budgets' goroutines once their last writes to the shared
// files are done.
func (bs *budgets) close() {
	bs.mu.Lock()
	all := make([]*notion.Budget, 0, len(bs.m))
	for _, b := range bs.m {
		all = append(all, b)
	}
	bs.mu.Unlock()
	for _, b := range all {
		b.Close()
	}
}
