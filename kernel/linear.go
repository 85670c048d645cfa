package kernel

// Unless the layout asks for exact evaluation, sums of vectors multiplied
// or divided by scalars are computed as one linear combination,
// c0 + c1*x1 + ... + cn*xn, in a single pass: the Euler step
// dt*(El + ge + gi - v)/taum + v becomes
// El*dt/taum + (1 - dt/taum)*v + (dt/taum)*ge + (dt/taum)*gi,
// with the coefficients computed at compile time or once per Run.
//
// The coefficients may also depend on one boolean vector m (a family, see
// node.fam): Brian's exact update with refractoriness,
// El - El*exp(-dt*int(nr)/tau) + v*exp(-dt*int(nr)/tau), is
// c0[nr] + c1[nr]*v with both pairs of coefficients known in advance.

// maxTerms is the most vectors a linear combination combines.
const maxTerms = 4

// coef is a scalar coefficient; with a family, t applies where the mask
// is true and f where it is false (t == f otherwise).
type coef struct {
	t, f *node
}

// term is c*x for a vector x.
type term struct {
	x *node
	c coef
}

// prod is c*x*y for vectors x and y.
type prod struct {
	x, y *node
	c    coef
}

// affineForm is c0 + sum of terms, with coefficients depending on fam,
// plus, while a form is being built, products of two vectors (see
// products.go).
type affineForm struct {
	terms []term
	prods []prod
	c0    coef
	fam   *node
}

// linear writes n as a linear combination when n is a sum, difference,
// negation, or product or quotient with a scalar, of at most maxTerms
// vectors.
func (s *sched) linear(n *node) (affineForm, bool) {
	switch n.op {
	case opAdd, opSub, opNeg, opMul, opDiv:
	default:
		return affineForm{}, false
	}
	a := s.affine(n, true)
	if len(a.prods) > 0 {
		var ok bool
		if a, ok = s.factor(a); !ok {
			s.noProducts = true
			a = s.affine(n, true)
			s.noProducts = false
		}
	}
	if len(a.terms) == 0 || len(a.terms) > maxTerms || len(a.terms) == 1 && a.terms[0].x == n {
		return affineForm{}, false
	}
	return a, true
}

func (s *sched) scalarCoef(n *node) coef { return coef{n, n} }

// familyValued reports whether n is a vector that takes one of two scalar
// values depending on its family's mask.
func familyValued(n *node) bool {
	return n.kind == vector && n.fam != nil && n.t.kind != vector && n.f.kind != vector
}

func (s *sched) leaf(n *node) affineForm {
	return affineForm{terms: []term{{n, s.scalarCoef(s.g.constant(1))}}, c0: s.scalarCoef(s.g.constant(0))}
}

// affine decomposes n, looking through the operations linear fuses. Only
// nodes used once and not computed yet are looked through; anything else
// is a term of its own, as is a node mixing two families.
func (s *sched) affine(n *node, top bool) affineForm {
	if n.kind != s.vec {
		return affineForm{c0: s.scalarCoef(n)}
	}
	if familyValued(n) && !top && s.vec == vector {
		return affineForm{c0: coef{n.t, n.f}, fam: n.fam}
	}
	if !top && (n.uses != 1 || n.pos >= 0) {
		return s.leaf(n)
	}
	vec := func(a *node) bool { return a.kind == s.vec && !(familyValued(a) && s.vec == vector) }
	var out affineForm
	ok := true
	switch a := n.args; n.op {
	case opAdd, opSub:
		x, y := s.affine(a[0], false), s.affine(a[1], false)
		if n.op == opSub {
			y, ok = s.scale(y, s.scalarCoef(s.g.constant(-1)), nil)
		}
		if ok {
			out, ok = s.add(x, y)
		}
	case opNeg:
		out, ok = s.scale(s.affine(a[0], false), s.scalarCoef(s.g.constant(-1)), nil)
	case opMul:
		switch {
		case vec(a[0]) && !vec(a[1]):
			out, ok = s.scaleBy(s.affine(a[0], false), a[1], false)
		case !vec(a[0]) && vec(a[1]):
			out, ok = s.scaleBy(s.affine(a[1], false), a[0], false)
		case vec(a[0]) && vec(a[1]):
			out, ok = s.product(a[0], a[1])
		default:
			return s.leaf(n)
		}
	case opDiv:
		if !vec(a[0]) || vec(a[1]) {
			return s.leaf(n)
		}
		out, ok = s.scaleBy(s.affine(a[0], false), a[1], true)
	default:
		return s.leaf(n)
	}
	if !ok {
		return s.leaf(n)
	}
	return out
}

// scaleBy multiplies (or divides) a by the scalar or family-valued k.
func (s *sched) scaleBy(a affineForm, k *node, divide bool) (affineForm, bool) {
	c, fam := s.scalarCoef(k), (*node)(nil)
	if k.kind == vector {
		c, fam = coef{k.t, k.f}, k.fam
	}
	if divide {
		one := s.g.constant(1)
		c = coef{s.g.mk(opDiv, nil, one, c.t), s.g.mk(opDiv, nil, one, c.f)}
	}
	return s.scale(a, c, fam)
}

// join returns the family of a combination of two forms; false if they
// depend on different families.
func join(a, b *node) (*node, bool) {
	if a == nil || a == b {
		return b, true
	}
	return a, b == nil
}

func (s *sched) scale(a affineForm, k coef, fam *node) (affineForm, bool) {
	fam, ok := join(a.fam, fam)
	if !ok {
		return affineForm{}, false
	}
	mul := func(c coef) coef {
		return coef{s.g.mk(opMul, nil, c.t, k.t), s.g.mk(opMul, nil, c.f, k.f)}
	}
	out := affineForm{fam: fam, terms: make([]term, len(a.terms)), prods: make([]prod, len(a.prods))}
	for i, t := range a.terms {
		out.terms[i] = term{t.x, mul(t.c)}
	}
	for i, p := range a.prods {
		out.prods[i] = prod{p.x, p.y, mul(p.c)}
	}
	out.c0 = a.c0
	if !isZero(a.c0) {
		out.c0 = mul(a.c0)
	}
	return out, true
}

func (s *sched) add(a, b affineForm) (affineForm, bool) {
	fam, ok := join(a.fam, b.fam)
	if !ok {
		return affineForm{}, false
	}
	out := affineForm{fam: fam, c0: s.sum(a.c0, b.c0), terms: append([]term(nil), a.terms...), prods: append([]prod(nil), a.prods...)}
	for _, t := range b.terms {
		out.terms = s.addTerm(out.terms, t)
	}
	for _, p := range b.prods {
		out.prods = s.addProd(out.prods, p)
	}
	return out, true
}

func isZero(c coef) bool {
	return c.t.kind == constant && c.t.val == 0 && c.f.kind == constant && c.f.val == 0
}

// sum adds coefficients, leaving out zero constants.
func (s *sched) sum(a, b coef) coef {
	add := func(x, y *node) *node {
		switch {
		case x.kind == constant && x.val == 0:
			return y
		case y.kind == constant && y.val == 0:
			return x
		}
		return s.g.mk(opAdd, nil, x, y)
	}
	return coef{add(a.t, b.t), add(a.f, b.f)}
}

// addTerm adds t to terms, merging it with a term of the same vector.
func (s *sched) addTerm(terms []term, t term) []term {
	for i, u := range terms {
		if u.x == t.x {
			c := s.sum(u.c, t.c)
			if isZero(c) {
				return append(terms[:i:i], terms[i+1:]...)
			}
			terms[i].c = c
			return terms
		}
	}
	return append(terms, t)
}
