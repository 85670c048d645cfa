package soma

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/kernel"
)

// Building synapses in parallel, and in shares on ranks. Connect by
// probability draws the sources of each target neuron from a random
// stream of its own, and Set draws the random values of each target
// neuron's synapses from one: the network a seed gives depends neither on
// how the work is split between threads nor on how the target neurons are
// split between ranks, so that a rank can build only the synapses onto
// its own neurons (BuildShare) and have exactly those of one process. The
// streams derive from a key that each Connect or Set draws from the
// Synapses' own stream: the key follows the network's seed (and Seed's
// re-seeding, Store and Restore), and two calls never share streams.

// Tags of the derived streams, so that a target's stream for connecting
// and for values differ even under the same key.
const (
	columnStreamTag = 1 << 62
	valueStreamTag  = 1<<62 | 1<<61
)

// setBlockSize is the number of synapses a thread evaluates at a time
// when Set draws nothing at random; it only balances the work.
const setBlockSize = 1 << 14

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

// rowBlockSynapses is about how many synapses a block of rows holds when
// rows are shared out between threads; it only balances the work.
const rowBlockSynapses = 1 << 16

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
// probability p, n times, drawing the sources of each target by geometric
// skips over all sources and testing the condition only on those drawn:
// the condition is deterministic, so this is the same as a draw for each
// pair that satisfies it, at a cost that grows with the synapses created.
// A share (BuildShare) draws only the targets of its rank.
//
// Each thread takes a contiguous range of targets. The targets are drawn
// twice: once to count the synapses of each source row per thread, then,
// from the same streams, into their places in the final target array,
// each thread's after those of the threads with lower targets, so that
// every row is in increasing target order whatever the split. Apart from
// moving the synapses of earlier connects, that array and the counts are
// the only memory the build allocates.
func (s *Synapses) connectSampled(cond expr.Node, p float64, n int) error {
	nSrc, nTgt := s.src.Size(), s.tgt.Size()
	if p <= 0 || n == 0 || nSrc == 0 || nTgt == 0 {
		s.built.add(nil, nSrc)
		return nil
	}
	key := s.rng.Uint64()
	jlo, jhi := s.ownTargets()
	parts := max(min(s.buildThreads(), (jhi-jlo)/64), 1)
	samplers := make([]*columnSampler, parts)
	counts := make([][]int64, parts)
	for w := range samplers {
		c, err := s.newColumnSampler(cond, key, p)
		if err != nil {
			return err
		}
		samplers[w], counts[w] = c, make([]int64, nSrc)
	}
	columns := func(q int) (int, int) {
		return jlo + (jhi-jlo)*q/parts, jlo + (jhi-jlo)*(q+1)/parts
	}
	cursors := make([][]columnCursor, parts)
	forBlocks(parts, parts, func(_, q int) {
		c, cnt := samplers[q], counts[q]
		lo, hi := columns(q)
		cursors[q] = make([]columnCursor, hi-lo)
		for j := lo; j < hi; j++ {
			cur := &cursors[q][j-lo]
			c.start(j, cur)
			if c.filter == nil && c.p < 1 {
				// The common case, without the list of sources.
				c.st.src = cur.src
				for i := cur.next; i < nSrc; i = c.next(c.st.rng, i) {
					cnt[i] += int64(n)
				}
				continue
			}
			for _, i := range c.sources(j, *cur, nSrc) {
				cnt[i] += int64(n)
			}
		}
	})
	add := make([]int64, nSrc)
	for q := range counts {
		for i, c := range counts[q] {
			add[i] += c
		}
	}
	first := s.n == 0 // then every row is in target order after the build
	s.growRows(add)
	// counts become each thread's next place in each row.
	for i := range nSrc {
		at := s.ptr[i+1] - add[i]
		for q := range counts {
			at, counts[q][i] = at+counts[q][i], at
		}
	}
	// The second drawing goes through the sources in blocks of rows, each
	// column's stream paused at the end of a block, so that the writes of
	// a block stay within a few pages of memory.
	rows := max(64, int(8/p))
	off := int32(s.tgt.offset())
	forBlocks(parts, parts, func(_, q int) {
		c, next := samplers[q], counts[q]
		lo, hi := columns(q)
		for end := min(rows, nSrc); ; end = min(end+rows, nSrc) {
			for j := lo; j < hi; j++ {
				cur := &cursors[q][j-lo]
				jAbs := int32(j) + off
				for _, i := range c.sources(j, *cur, end) {
					at := next[i]
					for m := range int64(n) {
						s.jAbs[at+m] = jAbs
					}
					next[i] = at + int64(n)
				}
				*cur = c.paused
			}
			if end == nSrc {
				break
			}
		}
	})
	s.built.add(add, nSrc)
	s.connectivityChanged()
	if first {
		s.sortedRows = 1
		if parts := s.net.Threads(); parts > 1 {
			// Where each row crosses into each thread's targets, for
			// pathways split by target: found now, with the threads of
			// the build, rather than in the first step of a run.
			s.targetCuts(parts)
		}
	}
	return nil
}

