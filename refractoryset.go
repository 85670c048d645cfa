package soma

import (
	"math"
	"slices"

	"github.com/soma-sim/soma/expr"
)

// refractorySet keeps track of refractoriness for a constant refractory
// period of R steps without touching every neuron in every step. Brian2
// recomputes not_refractory = timestep(t - lastspike, dt) >= R for all
// neurons in each step and integrates (unless refractory) variables with
// their derivative multiplied by int(not_refractory). Here the spikes of
// the last R steps sit in a ring: in step n the neurons that spiked in step
// n-R become not refractory again, the state updater integrates the
// unmasked equations for every neuron, and the frozen variables of the
// neurons still refractory are put back. Both give the same values — a
// frozen variable is exactly unchanged — at a cost that grows with the
// spikes instead of the neurons.
type refractorySet struct {
	steps   int64 // R, at least 1
	ring    [][]int32
	frozen  []*Variable
	saved   [][]float64 // per part, the frozen values of its refractory neurons
	rebuild bool        // recompute everything from lastspike before the next step

	// The parts of the group start at bounds (the last entry is the end
	// of the last part), and the neurons of part p in list s of the ring
	// are ring[s][cuts[s][p]:cuts[s][p+1]]: each list is cut once, when
	// it is filled, instead of searched by every part in every step.
	bounds []int
	cuts   [][]int32
}

// newRefractorySet returns the set for g, or nil when the fast path does
// not apply: a refractory period that is not one constant, or code that
// writes lastspike or not_refractory itself.
func (g *NeuronGroup) newRefractorySet(sc *scope) *refractorySet {
	if g.refractory.kind != "time" {
		return nil
	}
	ref, err := expr.Eval(g.refractory.expr, sc)
	if err != nil {
		return nil
	}
	for _, c := range g.onEvent {
		for _, s := range c.stmts {
			if s.Target == "lastspike" || s.Target == "not_refractory" {
				return nil
			}
		}
	}
	r := &refractorySet{steps: max(int64(expr.Timestep(ref.Value, g.clock.dt)), 1), rebuild: true}
	r.ring = make([][]int32, r.steps)
	r.cuts = make([][]int32, r.steps)
	for _, eq := range g.eqs.Diff() {
		if eq.HasFlag("unless refractory") {
			r.frozen = append(r.frozen, g.vars[eq.Var])
		}
	}
	return r
}

// resync recomputes not_refractory and the ring from lastspike, with
// Brian2's rule, for step n (after a Restore, a Set, or a new run).
func (r *refractorySet) resync(g *NeuronGroup, n int64) {
	dt := g.clock.dt
	last, nr := g.vars["lastspike"].col.F, g.vars["not_refractory"].col.B
	for k := range r.ring {
		r.ring[k] = r.ring[k][:0]
	}
	bound := float64(n)*dt - (float64(r.steps)-1e-3)*dt
	for k := range nr {
		nr[k] = last[k] <= bound
		if !nr[k] {
			// Released in the first step n with n*dt - lastspike +
			// 0.001*dt >= R*dt, that is n = m + R with m below; m is the
			// spike's step when lastspike lies on the grid (it may not,
			// after dt changed).
			m := int64(math.Ceil(last[k]/dt - 1e-3))
			slot := ((m % r.steps) + r.steps) % r.steps
			r.ring[slot] = append(r.ring[slot], int32(k))
		}
	}
	r.rebuild = false
	for s := range r.ring {
		r.cut(s)
	}
}

// cut cuts list s of the ring at the bounds of the parts.
func (r *refractorySet) cut(s int) {
	list := r.ring[s]
	c := extend(r.cuts[s][:0], len(r.bounds))
	for p, b := range r.bounds {
		c[p] = int32(firstAtOrAbove(list, b))
	}
	r.cuts[s] = c
}

// The lists of the ring are in increasing order (spikes are collected in
// order, resync walks the neurons in order), so the neurons of a part of
// the group are a sub-range of each list: the threads that update the
// parts of a group can each do the bookkeeping of their own neurons, and
// no thread touches another's.

