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
