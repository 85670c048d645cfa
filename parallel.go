package soma

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

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
// the duration of a run. Between the pieces of a step they spin on the
// generation counter, because waking a parked goroutine costs tens of
// microseconds on a virtual machine, more than a small step takes; after
// spinLimit of idleness they park until the next piece.
type pool struct {
	workers []*worker
	cur     atomic.Pointer[task] // the latest split; workers wait for a new one
	pending atomic.Int32         // parts of the current split not yet finished
	quit    atomic.Bool
	wg      sync.WaitGroup
}

// task is one split. A worker whose part is not in it need not answer, so
// a new task is published for each split instead of reusing one.
type task struct {
	fn     func(part, lo, hi int)
	bounds []int // part k covers bounds[k]..bounds[k+1]
	parts  int
}

type worker struct {
	part     int           // the part it takes, from 1
	sleeping atomic.Bool   // parked on wake
	wake     chan struct{} // buffered: a wake-up is never lost
	_        [64]byte      // keep workers' flags on their own cache lines
}

// spinLimit is how long an idle worker spins before it parks.
const spinLimit = 50 * time.Microsecond

func newPool(workers int) *pool {
	p := &pool{}
	for w := 0; w < workers; w++ {
		wk := &worker{part: w + 1, wake: make(chan struct{}, 1)}
		p.workers = append(p.workers, wk)
		p.wg.Add(1)
		go p.work(wk)
	}
	return p
}

func (p *pool) work(w *worker) {
	defer p.wg.Done()
	var seen *task // none yet: the first split may come before this line
	for {
		t := p.wait(w, seen)
		if p.quit.Load() {
			return
		}
		seen = t
		if w.part < t.parts {
			t.fn(w.part, t.bounds[w.part], t.bounds[w.part+1])
			p.pending.Add(-1)
		}
	}
}

// wait returns the current task once it is not seen: spinning first,
// then parked.
func (p *pool) wait(w *worker, seen *task) *task {
	began := time.Now()
	for spins := 0; ; spins++ {
		if t := p.cur.Load(); t != seen {
			return t
		}
		if spins&255 == 255 {
			if time.Since(began) > spinLimit {
				break
			}
			runtime.Gosched()
		}
	}
	for {
		w.sleeping.Store(true)
		// Either the dispatcher sees sleeping and sends a wake-up, or this
		// load sees its new task.
		if t := p.cur.Load(); t != seen {
			w.sleeping.Store(false)
			return t
		}
		<-w.wake
		w.sleeping.Store(false)
	}
}

// run calls fn over the parts cut at bounds and returns when all are done;
// part 0 runs on the calling goroutine.
func (p *pool) run(fn func(part, lo, hi int), bounds []int) {
	t := &task{fn: fn, bounds: bounds, parts: len(bounds) - 1}
	p.pending.Store(int32(t.parts - 1))
	p.cur.Store(t)
	p.wakeSleepers()
	fn(0, bounds[0], bounds[1])
	for spins := 0; p.pending.Load() > 0; spins++ {
		if spins&255 == 255 {
			runtime.Gosched()
		}
	}
}

func (p *pool) wakeSleepers() {
	for _, w := range p.workers {
		if w.sleeping.Load() {
			select {
			case w.wake <- struct{}{}:
			default:
			}
		}
	}
}

func (p *pool) close() {
	p.quit.Store(true)
	p.cur.Store(&task{})
	p.wakeSleepers()
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
	b := net.bounds[:0]
	for part := 0; part < parts; part++ {
		b = append(b, min(part*per, n))
	}
	net.bounds = append(b, n)
	net.pool.run(fn, net.bounds)
	return parts
}

// splitBlocks is split for work that comes in n blocks of cost each (in
// element-instructions), cut between blocks.
func (net *Network) splitBlocks(n, cost int, fn func(part, lo, hi int)) int {
	parts := 1
	if net.pool != nil {
		parts = min(net.Threads(), n*max(cost, 1)/minWorkPerPart, n)
	}
	if parts <= 1 {
		fn(0, 0, n)
		return 1
	}
	b := net.bounds[:0]
	for part := 0; part < parts; part++ {
		b = append(b, part*n/parts)
	}
	net.bounds = append(b, n)
	net.pool.run(fn, net.bounds)
	return parts
}
