package kernel

// Fusion of a guarded synaptic increment. Brian2 guards writes to a
// variable flagged (unless refractory) from synaptic code, so
// v_post += w becomes v_post += w*int(not_refractory_post): a gather of
// the boolean through the target index, a select, and a scatter through
// the same index. The three passes become one, which reads the flag where
// it adds.

// guardedAdd is a scatter col[ix] += (mask[ix] ? t : e) with scalar t, e.
type guardedAdd struct {
	mask *access
	t, e *node
}

// fuseGuardedAdds finds such scatters and marks the gather and the select
// they consume as done by the scatter.
func (lw *lowerer) fuseGuardedAdds() {
	for _, l := range lw.ops {
		if l.kind != lopScatter || scatterOps[l.eff.aop] != opAdd {
			continue
		}
		acc, v := l.eff.acc, l.in[0]
		if acc.typ != colF || acc.path == nil || lw.home32[v] != nil {
			continue
		}
		if v.op != opSelect || v.uses != 1 || v.pos < 0 || lw.ops[v.pos].kind != lopCompute {
			continue
		}
		m, t, e := v.args[0], v.args[1], v.args[2]
		if t.kind == vector || e.kind == vector || m.op != opLoad || m.uses != 1 || m.pos < 0 {
			continue
		}
		// The flag must be read through the same index, and nothing in
		// these statements may write it: the read moves to the scatter.
		if ma := m.acc; ma.typ != colB || ma.path != acc.path || ma.st.written || lw.home[m] != nil {
			continue
		}
		if lw.fused == nil {
			lw.fused = map[*lop]*guardedAdd{}
			lw.skip = map[*lop]bool{}
		}
		lw.fused[l] = &guardedAdd{mask: m.acc, t: t, e: e}
		lw.skip[lw.ops[m.pos]] = true
		lw.skip[lw.ops[v.pos]] = true
	}
}

func (lw *lowerer) guardedAddInstr(l *lop, g *guardedAdd) instr {
	in := newInstr(execScatterAddSelectB)
	in.col, in.mask, in.path = l.eff.acc.col, g.mask.col, lw.usePath(l.eff.acc.path)
	in.s[0], in.s[1] = lw.cells.of(g.t), lw.cells.of(g.e)
	return in
}

// execScatterAddSelectB adds t where the flag is set and e elsewhere,
// without branches: the flag is rarely predictable.
func execScatterAddSelectB(f *frame, in *instr) {
	dst, m := in.col.F, in.mask.B
	te := [2]float64{f.scal[in.s[1]], f.scal[in.s[0]]}
	for _, j := range f.ix[in.path][:f.n] {
		dst[j] += te[b2i(m[j])&1]
	}
}

// A linear combination whose last term is a product of two vectors,
// c0 + c1*x1 + ... + cn*xn + cp*(p*q), the form products.go leaves for a
// conductance-based membrane, computes the product in its own loop
// instead of a pass of its own. Each element goes through the same
// operations in the same order as the two passes, so the bits are the
// same.

// linMulTerms is the most plain terms of a fused combination.
const linMulTerms = 3

// fuseLinMul switches fuseLinMuls on; tests turn it off to compare.
var fuseLinMul = true

// fuseLinMuls marks the products that combinations right after them can
// compute themselves.
func (lw *lowerer) fuseLinMuls() {
	if !fuseLinMul {
		return
	}
	for i, l := range lw.ops {
		a := l.lin
		if l.kind != lopLin || a.fam != nil || isZero(a.c0) || len(a.terms) < 2 || len(a.terms) > linMulTerms+1 ||
			lw.f32Mode(l) != 0 {
			continue
		}
		x := a.terms[len(a.terms)-1].x
		// Right before, and used by nothing else: nothing in between can
		// reuse the registers of the product's operands.
		if x.op != opMul || x.pos != i-1 || lw.last[x] != i || lw.ops[i-1].kind != lopCompute || lw.skip[lw.ops[i-1]] ||
			lw.home[x] != nil || lw.home32[x] != nil {
			continue
		}
		p, q := x.args[0], x.args[1]
		if p.kind != vector || q.kind != vector || lw.home32[p] != nil || lw.home32[q] != nil {
			continue
		}
		if lw.skip == nil {
			lw.skip = map[*lop]bool{}
		}
		if lw.linMul == nil {
			lw.linMul = map[*lop]bool{}
		}
		lw.skip[lw.ops[i-1]] = true
		lw.linMul[l] = true
	}
}

// linMulInstr lowers a combination marked by fuseLinMuls: operands
// x1..xn, then p and q; coefficients c0, c1..cn, then cp.
func (lw *lowerer) linMulInstr(l *lop) instr {
	a := l.lin
	n := len(a.terms) - 1
	in := newInstr(linMulExec[n])
	in.d = lw.slot(l.out)
	in.s[0] = lw.cells.of(a.c0.t)
	for i, t := range a.terms[:n] {
		in.v[i] = lw.slot(t.x)
		in.s[i+1] = lw.cells.of(t.c.t)
	}
	prod := a.terms[n]
	in.v[n], in.v[n+1] = lw.slot(prod.x.args[0]), lw.slot(prod.x.args[1])
	in.s[n+1] = lw.cells.of(prod.c.t)
	return in
}

// linMulExec holds the fused loops by number of plain terms.
var linMulExec = [linMulTerms + 1]execFn{nil, execLin1CMul, execLin2CMul, execLin3CMul}

func execLin1CMul(f *frame, in *instr) {
	d := f.slot[in.d]
	x1 := f.slot[in.v[0]][:len(d)]
	p, q := f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)]
	c0, c1, cp := f.scal[in.s[0]], f.scal[in.s[1]], f.scal[in.s[2]]
	for k := range d {
		d[k] = float64(c0+float64(c1*x1[k])) + float64(cp*float64(p[k]*q[k]))
	}
}

func execLin2CMul(f *frame, in *instr) {
	d := f.slot[in.d]
	x1, x2 := f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)]
	p, q := f.slot[in.v[2]][:len(d)], f.slot[in.v[3]][:len(d)]
	c0, c1, c2, cp := f.scal[in.s[0]], f.scal[in.s[1]], f.scal[in.s[2]], f.scal[in.s[3]]
	for k := range d {
		d[k] = float64(float64(c0+float64(c1*x1[k]))+float64(c2*x2[k])) + float64(cp*float64(p[k]*q[k]))
	}
}

func execLin3CMul(f *frame, in *instr) {
	d := f.slot[in.d]
	x1, x2, x3 := f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)]
	p, q := f.slot[in.v[3]][:len(d)], f.slot[in.v[4]][:len(d)]
	c0, c1, c2, c3, cp := f.scal[in.s[0]], f.scal[in.s[1]], f.scal[in.s[2]], f.scal[in.s[3]], f.scal[in.s[4]]
	for k := range d {
		d[k] = float64(float64(float64(c0+float64(c1*x1[k]))+float64(c2*x2[k]))+float64(c3*x3[k])) +
			float64(cp*float64(p[k]*q[k]))
	}
}
