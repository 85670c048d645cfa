package soma

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/kernel"
)

// Building synapses in parallel. Connect by probability draws each source
// row from a random stream of its own and Set draws each fixed block of
// synapses from one, so the network a seed gives does not depend on how
// the work is split between threads. The streams derive from a key that
// each Connect or Set draws from the Synapses' own stream: the key follows
// the network's seed (and Seed's re-seeding, Store and Restore), and two
// calls never share streams.

// Tags of the derived streams, so that a row's and a block's stream differ
// even under the same key.
const (
	rowStreamTag   = 1 << 62
	blockStreamTag = 1<<62 | 1<<61
)

// setBlockSize is the number of synapses Set draws from one stream. It
// fixes which values a seed gives, so it must not change with the number
// of threads (or at all, without reason).
const setBlockSize = 1 << 14

// rowBlockSynapses is about how many synapses a block of rows holds when
// rows are shared out between threads; it only balances the work.
const rowBlockSynapses = 1 << 16

// mix64 scrambles a stream number (SplitMix64's finaliser), so that
// neighbouring rows start from unrelated generator states.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// stream is a random stream that is re-seeded for each row or block. Each
// goroutine has its own; the padding keeps generators, which change at
// every draw, on separate cache lines, or the goroutines would take turns
// at the line and run slower than one.
type stream struct {
	src rand.PCG
	rng *rand.Rand
	_   [128]byte
}

func newStream() *stream {
	st := &stream{}
	st.rng = rand.New(&st.src)
	return st
}

// at starts the stream numbered k under key and tag.
func (st *stream) at(key, tag uint64, k int) *rand.Rand {
	st.src.Seed(key, mix64(tag|uint64(k)))
	return st.rng
}

// forBlocks calls do(worker, b) for every block b in 0..nBlocks-1, on up
// to threads goroutines that take blocks in turn; worker (0..threads-1)
// tells a call which goroutine's scratch state it may use. With one thread
// or one block, everything runs on the caller's goroutine.
func forBlocks(threads, nBlocks int, do func(worker, b int)) {
	threads = min(threads, nBlocks)
	if threads <= 1 {
		for b := range nBlocks {
			do(0, b)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				b := int(next.Add(1) - 1)
				if b >= nBlocks {
					return
				}
				do(w, b)
			}
		}()
	}
	wg.Wait()
}

// buildThreads is the number of goroutines building may use: the
// network's thread count, as for a run.
func (s *Synapses) buildThreads() int { return s.net.Threads() }

// forRows calls do(worker, lo, hi) for blocks of rows lo..hi-1 of about
// rowBlockSynapses synapses each, given perRow synapses per row on
// average.
func forRows(threads, nRows int, perRow float64, do func(worker, lo, hi int)) {
	rows := int(min(max(rowBlockSynapses/max(perRow, 1), 1), 4096))
	nBlocks := (nRows + rows - 1) / rows
	forBlocks(threads, nBlocks, func(w, b int) {
		do(w, b*rows, min((b+1)*rows, nRows))
	})
}

// connectSampled connects each pair for which the condition holds with
// probability p, n times, drawing the targets of each row by geometric
// skips over all targets and testing the condition only on those drawn:
// the condition is deterministic, so this is the same as a draw for each
// pair that satisfies it, at a cost that grows with the synapses created.
//
// Rows are drawn twice: once to count their synapses, then, from the same
// streams, into their places in the final target array. Apart from moving
// the synapses of earlier connects, that array is then the only
// per-synapse memory the build allocates: no pair lists, no sorted copy.
func (s *Synapses) connectSampled(cond expr.Node, p float64, n int) error {
	nSrc, nTgt := s.src.Size(), s.tgt.Size()
	if p <= 0 || n == 0 || nSrc == 0 || nTgt == 0 {
		return nil
	}
	threads := s.buildThreads()
	key := s.rng.Uint64()
	samplers := make([]*rowSampler, threads)
	for w := range samplers {
		r, err := s.newRowSampler(cond, key, p, n)
		if err != nil {
			return err
		}
		samplers[w] = r
	}
	perRow := float64(nTgt) * min(p, 1) * float64(n)
	counts := make([]int64, nSrc)
	forRows(threads, nSrc, perRow, func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			counts[i] = int64(samplers[w].count(i))
		}
	})
	s.growRows(counts)
	forRows(threads, nSrc, perRow, func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			end := s.ptr[i+1]
			samplers[w].fill(i, s.jAbs[end-counts[i]:end])
		}
	})
	s.connectivityChanged()
	return nil
}

// rowSampler draws the targets of source rows; each goroutine has its own.
type rowSampler struct {
	key    uint64
	st     *stream
	nTgt   int
	p      float64
	scale  float64 // 1/-log(1-p): geometric gaps from exponential variates
	n      int     // synapses per chosen pair
	off    int32   // the target's offset in its owner
	filter *targetFilter
	js     []int32
}

