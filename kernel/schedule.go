package kernel

// Scheduling puts the IR onto two linear tapes: the prologue, computing
// uniform values once per Run, and the body, computing vector values per
// chunk of elements. Effects keep statement order; everything else is
// computed just before its first use. Scalar steps applied to one vector
// are fused into one pass: as chains evaluated exactly as written with
// Layout.Exact, else as linear combinations (linear.go).

// lopKind is the kind of a scheduled operation.
type lopKind uint8

const (
	lopCompute lopKind = iota // out = out.op(in...)
	lopChain                  // out = in[0] followed by steps
	lopLin                    // out = c0 + sum of c[i]*in[i], coefficients picked by mask
	lopLoad                   // out = its access
	lopIndex                  // out = element index
	lopDraw                   // outs = random draws
	lopPoisson                // out = poisson(in[0]) with a vector mean
	lopStore                  // eff.acc = in[0]
	lopScatter                // eff.acc aop= in[0] through an index
	lopCollect                // collect where in[0] holds, or where cmp(in[0], in[1])
)

// lop is a scheduled operation.
type lop struct {
	kind  lopKind
	out   *node
	outs  []*node
	in    []*node
	steps []chainStep
	lin   affineForm
	eff   *effect
	cmp   op      // lopCollect: the comparison of in[0] and in[1]
	mask  *node   // lopCollect: also where this boolean holds (in[2])
	maskB *access // lopCollect: also where this bool column holds
}

// chainStep is x = x op s for op in +, *, /.
type chainStep struct {
	op op
	s  *node
}

// maxChain is the longest chain with a fused loop (see opgen).
const maxChain = 3

// sched builds one tape. It computes nodes of kind vec; lighter nodes are
// scalar operands, which the body asks the prologue for.
type sched struct {
	g     *graph
	vec   kind
	exact bool // evaluate as written (Layout.Exact): no linear combinations
	ops   []*lop
	needs []*node

	plain      map[*node]bool // products made by factor: computed as they are
	noProducts bool           // affine treats products of vectors as leaves
}

func (s *sched) push(l *lop) {
	p := len(s.ops)
	s.ops = append(s.ops, l)
	if l.out != nil {
		l.out.pos = p
	}
	for _, o := range l.outs {
		o.pos = p
	}
}

// operand makes sure n is available to this tape.
func (s *sched) operand(n *node) {
	switch {
	case n.kind == s.vec:
		s.emit(n)
	case n.kind == uniform:
		s.needs = append(s.needs, n)
	}
}

// emit schedules n and what it depends on, unless it is scheduled already.
func (s *sched) emit(n *node) {
	if n.pos >= 0 {
		return
	}
	switch n.op {
	case opLoad:
		s.push(&lop{kind: lopLoad, out: n})
		return
	case opIndex:
		s.push(&lop{kind: lopIndex, out: n})
		return
	case opPoisson:
		s.operand(n.args[0])
		s.push(&lop{kind: lopPoisson, out: n, in: n.args})
		return
	case opRand, opRandn:
		panic("kernel: random draw outside the draw instruction")
	}
	if !s.exact && !s.plain[n] {
		if a, ok := s.linear(n); ok {
			s.pushLinear(n, a)
			return
		}
	} else if base, steps := s.chain(n); base != nil {
		s.operand(base)
		for _, st := range steps {
			s.operand(st.s)
		}
		s.push(&lop{kind: lopChain, out: n, in: []*node{base}, steps: steps})
		return
	}
	for _, a := range n.args {
		s.operand(a)
	}
	s.push(&lop{kind: lopCompute, out: n, in: n.args})
}

// step describes n as scalar steps applied to one vector operand.
func (s *sched) step(n *node) (*node, []chainStep) {
	vec := func(a *node) bool { return a.kind == s.vec }
	switch n.op {
	case opNeg:
		return n.args[0], []chainStep{{opMul, s.g.constant(-1)}}
	case opAdd, opMul:
		a, b := n.args[0], n.args[1]
		switch {
		case vec(a) && !vec(b):
			return a, []chainStep{{n.op, b}}
		case !vec(a) && vec(b): // s + x is x + s exactly, likewise for *
			return b, []chainStep{{n.op, a}}
		}
	case opDiv:
		if a, b := n.args[0], n.args[1]; vec(a) && !vec(b) {
			return a, []chainStep{{opDiv, b}}
		}
	case opSub:
		// s - x is (x * -1) + s exactly: IEEE subtraction adds the negation.
		if a, b := n.args[0], n.args[1]; !vec(a) && vec(b) {
			return b, []chainStep{{opMul, s.g.constant(-1)}, {opAdd, a}}
		}
	}
	return nil, nil
}

// chain collects the scalar steps ending in n, going down through
// operands used only by the chain; nil if n is not a scalar step.
func (s *sched) chain(n *node) (*node, []chainStep) {
	base, steps := s.step(n)
	if base == nil {
		return nil, nil
	}
	for base.uses == 1 && base.pos < 0 && base.kind == s.vec {
		b, st := s.step(base)
		if b == nil || len(steps)+len(st) > maxChain {
			break
		}
		steps, base = append(st, steps...), b
	}
	return base, steps
}

