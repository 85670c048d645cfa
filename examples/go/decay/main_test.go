package main

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/ui"
)

// TestDecayEqualsNeuronGroup: the behaviour version gives exactly the
// NeuronGroup's numbers for every method, and the analytic solution to the
// method's accuracy.
func TestDecayEqualsNeuronGroup(t *testing.T) {
	for _, c := range []struct {
		method string
		tol    float64 // relative error against the analytic solution
	}{{"exact", 1e-12}, {"euler", 1e-3}, {"rk2", 1e-6}, {"rk4", 1e-12}, {"exponential_euler", 1e-12}} {
		res, err := run(c.method, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		if res.steps != 1000 {
			t.Errorf("%s: %d steps recorded", c.method, res.steps)
		}
		if res.maxDiff != 0 {
			t.Errorf("%s: behaviours and NeuronGroup differ by %g V", c.method, res.maxDiff)
		}
		if res.maxAnalytic > c.tol {
			t.Errorf("%s: relative error %g against the analytic solution", c.method, res.maxAnalytic)
		}
	}
}

// TestDecayUnits: unlike PymoNNto's equation modules, units are checked.
func TestDecayUnits(t *testing.T) {
	net := soma.NewNetwork()
	G, _ := net.NeuronGroup(n, "")
	G.AddBehaviour(2, &soma.VariableBehaviour{Eq: "v = 1*mV"})
	G.AddBehaviour(4, &soma.EquationBehaviour{Eq: "dv/dt = 0*mV - v"})
	err := net.Run(0.001)
	if err == nil || !strings.Contains(err.Error(), "Inconsistent units") {
		t.Fatalf("expected a unit error, got %v", err)
	}
}

// TestUI runs the plan of -ui through the UI's commands: both versions
// decay to exp(-1) mV in one tau.
func TestUI(t *testing.T) {
	net, opts, err := uiNetwork("exact", 0.1)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := ui.New(net, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	go srv.Run(ctx)
	if _, err := srv.Do(ctx, map[string]any{"cmd": "run"}); err != nil {
		t.Fatal(err)
	}
	for st := srv.Status(); !st.PlanDone || st.Mode != "paused"; st = srv.Status() {
		if ctx.Err() != nil {
			t.Fatalf("status %+v", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, o := range net.Objects() {
		g, ok := o.(*soma.NeuronGroup)
		if !ok {
			continue
		}
		v, err := g.Values("v")
		if err != nil {
			t.Fatal(err)
		}
		if want := 1e-3 * math.Exp(-1); math.Abs(v[0]-want) > 1e-9 {
			t.Errorf("%s: v = %g V after the plan, want %g V", g.Name(), v[0], want)
		}
	}
}
