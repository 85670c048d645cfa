package soma

import (
	"runtime"
	"testing"
)

// BenchmarkHandOver measures what a step pays to split work between
// threads: one pool.run of parts that do nothing, the workers spinning
// between splits as they do between the pieces of a step. The metric is
// the time per hand-over; on one core per thread it should stay well under
// a microsecond.
func BenchmarkHandOver(b *testing.B) {
	threads := runtime.GOMAXPROCS(0)
	if threads < 2 {
		b.Skip("needs GOMAXPROCS >= 2")
	}
	p := newPool(threads - 1)
	defer p.close()
	bounds := make([]int, threads+1)
	for k := range bounds {
		bounds[k] = k
	}
	var sink [64]int64
	fn := func(part, lo, hi int) { sink[part*8]++ }
	p.run(fn, bounds) // the workers are up
	for b.Loop() {
		p.run(fn, bounds)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/hand-over")
}