// columnSampler draws the sources of target columns; each thread has its
// own.
type columnSampler struct {
	key    uint64
	st     *stream
	nSrc   int
	p      float64
	scale  float64 // 1/-log(1-p): geometric gaps from exponential variates
	filter *sourceFilter
	is     []int32
	paused columnCursor // where the last column drawn stands
}

func (s *Synapses) newColumnSampler(cond expr.Node, key uint64, p float64) (*columnSampler, error) {
	c := &columnSampler{key: key, st: newStream(), nSrc: s.src.Size(), p: p}
	if p < 1 {
		c.scale = -1 / math.Log1p(-p)
	}
	if cond != nil {
		f, err := s.newSourceFilter(cond)
		if err != nil {
			return nil, err
		}
		c.filter = f
	}
	return c, nil
}

// columnCursor is where the drawing of a column's sources stands: its
// stream and the next source chosen (nSrc or more when there is none), or,
// for a condition that does not depend on the source and fails, skip.
type columnCursor struct {
	src  rand.PCG
	next int
	skip bool
}

// start sets cur to the start of target j's column.
func (c *columnSampler) start(j int, cur *columnCursor) {
	*cur = columnCursor{}
	if f := c.filter; f != nil && f.columnOnly {
		f.setColumn(j)
		cur.skip = !f.holds()
	}
	if c.p >= 1 {
		return
	}
	c.st.at(c.key, columnStreamTag, j)
	cur.next = c.next(c.st.rng, -1)
	cur.src = c.st.src
}

// sources returns the chosen sources of target j (relative to the target)
// below end that satisfy the condition, from cur on, in increasing order,
// in a buffer reused by the next call; c.paused is then where the column
// stands.
func (c *columnSampler) sources(j int, cur columnCursor, end int) []int32 {
	c.is = c.is[:0]
	end = min(end, c.nSrc)
	switch {
	case cur.skip:
	case c.p >= 1:
		for i := cur.next; i < end; i++ {
			c.is = append(c.is, int32(i))
		}
		cur.next = max(cur.next, end)
	default:
		c.st.src = cur.src
		i := cur.next
		for ; i < end; i = c.next(c.st.rng, i) {
			c.is = append(c.is, int32(i))
		}
		cur.next, cur.src = i, c.st.src
	}
	c.paused = cur
	if f := c.filter; f != nil && !f.columnOnly && len(c.is) > 0 {
		f.setColumn(j)
		c.is = f.keep(c.is)
	}
	return c.is
}

// next returns the first chosen source after i (nSrc or more when there
// is none). P(gap >= k) = (1-p)^k for gap = floor(E/lambda), E an
// exponential variate and lambda = -log(1-p); ExpFloat64 draws E without
// a logarithm.
func (c *columnSampler) next(rng *rand.Rand, i int) int {
	i += 1 + int(rng.ExpFloat64()*c.scale)
	if i < 0 { // past the int range: no more sources
		return c.nSrc
	}
	return i
}

// sourceFilter evaluates a connect condition without random calls for one
// target column at a time: once per column when it does not depend on the
// source ("j < 100"), else on the drawn sources ("i != j").
type sourceFilter struct {
	s          *Synapses
	j          float64
	post       map[string]*float64
	postVars   map[string]*Variable
	e          *kernel.Expr
	columnOnly bool
	vals       []float64
}

