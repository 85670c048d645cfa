package store

import "math"

// Metrics summarises one group's spike trains: the number of spikes, the
// mean rate per neuron over the duration, and the mean coefficient of
// variation of the inter-spike intervals over the neurons with at least
// three spikes (NaN when none has).
func Metrics(group string, n int, duration float64, t []float64, i []int32) GroupMetrics {
	g := GroupMetrics{Group: group, Spikes: int64(len(t)), ISICV: math.NaN()}
	if n > 0 && duration > 0 {
		g.RateHz = float64(len(t)) / float64(n) / duration
	}
	last := map[int32]float64{}
	type acc struct{ n, sum, sq float64 }
	isis := map[int32]*acc{}
	for k, neuron := range i {
		if prev, ok := last[neuron]; ok {
			a := isis[neuron]
			if a == nil {
				a = &acc{}
				isis[neuron] = a
			}
			d := t[k] - prev
			a.n++
			a.sum += d
			a.sq += d * d
		}
		last[neuron] = t[k]
	}
	sum, count := 0.0, 0
	for _, a := range isis {
		if a.n < 2 {
			continue
		}
		m := a.sum / a.n
		v := (a.sq - a.n*m*m) / (a.n - 1)
		if m > 0 && v >= 0 {
			sum += math.Sqrt(v) / m
			count++
		}
	}
	if count > 0 {
		g.ISICV = sum / float64(count)
	}
	return g
}
