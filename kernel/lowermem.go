package kernel

import "github.com/soma-sim/soma/expr"

// Lowering of memory operations: loads, stores, scatters and collecting.

func (lw *lowerer) load(n *node) (instr, bool) {
	a := n.acc
	if h := lw.home[n]; h != nil && h.st == a.st || lw.home32[n] != nil {
		return instr{}, false // a view: bound per chunk
	}
	var in instr
	switch {
	case a.indirect() || lw.mode == indexed:
		in = newInstr([...]execFn{execGatherF, execGatherI, execGatherB, execGatherF32}[a.typ])
		in.path = 0
		if a.indirect() {
			in.path = lw.usePath(a.path)
		}
	case a.typ == colF:
		in = newInstr(execLoadCopy)
	default:
		in = newInstr([...]execFn{nil, execLoadRangeI, execLoadRangeB, execLoadRangeF32}[a.typ])
	}
	in.col, in.d = a.col, lw.slot(n)
	return in, true
}

func (lw *lowerer) store(a *access, v *node) (instr, bool) {
	vec := v.kind == vector
	switch {
	case lw.viewable(a):
		in := newInstr(execFill)
		in.d = lw.viewSlot(a)
		if vec {
			in.exec, in.v[0] = execCopy, lw.slot(v)
		} else {
			in.s[0] = lw.cells.of(v)
		}
		return in, true
	case lw.mode == indexed:
		return lw.scatter(a, expr.Assign, v, 0), true
	}
	execs := [...][2]execFn{
		colI:   {execStoreRangeIS, execStoreRangeI},
		colB:   {execStoreRangeBS, execStoreRangeB},
		colF32: {execStoreRangeF32S, execStoreRangeF32},
	}
	in := newInstr(execs[a.typ][b2i(vec)])
	in.col = a.col
	if v.boolean {
		in.aop = opBool // values are 0 or 1
	}
	if vec {
		in.v[0] = lw.slot(v)
	} else {
		in.s[0] = lw.cells.of(v)
	}
	return in, true
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scatterF32 holds the scatters into float32 columns, by whether the
// value is a vector and by operator.
var scatterF32 = [2]map[op]execFn{
	{opConst: execScatterAssignF32S, opAdd: execScatterAddF32S, opSub: execScatterF32, opMul: execScatterF32, opDiv: execScatterF32},
	{opConst: execScatterAssignF32, opAdd: execScatterAddF32, opSub: execScatterF32, opMul: execScatterF32, opDiv: execScatterF32},
}

// scatter writes through path p (0: the listed elements of RunIndices).
func (lw *lowerer) scatter(a *access, aop expr.AssignOp, v *node, p int32) instr {
	o := scatterOps[aop]
	vec := v.kind == vector
	var in instr
	switch {
	case lw.home32[v] != nil:
		// The value is read straight from a float32 column (residency32).
		in = newInstr(scatterFromF32[b2i(a.typ == colF32)][b2i(o == opAdd)])
		in.col, in.path, in.aop, in.v[0] = a.col, p, o, lw.slot32(v)
		return in
	case a.typ == colI:
		in = newInstr(execScatterI)
	case a.typ == colB:
		in = newInstr(execScatterB)
	case a.typ == colF32:
		in = newInstr(scatterF32[b2i(vec)][o])
	case o == opConst && vec:
		in = newInstr(execScatterAssignF)
	case o == opConst:
		in = newInstr(execScatterAssignFS)
	case o == opAdd && vec:
		in = newInstr(execScatterAddF)
	case o == opAdd:
		in = newInstr(execScatterAddFS)
		in.addsScalar = true
	default:
		in = newInstr(execScatterF)
	}
	in.col, in.path, in.aop = a.col, p, o
	if vec {
		in.v[0] = lw.slot(v)
	} else {
		in.s[0] = lw.cells.of(v)
	}
	return in
}

func (lw *lowerer) collect(l *lop) instr {
	if l.cmp != opConst && (lw.home32[l.in[0]] != nil || lw.home32[l.in[1]] != nil) {
		// v > Vt on a float32 column, read in place (residency32).
		a, b, cmp := l.in[0], l.in[1], l.cmp
		if lw.home32[b] != nil {
			a, b, cmp = b, a, swapped[cmp]
		}
		in := newInstr(collectF32Exec[cmp])
		if l.maskB != nil {
			in.exec, in.col = collectBoolF32Exec[cmp], l.maskB.col
		}
		in.v[0], in.s[0] = lw.slot32(a), lw.cells.of(b)
		return in
	}
	if l.cmp == opConst {
		in := newInstr(execCollectNonzero)
		in.v[0] = lw.slot(l.in[0])
		return in
	}
	if l.mask != nil || l.maskB != nil {
		in := newInstr(collectMaskExec[l.cmp])
		in.v[0], in.s[0] = lw.slot(l.in[0]), lw.cells.of(l.in[1])
		if l.maskB != nil {
			in.exec, in.col = collectBoolExec[l.cmp], l.maskB.col
		} else {
			in.v[1] = lw.slot(l.mask)
		}
		return in
	}
	a, b := l.in[0], l.in[1]
	sh := shapeVV
	switch {
	case a.kind != vector:
		sh = shapeSV
	case b.kind != vector:
		sh = shapeVS
	}
	in := newInstr(collectExec[binKey{l.cmp, sh}])
	lw.operands(&in, sh, a, b)
	return in
}

// operands fills in the operands of a binary instruction of shape sh.
func (lw *lowerer) operands(in *instr, sh shape, a, b *node) {
	switch sh {
	case shapeVV:
		in.v[0], in.v[1] = lw.slot(a), lw.slot(b)
	case shapeVS:
		in.v[0], in.s[0] = lw.slot(a), lw.cells.of(b)
	case shapeSV:
		in.s[0], in.v[0] = lw.cells.of(a), lw.slot(b)
	}
}