// countUses counts the references to every node reachable from the effects
// and draws.
func countUses(effects []effect, draws []*node) {
	seen := map[*node]bool{}
	var visit func(n *node)
	visit = func(n *node) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, a := range n.args {
			a.uses++
			visit(a)
		}
	}
	for i := range effects {
		effects[i].val.uses++
		visit(effects[i].val)
	}
	for _, d := range draws {
		visit(d)
	}
}

// schedule builds the prologue and body tapes.
func schedule(g *graph, effects []effect, draws []*node, exact bool) (pro, body *sched) {
	countUses(effects, draws)
	pro, body = &sched{g: g, vec: uniform, exact: exact}, &sched{g: g, vec: vector, exact: exact}
	if len(draws) > 0 {
		for _, d := range draws {
			if d.op == opPoisson {
				body.operand(d.args[0])
			}
		}
		body.push(&lop{kind: lopDraw, outs: draws})
	}
	for i := 0; i < len(effects); i++ {
		e := &effects[i]
		v := e.val
		if j := storeRunEnd(effects, i); j > i+1 {
			body.storeRun(effects[i:j])
			i = j - 1
			continue
		}
		switch e.kind {
		case effAnchor:
			if v.kind == uniform {
				pro.emit(v)
			} else {
				body.emit(v)
			}
		case effStore:
			t := body
			if e.acc.scalar() {
				t = pro
			}
			t.operand(v)
			t.push(&lop{kind: lopStore, in: []*node{v}, eff: e})
		case effScatter:
			body.operand(v)
			body.push(&lop{kind: lopScatter, in: []*node{v}, eff: e})
		case effCollect:
			if v.kind != vector {
				pro.operand(v)
				continue
			}
			if l := body.collect(v); l != nil {
				l.eff = e
				body.push(l)
				continue
			}
			body.emit(v)
			body.push(&lop{kind: lopCollect, in: []*node{v}, eff: e})
		}
	}
	for _, n := range body.needs {
		pro.emit(n)
	}
	return pro, body
}

// storeRunEnd returns the end of the run of body stores starting at i.
func storeRunEnd(effects []effect, i int) int {
	j := i
	for j < len(effects) && effects[j].kind == effStore && !effects[j].acc.scalar() {
		j++
	}
	return j
}

// storeRun schedules consecutive stores, as in Brian's "v = _v" lists.
// Their values depend only on memory read before the run, so they may be
// computed in any order; computing the value for column S after all other
// values that read S lets it be written straight into S.
func (s *sched) storeRun(run []effect) {
	pending := make([]int, len(run))
	for i := range pending {
		pending[i] = i
	}
	for len(pending) > 0 {
		pick := 0
		for p, i := range pending {
			st, free := run[i].acc.st, true
			for _, j := range pending {
				if j != i && reads(run[j].val, st, map[*node]bool{}) {
					free = false
					break
				}
			}
			if free {
				pick = p
				break
			}
		}
		s.operand(run[pending[pick]].val)
		pending = append(pending[:pick], pending[pick+1:]...)
	}
	for i := range run {
		s.push(&lop{kind: lopStore, in: []*node{run[i].val}, eff: &run[i]})
	}
}

// reads reports whether computing n (what is not computed yet) reads st.
func reads(n *node, st *storage, seen map[*node]bool) bool {
	if n.op == opLoad {
		return n.acc.st == st
	}
	if n.pos >= 0 || n.kind != vector || seen[n] {
		return false
	}
	seen[n] = true
	for _, a := range n.args {
		if reads(a, st, seen) {
			return true
		}
	}
	return false
}

func (s *sched) pushLinear(n *node, a affineForm) {
	l := &lop{kind: lopLin, out: n, lin: a}
	if a.fam != nil {
		s.operand(a.fam)
	}
	s.operand(a.c0.t)
	s.operand(a.c0.f)
	for _, t := range a.terms {
		s.operand(t.x)
		s.operand(t.c.t)
		s.operand(t.c.f)
		l.in = append(l.in, t.x)
	}
	if a.fam != nil {
		l.in = append(l.in, a.fam) // so that liveness sees the mask
	}
	s.push(l)
}

// collect fuses the root of a condition into the collecting loop: a
// comparison, possibly "and" a boolean vector (v > Vt and not_refractory).
// nil when the root must be computed first.
func (s *sched) collect(v *node) *lop {
	fresh := func(n *node) bool { return n.uses == 1 && n.pos < 0 && n.kind == vector }
	if v.op.isComparison() && fresh(v) {
		s.operand(v.args[0])
		s.operand(v.args[1])
		return &lop{kind: lopCollect, in: v.args, cmp: v.op}
	}
	if v.op != opAnd || !fresh(v) {
		return nil
	}
	for i, c := range v.args {
		m := v.args[1-i]
		if !c.op.isComparison() || !fresh(c) || c.args[0].kind != vector || c.args[1].kind == vector ||
			m.kind != vector || !m.boolean {
			continue
		}
		s.operand(c.args[0])
		s.operand(c.args[1])
		l := &lop{kind: lopCollect, in: c.args[:2:2], cmp: c.op}
		if a := m.acc; m.op == opLoad && a.typ == colB && !a.indirect() && m.pos < 0 && m.uses == 1 {
			l.maskB = a
		} else {
			s.operand(m)
			l.mask = m
			l.in = append(l.in, m)
		}
		return l
	}
	return nil
}