// newSourceFilter compiles the condition with the sources as elements and
// j and the x_post values as parameters of the column.
func (s *Synapses) newSourceFilter(cond expr.Node) (*sourceFilter, error) {
	f := &sourceFilter{s: s, post: map[string]*float64{}, postVars: map[string]*Variable{}}
	lay := kernel.Layout{Columns: map[string]*kernel.Column{}, Params: map[string]*float64{"j": &f.j}, IndexName: "i"}
	names := expr.Names(cond)
	for _, name := range names {
		if base, ok := strings.CutSuffix(name, "_pre"); ok {
			if v, ok := s.src.variables()[base]; ok {
				lay.Columns[name] = sliceColumn(v, s.src.offset(), s.src.Size())
			}
		}
		if base, ok := strings.CutSuffix(name, "_post"); ok {
			if v, ok := s.tgt.variables()[base]; ok {
				f.post[name], f.postVars[name] = new(float64), v
				lay.Params[name] = f.post[name]
			}
		}
	}
	lay.Consts, _ = s.pairScope().constantsFor(names)
	e, err := kernel.CompileExpr(cond, lay)
	if err != nil {
		return nil, err
	}
	f.e, f.columnOnly = e, !dependsOnSource(cond)
	return f, nil
}

// dependsOnSource reports whether an expression reads i or a variable of
// the source.
func dependsOnSource(n expr.Node) bool {
	for _, name := range expr.Names(n) {
		if name == "i" || strings.HasSuffix(name, "_pre") {
			return true
		}
	}
	return false
}

// setColumn sets j and the x_post values the condition reads to target
// neuron j's.
func (f *sourceFilter) setColumn(j int) {
	f.j = float64(j)
	for name, v := range f.postVars {
		*f.post[name] = v.at(f.s.tgt.offset() + j)
	}
}

// firstSource is where a condition that does not depend on the source is
// evaluated; the kernel only reads it.
var firstSource = []int32{0}

// holds evaluates a condition that does not depend on the source.
func (f *sourceFilter) holds() bool {
	f.vals = grow(f.vals, 1)
	f.e.EvalIndices(firstSource, f.vals, nil)
	return f.vals[0] != 0
}

