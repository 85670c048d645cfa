package soma_test

import (
	"math"
	"strings"
	"testing"

	"github.com/soma-sim/soma"
)

// TestGapJunctionsMatchBrian2 reproduces Brian2's gap-junction example:
// ten neurons coupled all-to-all through a summed variable.
func TestGapJunctionsMatchBrian2(t *testing.T) {
	var ref struct {
		Spikes brianSpikes `json:"spikes"`
		V0     []float64   `json:"v0"`
		V9     []float64   `json:"v9"`
	}
	loadReference(t, "gapjunctions", &ref)
	net := soma.NewNetwork()
	ns := soma.Namespace{"v0": 1.05, "tau": "10*ms", "n": 10}
	G := must(net.NeuronGroup(10, "dv/dt = (v0 - v + Igap) / tau : 1\nIgap : 1",
		soma.Threshold("v > 1"), soma.Reset("v = 0"), soma.Method("exact"), ns))
	if err := G.Set("v", "i * 1.0 / (n-1)"); err != nil {
		t.Fatal(err)
	}
	M := must(net.StateMonitor(G, []string{"v"}, soma.Record(0, 9)))
	S := must(net.Synapses(G, G, "w : 1\nIgap_post = w * (v_pre - v_post) : 1 (summed)"))
	if err := S.Connect(soma.Connection{}); err != nil {
		t.Fatal(err)
	}
	if S.Len() != 100 {
		t.Fatalf("%d synapses, want 100", S.Len())
	}
	if err := S.Set("w", 0.02); err != nil {
		t.Fatal(err)
	}
	spikes := must(net.SpikeMonitor(G))
	if err := net.Run(500 * soma.Millisecond); err != nil {
		t.Fatal(err)
	}
	checkSpikes(t, spikes, ref.Spikes)
	v := must(M.Values("v"))
	checkTrace(t, "v[0]", v[0], ref.V0, 1e-9)
	checkTrace(t, "v[9]", v[1], ref.V9, 1e-9)
}

func TestSummedIntoSameTargetIsAnError(t *testing.T) {
	net := soma.NewNetwork()
	G := must(net.NeuronGroup(5, "dv/dt = (I - v)/(10*ms) : 1\nI : 1"))
	must(net.Synapses(G, G, "w : 1\nI_post = w*v_pre : 1 (summed)"))
	_, err := net.Synapses(G, G, "w : 1\nI_post = w*v_pre : 1 (summed)")
	if err == nil || !strings.Contains(err.Error(), "already sums into") {
		t.Fatalf("got %v, want an error about summing twice into I", err)
	}
}

func TestConnectPatterns(t *testing.T) {
	net := soma.NewNetwork()
	net.Seed(3)
	G := must(net.NeuronGroup(20, "x : 1"))
	H := must(net.NeuronGroup(10, "x : 1"))
	pairs := func(s *soma.Synapses) [][2]int32 {
		var out [][2]int32
		js := s.J()
		for k, i := range s.I() {
			out = append(out, [2]int32{i, js[k]})
		}
		return out
	}
	cases := []struct {
		name string
		c    soma.Connection
		want func(i, j int32) bool
		n    int
	}{
		{"all", soma.Connection{}, func(i, j int32) bool { return true }, 200},
		{"condition", soma.Connection{Condition: "i == 2*j"}, func(i, j int32) bool { return i == 2*j }, 10},
		{"one to one", soma.Connection{JExpr: "i", SkipIfInvalid: true}, func(i, j int32) bool { return i == j }, 10},
		{"conditional j", soma.Connection{JExpr: "int(i/2) if i % 2 == 0"}, func(i, j int32) bool { return i%2 == 0 && j == i/2 }, 10},
		{"generator", soma.Connection{JExpr: "k for k in range(i-1, i+2) if k != i", SkipIfInvalid: true},
			func(i, j int32) bool { return j == i-1 || j == i+1 }, 19},
		{"explicit", soma.Connection{I: []int{0, 5, 5}, J: []int{1, 2, 9}}, func(i, j int32) bool {
			return (i == 0 && j == 1) || (i == 5 && (j == 2 || j == 9))
		}, 3},
		{"multapses", soma.Connection{Condition: "i == j", N: 3}, func(i, j int32) bool { return i == j }, 30},
		{"n expression", soma.Connection{Condition: "i == j", N: "i % 2"}, func(i, j int32) bool { return i == j && i%2 == 1 }, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			S := must(net.Synapses(G, H, ""))
			if err := S.Connect(c.c); err != nil {
				t.Fatal(err)
			}
			got := pairs(S)
			if len(got) != c.n {
				t.Errorf("%d synapses, want %d: %v", len(got), c.n, got)
			}
			for k, p := range got {
				if !c.want(p[0], p[1]) {
					t.Errorf("unexpected synapse %v", p)
				}
				if k > 0 && got[k-1][0] > p[0] {
					t.Errorf("synapses not sorted by source: %v", got)
				}
			}
		})
	}
	// Out-of-range targets are an error unless skipped.
	S := must(net.Synapses(G, H, ""))
	if err := S.Connect(soma.Connection{JExpr: "i"}); err == nil || !strings.Contains(err.Error(), "outside the target group") {
		t.Errorf("got %v", err)
	}
}

