package soma

import (
	"math"

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
	saved   []float64
	rebuild bool // recompute everything from lastspike before the next step
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
}

// begin starts step n: neurons whose refractory period ended become not
// refractory, and the frozen variables of those still refractory are saved.
func (r *refractorySet) begin(g *NeuronGroup, n int64) {
	if r.rebuild {
		r.resync(g, n)
	}
	slot := n % r.steps
	nr := g.vars["not_refractory"].col.B
	for _, k := range r.ring[slot] {
		nr[k] = true
	}
	r.ring[slot] = r.ring[slot][:0]
	if len(r.frozen) == 0 {
		return
	}
	total := 0
	for _, list := range r.ring {
		total += len(list)
	}
	r.saved = extend(r.saved[:0], total*len(r.frozen))
	q := 0
	for _, v := range r.frozen {
		if f := v.Float64s(); f != nil { // the common case, without per-element dispatch
			for _, list := range r.ring {
				saved := r.saved[q : q+len(list)]
				for i, k := range list {
					saved[i] = f[k]
				}
				q += len(list)
			}
			continue
		}
		for _, list := range r.ring {
			for _, k := range list {
				r.saved[q] = v.at(int(k))
				q++
			}
		}
	}
}

// end puts the frozen variables of refractory neurons back after the
// state update.
func (r *refractorySet) end() {
	if len(r.frozen) == 0 {
		return
	}
	q := 0
	for _, v := range r.frozen {
		if f := v.Float64s(); f != nil {
			for _, list := range r.ring {
				saved := r.saved[q : q+len(list)]
				for i, k := range list {
					f[k] = saved[i]
				}
				q += len(list)
			}
			continue
		}
		for _, list := range r.ring {
			for _, k := range list {
				v.setAt(int(k), r.saved[q])
				q++
			}
		}
	}
}

// record files the neurons that spiked in step n.
func (r *refractorySet) record(n int64, fired []int32) {
	slot := n % r.steps
	r.ring[slot] = append(r.ring[slot], fired...)
}