func (s *Synapses) newRowSampler(cond expr.Node, key uint64, p float64, n int) (*rowSampler, error) {
	r := &rowSampler{key: key, st: newStream(), nTgt: s.tgt.Size(), p: p, n: n, off: int32(s.tgt.offset())}
	if p < 1 {
		r.scale = -1 / math.Log1p(-p)
	}
	if cond != nil {
		f, err := s.newTargetFilter(cond)
		if err != nil {
			return nil, err
		}
		r.filter = f
	}
	return r, nil
}

// count returns the number of synapses of row i.
func (r *rowSampler) count(i int) int {
	if r.filter == nil {
		if r.p >= 1 {
			return r.nTgt * r.n
		}
		rng := r.st.at(r.key, rowStreamTag, i)
		c := 0
		for j := r.next(rng, -1); j < r.nTgt; j = r.next(rng, j) {
			c++
		}
		return c * r.n
	}
	return len(r.targets(i)) * r.n
}

// fill writes the targets of row i, in the target owner's numbering, into
// dst, which has room for exactly count(i).
func (r *rowSampler) fill(i int, dst []int32) {
	if r.filter != nil {
		k := 0
		for _, j := range r.targets(i) {
			for range r.n {
				dst[k] = j + r.off
				k++
			}
		}
		return
	}
	rng := r.st.at(r.key, rowStreamTag, i)
	for k, j := 0, r.next(rng, -1); j < r.nTgt; j = r.next(rng, j) {
		for range r.n {
			dst[k] = int32(j) + r.off
			k++
		}
	}
}

// next returns the first chosen target after j (nTgt or more when there
// is none). P(gap >= k) = (1-p)^k for gap = floor(E/lambda), E an
// exponential variate and lambda = -log(1-p); ExpFloat64 draws E without
// a logarithm.
func (r *rowSampler) next(rng *rand.Rand, j int) int {
	if r.p >= 1 {
		return j + 1
	}
	j += 1 + int(rng.ExpFloat64()*r.scale)
	if j < 0 { // past the int range: no more targets
		return r.nTgt
	}
	return j
}

// targets returns the chosen targets of row i that satisfy the condition,
// in increasing order, in a buffer reused by the next call.
func (r *rowSampler) targets(i int) []int32 {
	r.js = r.js[:0]
	f := r.filter
	f.setRow(i)
	if f.rowOnly && !f.holds() {
		return r.js
	}
	rng := r.st.at(r.key, rowStreamTag, i)
	for j := r.next(rng, -1); j < r.nTgt; j = r.next(rng, j) {
		r.js = append(r.js, int32(j))
	}
	if !f.rowOnly {
		r.js = f.keep(r.js)
	}
	return r.js
}

// targetFilter evaluates a connect condition without random calls for one
// source row at a time: once per row when it does not depend on the target
// ("i < N_E"), else on the drawn targets ("i != j").
type targetFilter struct {
	row     *rowEval // holds i and the x_pre values of the current row
	e       *kernel.Expr
	rowOnly bool
	vals    []float64
}

func (s *Synapses) newTargetFilter(cond expr.Node) (*targetFilter, error) {
	r := &rowEval{s: s, pre: map[string]*float64{}, preVars: map[string]*Variable{}}
	e, err := kernel.CompileExpr(cond, r.layout(cond))
	if err != nil {
		return nil, err
	}
	return &targetFilter{row: r, e: e, rowOnly: !dependsOnTarget(cond)}, nil
}

// dependsOnTarget reports whether an expression reads j or a variable of
// the target.
func dependsOnTarget(n expr.Node) bool {
	for _, name := range expr.Names(n) {
		if name == "j" || strings.HasSuffix(name, "_post") {
			return true
		}
	}
	return false
}

func (f *targetFilter) setRow(i int) { f.row.setRow(i) }

// firstTarget is where a condition that does not depend on the target is
// evaluated; the kernel only reads it.
var firstTarget = []int32{0}

// holds evaluates a condition that does not depend on the target.
func (f *targetFilter) holds() bool {
	f.vals = grow(f.vals, 1)
	f.e.EvalIndices(firstTarget, f.vals, nil)
	return f.vals[0] != 0
}

// keep drops the targets for which the condition does not hold.
func (f *targetFilter) keep(js []int32) []int32 {
	f.vals = grow(f.vals, len(js))
	f.e.EvalIndices(js, f.vals, nil)
	out := js[:0]
	for k, j := range js {
		if f.vals[k] != 0 {
			out = append(out, j)
		}
	}
	return out
}

