package kernel

import (
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/soma-sim/soma/expr"
)

// Kernel is a compiled list of statements. It is immutable, and Run and
// RunIndices may be called concurrently on disjoint elements.
type Kernel struct {
	pro       []instr // once per call: parameters, shared variables, uniform values
	dense     program // Run
	indexed   program // RunIndices
	cells     []float64
	seq       bool // elements interact through index arrays: run one at a time
	usesRNG   bool
	writesPro bool // the prologue writes shared variables or parameters
	off       int
	npaths    int
	nregs     int
	nslots    int
	nargs     int // the most arguments of a generic call
	// scalarAdd is the dense program's only instruction when that adds a
	// scalar through an index path and nothing else is bound (CUBA's
	// ge += we): RunRanges then loops over the ranges itself, without
	// binding each range as a chunk.
	scalarAdd  *instr
	spare      atomic.Pointer[frame] // the frame of the last call
	pool       sync.Pool             // more frames for concurrent calls
	statements string
}

// Compile compiles statements run per element in order, each element
// seeing its own earlier assignments. Assigning to a name that is neither a
// column nor a parameter creates a temporary; assigning to a constant, or
// reading an unknown name, is an error naming the statement.
func Compile(stmts []expr.Stmt, lay Layout) (*Kernel, error) {
	b, err := newBuilder(lay)
	if err != nil {
		return nil, err
	}
	if err := b.statements(stmts); err != nil {
		return nil, err
	}
	k, _ := link(b, true)
	s := make([]string, len(stmts))
	for i, st := range stmts {
		s[i] = expr.StmtString(st)
	}
	k.statements = strings.Join(s, "\n")
	return k, nil
}

// link schedules and lowers what the builder made, for RunIndices too if
// withIndices; the cells it returns let callers find scalar results.
func link(b *builder, withIndices bool) (*Kernel, *cells) {
	pro, body := schedule(b.g, b.effects, b.draws, b.lay.Exact)
	c := &cells{}
	k := &Kernel{
		pro:     lowerPrologue(pro.ops, c),
		dense:   lowerBody(body.ops, c, dense, b.lay.Exact),
		seq:     b.sequential(),
		usesRNG: len(b.draws) > 0,
		off:     b.lay.IndexOffset,
		npaths:  len(b.paths),
	}
	if withIndices {
		k.indexed = lowerBody(body.ops, c, indexed, b.lay.Exact)
	}
	for _, e := range b.effects {
		if e.kind == effAnchor && e.val.op == opPoisson {
			k.usesRNG = true
		}
		if e.kind == effStore && e.acc.scalar() {
			k.writesPro = true
		}
	}
	for _, p := range []*program{&k.dense, &k.indexed} {
		k.nregs = max(k.nregs, p.nregs)
		k.nslots = max(k.nslots, p.nregs+len(p.views))
		for _, in := range p.code {
			k.nargs = max(k.nargs, len(in.args))
		}
	}
	for _, in := range k.pro {
		k.nargs = max(k.nargs, len(in.args))
	}
	k.cells = c.vals
	if p := &k.dense; len(p.code) == 1 && p.code[0].addsScalar && len(p.views) == 0 && len(p.views32) == 0 && len(p.paths) == 2 {
		k.scalarAdd = &p.code[0]
	}
	return k, c
}

func (k *Kernel) frame(rng RNG) *frame {
	if k.usesRNG && rng == nil {
		panic("kernel: the code calls rand, randn or poisson, but no RNG was given")
	}
	f := k.spare.Swap(nil)
	if f == nil {
		f, _ = k.pool.Get().(*frame)
	}
	if f == nil {
		f = newFrame(k.nregs, k.nslots, k.npaths, k.nargs, k.cells)
		f.off = k.off
	}
	f.rng = rng
	return f
}

// release returns a frame: to the spare slot, which survives garbage
// collections, or to the pool when calls run concurrently.
func (k *Kernel) release(f *frame) {
	f.rng, f.dst, f.coll = nil, nil, nil
	if !k.spare.CompareAndSwap(nil, f) {
		k.pool.Put(f)
	}
}

func (k *Kernel) step() int {
	if k.seq {
		return 1
	}
	return chunk
}

// Run executes the statements for elements lo..hi-1, using rng for rand,
// randn and poisson. Random numbers are drawn element by element in
// element order (poisson with a mean that differs between elements draws
// per chunk after the others), so a seed and a range give reproducible
// results.
func (k *Kernel) Run(lo, hi int, rng RNG) {
	f := k.frame(rng)
	f.runScalar(k.pro)
	k.runDense(f, lo, hi)
	k.release(f)
}

// RunRanges does what Run does for each range [r[0], r[1]) in turn, as
// consecutive calls would, but sets up only once: spike propagation runs
// the synapses of every spiking neuron, often a few dozen elements each.
func (k *Kernel) RunRanges(ranges [][2]int, rng RNG) {
	if k.writesPro || k.usesRNG {
		// Per call effects: shared writes and uniform draws happen per Run.
		for _, r := range ranges {
			k.Run(r[0], r[1], rng)
		}
		return
	}
	f := k.frame(rng)
	f.runScalar(k.pro)
	if in := k.scalarAdd; in != nil {
		addInRanges(ranges, k.dense.paths[in.path].col.Index, in.col.F, f.scal[in.s[0]])
		k.release(f)
		return
	}
	for _, r := range ranges[:min(prefetchAhead, len(ranges))] {
		k.dense.prefetch(r[0], r[1])
	}
	for i, r := range ranges {
		if j := i + prefetchAhead; j < len(ranges) {
			k.dense.prefetch(ranges[j][0], ranges[j][1])
		}
		k.runDense(f, r[0], r[1])
	}
	k.release(f)
}

