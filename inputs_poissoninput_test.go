package soma_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/units"
)

type poissonInputStats struct {
	Mean    float64 `json:"mean"`
	Var     float64 `json:"var"`
	Samples int     `json:"samples"`
	Zero    float64 `json:"zero"`
	N       int     `json:"n"`
	Rate    float64 `json:"rate"`
	Weight  float64 `json:"weight"`
	Integer bool    `json:"integer"`
}

type poissonInputRef struct {
	Small        poissonInputStats `json:"small"`
	Large        poissonInputStats `json:"large"`
	StringWeight poissonInputStats `json:"string_weight"`
	Refractory   struct {
		V      int `json:"v_changes_while_refractory"`
		X      int `json:"x_changes_while_refractory"`
		VAfter int `json:"v_changes_after"`
	} `json:"refractory"`
}

var mV = units.Quantity{Value: 1e-3, Dim: units.Dimension{units.Length: 2, units.Mass: 1, units.Time: -3, units.Current: -1}}

// inpIncrements runs steps steps and returns the counts of each step
// (the increments of v divided by each neuron's weight).
func inpIncrements(t *testing.T, net *soma.Network, G *soma.NeuronGroup, steps int, weight func(k int) float64) []float64 {
	t.Helper()
	M := must(net.StateMonitor(G, []string{"v"}))
	inpRun(t, net, float64(steps)*net.DT())
	v := must(M.Values("v"))
	var out []float64
	for k, row := range v {
		for s := 1; s < len(row); s++ {
			out = append(out, (row[s]-row[s-1])/weight(k))
		}
	}
	return out
}

// inpMoments returns mean, variance, the standard error of the variance
// (from the fourth central moment) and the fraction of zeros.
func inpMoments(x []float64) (mean, variance, seVar, zero float64) {
	n := float64(len(x))
	for _, v := range x {
		mean += v
		if v == 0 {
			zero++
		}
	}
	mean /= n
	m4 := 0.0
	for _, v := range x {
		d := (v - mean) * (v - mean)
		variance += d
		m4 += d * d
	}
	variance /= n
	m4 /= n
	return mean, variance, math.Sqrt((m4 - variance*variance) / n), zero / n
}

// checkIncrements compares the per-step counts with B(n, p) and with
// Brian2's statistics.
func checkIncrements(t *testing.T, what string, x []float64, n int, p float64, ref poissonInputStats) {
	t.Helper()
	for _, v := range x {
		if v != math.Round(v) && math.Abs(v-math.Round(v)) > 1e-6 {
			t.Fatalf("%s: the count %g is not a whole number", what, v)
		}
	}
	mean, variance, seVar, zero := inpMoments(x)
	wantMean, wantVar := float64(n)*p, float64(n)*p*(1-p)
	seMean := math.Sqrt(wantVar / float64(len(x)))
	t.Logf("%s: mean %.4f (B(n,p) %.4f, Brian2 %.4f ± %.4f), variance %.4f (%.4f, Brian2 %.4f ± %.4f), zeros %.4f (%.4f, Brian2 %.4f)",
		what, mean, wantMean, ref.Mean, seMean, variance, wantVar, ref.Var, seVar, zero, math.Pow(1-p, float64(n)), ref.Zero)
	seRef := math.Sqrt(wantVar / float64(ref.Samples))
	if math.Abs(mean-wantMean) > 5*seMean || math.Abs(mean-ref.Mean) > 5*math.Hypot(seMean, seRef) {
		t.Errorf("%s: mean count %g, want %g (Brian2 %g)", what, mean, wantMean, ref.Mean)
	}
	seVarRef := seVar * math.Sqrt(float64(len(x))/float64(ref.Samples))
	if math.Abs(variance-wantVar) > 5*seVar || math.Abs(variance-ref.Var) > 5*math.Hypot(seVar, seVarRef) {
		t.Errorf("%s: count variance %g, want %g (Brian2 %g), standard error %g", what, variance, wantVar, ref.Var, seVar)
	}
	if wantZero := math.Pow(1-p, float64(n)); math.Abs(zero-wantZero) > 5*math.Sqrt(wantZero*(1-wantZero)/float64(len(x)))+1e-12 {
		t.Errorf("%s: %g of the counts are zero, want %g", what, zero, wantZero)
	}
}

