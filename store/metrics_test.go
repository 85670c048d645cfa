package store

import (
	"math"
	"testing"
)

func TestMetrics(t *testing.T) {
	// Neuron 0 regular (CV 0), neuron 1 irregular, neuron 2 two spikes
	// only (left out of the CV), neuron 3 silent.
	tt := []float64{0.01, 0.01, 0.02, 0.02, 0.03, 0.04, 0.05, 0.1, 0.2}
	ii := []int32{0, 1, 0, 1, 0, 0, 1, 2, 2}
	g := Metrics("P", 4, 1, tt, ii)
	if g.Group != "P" || g.Spikes != 9 || g.RateHz != 9.0/4 {
		t.Errorf("%+v", g)
	}
	// ISIs of neuron 1: 0.01, 0.03: mean 0.02, sd 0.01414: CV 0.7071;
	// neuron 0's CV is 0 exactly.
	if want := math.Sqrt(0.5) / 2; math.Abs(g.ISICV-want) > 1e-12 {
		t.Errorf("CV %.15g, want %.15g", g.ISICV, want)
	}
	if g := Metrics("P", 4, 1, []float64(nil), []int64(nil)); !math.IsNaN(g.ISICV) || g.RateHz != 0 || g.Spikes != 0 {
		t.Errorf("no spikes: %+v", g)
	}
	if g := Metrics("P", 0, 0, []float64{0.1}, []int{5}); g.RateHz != 0 || g.Spikes != 1 {
		t.Errorf("no neurons, no time: %+v", g)
	}
}

func TestMetricsRegularTrain(t *testing.T) {
	var tt []float64
	var ii []int32
	for k := range 1000 {
		tt = append(tt, 0.1+float64(k)*0.0123)
		ii = append(ii, 0)
	}
	if g := Metrics("P", 1, 20, tt, ii); g.ISICV > 1e-9 {
		t.Errorf("a regular train has CV %g", g.ISICV)
	}
}
