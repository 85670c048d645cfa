package kernel

// ChunkSize is the number of elements a tape processes per pass: registers
// of 512 float64 (4 KiB) keep several temporaries in L1 while the loop
// overhead of each instruction stays small next to its work (512 ran the
// 4000-neuron benchmark networks 3-5% faster than 256, and the
// Hodgkin-Huxley network, with more temporaries, as fast).
const ChunkSize = 512

const chunk = ChunkSize

// execFn executes one instruction on the current chunk.
type execFn func(f *frame, in *instr)

// instr is one instruction of a tape. Which fields matter depends on exec.
type instr struct {
	exec  execFn
	d     int32                     // destination slot
	v     [maxTerms + 1]int32       // vector operand slots
	s     [2 * (maxTerms + 1)]int32 // scalar operand cells
	col   *Column                   // memory operations
	mask  *Column                   // a boolean column read by a fused scatter
	param *float64                  // prologue loads and stores of parameters
	path  int32                     // index path of gathers and scatters
	aop   op                        // scatters: opAdd, opSub, opMul, opDiv, or opConst for =
	// addsScalar marks execScatterAddFS: a scalar cell added to a float64
	// column through an index path (v_post += w, w shared or constant).
	addsScalar bool
	f1         func(float64) float64
	f2         func(float64, float64) float64
	fn         *function
	args       []operand  // generic calls
	sites      []drawSite // the draw instruction
	text       string     // for String
}

// operand is an argument of a generic call: a vector slot or a scalar cell.
type operand struct {
	vec bool
	loc int32
}

// view is a slot bound, per chunk, straight to a column's memory.
type view struct {
	slot int32
	col  *Column // nil for the Expr destination
}

// program is a tape plus how to bind its slots.
type program struct {
	code    []instr
	nregs   int
	views   []view
	views32 []*Column // float32 columns read or written in place, by slot32 index
	paths   []*path   // index paths used, by id (entry 0 unused)
}

// frame is the mutable state of one execution: register memory, scalar
// cells and per-chunk bindings. Frames are pooled per kernel, so kernels
// can run concurrently on disjoint elements.
type frame struct {
	slot   [][]float64 // slots of the tape being run
	slot32 [][]float32 // float32 views of the chunk (dense body)
	bslot  [][]float64 // body slots: registers, then views
	pslot  [][]float64 // prologue slots: one per cell
	regs   []float64
	scal   []float64
	ix     [][]int32 // per path: the element indices of the chunk (path 0: direct in RunIndices)
	ixbuf  [][]int32 // composed index arrays of RunIndices
	lo     int       // first element of the chunk (dense) or its offset in idx
	dense  bool      // the chunk is lo..lo+n-1, not the indices ix[0]
	pos    int       // offset of the chunk from the start of the call
	n      int
	off    int // IndexOffset
	rng    RNG
	dst    []float64 // Expr destination of the call
	coll   []int32   // Condition output
	args   []float64 // scratch for generic calls
}

func newFrame(nregs, nslots, npaths, nargs int, cells []float64) *frame {
	f := &frame{
		bslot: make([][]float64, 0, nslots),
		regs:  make([]float64, nregs*chunk),
		scal:  append([]float64(nil), cells...),
		ix:    make([][]int32, npaths+1),
		ixbuf: make([][]int32, npaths+1),
		args:  make([]float64, nargs),
	}
	for i := range f.ixbuf {
		f.ixbuf[i] = make([]int32, chunk)
	}
	f.pslot = make([][]float64, len(f.scal))
	for i := range f.scal {
		f.pslot[i] = f.scal[i : i+1 : i+1]
	}
	return f
}

// bindRegs sizes the register slots for chunks of n elements.
func (f *frame) bindRegs(p *program, n int) {
	f.bslot = f.bslot[:0]
	for r := range p.nregs {
		f.bslot = append(f.bslot, f.regs[r*chunk:r*chunk+n:r*chunk+n])
	}
	for range p.views {
		f.bslot = append(f.bslot, nil)
	}
}

// runScalar runs a prologue.
func (f *frame) runScalar(code []instr) {
	f.slot, f.n = f.pslot, 1
	for i := range code {
		in := &code[i]
		in.exec(f, in)
	}
}

// runChunk runs the body on the chunk bound in f.
func (f *frame) runChunk(code []instr) {
	for i := range code {
		in := &code[i]
		in.exec(f, in)
	}
}

// bindDense binds views and index paths to elements lo..lo+n-1.
func (f *frame) bindDense(p *program, lo, pos, n int) {
	f.lo, f.pos, f.n, f.dense = lo, pos, n, true
	for _, v := range p.views {
		if v.col == nil {
			f.bslot[v.slot] = f.dst[pos : pos+n : pos+n]
		} else {
			f.bslot[v.slot] = v.col.F[lo : lo+n : lo+n]
		}
	}
	f.slot32 = f.slot32[:0]
	for _, c := range p.views32 {
		f.slot32 = append(f.slot32, c.F32[lo:lo+n:lo+n])
	}
	for _, q := range p.paths[1:] {
		f.ix[q.id] = q.col.Index[lo : lo+n : lo+n]
	}
}

// bindIndices binds views and index paths to the elements idx.
func (f *frame) bindIndices(p *program, idx []int32, pos int) {
	n := len(idx)
	f.pos, f.n, f.dense = pos, n, false
	f.ix[0] = idx
	for _, v := range p.views {
		f.bslot[v.slot] = f.dst[pos : pos+n : pos+n]
	}
	for _, q := range p.paths[1:] {
		ind, buf := q.col.Index, f.ixbuf[q.id][:n]
		for k, e := range idx {
			buf[k] = ind[e]
		}
		f.ix[q.id] = buf
	}
}