// The increments of the target variable are B(n, rate*dt) counts times the
// weight, with Brian2's mean and variance, for few and for many inputs
// (where Brian2 switches to a normal approximation).
func TestPoissonInputIncrements(t *testing.T) {
	var ref poissonInputRef
	loadReference(t, "inputs_poissoninput", &ref)
	for _, c := range []struct {
		name  string
		ref   poissonInputStats
		steps int
	}{{"small", ref.Small, 200}, {"large", ref.Large, 100}} {
		net := soma.NewNetwork()
		net.Seed(5)
		G := must(net.NeuronGroup(1000, "v : volt"))
		w := mV.Scale(0.5)
		must(net.PoissonInput(G, "v", c.ref.N, c.ref.Rate, w))
		x := inpIncrements(t, net, G, c.steps, func(int) float64 { return w.Value })
		checkIncrements(t, c.name, x, c.ref.N, c.ref.Rate*net.DT(), c.ref)
	}
}

// A string weight is evaluated per neuron, with the group's namespace and
// the network's; on a subgroup i counts from the subgroup's start and
// only its neurons receive input.
func TestPoissonInputStringWeightAndSubgroup(t *testing.T) {
	var ref poissonInputRef
	loadReference(t, "inputs_poissoninput", &ref)
	c := ref.StringWeight
	net := soma.NewNetwork()
	net.Seed(9)
	net.Namespace["w0"] = "0.1*mV"
	G := must(net.NeuronGroup(50, "v : volt"))
	must(net.PoissonInput(G, "v", c.N, "5*Hz", "w0*(1 + i)"))
	x := inpIncrements(t, net, G, 100, func(k int) float64 { return 1e-4 * float64(1+k) })
	checkIncrements(t, "string weight", x, c.N, 5*net.DT(), c)

	net = soma.NewNetwork()
	G = must(net.NeuronGroup(30, "v : volt", soma.Namespace{"w0": mV}))
	sub := must(G.Slice(10, 20))
	must(net.PoissonInput(sub, "v", 1000, 50.0, "w0*(i + N)"))
	inpRun(t, net, 20e-3)
	v := must(G.Values("v"))
	for k, x := range v {
		inside := k >= 10 && k < 20
		if !inside && x != 0 {
			t.Fatalf("neuron %d outside the subgroup received input", k)
		}
		if inside {
			n := x / (1e-3 * float64(k-10+10))
			if n < 50 || math.Abs(n-math.Round(n)) > 1e-6 {
				t.Errorf("neuron %d: %g is not a whole number of weights w0*(i + N) near 100", k, n)
			}
		}
	}
}

// Like Brian2's, the input is not added to an (unless refractory)
// variable while the neuron is refractory, but to other variables.
func TestPoissonInputRefractory(t *testing.T) {
	var ref poissonInputRef
	loadReference(t, "inputs_poissoninput", &ref)
	net := soma.NewNetwork()
	G := must(net.NeuronGroup(2, "dv/dt = -v/(10*ms) : volt (unless refractory)\ndx/dt = -x/(10*ms) : volt",
		soma.Threshold("v > 1*volt"), soma.Reset("v = 0*volt; x = 0*volt"), soma.Refractory("5*ms"), soma.Method("exact")))
	if err := G.Set("v", []float64{2, 0}); err != nil {
		t.Fatal(err)
	}
	must(net.PoissonInput(G, "v", 100, 1000.0, mV))
	must(net.PoissonInput(G, "x", 100, 1000.0, mV))
	M := must(net.StateMonitor(G, []string{"v", "x"}, soma.Record(0)))
	inpRun(t, net, 8e-3)
	v, x := must(M.Values("v"))[0], must(M.Values("x"))[0]
	nonzero := func(s []float64) int {
		n := 0
		for _, a := range s {
			if a != 0 {
				n++
			}
		}
		return n
	}
	got := [3]int{nonzero(v[1:51]), nonzero(x[1:51]), nonzero(v[52:])}
	want := [3]int{ref.Refractory.V, ref.Refractory.X, ref.Refractory.VAfter}
	if got != want {
		t.Errorf("nonzero samples (v while refractory, x while refractory, v after): %v, Brian2 %v", got, want)
	}
}

