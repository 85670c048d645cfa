package store

import "math"

// Metrics summarises one group's spike trains (times t in seconds, neuron
// indices i): the number of spikes, the mean rate per neuron over the
// duration, and the mean coefficient of variation of the inter-spike
// intervals over the neurons with at least three spikes (NaN when none
// has). Spikes must be in time order per neuron, as monitors record them.
func Metrics[I int32 | int64 | int](group string, n int, duration float64, t []float64, i []I) GroupMetrics {
	g := GroupMetrics{Group: group, Spikes: int64(len(t)), ISICV: math.NaN()}
	if n > 0 && duration > 0 {
		g.RateHz = float64(len(t)) / float64(n) / duration
	}
	size := n
	for _, k := range i {
		if int(k) >= size {
			size = int(k) + 1
		}
	}
	// Per neuron: the last spike, and the count, mean and M2 of its
	// intervals (Welford's, so that regular trains give a CV of 0, not
	// rounding noise; columns, not maps: monitors hold millions of spikes).
	last := make([]float64, size)
	count := make([]float64, size)
	mean := make([]float64, size)
	m2 := make([]float64, size)
	seen := make([]bool, size)
	for k, neuron := range i {
		if neuron < 0 || k >= len(t) {
			continue
		}
		if seen[neuron] {
			d := t[k] - last[neuron]
			count[neuron]++
			delta := d - mean[neuron]
			mean[neuron] += delta / count[neuron]
			m2[neuron] += delta * (d - mean[neuron])
		}
		seen[neuron], last[neuron] = true, t[k]
	}
	total, neurons := 0.0, 0
	for k := range count {
		c := count[k]
		if c < 2 {
			continue
		}
		if mean[k] > 0 {
			total += math.Sqrt(math.Max(m2[k]/(c-1), 0)) / mean[k]
			neurons++
		}
	}
	if neurons > 0 {
		g.ISICV = total / float64(neurons)
	}
	return g
}
