package soma

import (
	"sync"

	"github.com/soma-sim/soma/kernel"
)

// minWorkPerPart is the smallest amount of work, in element-instructions
// (elements times the instructions a kernel runs per element), worth
// handing to another core: below it, waking a worker costs more than it
// saves. About 2048 elements of a short kernel.
const minWorkPerPart = 2048 * 8

// SetThreads sets how many cores a run may use (default 1). Work is split
// only where the result cannot depend on the split — element-wise updates
// and thresholds without random numbers, and spike propagation whose code
// touches only synaptic and target variables, split by target — so a run
// gives the same result whatever the number of threads.
//
// One thread is the default because splitting paid only for
// propagation-heavy networks on the machines soma was measured on: resets,
// refractoriness and monitors stay on one core, and every step hands work
// between the threads, so the 16 000 to 1 000 000 neuron CUBA networks of
// the benchmark suite ran slower on two threads than on one
// (docs/benchmarks.md). The Go runtime still uses the other cores for
// garbage collection.
func (net *Network) SetThreads(n int) {
	if n < 1 {
		n = 1
	}
	net.threads = n
}

// Threads returns the number of cores a run may use.
func (net *Network) Threads() int {
	return max(net.threads, 1)
}

// pool runs pieces of one step on several goroutines. Workers live for
// the duration of a run and wait on a channel between steps.
type pool struct {
	jobs chan job
	wg   sync.WaitGroup // the workers
	done sync.WaitGroup // the parts of the current split
}

type job struct {
	fn     func(part, lo, hi int)
	part   int
	lo, hi int
	done   *sync.WaitGroup
}

func newPool(workers int) *pool {
	p := &pool{jobs: make(chan job)}
	for w := 0; w < workers; w++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				j.fn(j.part, j.lo, j.hi)
				j.done.Done()
			}
		}()
	}
	return p
}

func (p *pool) close() {
	close(p.jobs)
	p.wg.Wait()
}

// split calls fn over parts of 0..n-1 (as fn(part, lo, hi)) on the
// network's workers and waits for all of them. cost is the work per
// element (a kernel's instruction count), which decides how many parts
// pay off. Parts are cut at multiples of the kernels' chunk size. It
// returns the number of parts used; with one part fn runs on the calling
// goroutine.
func (net *Network) split(n, cost int, fn func(part, lo, hi int)) int {
	parts := 1
	if net.pool != nil {
		parts = min(net.Threads(), n*max(cost, 1)/minWorkPerPart, n/kernel.ChunkSize)
	}
	if parts <= 1 {
		fn(0, 0, n)
		return 1
	}
	per := (n/parts + kernel.ChunkSize - 1) / kernel.ChunkSize * kernel.ChunkSize
	done := &net.pool.done // splits never nest: operations run one at a time
	done.Add(parts - 1)
	lo := per
	for part := 1; part < parts; part++ {
		hi := min(lo+per, n)
		if part == parts-1 {
			hi = n
		}
		net.pool.jobs <- job{fn: fn, part: part, lo: lo, hi: hi, done: done}
		lo = hi
	}
	fn(0, 0, min(per, n))
	done.Wait()
	return parts
}
