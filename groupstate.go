package soma

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/kernel"
	"github.com/soma-sim/soma/units"
)

// Set assigns a variable of all neurons. value may be
//   - a string expression evaluated per neuron, with i, N, t, rand(), randn(),
//     constants and other variables: "rand()*(Vt-Vr)+Vr", "i*v0_max/(N-1)";
//   - a units.Quantity, whose unit must match the variable's;
//   - a plain number or bool, for dimensionless and boolean variables;
//   - a []float64 of length N, in SI base units.
func (g *NeuronGroup) Set(name string, value any) error {
	return g.setRange(name, 0, g.n, true, value)
}

// Values returns a copy of a variable's values (SI base units; booleans as
// 0 and 1). Subexpressions are evaluated.
func (g *NeuronGroup) Values(name string) ([]float64, error) {
	return g.valuesRange(name, 0, g.n, true)
}

// Quantity returns one neuron's value with its unit.
func (g *NeuronGroup) Quantity(name string, index int) (units.Quantity, error) {
	if index < 0 || index >= g.n {
		return units.Quantity{}, fmt.Errorf("'%s' has no neuron %d (it has %d)", g.name, index, g.n)
	}
	vals, err := g.valuesRange(name, index, index+1, true)
	if err != nil {
		return units.Quantity{}, err
	}
	return units.Quantity{Value: vals[0], Dim: g.dimOf(name)}, nil
}

// SetConstant changes a constant of the group's namespace; kernels are
// rebuilt before the next run.
func (g *NeuronGroup) SetConstant(name string, value any) {
	if g.cfg.namespace == nil {
		g.cfg.namespace = Namespace{}
	}
	g.cfg.namespace[name] = value
	g.dirty = true
}

// Unit returns the dimension of a variable or subexpression.
func (g *NeuronGroup) Unit(name string) (units.Dimension, bool) {
	if v, ok := g.vars[name]; ok {
		return v.Dim, true
	}
	if eq, ok := g.eqs.Get(name); ok {
		return eq.Dim, true
	}
	return units.Dimensionless, false
}

func (g *NeuronGroup) dimOf(name string) units.Dimension {
	if v, ok := g.vars[name]; ok {
		return v.Dim
	}
	if eq, ok := g.eqs.Get(name); ok {
		return eq.Dim
	}
	return units.Dimensionless
}

// setRange sets elements lo..hi-1. In expressions, i counts from lo and N
// is hi-lo (a subgroup's own numbering) unless whole is set.
func (g *NeuronGroup) setRange(name string, lo, hi int, whole bool, value any) error {
	v, ok := g.vars[name]
	if !ok {
		if _, isSub := g.subexprs[name]; isSub {
			return fmt.Errorf("cannot set '%s' of '%s': it is a subexpression", name, g.name)
		}
		return fmt.Errorf("'%s' has no variable '%s'", g.name, name)
	}
	if v.col == nil {
		return fmt.Errorf("the linked variable '%s' of '%s' has not been linked", name, g.name)
	}
	if v.Shared {
		lo, hi = 0, 1
	}
	switch x := value.(type) {
	case string:
		return g.setExpr(v, lo, hi, whole, x)
	case units.Quantity:
		if x.Dim != v.Dim {
			return fmt.Errorf("cannot set '%s' (unit %s) to %s: the units do not match", name, v.Dim.Name(), x)
		}
		return fill(v, lo, hi, x.Value)
	case float64, float32, int, int32, int64:
		if !v.Dim.IsDimensionless() {
			return fmt.Errorf("cannot set '%s' (unit %s) to a plain number: use a units.Quantity or a string such as \"%v*%s\"",
				name, v.Dim.Name(), x, v.Dim.Name())
		}
		return fill(v, lo, hi, toFloat(x))
	case bool:
		if v.Type != expr.Boolean {
			return fmt.Errorf("cannot set '%s' to a boolean: it is %s", name, v.Type)
		}
		return fill(v, lo, hi, map[bool]float64{false: 0, true: 1}[x])
	case []float64:
		if len(x) != hi-lo {
			return fmt.Errorf("cannot set '%s': %d values given for %d elements", name, len(x), hi-lo)
		}
		for _, val := range x {
			if err := v.accepts(val); err != nil {
				return err
			}
		}
		for k, val := range x {
			v.setAt(lo+k, val)
		}
		return nil
	}
	return fmt.Errorf("cannot set '%s' to a value of type %T", name, value)
}

func toFloat(x any) float64 {
	switch y := x.(type) {
	case float64:
		return y
	case float32:
		return float64(y)
	case int:
		return float64(y)
	case int32:
		return float64(y)
	case int64:
		return float64(y)
	}
	return 0
}