// growRows makes room for add[k] new synapses after the existing ones of
// each source row k: afterwards row k's new synapses are
// s.ptr[k+1]-add[k] .. s.ptr[k+1]-1, with target 0 and zero variables, for
// the caller to fill. Existing targets and variables move row by row, in
// parallel, without a per-synapse position array.
func (s *Synapses) growRows(add []int64) {
	nSrc := len(add)
	ptr := make([]int64, nSrc+1)
	for k := range nSrc {
		ptr[k+1] = ptr[k] + (s.ptr[k+1] - s.ptr[k]) + add[k]
	}
	total := int(ptr[nSrc])
	if s.n == 0 {
		for _, v := range s.vars {
			v.permute(nil, total) // zero columns
		}
		s.ptr, s.jAbs, s.n = ptr, make([]int32, total), total
		return
	}
	threads := s.buildThreads()
	s.jAbs = spreadRows(s.jAbs, s.ptr, ptr, threads)
	for _, v := range s.vars {
		v.spreadRows(s.ptr, ptr, threads)
	}
	s.ptr, s.n = ptr, total
}

// spreadRows copies the rows of old (CSR pointers oldPtr) to their places
// under newPtr; the room after each row stays zero.
func spreadRows[T any](old []T, oldPtr, newPtr []int64, threads int) []T {
	out := make([]T, newPtr[len(newPtr)-1])
	nRows := len(newPtr) - 1
	perRow := float64(len(old)) / float64(max(nRows, 1))
	forRows(threads, nRows, perRow, func(_, lo, hi int) {
		for k := lo; k < hi; k++ {
			copy(out[newPtr[k]:], old[oldPtr[k]:oldPtr[k+1]])
		}
	})
	return out
}

// spreadRows moves a synaptic variable's values as growRows moves the
// synapses.
func (v *Variable) spreadRows(oldPtr, newPtr []int64, threads int) {
	switch {
	case v.Shared:
	case v.col.F32 != nil:
		v.col.F32 = spreadRows(v.col.F32, oldPtr, newPtr, threads)
	case v.col.F != nil || (v.col.I == nil && v.col.B == nil):
		v.col.F = spreadRows(v.col.F, oldPtr, newPtr, threads)
	case v.col.I != nil:
		v.col.I = spreadRows(v.col.I, oldPtr, newPtr, threads)
	default:
		v.col.B = spreadRows(v.col.B, oldPtr, newPtr, threads)
	}
}

// setEach assigns the value of n to v for every synapse, in fixed blocks
// of synapses that threads evaluate at the same time, each block drawing
// rand() and randn() from its own stream.
func (s *Synapses) setEach(v *Variable, sc *scope, n expr.Node) error {
	if v.Shared || v.col.Index != nil {
		return s.setEachSerial(v, sc, n)
	}
	lay, err := s.layout(sc, n)
	if err != nil {
		return err
	}
	s.t = s.clock.T()
	e, err := kernel.CompileExpr(n, lay)
	if err != nil {
		return err
	}
	if e.UsesRNG() && s.global != nil {
		return fmt.Errorf("random values of '%s' must be drawn before the network is distributed over ranks", v.Name)
	}
	var key uint64
	if e.UsesRNG() {
		key = s.rng.Uint64()
	}
	threads := s.buildThreads()
	bufs := make([][]float64, threads)
	streams := make([]*stream, threads)
	for w := range streams {
		streams[w] = newStream()
	}
	nBlocks := (s.n + setBlockSize - 1) / setBlockSize
	forBlocks(threads, nBlocks, func(w, b int) {
		lo, hi := b*setBlockSize, min((b+1)*setBlockSize, s.n)
		bufs[w] = grow(bufs[w], setBlockSize)
		var rng kernel.RNG
		if e.UsesRNG() {
			rng = streams[w].at(key, blockStreamTag, b)
		}
		e.Eval(lo, hi, bufs[w], rng)
		v.store(lo, bufs[w][:hi-lo])
	})
	return nil
}

// setEachSerial is setEach for shared and linked variables, whose
// elements are not one per synapse.
func (s *Synapses) setEachSerial(v *Variable, sc *scope, n expr.Node) error {
	vals, err := s.evalAll(sc, n)
	if err != nil {
		return err
	}
	for k, x := range vals {
		v.setAt(k, x)
	}
	return nil
}

// store writes vals to elements lo.. of a column without an index.
func (v *Variable) store(lo int, vals []float64) {
	switch {
	case v.col.F != nil:
		copy(v.col.F[lo:], vals)
	case v.col.F32 != nil:
		dst := v.col.F32[lo : lo+len(vals)]
		for k, x := range vals {
			dst[k] = float32(x)
		}
	default:
		for k, x := range vals {
			v.setAt(lo+k, x)
		}
	}
}
