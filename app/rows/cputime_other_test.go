//go:build !unix

package rows_test

import "time"

// processCPU is not measured here: the benchmarks leave cpu-ms/op out.
func processCPU() time.Duration { return 0 }
