package soma

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// minWorkPerPart is the smallest amount of work, in element-instructions
// (elements times the instructions a kernel runs per element), worth
// handing to another core: below it, waking a worker costs more than it
// saves. About 2048 elements of a short kernel.
const minWorkPerPart = 2048 * 8

// SetThreads sets how many cores a run may use (default 1); 0 chooses
// automatically (AutoThreads). Work is split only where the result cannot
// depend on the split — element-wise updates and thresholds without
// random numbers, spike propagation whose code touches only synaptic and
// target variables (split by target), PoissonInput draws (each block of
// neurons has its own random stream) — so a run gives the same result
// whatever the number of threads. Connect and Set use as many threads to
// build synapses, with random streams per row and per block, so the
// network drawn does not depend on them either.
//
// One thread is the default for Go programs, which may run several
// networks at once (a sweep); the soma command chooses automatically.
func (net *Network) SetThreads(n int) {
	if n < 0 {
		n = 1
	}
	net.threads = n
}

// AutoThreads is the SetThreads value that lets each run choose between
// one thread and all the cores (GOMAXPROCS): it times windows of steps with
// each, keeps the faster and checks again now and then. The choice cannot
// change the results, only the speed.
const AutoThreads = 0

// Threads returns the number of cores a run may use: for AutoThreads,
// the most it may use.
func (net *Network) Threads() int {
	if net.threads == AutoThreads {
		return runtime.GOMAXPROCS(0)
	}
	return max(net.threads, 1)
}

// ThreadsAuto reports whether runs choose their thread count themselves.
func (net *Network) ThreadsAuto() bool {
	return net.threads == AutoThreads && runtime.GOMAXPROCS(0) > 1
}

// active is the number of threads the current step splits work between.
func (net *Network) active() int {
	if net.pool == nil {
		return 1
	}
	return net.using
}

// threadChooser times windows of steps on one thread and on all of them
// and picks the one faster per step. The windows alternate (1, n, 1, n,
// ...) so that a drift of the network's activity affects both alike. A
// window ends after chooseWindow steps, or sooner once it has taken
// chooseWindowTime: a network's first steps can be many times dearer
// than the later ones (the microcircuit's first 128 took 16-37 ms each),
// and the windows on the losing thread count are what a check costs.
// While the choice stays the same, the checks grow rarer, and when it
// also wins by far (confident), rarer still and shorter.
type threadChooser struct {
	most     int
	start    int64 // the first step of the current window
	next     int64 // the step at which the current window ends at the latest
	trial    int   // windows timed so far in this check; -1 between checks
	windows  int   // windows in this check
	took     [2]time.Duration
	steps    [2]int64 // the steps timed in took
	began    time.Time
	interval int64 // steps between checks
	last     int   // the previous choice
	// plain are the operations without regions, which the steps on one
	// thread run.
	plain []*operation
}

const (
	chooseWindow     = 16                     // steps per timed window, at most
	chooseWindowTime = 500 * time.Microsecond // and the time after which a window ends sooner
	chooseWindows    = 8                      // windows per check, alternating one thread and all
	sureWindows      = 4                      // windows of a check after a confident one
	chooseFirst      = 256                    // steps from one check to the next, at first
	chooseInterval   = 1 << 16                // and at most
	// confident is how much faster the choice must be for the checks to
	// grow rarer four times instead of twice, and shorter.
	confident = 1.25
)

// newThreadChooser returns the chooser of a run starting at step on most
// threads. The first check waits one window: a run's first step can be
// its dearest by far (the microcircuit's took 1.5 s on one thread, the
// next ones 16-37 ms).
func newThreadChooser(most int, step int64) *threadChooser {
	return &threadChooser{most: most, next: step + chooseWindow, trial: -1, windows: chooseWindows, interval: chooseFirst, last: most}
}

