package ui

import (
	"fmt"
	"strings"

	"github.com/soma-sim/soma"
)

// recorder is the behaviour that collects, every step, the spikes of the
// shown groups, the traces of the selected neurons and, every meanEvery
// steps, the groups' means. It runs last in the step (before_end), after
// resets, and writes only to its own pending buffers: the simulation
// goroutine moves them into the history between chunks.
type recorder struct {
	groups    []*group
	on        bool
	meanEvery int64

	spikes []timeline[int32] // per group
	traces []trace           // selected neurons
	means  []trace           // per group and variable
}

// trace is one recorded series.
type trace struct {
	key   string
	v     *soma.Variable
	k     int
	group *group
	buf   timeline[float32]
}

// recorderKey is the schedule position of the recorder: before_end.
const recorderKey = 47

func newRecorder(groups []*group, meanEvery int64) *recorder {
	r := &recorder{groups: groups, on: true, meanEvery: meanEvery, spikes: make([]timeline[int32], len(groups))}
	for _, g := range groups {
		for k, v := range g.vars {
			r.means = append(r.means, trace{key: fmt.Sprintf("%s/%s/mean", g.info.Name, g.info.Vars[k].Name), v: v, group: g})
		}
	}
	return r
}

// Initialize has nothing to prepare.
func (r *recorder) Initialize(*soma.Context) error { return nil }

// Iteration records this step.
func (r *recorder) Iteration(ctx *soma.Context) {
	if !r.on {
		return
	}
	step := ctx.Clock().Step()
	for k, g := range r.groups {
		if sp := g.spiker.Spikes(); len(sp) > 0 {
			r.spikes[k].addAll(step, sp)
		}
	}
	for k := range r.traces {
		tr := &r.traces[k]
		tr.buf.add(step, float32(tr.v.At(tr.k)))
	}
	if step%r.meanEvery == 0 {
		for k := range r.means {
			tr := &r.means[k]
			tr.buf.add(step, float32(mean(tr.v)))
		}
	}
}

// mean is the average of a variable over its neurons.
func mean(v *soma.Variable) float64 {
	n := v.Len()
	if n == 0 {
		return 0
	}
	if xs := v.Float64s(); xs != nil {
		// Four sums: the additions do not wait on each other.
		var s0, s1, s2, s3 float64
		k := 0
		for ; k+4 <= len(xs); k += 4 {
			s0 += xs[k]
			s1 += xs[k+1]
			s2 += xs[k+2]
			s3 += xs[k+3]
		}
		for ; k < len(xs); k++ {
			s0 += xs[k]
		}
		return (s0 + s1 + s2 + s3) / float64(n)
	}
	s := 0.0
	for k := range n {
		s += v.At(k)
	}
	return s / float64(n)
}

// follow sets the neurons whose variables are traced: each selected
// neuron's shown variables. Traces already recorded continue.
func (r *recorder) follow(sel []Selected, byName map[string]*group) {
	keep := map[string]bool{}
	var next []trace
	for _, s := range sel {
		g := byName[s.Group]
		if g == nil || s.Index < 0 || s.Index >= g.info.N {
			continue
		}
		for k, v := range g.vars {
			key := fmt.Sprintf("%s/%s/%d", s.Group, g.info.Vars[k].Name, s.Index)
			if keep[key] {
				continue
			}
			keep[key] = true
			tr := trace{key: key, v: v, k: s.Index, group: g}
			for _, old := range r.traces {
				if old.key == key {
					tr.buf = old.buf
				}
			}
			next = append(next, tr)
		}
	}
	r.traces = next
}

// flush moves the pending data into the history; call with h.mu held.
func (r *recorder) flush(h *history) {
	for k, g := range r.groups {
		l := h.spikes[g.info.Name]
		if l == nil {
			l = &timeline[int32]{}
			h.spikes[g.info.Name] = l
		}
		l.appendFrom(&r.spikes[k])
		r.spikes[k].clear()
	}
	for _, set := range [][]trace{r.traces, r.means} {
		for k := range set {
			tr := &set[k]
			l := h.traces[tr.key]
			if l == nil {
				// Room for twice the kept span: no growth once running.
				n := 2 * h.keep
				if strings.HasSuffix(tr.key, "/mean") {
					n /= r.meanEvery
				}
				n = min(n, 1<<22)
				l = &timeline[float32]{steps: make([]int64, 0, n), vals: make([]float32, 0, n)}
				h.traces[tr.key] = l
			}
			l.appendFrom(&tr.buf)
			tr.buf.clear()
		}
	}
}

// discard forgets the pending data (after a load).
func (r *recorder) discard() {
	for k := range r.spikes {
		r.spikes[k].clear()
	}
	for k := range r.traces {
		r.traces[k].buf.clear()
	}
	for k := range r.means {
		r.means[k].buf.clear()
	}
}