func fill(v *Variable, lo, hi int, x float64) error {
	if err := v.accepts(x); err != nil {
		return err
	}
	for k := lo; k < hi; k++ {
		v.setAt(k, x)
	}
	return nil
}

// accepts reports whether x can be stored in v without losing anything:
// integers must be whole, booleans 0 or 1.
func (v *Variable) accepts(x float64) error {
	switch {
	case v.Type == expr.Integer && (x != math.Trunc(x) || math.Abs(x) > math.MaxInt32):
		return fmt.Errorf("cannot set the integer variable '%s' to %g", v.Name, x)
	case v.Type == expr.Boolean && x != 0 && x != 1:
		return fmt.Errorf("cannot set the boolean variable '%s' to %g", v.Name, x)
	}
	return nil
}

// setExpr evaluates a string expression for elements lo..hi-1.
func (g *NeuronGroup) setExpr(v *Variable, lo, hi int, whole bool, code string) error {
	n, err := g.checkedExpr(code)
	if err != nil {
		return err
	}
	info, _ := expr.Check(n, g.scope())
	if info.Dim != v.Dim && !(v.Type == expr.Boolean && info.Type == expr.Boolean) {
		return fmt.Errorf("cannot set '%s' (unit %s) to '%s' (unit %s)", v.Name, v.Dim.Name(), code, info.Dim.Name())
	}
	if v.Shared {
		// One value for the whole group cannot depend on a neuron.
		for _, name := range expr.Names(n) {
			if w, ok := g.vars[name]; (ok && !w.Shared) || name == "i" {
				return fmt.Errorf("cannot set the shared variable '%s' to '%s': it refers to the per-neuron '%s'", v.Name, code, name)
			}
		}
	}
	off, size := lo, hi-lo
	if whole || v.Shared {
		off, size = 0, g.n
	}
	vals, err := g.evalRange(n, lo, hi, off, size)
	if err != nil {
		return err
	}
	for k, x := range vals {
		v.setAt(lo+k, x)
	}
	return nil
}

// checkedExpr parses an expression of the group's variables and constants.
func (g *NeuronGroup) checkedExpr(code string) (expr.Node, error) {
	n, err := expr.Parse(code)
	if err != nil {
		return nil, fmt.Errorf("'%s': %w", code, err)
	}
	n = g.substitute(n)
	sc := g.scope()
	if _, err := expr.Check(n, sc); err != nil {
		return nil, fmt.Errorf("'%s': %w", code, scopeErr(sc, err))
	}
	return n, nil
}

// evalRange evaluates n for elements lo..hi-1, numbered from off in a
// population of size elements (the group, or a subgroup).
func (g *NeuronGroup) evalRange(n expr.Node, lo, hi, off, size int) ([]float64, error) {
	lay, err := g.layoutFor(g.scope(), off, size, n)
	if err != nil {
		return nil, err
	}
	g.t = g.clock.T()
	e, err := kernel.CompileExpr(n, lay)
	if err != nil {
		return nil, err
	}
	out := make([]float64, hi-lo)
	e.Eval(lo, hi, out, g.rng)
	return out, nil
}

// valuesRange reads elements lo..hi-1; subexpressions see i and N as
// setRange's expressions do.
func (g *NeuronGroup) valuesRange(name string, lo, hi int, whole bool) ([]float64, error) {
	if v, ok := g.vars[name]; ok {
		if v.col == nil {
			return nil, fmt.Errorf("the linked variable '%s' of '%s' has not been linked", name, g.name)
		}
		out := make([]float64, hi-lo)
		for k := range out {
			out[k] = v.at(lo + k)
		}
		return out, nil
	}
	if n, ok := g.subexprs[name]; ok {
		if whole {
			return g.evalRange(n, lo, hi, 0, g.n)
		}
		return g.evalRange(n, lo, hi, lo, hi-lo)
	}
	return nil, fmt.Errorf("'%s' has no variable '%s'", g.name, name)
}

type groupSnapshot struct {
	vars  map[string]any
	t     float64
	noise []rand.PCG
}

func (g *NeuronGroup) snapshot() any {
	s := groupSnapshot{vars: map[string]any{}, t: g.t, noise: g.noiseSnapshot()}
	for name, v := range g.vars {
		if v.col != nil {
			s.vars[name] = v.snapshot()
		}
	}
	return s
}

func (g *NeuronGroup) restoreSnapshot(x any) {
	s := x.(groupSnapshot)
	for name, v := range g.vars {
		if snap, ok := s.vars[name]; ok && v.col != nil {
			v.restore(snap)
		}
	}
	g.t = s.t
	g.restoreNoise(s.noise)
	for _, ev := range g.events {
		ev.fired = ev.fired[:0]
	}
}

// Subgroup is a contiguous slice of a NeuronGroup's neurons that shares
// the group's state, like Brian2's G[start:stop].
type Subgroup struct {
	parent      *NeuronGroup
	start, stop int
}