// tick runs before each step and sets the threads the step uses.
func (c *threadChooser) tick(net *Network, step int64) {
	if threads, ok := c.at(step, time.Now); ok {
		net.using = threads
	}
}

// at returns the threads of the steps from step on, and whether they
// change here; clock reads the time, only while a check runs and when a
// window or the wait for a check ends.
func (c *threadChooser) at(step int64, clock func() time.Time) (int, bool) {
	switch {
	case step >= c.next:
		return c.advance(step, clock()), true
	case c.trial >= 0 && step > c.start:
		if now := clock(); now.Sub(c.began) >= chooseWindowTime {
			return c.advance(step, now), true
		}
	}
	return 0, false
}

// advance ends the window (or the wait for a check) that ends at step,
// at time now, and returns the threads of the steps that follow.
func (c *threadChooser) advance(step int64, now time.Time) int {
	if c.trial >= 0 {
		c.took[c.trial%2] += now.Sub(c.began)
		c.steps[c.trial%2] += step - c.start
	}
	c.trial++
	if c.trial < c.windows {
		c.began, c.start, c.next = now, step, step+chooseWindow
		if c.trial%2 == 1 {
			return c.most
		}
		return 1
	}
	one := float64(c.took[0]) / float64(c.steps[0])
	all := float64(c.took[1]) / float64(c.steps[1])
	choice, margin := 1, all/one
	if all < one {
		choice, margin = c.most, one/all
	}
	switch {
	case choice == c.last && margin >= confident:
		c.interval, c.windows = min(4*c.interval, chooseInterval), sureWindows
	case choice == c.last:
		c.interval, c.windows = min(2*c.interval, chooseInterval), chooseWindows
	default:
		c.interval, c.windows = chooseFirst, chooseWindows
	}
	c.last = choice
	c.trial, c.took, c.steps = -1, [2]time.Duration{}, [2]int64{}
	c.next = step + c.interval
	return choice
}

// pool runs pieces of one step on several goroutines. Workers live for
// the duration of a run. Between the pieces of a step they spin on the
// generation counter, because waking a parked goroutine costs tens of
// microseconds on a virtual machine, more than a small step takes; after
// spinLimit of idleness they park until the next piece.
type pool struct {
	workers []*worker
	quit    atomic.Bool
	wg      sync.WaitGroup
	// The dispatcher writes cur and the workers read it; the workers
	// write pending and the dispatcher reads it: each on a cache line of
	// its own, so that neither write evicts the other's spinning reader.
	_       [64]byte
	cur     atomic.Pointer[task] // the latest split; workers wait for a new one
	_       [64]byte
	pending atomic.Int32 // parts of the current split not yet finished
	_       [64]byte
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

// spinLimit is how long an idle worker spins before it parks: longer than
// the serial work between two splits of a step usually takes.
const spinLimit = 1 * time.Millisecond

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
	// The clock is read only once the next split is late: reading it
	// costs about as much as a hand-over.
	var began time.Time
	for spins := 1; ; spins++ {
		if t := p.cur.Load(); t != seen {
			return t
		}
		if spins&1023 == 0 {
			if began.IsZero() {
				began = time.Now()
			} else if time.Since(began) > spinLimit {
				break
			}
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
	// The parts run on other cores: spin. Yield only when it takes long,
	// as when there are fewer cores than threads.
	for spins := 0; p.pending.Load() > 0; spins++ {
		if spins&(1<<16-1) == 1<<16-1 {
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

// partSize is the size of each but the last of parts parts of n elements
// as regions cut them (region.go): as even as cuts at multiples of
// partAlign allow.
func partSize(n, parts int) int {
	return ((n+parts-1)/parts + partAlign - 1) / partAlign * partAlign
}

// partAlign is the multiple of elements at which parts are cut: a
// PoissonInput block, so that each block lies in one part (and more than
// 64 bytes of the narrowest variable, a bool, so that no two threads write
// one cache line).
const partAlign = poissonBlockSize