// keep drops the sources for which the condition does not hold.
func (f *sourceFilter) keep(is []int32) []int32 {
	f.vals = grow(f.vals, len(is))
	f.e.EvalIndices(is, f.vals, nil)
	out := is[:0]
	for k, i := range is {
		if f.vals[k] != 0 {
			out = append(out, i)
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
	ptr := largeSlice[int64](nSrc + 1)
	for k := range nSrc {
		ptr[k+1] = ptr[k] + (s.ptr[k+1] - s.ptr[k]) + add[k]
	}
	total := int(ptr[nSrc])
	if s.n == 0 {
		for _, v := range s.vars {
			v.permute(nil, total) // zero columns
		}
		s.ptr, s.jAbs, s.n = ptr, largeSlice[int32](total), total
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
func spreadRows[T largeNumber](old []T, oldPtr, newPtr []int64, threads int) []T {
	out := largeSlice[T](int(newPtr[len(newPtr)-1]))
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

// setEach assigns the value of n to v for every synapse: in blocks of
// synapses that threads evaluate at the same time, or, when it draws
// random numbers, from a stream per target neuron (setByTarget).
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
	if e.UsesRNG() {
		s.setByTarget(v, e, s.rng.Uint64())
		return nil
	}
	threads := s.buildThreads()
	bufs := make([][]float64, threads)
	nBlocks := (s.n + setBlockSize - 1) / setBlockSize
	forBlocks(threads, nBlocks, func(w, b int) {
		lo, hi := b*setBlockSize, min((b+1)*setBlockSize, s.n)
		bufs[w] = grow(bufs[w], setBlockSize)
		e.Eval(lo, hi, bufs[w], nil)
		v.store(lo, bufs[w][:hi-lo])
	})
	return nil
}

// setByTarget evaluates an expression that draws random numbers for every
// synapse, each synapse's numbers from its target neuron's stream, the
// synapses of a target in storage order: the values do not depend on the
// threads, and a rank that holds a target's synapses draws them as one
// process does. Threads take contiguous ranges of targets, whose synapses
// in each row are contiguous when rows are in target order; otherwise one
// thread evaluates them all.
func (s *Synapses) setByTarget(v *Variable, e *kernel.Expr, key uint64) {
	nTgt, off := s.tgt.Size(), int32(s.tgt.offset())
	streams := make([]rand.PCG, nTgt)
	for j := range streams {
		streams[j].Seed(key, mix64(valueStreamTag|uint64(j)))
	}
	threads := s.buildThreads()
	if threads == 1 || nTgt < 2 || !s.rowsSortedByTarget() {
		rng := newTargetRNG(streams, s.jAbs, off)
		buf := make([]float64, min(setBlockSize, s.n))
		for lo := 0; lo < s.n; lo += setBlockSize {
			hi := min(lo+setBlockSize, s.n)
			e.Eval(lo, hi, buf, rng)
			v.store(lo, buf[:hi-lo])
		}
		return
	}
	parts := min(threads, nTgt)
	forBlocks(parts, parts, func(_, q int) {
		rng := newTargetRNG(streams, s.jAbs, off)
		first, end := off+int32(nTgt*q/parts), off+int32(nTgt*(q+1)/parts)
		var buf []float64
		for i := 0; i+1 < len(s.ptr); i++ {
			row := s.jAbs[s.ptr[i]:s.ptr[i+1]]
			a, _ := slices.BinarySearch(row, first)
			b, _ := slices.BinarySearch(row, end)
			if b > a {
				lo, hi := int(s.ptr[i])+a, int(s.ptr[i])+b
				buf = grow(buf, hi-lo)
				e.Eval(lo, hi, buf, rng)
				v.store(lo, buf[:hi-lo])
			}
		}
	})
}

// streamRNG gives each element the random numbers of a stream of its
// own group of elements (a kernel.ElementRNG): a synapse those of its
// target's stream (jAbs set), a neuron those of its block's (elements k
// with the same k >> shift).
type streamRNG struct {
	*rand.Rand
	src     streamSource
	streams []rand.PCG
	rands   []*rand.Rand // when set, one over each stream, for runs of elements
	jAbs    []int32
	off     int32
	shift   uint
}

// streamSource is the current element's stream.
type streamSource struct{ cur *rand.PCG }

func (t *streamSource) Uint64() uint64 { return t.cur.Uint64() }

func newTargetRNG(streams []rand.PCG, jAbs []int32, off int32) *streamRNG {
	r := &streamRNG{streams: streams, jAbs: jAbs, off: off}
	r.Rand = rand.New(&r.src)
	return r
}

// stream returns element k's stream.
func (r *streamRNG) stream(k int) *rand.PCG {
	if r.jAbs != nil {
		return &r.streams[r.jAbs[k]-r.off]
	}
	return &r.streams[k>>r.shift]
}

// Element makes element k's stream the current one.
func (r *streamRNG) Element(k int) { r.src.cur = r.stream(k) }

// Float64 is rand.Rand's, without its indirection through a Source.
func (r *streamRNG) Float64() float64 { return uniform(r.src.cur) }

func uniform(src *rand.PCG) float64 { return float64(src.Uint64()<<11>>11) / (1 << 53) }

// Fill draws one number for each element of a chunk from its stream.
func (r *streamRNG) Fill(d []float64, lo int, idx []int32, normal bool) {
	if idx == nil && r.jAbs == nil {
		// A run of neurons: one stream per block of them.
		for k := 0; k < len(d); {
			end := min(len(d), ((lo+k)>>r.shift+1)<<r.shift-lo)
			r.src.cur = r.stream(lo + k)
			if normal {
				rng := r.Rand
				if r.rands != nil {
					rng = r.rands[(lo+k)>>r.shift]
				}
				for ; k < end; k++ {
					d[k] = rng.NormFloat64()
				}
				continue
			}
			for ; k < end; k++ {
				d[k] = uniform(r.src.cur)
			}
		}
		return
	}
	for k := range d {
		e := lo + k
		if idx != nil {
			e = int(idx[k])
		}
		if normal {
			r.src.cur = r.stream(e)
			d[k] = r.NormFloat64()
			continue
		}
		d[k] = uniform(r.stream(e))
	}
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

// load is store's inverse: the values lo..hi-1 of v as float64s, v's own
// storage when it holds them so, else converted into buf (of at least
// hi-lo elements).
func (v *Variable) load(lo, hi int, buf []float64) []float64 {
	if f := v.Float64s(); f != nil && !v.Shared {
		return f[lo:hi]
	}
	buf = buf[:hi-lo]
	if f := v.Float32s(); f != nil && !v.Shared {
		for k := range buf {
			buf[k] = float64(f[lo+k])
		}
		return buf
	}
	for k := range buf {
		buf[k] = v.at(lo + k)
	}
	return buf
}