func TestConnectProbabilityStatistics(t *testing.T) {
	net := soma.NewNetwork()
	net.Seed(11)
	G := must(net.NeuronGroup(2000, "x : 1"))
	for _, c := range []struct {
		conn soma.Connection
		p    float64
	}{
		{soma.Connection{P: 0.05}, 0.05},
		{soma.Connection{P: "0.02*2"}, 0.04},
		{soma.Connection{Condition: "i != j", P: 0.1}, 0.1},
		{soma.Connection{P: "0.1*exp(-abs(i-j)/100.)"}, -1},
	} {
		S := must(net.Synapses(G, G, ""))
		if err := S.Connect(c.conn); err != nil {
			t.Fatal(err)
		}
		want := c.p * 2000 * 2000
		if c.p < 0 { // sum over pairs of the distance-dependent probability
			want = 0
			for i := 0; i < 2000; i++ {
				for j := 0; j < 2000; j++ {
					want += 0.1 * math.Exp(-math.Abs(float64(i-j))/100)
				}
			}
		}
		if sd := math.Sqrt(want); math.Abs(float64(S.Len())-want) > 5*sd {
			t.Errorf("%+v: %d synapses, expected %.0f ± %.0f", c.conn, S.Len(), want, sd)
		}
		if c.p == 0.05 {
			// Targets drawn by geometric skipping are uniform: each
			// in-degree is binomial(2000, 0.05), so the statistic below
			// has mean about 1999 and standard deviation about 63.
			in := make([]float64, 2000)
			for _, j := range S.J() {
				in[j]++
			}
			mean := float64(S.Len()) / 2000
			chi2 := 0.0
			for _, n := range in {
				chi2 += (n - mean) * (n - mean) / (mean * (1 - 0.05))
			}
			if math.Abs(chi2-1999) > 5*63 {
				t.Errorf("in-degrees are not uniform: chi-square %.0f, expected 1999 ± 63", chi2)
			}
		}
		if c.conn.Condition == "i != j" {
			js := S.J()
			for k, i := range S.I() {
				if i == js[k] {
					t.Fatal("condition i != j violated")
				}
			}
		}
	}
}

func TestSynapticVariablesAndAccumulation(t *testing.T) {
	// Several synapses from one spike onto the same target must all add up.
	net := soma.NewNetwork()
	src := must(net.NeuronGroup(1, "dv/dt = 1/ms : 1", soma.Threshold("v > 0.5"), soma.Reset("v = 0"), soma.Method("euler")))
	tgt := must(net.NeuronGroup(2, "x : 1"))
	S := must(net.Synapses(src, tgt, "w : 1", soma.OnPre("x += w")))
	if err := S.Connect(soma.Connection{I: []int{0, 0, 0, 0}, J: []int{1, 1, 1, 0}}); err != nil {
		t.Fatal(err)
	}
	if err := S.Set("w", "1 + j"); err != nil {
		t.Fatal(err)
	}
	if err := net.Run(1 * soma.Millisecond); err != nil {
		t.Fatal(err)
	}
	x := must(tgt.Values("x"))
	// One spike (at 0.5 ms... v crosses 0.5 once per 0.6 ms): x = spikes*w.
	if x[1] != 3*x[0]*2 || x[0] == 0 {
		t.Errorf("x = %v: the three synapses onto neuron 1 (w=2) must give 6 per spike, the one onto 0 (w=1) 1", x)
	}
}

func TestUnlessRefractoryBlocksSynapticInput(t *testing.T) {
	// As in Brian2, on_pre writes to an (unless refractory) variable are
	// dropped while the target is refractory.
	net := soma.NewNetwork()
	src := must(net.NeuronGroup(1, "dv/dt = 1/ms : 1", soma.Threshold("v > 0.05"), soma.Reset("v = 0"), soma.Method("euler")))
	tgt := must(net.NeuronGroup(2, "dv/dt = 0/ms : 1 (unless refractory)", soma.Threshold("False"),
		soma.Refractory("t < 10*ms"), soma.Method("euler")))
	// neuron 0 starts refractory (not_refractory false), neuron 1 not.
	if err := tgt.Set("not_refractory", "i == 1"); err != nil {
		t.Fatal(err)
	}
	S := must(net.Synapses(src, tgt, "", soma.OnPre("v += 1")))
	if err := S.Connect(soma.Connection{}); err != nil {
		t.Fatal(err)
	}
	if err := net.Run(2 * soma.Millisecond); err != nil {
		t.Fatal(err)
	}
	v := must(tgt.Values("v"))
	if v[0] != 0 || v[1] == 0 {
		t.Errorf("v = %v: the refractory neuron must not receive input", v)
	}
}
