package ui

import (
	"fmt"
	"math"

	"github.com/soma-sim/soma"
)

// histBins is the number of bins of a weight histogram.
const histBins = 64

// histSample is the most synapses a histogram reads; larger objects are
// read with a stride, so a histogram stays cheap on 10^8 synapses.
const histSample = 1 << 21

// weightHistogram bins a synaptic variable between its extremes.
func weightHistogram(v *soma.Variable) *histogram {
	n := v.Len()
	stride := max(1, n/histSample)
	lo, hi := math.Inf(1), math.Inf(-1)
	for k := 0; k < n; k += stride {
		x := v.At(k)
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	h := &histogram{counts: make([]int32, histBins)}
	if n == 0 || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return h
	}
	if hi == lo {
		// One value: a bin around it.
		d := math.Max(math.Abs(lo)*0.05, 1e-12)
		lo, hi = lo-d, hi+d
	}
	h.lo, h.hi = lo, hi
	scale := histBins / (hi - lo)
	for k := 0; k < n; k += stride {
		b := int((v.At(k) - lo) * scale)
		h.counts[min(max(b, 0), histBins-1)]++
	}
	return h
}

// weights returns the afferent and efferent weights of every tab's first
// selected neuron, keyed "S/VAR/in/K" and "S/VAR/out/K".
func (s *session) weights() map[string][]float32 {
	out := map[string][]float32{}
	seen := map[Selected]bool{}
	for _, sel := range s.selected {
		if len(sel) == 0 || seen[sel[0]] {
			continue
		}
		p := sel[0]
		seen[p] = true
		for _, sy := range s.syns {
			src, tgt := s.byName[sy.info.Source], s.byName[sy.info.Target]
			if src == nil || tgt == nil {
				continue
			}
			for k, v := range sy.vars {
				name := sy.info.Vars[k].Name
				if p.Group == sy.info.Target {
					if j := p.Index - sy.info.TargetStart; j >= 0 && j < sy.s.Target().Size() {
						out[fmt.Sprintf("%s/%s/in/%d", sy.info.Name, name, p.Index)] = sy.afferent(v, j, src.info.N)
					}
				}
				if p.Group == sy.info.Source {
					if i := p.Index - sy.info.SourceStart; i >= 0 && i < sy.s.Source().Size() {
						out[fmt.Sprintf("%s/%s/out/%d", sy.info.Name, name, p.Index)] = sy.efferent(v, i, tgt.info.N)
					}
				}
			}
		}
	}
	return out
}

func nanVector(n int) []float32 {
	out := make([]float32, n)
	for k := range out {
		out[k] = float32(math.NaN())
	}
	return out
}

// add sums a weight into a cell that may still be NaN (no synapse yet).
func add(cell *float32, w float64) {
	if math.IsNaN(float64(*cell)) {
		*cell = 0
	}
	*cell += float32(w)
}

// efferent returns the weights from source neuron i (relative to the
// source) over the whole target group.
func (sy *synapses) efferent(v *soma.Variable, i, n int) []float32 {
	out := nanVector(n)
	first, targets := sy.s.Row(i)
	for k, j := range targets {
		if int(j) < n {
			add(&out[j], v.At(first+k))
		}
	}
	return out
}

// afferent returns the weights onto target neuron j (relative to the
// target) over the whole source group. It indexes the synapses by target
// the first time, and again when their number changes.
func (sy *synapses) afferent(v *soma.Variable, j, n int) []float32 {
	if sy.byTargetPtr == nil || sy.builtFor != sy.s.Len() {
		sy.indexByTarget()
	}
	out := nanVector(n)
	pre := sy.preAbs
	for _, k := range sy.byTarget[sy.byTargetPtr[j]:sy.byTargetPtr[j+1]] {
		if i := int(pre[k]); i < n {
			add(&out[i], v.At(int(k)))
		}
	}
	return out
}

// indexByTarget sorts the synapse indices by target (a counting sort).
func (sy *synapses) indexByTarget() {
	I, J := sy.s.I(), sy.s.J()
	nt := sy.s.Target().Size()
	ptr := make([]int32, nt+1)
	for _, j := range J {
		ptr[j+1]++
	}
	for k := range nt {
		ptr[k+1] += ptr[k]
	}
	fill := append([]int32(nil), ptr[:nt]...)
	idx := make([]int32, len(J))
	for k, j := range J {
		idx[fill[j]] = int32(k)
		fill[j]++
	}
	pre := make([]int32, len(I))
	for k, i := range I {
		pre[k] = i + int32(sy.info.SourceStart)
	}
	sy.byTargetPtr, sy.byTarget, sy.preAbs, sy.builtFor = ptr, idx, pre, len(J)
}