// prepare starts step n before its parts run: the neurons lo..hi-1 in
// parts parts, cut as regions cut them (groupPart).
func (r *refractorySet) prepare(g *NeuronGroup, n int64, lo, hi, parts int) {
	for len(r.saved) < parts {
		r.saved = append(r.saved, nil)
	}
	if len(r.bounds) != parts+1 || r.bounds[0] != lo || r.bounds[parts] != hi {
		r.bounds = r.bounds[:0]
		for k := range parts {
			_, a, _, _ := groupPart(lo, hi, k, parts, 0)
			r.bounds = append(r.bounds, a)
		}
		r.bounds = append(r.bounds, hi)
		if !r.rebuild {
			for s := range r.ring {
				r.cut(s)
			}
		}
	}
	if r.rebuild {
		r.resync(g, n)
	}
}

// work is the bookkeeping of a step in element-instructions (see
// minWorkPerPart): the frozen values of each refractory neuron saved and
// put back, a random access each. At high rates it is most of a step's
// update (Brunel's network holds 7000 of its 12 500 neurons refractory).
func (r *refractorySet) work() int {
	if r == nil || len(r.frozen) == 0 {
		return 0
	}
	n := 0
	for _, l := range r.ring {
		n += len(l)
	}
	return n * len(r.frozen) * refractoryWork
}

// refractoryWork is the work of saving and restoring one frozen value.
const refractoryWork = 8

// part returns the neurons of list s of the ring in part p.
func (r *refractorySet) part(s, p int) []int32 {
	return r.ring[s][r.cuts[s][p]:r.cuts[s][p+1]]
}

// begin starts step n for the part-th part of the neurons: those whose
// refractory period ended become not refractory, and the frozen variables
// of those still refractory are saved.
func (r *refractorySet) begin(g *NeuronGroup, n int64, part int) {
	slot := int(n % r.steps)
	nr := g.vars["not_refractory"].col.B
	for _, k := range r.part(slot, part) {
		nr[k] = true
	}
	if len(r.frozen) == 0 {
		return
	}
	total := 0
	for s := range r.ring {
		if s != slot {
			total += int(r.cuts[s][part+1] - r.cuts[s][part])
		}
	}
	saved := extend(r.saved[part][:0], total*len(r.frozen))
	r.saved[part] = saved
	q := 0
	for _, v := range r.frozen {
		f := v.Float64s() // the common case, without per-element dispatch
		for s := range r.ring {
			if s == slot {
				continue
			}
			for _, k := range r.part(s, part) {
				if f != nil {
					saved[q] = f[k]
				} else {
					saved[q] = v.at(int(k))
				}
				q++
			}
		}
	}
}

// end puts the frozen variables of the refractory neurons of the part
// back after the state update.
func (r *refractorySet) end(n int64, part int) {
	if len(r.frozen) == 0 {
		return
	}
	slot := int(n % r.steps)
	saved := r.saved[part]
	q := 0
	for _, v := range r.frozen {
		f := v.Float64s()
		for s := range r.ring {
			if s == slot {
				continue
			}
			for _, k := range r.part(s, part) {
				if f != nil {
					f[k] = saved[q]
				} else {
					v.setAt(int(k), saved[q])
				}
				q++
			}
		}
	}
}

// finish ends step n once every part has run: the released neurons leave
// the ring.
func (r *refractorySet) finish(n int64) {
	slot := n % r.steps
	r.ring[slot] = r.ring[slot][:0]
	clear(r.cuts[slot])
}

// firstAtOrAbove returns the index of the first element of an increasing
// list that is at least lo (len(list) when none is). Most lists are short
// and lie wholly on one side, which one comparison finds.
func firstAtOrAbove(list []int32, lo int) int {
	switch {
	case len(list) == 0 || int(list[0]) >= lo:
		return 0
	case int(list[len(list)-1]) < lo:
		return len(list)
	}
	a, _ := slices.BinarySearch(list, int32(lo))
	return a
}

// record files the neurons that spiked in step n.
func (r *refractorySet) record(n int64, fired []int32) {
	slot := n % r.steps
	r.ring[slot] = append(r.ring[slot], fired...)
	if !slices.IsSorted(fired) {
		slices.Sort(r.ring[slot])
	}
	r.cut(int(slot))
}
