package soma_test

import (
	"math"
	"strings"
	"testing"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/units"
)

// TestTimedArrayMatchesBrian2Semantics drives neurons with Brian2's
// TimedArray example: a current that changes every 10 ms, sampled by a
// group whose dt is 0.1 ms. v integrates the current, so its value at the
// end checks every sample and the switching times.
func TestTimedArrayMatchesBrian2Semantics(t *testing.T) {
	values := []float64{0, 1, 2, 1, 0}
	ta := must(soma.NewTimedArray(values, 10*soma.Millisecond, units.Dimensionless))
	net := soma.NewNetwork()
	G := must(net.NeuronGroup(1, "dv/dt = stimulus(t)/ms : 1", soma.Method("euler"), soma.Namespace{"stimulus": ta}))
	M := must(net.StateMonitor(G, []string{"v"}, soma.Record(0)))
	if err := net.Run(60 * soma.Millisecond); err != nil {
		t.Fatal(err)
	}
	v := must(M.Values("v"))[0]
	// v at the start of step k is the sum of stimulus over earlier steps
	// times dt/ms = 0.1: 100 steps per sample; beyond the last sample the
	// last value (0) holds.
	want := func(k int) float64 {
		s := 0.0
		for j := 0; j < k; j++ {
			s += values[min(j/100, len(values)-1)] * 0.1
		}
		return s
	}
	for _, k := range []int{0, 99, 100, 101, 250, 399, 400, 500, 599} {
		if math.Abs(v[k]-want(k)) > 1e-9 {
			t.Errorf("v at step %d = %g, want %g", k, v[k], want(k))
		}
	}
}

func TestTimedArray2DAndPoissonRates(t *testing.T) {
	// ta(t, i): each neuron its own column.
	ta := must(soma.NewTimedArray2D([][]float64{{0, 100}, {100, 0}}, 50*soma.Millisecond, units.Dimension{units.Time: -1}))
	net := soma.NewNetwork()
	net.Seed(4)
	P := must(net.PoissonGroup(2, "rates(t, i)", soma.Namespace{"rates": ta}))
	S := must(net.SpikeMonitor(P))
	if err := net.Run(100 * soma.Millisecond); err != nil {
		t.Fatal(err)
	}
	early, late := [2]int{}, [2]int{}
	times := S.T()
	for k, i := range S.I() {
		if times[k] < 0.05 {
			early[i]++
		} else {
			late[i]++
		}
	}
	if early[0] != 0 || late[1] != 0 || early[1] == 0 || late[0] == 0 {
		t.Errorf("spikes per neuron, first 50 ms %v, last 50 ms %v: each neuron must fire only while its rate is 100 Hz", early, late)
	}
}

func TestTimedArrayErrors(t *testing.T) {
	ta := must(soma.NewTimedArray([]float64{1}, 1e-3, units.Dimension{units.Current: 1}))
	net := soma.NewNetwork()
	for _, c := range []struct{ model, want string }{
		{"dv/dt = I(t)/ms : 1", "Inconsistent units"},
		{"dv/dt = I(1*mV)/(1*nA)/ms : 1", "I"},
		{"dv/dt = I/(1*nA)/ms : 1", "must be called"},
	} {
		_, err := net.NeuronGroup(1, c.model, soma.Namespace{"I": ta})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.model, err, c.want)
		}
	}
	if _, err := soma.NewTimedArray(nil, 1e-3, units.Dimensionless); err == nil {
		t.Error("an empty TimedArray must be an error")
	}
}

// TestExactWithTimedArray: the exact method takes a TimedArray of t
// sampled at a multiple of dt as constant over each step, as Brian2 does:
// dv/dt = (I(t) - v)/tau then gives v(t+dt) = I + (v - I)*exp(-dt/tau)
// with I at the step's start. Bare t, or a TimedArray sampled finer than
// dt, is still refused.
func TestExactWithTimedArray(t *testing.T) {
	values := []float64{1, 3, 0, 2}
	ta := must(soma.NewTimedArray(values, 2*soma.Millisecond, units.Dimensionless))
	net := soma.NewNetwork()
	G := must(net.NeuronGroup(1, "dv/dt = (I(t) - v)/(10*ms) : 1", soma.Method("exact"), soma.Namespace{"I": ta}))
	M := must(net.StateMonitor(G, []string{"v"}, soma.Record(0)))
	if err := net.Run(10 * soma.Millisecond); err != nil {
		t.Fatal(err)
	}
	v := must(M.Values("v"))[0]
	want, decay := 0.0, math.Exp(-0.1/10)
	for k := range v {
		if math.Abs(v[k]-want) > 1e-12 {
			t.Fatalf("v at step %d = %.15g, want %.15g", k, v[k], want)
		}
		in := values[min(k/20, len(values)-1)]
		want = in + (want-in)*decay
	}
	fine := must(soma.NewTimedArray(values, 0.05*soma.Millisecond, units.Dimensionless))
	for _, model := range []string{"dv/dt = (t/ms - v)/(10*ms) : 1", "dv/dt = (J(t) - v)/(10*ms) : 1"} {
		_, err := soma.NewNetwork().NeuronGroup(1, model, soma.Method("exact"), soma.Namespace{"J": fine})
		if err == nil || !strings.Contains(err.Error(), "depends on time t") {
			t.Errorf("%s: got %v, want the exact method refused", model, err)
		}
	}
}
