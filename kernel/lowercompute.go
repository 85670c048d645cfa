package kernel

import "math"

// Lowering of computations: element-wise operators and functions, chains
// and linear combinations, for the body and the prologue alike.

// chainInstr lowers a chain of scalar steps; one step is a binary
// operation with a scalar operand.
func chainInstr(l *lop, d, x int32, c *cells) instr {
	var k chainKey
	in := newInstr(nil)
	for i, st := range l.steps {
		k[i] = st.op
		in.s[i] = c.of(st.s)
	}
	in.exec = chainExec[k]
	if len(l.steps) == 1 {
		in.exec = binaryExec[binKey{k[0], shapeVS}]
	}
	in.d, in.v[0] = d, x
	return in
}

// linInstr lowers a linear combination; the simplest ones become plain
// binary operations.
func linInstr(l *lop, slot func(*node) int32, c *cells) instr {
	a := l.lin
	if a.fam != nil {
		in := newInstr(linSelExec[0][len(a.terms)])
		in.d, in.v[0] = slot(l.out), slot(a.fam)
		in.s[0], in.s[1] = c.of(a.c0.f), c.of(a.c0.t)
		for i, t := range a.terms {
			in.v[i+1] = slot(t.x)
			in.s[2*i+2], in.s[2*i+3] = c.of(t.c.f), c.of(t.c.t)
		}
		return in
	}
	is := func(n *node, v float64) bool { return n.kind == constant && n.val == v }
	hasConst := !isZero(a.c0)
	binary := func(o op, sh shape, x *node, y *node) instr {
		in := newInstr(binaryExec[binKey{o, sh}])
		in.d = slot(l.out)
		if sh == shapeVV {
			in.v[0], in.v[1] = slot(x), slot(y)
		} else {
			in.v[0], in.s[0] = slot(x), c.of(y)
		}
		return in
	}
	switch t := a.terms; {
	case len(t) == 1 && !hasConst:
		return binary(opMul, shapeVS, t[0].x, t[0].c.t)
	case len(t) == 1 && is(t[0].c.t, 1):
		return binary(opAdd, shapeVS, t[0].x, a.c0.t)
	case len(t) == 2 && !hasConst && is(t[0].c.t, 1) && is(t[1].c.t, 1):
		return binary(opAdd, shapeVV, t[0].x, t[1].x)
	case len(t) == 2 && !hasConst && is(t[0].c.t, 1) && is(t[1].c.t, -1):
		return binary(opSub, shapeVV, t[0].x, t[1].x)
	}
	in := newInstr(linExec[0][len(a.terms)][b2i(hasConst)])
	in.d = slot(l.out)
	if hasConst {
		in.s[0] = c.of(a.c0.t)
	}
	for i, t := range a.terms {
		in.v[i] = slot(t.x)
		in.s[i+1] = c.of(t.c.t)
	}
	return in
}

// loc tells where an operand is: a vector slot or a scalar cell.
type locator func(n *node) (vec bool, loc int32)

var floatOps = map[op]func(float64, float64) float64{
	opFloorDiv: pyFloorDiv, opMod: pyMod, opPow: math.Pow,
}

// compute lowers out = out.op(args) for any mix of vector and scalar
// operands (at least one vector); used by both tapes.
func (lw *lowerer) compute(out *node, args []*node, loc locator) instr {
	in := newInstr(nil)
	_, in.d = loc(out)
	vecs := make([]bool, len(args))
	for i, a := range args {
		vecs[i], _ = loc(a)
	}
	set := func(i, j int, a *node) {
		if v, l := loc(a); v {
			in.v[i] = l
		} else {
			in.s[j] = l
		}
	}
	fn := out.fn
	switch {
	case out.op == opSelect:
		in.exec = selectExec
		set(0, 0, args[0])
		set(1, 1, args[1])
		set(2, 2, args[2])
		if !vecs[1] && !vecs[2] {
			in.exec = selectVSSExec
		}
		return in
	case out.op == opCall && len(args) == 1 && (fn.vec != nil || fn.f1 != nil):
		in.exec, in.f1 = fn.vec, fn.f1
		if fn.fast != nil && !lw.exact && vecs[0] && lw.mode != prologue {
			in.exec = fn.fast
		}
		if in.exec == nil {
			in.exec = execUnaryFunc
		}
		set(0, 0, args[0])
		return in
	case out.op == opCall && fn.name == "clip" && fn.fe == nil && vecs[0] && !vecs[1] && !vecs[2]:
		in.exec = execClipVSS
		set(0, 0, args[0])
		set(1, 1, args[1])
		set(2, 2, args[2])
		return in
	case out.op == opCall && fn.name == "timestep" && fn.fe == nil && vecs[0] && !vecs[1]:
		in.exec = execTimestepVS
		if !lw.exact {
			in.exec = execTimestepFastVS
		}
		lw.binaryOperands(&in, shapeVS, args, loc)
		return in
	case out.op == opCall && fn.f2 != nil:
		return lw.binaryFunc(in, fn.f2, vecs, args, loc)
	case out.op == opCall:
		in.exec, in.fn = execCall, fn
		for _, a := range args {
			v, l := loc(a)
			in.args = append(in.args, operand{vec: v, loc: l})
		}
		return in
	case len(args) == 1:
		in.exec = unaryExec[out.op]
		set(0, 0, args[0])
		return in
	}
	if f2, ok := floatOps[out.op]; ok {
		return lw.binaryFunc(in, f2, vecs, args, loc)
	}
	sh := shapeOf(vecs)
	in.exec = binaryExec[binKey{out.op, sh}]
	lw.binaryOperands(&in, sh, args, loc)
	return in
}

func shapeOf(vecs []bool) shape {
	switch {
	case !vecs[0]:
		return shapeSV
	case !vecs[1]:
		return shapeVS
	}
	return shapeVV
}

func (lw *lowerer) binaryFunc(in instr, f2 func(float64, float64) float64, vecs []bool, args []*node, loc locator) instr {
	sh := shapeOf(vecs)
	in.exec = [...]execFn{execBinaryFuncVV, execBinaryFuncVS, execBinaryFuncSV}[sh]
	in.f2 = f2
	lw.binaryOperands(&in, sh, args, loc)
	return in
}

func (lw *lowerer) binaryOperands(in *instr, sh shape, args []*node, loc locator) {
	_, a := loc(args[0])
	_, b := loc(args[1])
	switch sh {
	case shapeVV:
		in.v[0], in.v[1] = a, b
	case shapeVS:
		in.v[0], in.s[0] = a, b
	case shapeSV:
		in.s[0], in.v[0] = a, b
	}
}
