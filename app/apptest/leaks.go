package apptest

import "go.uber.org/goleak"

// LeakOptions are what a package's TestMain passes to
// goleak.VerifyTestMain: a Core, a broker or a stream still running when
// the tests end fails the package. Only goroutines outside our code, which
// nothing of ours can wait for, are let be.
func LeakOptions() []goleak.Option {
	return []goleak.Option{
		// bleve's analysis queue is a package variable started in init:
		// its workers live as long as the process.
		goleak.IgnoreTopFunction("github.com/blevesearch/bleve_index_api.AnalysisWorker"),
	}
}