// addInRanges adds x to dst at the indices of the elements of each
// range, in order: execScatterAddFS over the ranges, with their indices
// asked for ahead as program.prefetch asks for them.
func addInRanges(ranges [][2]int, index []int32, dst []float64, x float64) {
	ask := func(r [2]int) {
		if r[1] > r[0] {
			prefetchSpan(unsafe.Pointer(&index[r[0]]), (r[1]-r[0])*4)
		}
	}
	for _, r := range ranges[:min(prefetchAhead, len(ranges))] {
		ask(r)
	}
	for i, r := range ranges {
		if j := i + prefetchAhead; j < len(ranges) {
			ask(ranges[j])
		}
		for _, t := range index[r[0]:r[1]] {
			dst[t] += x
		}
	}
}

// prefetchAhead is how many ranges ahead RunRanges asks for the columns
// of a range. A range is often a row of synapses at a random place in
// memory, and its first load would otherwise wait for main memory before
// any of its work starts: asked for early, the rows' loads overlap.
const prefetchAhead = 8

// prefetchLinesMax bounds the lines asked for per column and range; past
// them the hardware's own prefetcher follows the stream.
const prefetchLinesMax = 4

// prefetch asks for the first lines of the columns p reads in place for
// elements lo..hi-1.
func (p *program) prefetch(lo, hi int) {
	if hi <= lo {
		return // lo may be the columns' end
	}
	for _, v := range p.views {
		if v.col != nil {
			prefetchSpan(unsafe.Pointer(&v.col.F[lo]), (hi-lo)*8)
		}
	}
	for _, c := range p.views32 {
		prefetchSpan(unsafe.Pointer(&c.F32[lo]), (hi-lo)*4)
	}
	for _, q := range p.paths[1:] {
		prefetchSpan(unsafe.Pointer(&q.col.Index[lo]), (hi-lo)*4)
	}
}

// prefetchSpan asks for the cache lines of the bytes from ptr on, up to
// prefetchLinesMax of them.
func prefetchSpan(ptr unsafe.Pointer, bytes int) {
	// ptr+64i lies in the i-th line from ptr's.
	lines := (int(uintptr(ptr)&63) + bytes + 63) / 64
	prefetchLines(ptr, min(lines, prefetchLinesMax))
}

// RunIndices does the same for the listed elements only. Indices may repeat
// only when every target is indirect.
func (k *Kernel) RunIndices(idx []int32, rng RNG) {
	f := k.frame(rng)
	f.runScalar(k.pro)
	k.runIndices(f, idx)
	k.release(f)
}

func (k *Kernel) runDense(f *frame, lo, hi int) {
	p, step, n := &k.dense, k.step(), -1
	for c := lo; c < hi; c += step {
		f.runDenseChunk(p, lo, c, min(step, hi-c), &n)
	}
}

// runDenseChunk runs p on the m elements from c of a dense call starting
// at lo; *n is the chunk length the registers were last bound for.
func (f *frame) runDenseChunk(p *program, lo, c, m int, n *int) {
	if m != *n {
		f.bindRegs(p, m)
		f.slot, *n = f.bslot, m
	}
	f.bindDense(p, c, c-lo, m)
	f.runChunk(p.code)
}

func (k *Kernel) runIndices(f *frame, idx []int32) {
	p, step, n := &k.indexed, k.step(), -1
	for c := 0; c < len(idx); c += step {
		m := min(step, len(idx)-c)
		if m != n {
			f.bindRegs(p, m)
			f.slot, n = f.bslot, m
		}
		f.bindIndices(p, idx[c:c+m:c+m], c)
		f.runChunk(p.code)
	}
}

// NumInstructions is the length of the body tape of Run: the number of
// passes over each chunk of elements.
func (k *Kernel) NumInstructions() int { return len(k.dense.code) }

// Sequential reports whether the kernel runs one element at a time
// because elements can see each other's writes through index arrays.
func (k *Kernel) Sequential() bool { return k.seq }

// UsesRNG reports whether Run needs an RNG.
func (k *Kernel) UsesRNG() bool { return k.usesRNG }

// WritesShared reports whether the statements assign to shared variables
// or parameters. Those assignments happen once per Run call, so such a
// kernel must not be split over several calls per step.
func (k *Kernel) WritesShared() bool { return k.writesPro }

// String prints the statements and the tapes they compiled to.
func (k *Kernel) String() string {
	var b strings.Builder
	if k.statements != "" {
		b.WriteString(k.statements + "\n")
	}
	if k.seq {
		b.WriteString("sequential: elements share memory through index arrays\n")
	}
	writeTape(&b, "prologue", k.pro)
	writeTape(&b, "body", k.dense.code)
	if k.indexed.code != nil {
		writeTape(&b, "body of RunIndices", k.indexed.code)
	}
	return b.String()
}