func TestPoissonInputErrors(t *testing.T) {
	hz := units.Quantity{Value: 10, Dim: units.Dimension{units.Time: -1}}
	for _, c := range []struct {
		variable string
		n        int
		rate     any
		weight   any
		want     string
	}{
		{"v", 10, 10.0, 1e-3, "plain number, but 'v' has unit"},
		{"v", 10, 10.0, units.Quantity{Value: 1}, "must have the unit of 'v'"},
		{"v", 10, 10.0, "2*nA", "weight '2*nA': the weight must have the unit of 'v'"},
		{"v", 10, 10.0, "w_unknown", "w_unknown"},
		{"v", 10, mV, mV, "rate must have unit Hz"},
		{"v", 10, "10*ms", mV, "rate must have unit Hz"},
		{"v", 10, -1.0, mV, "must not be negative"},
		{"v", -1, hz, mV, "number of inputs must not be negative"},
		{"v", 10, 2e4, mV, "probability above 1"},
		{"u", 10, 10.0, mV, "'u' is not a variable"},
		{"c", 10, 10.0, mV, "it is a constant"},
		{"s", 10, 10.0, mV, "shared variable"},
		{"k", 10, 10.0, 1.0, "not a floating-point variable"},
		{"v", 10, 10.0, true, "got bool"},
	} {
		net := soma.NewNetwork()
		G := must(net.NeuronGroup(3, "v : volt\nc : volt (constant)\ns : volt (shared)\nk : integer"))
		_, err := net.PoissonInput(G, c.variable, c.n, c.rate, c.weight)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s, %v, %v: got error %v, want one containing %q", c.variable, c.rate, c.weight, err, c.want)
		}
	}
	net := soma.NewNetwork()
	P := must(net.PoissonGroup(3, 1.0))
	if _, err := net.PoissonInput(P, "rates", 10, 1.0, 1.0); err == nil {
		t.Error("a PoissonGroup cannot receive input")
	}
	G := must(net.NeuronGroup(3, "v : 1"))
	if _, err := net.PoissonInput(G, "v", 10, 1.0, 1.0, soma.Threshold("v > 1")); err == nil || !strings.Contains(err.Error(), "does not apply to a PoissonInput") {
		t.Errorf("a NeuronGroup option: %v", err)
	}
}

// The input runs in the synapses slot (order 0) by default and may be
// moved; with Store and Restore a repeated run adds the same input.
func TestPoissonInputScheduleAndRestore(t *testing.T) {
	net := soma.NewNetwork()
	G := must(net.NeuronGroup(100, "v : 1"))
	must(net.PoissonInput(G, "v", 50, 100.0, 1.0, soma.Name("drive")))
	must(net.PoissonInput(G, "v", 5, 10.0, 0.5, soma.When("before_groups"), soma.Order(-3)))
	var found [2]bool
	for _, e := range must(net.Schedule()) {
		switch {
		case e.Name == "drive":
			found[0] = e.When == "synapses" && e.Order == 0
		case strings.HasPrefix(e.Name, "poissoninput"):
			found[1] = e.When == "before_groups" && e.Order == -3
		}
	}
	if found != [2]bool{true, true} {
		t.Errorf("schedule: %v", must(net.Schedule()))
	}
	inpRun(t, net, 5e-3)
	net.Store("s")
	inpRun(t, net, 5e-3)
	first := must(G.Values("v"))
	if err := net.Restore("s"); err != nil {
		t.Fatal(err)
	}
	inpRun(t, net, 5e-3)
	if !slices.Equal(must(G.Values("v")), first) {
		t.Error("the run after Restore differs")
	}
}

// BenchmarkPoissonInput: 10 000 neurons with n inputs each; the metric is
// the time per neuron and step, on one thread and on two.
func BenchmarkPoissonInput(b *testing.B) {
	const neurons, steps = 10000, 1000
	for _, c := range []struct {
		name   string
		n      int
		rate   float64
		weight any
	}{
		{"np=0.01", 10, 10, 1.0},
		{"np=1", 1000, 10, 1.0},
		{"np=1/string-weight", 1000, 10, "0.5 + 0*i"},
		{"np=100", 10000, 100, 1.0},
	} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", c.name, threads), func(b *testing.B) {
				net := soma.NewNetwork()
				net.Seed(1)
				net.SetThreads(threads)
				G := must(net.NeuronGroup(neurons, "v : 1"))
				must(net.PoissonInput(G, "v", c.n, c.rate, c.weight))
				inpRun(b, net, 1e-3)
				b.ResetTimer()
				for b.Loop() {
					inpRun(b, net, steps*net.DT())
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(neurons*steps), "ns/neuron/step")
			})
		}
	}
}
