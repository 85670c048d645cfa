package kernel

import (
	"fmt"
	"strconv"
	"strings"
)

// Human-readable tapes, for tests and for looking at what a model
// compiles to. Registers print as r0, r1, ...; values computed by the
// prologue as u<cell>; constants as numbers; views as the column name.

func (lw *lowerer) name(n *node) string {
	switch n.kind {
	case constant:
		return strconv.FormatFloat(n.val, 'g', -1, 64)
	case uniform:
		return fmt.Sprintf("u%d", lw.cells.of(n))
	}
	if a := lw.home[n]; a != nil {
		return a.label()
	}
	if a := lw.home32[n]; a != nil {
		return a.label()
	}
	if r, ok := lw.reg[n]; ok {
		return fmt.Sprintf("r%d", r)
	}
	return fmt.Sprintf("n%d", n.id)
}

func (a *access) label() string {
	if a.out {
		return "dst"
	}
	return a.name
}

func (lw *lowerer) names(ns []*node) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = lw.name(n)
	}
	return strings.Join(s, ", ")
}

// describe prints a scheduled operation.
func (lw *lowerer) describe(l *lop) string {
	switch l.kind {
	case lopCompute:
		o, args := l.out.op, l.in
		var rhs string
		switch {
		case o == opCall:
			rhs = l.out.fn.name + "(" + lw.names(args) + ")"
		case len(args) == 2 && o != opSelect:
			rhs = lw.name(args[0]) + " " + o.String() + " " + lw.name(args[1])
		default:
			rhs = o.String() + "(" + lw.names(args) + ")"
		}
		return lw.name(l.out) + " = " + rhs
	case lopChain:
		x := lw.name(l.in[0])
		for _, st := range l.steps {
			x = "(" + x + " " + st.op.String() + " " + lw.name(st.s) + ")"
		}
		return lw.name(l.out) + " = " + x
	case lopLin:
		a := l.lin
		c := func(k coef) string {
			if a.fam == nil {
				return lw.name(k.t)
			}
			return "[" + lw.name(k.f) + "|" + lw.name(k.t) + "]"
		}
		var t []string
		if !isZero(a.c0) {
			t = append(t, c(a.c0))
		}
		for k, u := range a.terms {
			if k == len(a.terms)-1 && lw.linMul[l] {
				t = append(t, c(u.c)+"*("+lw.name(u.x.args[0])+" * "+lw.name(u.x.args[1])+")")
				continue
			}
			t = append(t, c(u.c)+"*"+lw.name(u.x))
		}
		x := strings.Join(t, " + ")
		if a.fam != nil {
			x += " by " + lw.name(a.fam)
		}
		return lw.name(l.out) + " = " + x
	case lopLoad:
		a := l.out.acc
		how := "load"
		switch {
		case a.scalar():
			how = "load shared"
		case a.indirect():
			how = "gather"
		case lw.mode == indexed:
			how = "gather listed"
		}
		return lw.name(l.out) + " = " + how + " " + a.name
	case lopIndex:
		return lw.name(l.out) + " = index"
	case lopDraw:
		s := make([]string, len(l.outs))
		for i, o := range l.outs {
			s[i] = lw.name(o) + " = " + o.op.String() + "(" + lw.names(o.args) + ")"
		}
		return "draw " + strings.Join(s, "; ")
	case lopPoisson:
		return lw.name(l.out) + " = poisson(" + lw.name(l.in[0]) + ")"
	case lopStore:
		return "store " + l.eff.acc.label() + " = " + lw.name(l.in[0])
	case lopScatter:
		if g := lw.fused[l]; g != nil {
			return "scatter " + l.eff.acc.name + " += select(" + g.mask.name + ", " + lw.name(g.t) + ", " + lw.name(g.e) + ")"
		}
		return "scatter " + l.eff.acc.name + " " + l.eff.aop.String() + " " + lw.name(l.in[0])
	case lopCollect:
		if l.cmp != opConst {
			c := "collect where " + lw.name(l.in[0]) + " " + l.cmp.String() + " " + lw.name(l.in[1])
			switch {
			case l.mask != nil:
				c += " and " + lw.name(l.mask)
			case l.maskB != nil:
				c += " and " + l.maskB.name
			}
			return c
		}
		return "collect where " + lw.name(l.in[0])
	}
	return "?"
}

func writeTape(b *strings.Builder, title string, code []instr) {
	fmt.Fprintf(b, "%s:\n", title)
	for _, in := range code {
		fmt.Fprintf(b, "  %s\n", in.text)
	}
}