// Slice returns the subgroup of neurons start..stop-1.
func (g *NeuronGroup) Slice(start, stop int) (*Subgroup, error) {
	if start < 0 || stop > g.n || start > stop {
		return nil, fmt.Errorf("cannot slice '%s' (%d neurons) with [%d:%d]", g.name, g.n, start, stop)
	}
	return &Subgroup{parent: g, start: start, stop: stop}, nil
}

// Slice returns the subgroup of this subgroup's neurons start..stop-1
// (counted within the subgroup), like Brian2's G[a:b][c:d].
func (s *Subgroup) Slice(start, stop int) (*Subgroup, error) {
	if start < 0 || stop > s.Size() || start > stop {
		return nil, fmt.Errorf("cannot slice '%s' (%d neurons) with [%d:%d]", s.Name(), s.Size(), start, stop)
	}
	return &Subgroup{parent: s.parent, start: s.start + start, stop: s.start + stop}, nil
}

// Name returns a name such as "P[0:3200]".
func (s *Subgroup) Name() string { return fmt.Sprintf("%s[%d:%d]", s.parent.name, s.start, s.stop) }

// Size returns the number of neurons.
func (s *Subgroup) Size() int { return s.stop - s.start }

// Parent returns the group the subgroup belongs to, and its first index.
func (s *Subgroup) Parent() (*NeuronGroup, int) { return s.parent, s.start }

// Set assigns a variable for the subgroup's neurons (see NeuronGroup.Set).
// As in Brian2, in expressions i is the index within the subgroup and N
// its size.
func (s *Subgroup) Set(name string, value any) error {
	return s.parent.setRange(name, s.start, s.stop, false, value)
}

// Values returns the subgroup's values of a variable.
func (s *Subgroup) Values(name string) ([]float64, error) {
	return s.parent.valuesRange(name, s.start, s.stop, false)
}

// eventFired returns the indices (relative to the subgroup) of the
// subgroup's neurons in which the event occurred this step. The parent's
// list is sorted, so the subgroup's part is found by binary search.
func (s *Subgroup) eventFired(name string, buf []int32) ([]int32, bool) {
	all, ok := s.parent.eventFired(name)
	if !ok {
		return nil, false
	}
	return sliceSorted(all, s.start, s.stop, buf), true
}

// sliceSorted appends to buf[:0] the elements of the sorted list all that
// lie in start..stop-1, shifted to count from start.
func sliceSorted(all []int32, start, stop int, buf []int32) []int32 {
	lo := sort.Search(len(all), func(k int) bool { return all[k] >= int32(start) })
	hi := sort.Search(len(all), func(k int) bool { return all[k] >= int32(stop) })
	buf = buf[:0]
	for _, k := range all[lo:hi] {
		buf = append(buf, k-int32(start))
	}
	return buf
}

// Link makes the (linked) variable name of g refer to variable srcVar of
// src, like Brian2's linked_var. Without index the groups must have the
// same size and neuron k reads neuron k; with index, neuron k reads
// src's element index[k].
func (g *NeuronGroup) Link(name string, src *NeuronGroup, srcVar string, index []int32) error {
	eq, ok := g.eqs.Get(name)
	if !ok || !eq.HasFlag("linked") {
		return fmt.Errorf("'%s' of '%s' is not a (linked) variable", name, g.name)
	}
	sv, ok := src.vars[srcVar]
	if !ok || sv.col == nil {
		return fmt.Errorf("'%s' has no variable '%s' to link to", src.name, srcVar)
	}
	if sv.Dim != eq.Dim {
		return fmt.Errorf("cannot link '%s' (unit %s) to '%s.%s' (unit %s)", name, eq.Dim.Name(), src.name, srcVar, sv.Dim.Name())
	}
	v := g.vars[name]
	// As in Brian2, code may also write to a linked variable: the write
	// goes to the linked group's variable.
	switch {
	case sv.Shared:
		v.col, v.Shared = sv.col, true
	case index == nil:
		if src.n != g.n {
			return fmt.Errorf("cannot link '%s' of '%s' (%d neurons) to '%s.%s' (%d neurons) without an index", name, g.name, g.n, src.name, srcVar, src.n)
		}
		v.col = sv.col
	default:
		if len(index) != g.n {
			return fmt.Errorf("the link index has %d entries for %d neurons", len(index), g.n)
		}
		for _, k := range index {
			if k < 0 || int(k) >= src.n {
				return fmt.Errorf("the link index %d is outside '%s' (%d neurons)", k, src.name, src.n)
			}
		}
		c := *sv.col
		c.Index = append([]int32(nil), index...)
		v.col = &c
	}
	g.dirty = true
	return nil
}
