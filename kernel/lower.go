package kernel

import "github.com/soma-sim/soma/expr"

// mode is how a body tape reaches the elements.
type mode uint8

const (
	dense    mode = iota // elements lo..hi-1: direct float columns are views
	indexed              // listed elements: direct columns are gathered and scattered
	prologue             // scalars, once per call
)

// cells numbers the scalar values: constants and the prologue's results.
type cells struct {
	vals []float64
}

func (c *cells) of(n *node) int32 {
	if n.kind == vector {
		panic("kernel: a vector node has no cell")
	}
	if n.loc < 0 {
		n.loc = int32(len(c.vals))
		c.vals = append(c.vals, n.val)
	}
	return n.loc
}

// lowerer turns a scheduled body into a program for one mode.
type lowerer struct {
	mode    mode
	exact   bool
	ops     []*lop
	cells   *cells
	last    map[*node]int     // position of the last use
	home    map[*node]*access // node lives in the memory of this access (a view)
	home32  map[*node]*access // node lives in the memory of this float32 column
	fwd     map[*node]*lop    // the store a forwarded node no longer needs
	noop    map[*lop]bool     // stores with nothing left to do
	reg     map[*node]int32
	views   []*access
	vslot   map[*access]int32 // index into views
	views32 []*access         // float32 views, by slot32 index
	paths   []*path
	fused   map[*lop]*guardedAdd // scatters that do the work of skipped operations
	linMul  map[*lop]bool        // combinations that compute the product before them
	skip    map[*lop]bool
}

func (lw *lowerer) viewable(a *access) bool {
	return a.out || lw.mode == dense && a.col != nil && !a.scalar() && !a.indirect() && a.typ == colF
}

// lowerBody turns a scheduled body into a program for one mode.
func lowerBody(ops []*lop, c *cells, m mode, exact bool) program {
	lw := &lowerer{
		mode: m, exact: exact, ops: ops, cells: c, home: map[*node]*access{}, fwd: map[*node]*lop{},
		noop: map[*lop]bool{}, vslot: map[*access]int32{}, home32: map[*node]*access{},
	}
	lw.liveness()
	lw.residency()
	lw.residency32()
	lw.fuseGuardedAdds()
	lw.fuseLinMuls()
	nregs := lw.allocate()
	var code []instr
	for _, l := range ops {
		if in, ok := lw.instr(l); ok {
			in.text = lw.describe(l)
			code = append(code, in)
		}
	}
	// Now that the registers are counted, place the views after them.
	fix := func(s *int32) {
		if *s >= viewBase {
			*s = *s - viewBase + int32(nregs)
		}
	}
	for i := range code {
		in := &code[i]
		fix(&in.d)
		for j := range in.v {
			fix(&in.v[j])
		}
		for j := range in.args {
			if in.args[j].vec {
				fix(&in.args[j].loc)
			}
		}
		for j := range in.sites {
			fix(&in.sites[j].slot)
		}
	}
	p := program{code: code, nregs: nregs}
	for i, a := range lw.views {
		v := view{slot: int32(nregs + i)}
		if !a.out {
			v.col = a.col
		}
		p.views = append(p.views, v)
	}
	for _, a := range lw.views32 {
		p.views32 = append(p.views32, a.col)
	}
	p.paths = make([]*path, 1, len(lw.paths)+1)
	p.paths = append(p.paths, lw.paths...)
	return p
}

// newInstr returns an instruction with no operands.
func newInstr(exec execFn) instr {
	in := instr{exec: exec, d: -1}
	for i := range in.v {
		in.v[i] = -1
	}
	for i := range in.s {
		in.s[i] = -1
	}
	return in
}

// instr lowers one operation; false when nothing is left to do.
func (lw *lowerer) instr(l *lop) (instr, bool) {
	if lw.skip[l] {
		return instr{}, false
	}
	switch l.kind {
	case lopCompute:
		return lw.compute(l.out, l.in, func(n *node) (bool, int32) {
			if n.kind == vector {
				return true, lw.slot(n)
			}
			return false, lw.cells.of(n)
		}), true
	case lopChain:
		return chainInstr(l, lw.slot(l.out), lw.slot(l.in[0]), lw.cells), true
	case lopLin:
		if lw.linMul[l] {
			return lw.linMulInstr(l), true
		}
		if m := lw.f32Mode(l); m != 0 {
			return lw.linInstr32(l, m), true
		}
		return linInstr(l, lw.slot, lw.cells), true
	case lopLoad:
		return lw.load(l.out)
	case lopIndex:
		in := newInstr(execIndexDense)
		if lw.mode == indexed {
			in.exec = execIndexIndices
		}
		in.d = lw.slot(l.out)
		return in, true
	case lopDraw:
		in := newInstr(execDraw)
		for _, o := range l.outs {
			s := drawSite{op: o.op, slot: lw.slot(o), mean: -1}
			if o.op == opPoisson {
				s.mean = lw.cells.of(o.args[0])
			}
			in.sites = append(in.sites, s)
		}
		return in, true
	case lopPoisson:
		in := newInstr(execPoisson)
		in.d, in.v[0] = lw.slot(l.out), lw.slot(l.in[0])
		return in, true
	case lopStore:
		if lw.noop[l] {
			return instr{}, false
		}
		return lw.store(l.eff.acc, l.in[0])
	case lopScatter:
		if g := lw.fused[l]; g != nil {
			return lw.guardedAddInstr(l, g), true
		}
		return lw.scatter(l.eff.acc, l.eff.aop, l.in[0], lw.usePath(l.eff.acc.path)), true
	case lopCollect:
		return lw.collect(l), true
	}
	panic("kernel: unknown operation")
}

var scatterOps = map[expr.AssignOp]op{
	expr.Assign: opConst, expr.AddAssign: opAdd, expr.SubAssign: opSub, expr.MulAssign: opMul, expr.DivAssign: opDiv,
}

// lowerPrologue turns the scheduled prologue into instructions; its slots
// are the cells.
func lowerPrologue(ops []*lop, c *cells) []instr {
	loc := func(n *node) (bool, int32) { return n.kind == uniform, c.of(n) }
	lw := &lowerer{mode: prologue, cells: c, ops: ops}
	var code []instr
	for _, l := range ops {
		var in instr
		switch l.kind {
		case lopLoad:
			a := l.out.acc
			in = newInstr(execLoadShared)
			if a.param != nil {
				in.exec = execLoadParam
			}
			in.d, in.col, in.param = c.of(l.out), a.col, a.param
		case lopCompute:
			in = lw.compute(l.out, l.in, loc)
		case lopChain:
			in = chainInstr(l, c.of(l.out), c.of(l.in[0]), c)
		case lopLin:
			in = linInstr(l, c.of, c)
		case lopStore:
			a := l.eff.acc
			in = newInstr(execStoreShared)
			if a.param != nil {
				in.exec = execStoreParam
			}
			in.s[0], in.col, in.param = c.of(l.in[0]), a.col, a.param
		default:
			panic("kernel: unexpected operation in the prologue")
		}
		in.text = lw.describe(l)
		code = append(code, in)
	}
	return code
}
