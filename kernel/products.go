package kernel

import "slices"

// Products of vectors in linear combinations. A conductance-based
// membrane equation, integrated by Euler,
//
//	v + dt*(gl*(El - v) + ge*(Ee - v) + gi*(Ei - v))/C,
//
// is linear in v, ge and gi except for the products ge*v and gi*v. Written
// as it stands it takes five passes: two for each product of a vector with
// a difference, one for the sum. Expanding the products into monomials,
// c0 + c1*v + c2*ge + c3*gi - (dt/C)*ge*v - (dt/C)*gi*v, and factoring out
// the vector most of them share, v*(ge + gi), leaves three: the sum of the
// conductances, its product with v, and one linear combination, which
// then computes the product itself (fuse.go): two passes.

// maxProds is the most monomials one form may carry.
const maxProds = 6

// product writes x*y, for vector x and y, as a form with monomials, when
// at least one of them is a linear combination worth expanding.
func (s *sched) product(x, y *node) (affineForm, bool) {
	if s.noProducts || s.vec != vector {
		return affineForm{}, false
	}
	a, b := s.affine(x, false), s.affine(y, false)
	if a.fam != nil || b.fam != nil || len(a.prods)+len(b.prods) > 0 || bare(a) && bare(b) ||
		len(a.terms)*len(b.terms) > maxProds {
		return affineForm{}, false
	}
	mul := func(c, d coef) coef {
		return coef{s.g.mk(opMul, nil, c.t, d.t), s.g.mk(opMul, nil, c.f, d.f)}
	}
	out := affineForm{c0: mul(a.c0, b.c0)}
	if isZero(a.c0) || isZero(b.c0) {
		out.c0 = s.scalarCoef(s.g.constant(0))
	}
	for _, side := range [2]struct {
		terms []term
		c0    coef
	}{{a.terms, b.c0}, {b.terms, a.c0}} {
		if isZero(side.c0) {
			continue
		}
		for _, t := range side.terms {
			out.terms = s.addTerm(out.terms, term{t.x, mul(t.c, side.c0)})
		}
	}
	for _, t := range a.terms {
		for _, u := range b.terms {
			out.prods = s.addProd(out.prods, prod{t.x, u.x, mul(t.c, u.c)})
		}
	}
	return out, true
}

// bare reports whether a is a single vector, as leaf makes it.
func bare(a affineForm) bool {
	return len(a.terms) == 1 && isZero(a.c0) && len(a.prods) == 0 &&
		a.terms[0].c.t.kind == constant && a.terms[0].c.t.val == 1
}

// addProd adds p to prods, merging it with a monomial of the same vectors.
func (s *sched) addProd(prods []prod, p prod) []prod {
	if p.x.id > p.y.id {
		p.x, p.y = p.y, p.x
	}
	for i, q := range prods {
		if q.x == p.x && q.y == p.y {
			c := s.sum(q.c, p.c)
			if isZero(c) {
				return slices.Delete(prods, i, i+1)
			}
			prods[i].c = c
			return prods
		}
	}
	return append(prods, p)
}

// factor turns the monomials of a into terms: repeatedly, the vector that
// occurs in most of them is multiplied by the combination of their other
// factors. False when that leaves more terms than one pass combines, or
// too many monomials to be worth it.
func (s *sched) factor(a affineForm) (affineForm, bool) {
	if len(a.prods) > maxProds {
		return affineForm{}, false
	}
	out := affineForm{c0: a.c0, fam: a.fam, terms: slices.Clone(a.terms)}
	prods := a.prods
	for len(prods) > 0 {
		count := map[*node]int{}
		for _, p := range prods {
			count[p.x]++
			if p.y != p.x {
				count[p.y]++
			}
		}
		var best *node
		for _, p := range prods {
			for _, v := range [2]*node{p.x, p.y} {
				if best == nil || count[v] > count[best] || count[v] == count[best] && v.id < best.id {
					best = v
				}
			}
		}
		var inner []term
		var rest []prod
		for _, p := range prods {
			switch best {
			case p.x:
				inner = append(inner, term{p.y, p.c})
			case p.y:
				inner = append(inner, term{p.x, p.c})
			default:
				rest = append(rest, p)
			}
		}
		one := s.scalarCoef(s.g.constant(1))
		var t term
		if len(inner) == 1 {
			t = term{s.plainProduct(best, inner[0].x), inner[0].c}
		} else {
			t = term{s.plainProduct(best, s.combination(inner)), one}
		}
		out.terms = s.addTerm(out.terms, t)
		prods = rest
	}
	return out, len(out.terms) <= maxTerms
}

// plainProduct is the node x*y, computed as a product.
func (s *sched) plainProduct(x, y *node) *node {
	n := s.reference(s.g.mk(opMul, nil, x, y))
	if s.plain == nil {
		s.plain = map[*node]bool{}
	}
	s.plain[n] = true
	return n
}

// combination builds the node sum of c*x over terms, which emit computes
// as one linear combination.
func (s *sched) combination(terms []term) *node {
	var sum *node
	for _, t := range terms {
		x := s.reference(s.g.mk(opMul, nil, t.x, t.c.t))
		if sum == nil {
			sum = x
			continue
		}
		sum = s.reference(s.g.mk(opAdd, nil, sum, x))
	}
	return sum
}

// reference counts a new reference to n: a node made just now is used
// once, by its maker, and so may be looked through.
func (s *sched) reference(n *node) *node {
	if n.kind != vector {
		return n
	}
	if n.uses == 0 && n.pos < 0 {
		n.uses = 1
	} else {
		n.uses++
	}
	return n
}
