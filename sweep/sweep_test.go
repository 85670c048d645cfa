package sweep

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/model"
)

func TestParseGrid(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"we=0.5*mV:2*mV:4", []string{"0.5*mV", "1*mV", "1.5*mV", "2*mV"}},
		{"g=3,4, 5", []string{"3", "4", "5"}},
		{"tau=10*ms:10*ms:1", []string{"10*ms"}},
	} {
		ax, err := ParseGrid(c.in)
		if err != nil || !reflect.DeepEqual(ax.Values, c.want) {
			t.Errorf("%s: %v %v, want %v", c.in, ax.Values, err, c.want)
		}
	}
	for _, bad := range []struct{ in, want string }{
		{"we", "expected NAME"}, {"we=1*mV:2*ms:3", "different units"}, {"we=1*mV:2*mV:0", "positive integer"},
		{"we=1*mV:2*mV:x", "positive integer"}, {"g=3,(4", "("},
	} {
		if _, err := ParseGrid(bad.in); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: %v, want an error with %q", bad.in, err, bad.want)
		}
	}
}

func TestParseRandomAndPoints(t *testing.T) {
	d, err := ParseRandom("tau=U(5*ms,20*ms)")
	if err != nil || d.Kind != "U" || d.Lo.Value != 0.005 || d.Hi.Value != 0.02 {
		t.Fatalf("%+v %v", d, err)
	}
	for _, bad := range []string{"tau=U(5*ms)", "tau=V(1,2)", "tau=U(5*ms,2*mV)", "tau=LogU(0,1)", "tau"} {
		if _, err := ParseRandom(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	g, _ := ParseGrid("g=3,4")
	pts, err := Plan{Grid: []Axis{g}, Random: []Dist{d}, N: 5, Seeds: 2, Seed: 7}.Points()
	if err != nil || len(pts) != 20 {
		t.Fatalf("%d points, %v", len(pts), err)
	}
	for k, p := range pts {
		if p.Index != k || p.Seed != 7+uint64(k/10) || p.Values[0].Text != []string{"3", "4"}[k%10/5] {
			t.Errorf("point %d: %v", k, p)
		}
		if tau := p.Values[1].Q.Value; tau < 0.005 || tau > 0.02 {
			t.Errorf("point %d: tau %g outside U(5 ms, 20 ms)", k, tau)
		}
		// The same draws for every seed: seeds repeat the points.
		if k >= 10 && !reflect.DeepEqual(p.Values, pts[k-10].Values) {
			t.Errorf("point %d differs from point %d in more than the seed", k, k-10)
		}
	}
	if got := pts[3].Sets(); got[len(got)-1] != "seed=7" || !strings.HasPrefix(got[0], "g=3") {
		t.Errorf("sets %v", got)
	}
}

// A sweep run on reused builds gives every point exactly the spikes of a
// separate run with the same overrides.
func TestRunModelEqualsSeparateRuns(t *testing.T) {
	spec, err := model.ReadFile("../examples/cuba/cuba.yaml")
	if err != nil {
		t.Fatal(err)
	}
	we, _ := ParseGrid("we=1*mV:2*mV:3")
	wi, _ := ParseGrid("wi=-9*mV,-5*mV")
	pts, err := Plan{Grid: []Axis{we, wi}, Seeds: 2, Seed: 1}.Points()
	if err != nil {
		t.Fatal(err)
	}
	base := []string{"duration=30*ms"}
	got := map[int][]int32{}
	reused := 0
	err = RunModel(context.Background(), spec, base, pts, 2, func(r Result) error {
		if r.Err != nil {
			return r.Err
		}
		if r.Reused {
			reused++
		}
		got[r.Point.Index] = append([]int32(nil), r.Model.Monitors[0].Spikes.I()...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(pts) {
		t.Fatalf("%d of %d points ran", len(got), len(pts))
	}
	// Two workers and two seeds: at most four builds.
	if reused < len(pts)-4 {
		t.Errorf("%d of %d points reused a build", reused, len(pts))
	}
	for _, p := range pts {
		m, err := model.Build(spec, append(append([]string(nil), base...), p.Sets()...))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Run(model.RunOptions{}); err != nil {
			t.Fatal(err)
		}
		if want := m.Monitors[0].Spikes.I(); !reflect.DeepEqual(got[p.Index], want) {
			t.Errorf("point %v: %d spikes in the sweep, %d alone", p, len(got[p.Index]), len(want))
		}
	}
}

// BenchmarkSweep compares a sweep of 12 short CUBA runs that reuses its
// builds with one that builds every point.
func BenchmarkSweep(b *testing.B) {
	spec, err := model.ReadFile("../examples/cuba/cuba.yaml")
	if err != nil {
		b.Fatal(err)
	}
	we, _ := ParseGrid("we=1*mV:2*mV:4")
	wi, _ := ParseGrid("wi=-9*mV,-7*mV,-5*mV")
	pts, _ := Plan{Grid: []Axis{we, wi}, Seed: 1}.Points()
	base := []string{"duration=20*ms"}
	b.Run("reuse", func(b *testing.B) {
		for b.Loop() {
			if err := RunModel(context.Background(), spec, base, pts, 1, func(r Result) error { return r.Err }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("build-each", func(b *testing.B) {
		for b.Loop() {
			for _, p := range pts {
				m, err := model.Build(spec, append(append([]string(nil), base...), p.Sets()...))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := m.Run(model.RunOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// Run sweeps a network written in Go: the function builds it from the
// point's values.
func TestRunGoNetwork(t *testing.T) {
	tau, _ := ParseGrid("tau=10*ms,20*ms,40*ms")
	pts, _ := Plan{Grid: []Axis{tau}, Seeds: 2, Seed: 1}.Points()
	final := map[int]float64{}
	err := Run(context.Background(), pts, 2, func(p Point) Result {
		net := soma.NewNetwork()
		net.Seed(p.Seed)
		G, err := net.NeuronGroup(1, "dv/dt = -v/tau : volt", soma.Namespace{"tau": p.Values[0].Q})
		if err == nil {
			err = G.Set("v", "1*mV")
		}
		if err == nil {
			err = net.Run(0.01)
		}
		r := Result{Point: p, Err: err}
		if err == nil {
			v, _ := G.Values("v")
			r.Values = map[string]float64{"v": v[0]}
		}
		return r
	}, func(r Result) error {
		final[r.Point.Index] = r.Values["v"]
		return r.Err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pts {
		want := 1e-3 * math.Exp(-0.01/p.Values[0].Q.Value)
		if math.Abs(final[p.Index]-want) > 1e-12 {
			t.Errorf("%v: v = %g, want %g", p, final[p.Index], want)
		}
	}
}
