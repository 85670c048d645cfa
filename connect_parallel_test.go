package soma_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/soma-sim/soma"
)

// builtSynapses is what a build gives: the pairs and every variable.
type builtSynapses struct {
	i, j []int32
	vars map[string][]float64
}

// buildForThreads builds, with a thread count, synapses through every
// building path that splits work: connect by probability with a target
// condition, a row condition with multapses (added to existing synapses),
// a subgroup pair with offsets, and rand()/randn() initialisation.
func buildForThreads(t *testing.T, threads int) []builtSynapses {
	t.Helper()
	net := soma.NewNetwork()
	net.Seed(2024)
	net.SetThreads(threads)
	G := must(net.NeuronGroup(3000, "dv/dt = -v/(10*ms) : volt\nx : 1", soma.Threshold("v > 1*volt")))
	if err := G.Set("x", "rand()"); err != nil {
		t.Fatal(err)
	}
	S := must(net.Synapses(G, G, "w : volt\nc : 1", soma.OnPre("v += w")))
	for _, c := range []soma.Connection{
		{Condition: "i != j", P: 0.05},
		{Condition: "i < 1000", P: 0.02, N: 2},
		{Condition: "x_pre > x_post", P: 0.01},
	} {
		if err := S.Connect(c); err != nil {
			t.Fatal(err)
		}
	}
	src, tgt := must(G.Slice(100, 2500)), must(G.Slice(500, 3000))
	S2 := must(net.Synapses(src, tgt, "w : volt", soma.OnPre("v += w")))
	if err := S2.Connect(soma.Connection{Condition: "i != j", P: 0.1}); err != nil {
		t.Fatal(err)
	}
	for _, set := range []struct {
		syn         *soma.Synapses
		name, value string
	}{
		{S, "w", "rand()*0.5*mV"}, {S, "c", "randn()"}, {S, "delay", "1*ms + rand()*2*ms"},
		{S2, "w", "randn()*mV"},
	} {
		if err := set.syn.Set(set.name, set.value); err != nil {
			t.Fatal(err)
		}
	}
	var out []builtSynapses
	for _, syn := range []*soma.Synapses{S, S2} {
		b := builtSynapses{i: syn.I(), j: syn.J(), vars: map[string][]float64{}}
		for _, name := range syn.VariableNames() {
			b.vars[name] = must(syn.Values(name))
		}
		out = append(out, b)
	}
	return out
}

// TestConnectSameForAnyThreadCount checks that building splits work
// without changing the network: the same pairs and values, bit for bit,
// with 1, 2 and 3 threads.
func TestConnectSameForAnyThreadCount(t *testing.T) {
	want := buildForThreads(t, 1)
	for k, b := range want {
		if len(b.i) < 10000 {
			t.Fatalf("synapses %d: only %d synapses: the test would not split the work", k, len(b.i))
		}
	}
	for _, threads := range []int{2, 3} {
		got := buildForThreads(t, threads)
		for k := range want {
			if !slices.Equal(got[k].i, want[k].i) || !slices.Equal(got[k].j, want[k].j) {
				t.Errorf("%d threads, synapses %d: pairs differ from one thread's (%d and %d synapses)", threads, k, len(got[k].i), len(want[k].i))
				continue
			}
			for name, w := range want[k].vars {
				if !slices.Equal(got[k].vars[name], w) {
					t.Errorf("%d threads, synapses %d: '%s' differs from one thread's", threads, k, name)
				}
			}
		}
	}
}

// TestConnectConditionsAreExact checks the conditions connect by
// probability applies: no pair breaks them, and with p = 1 every pair
// that satisfies them is there, n times.
func TestConnectConditionsAreExact(t *testing.T) {
	net := soma.NewNetwork()
	net.SetThreads(2)
	G := must(net.NeuronGroup(300, "v : 1"))
	S := must(net.Synapses(G, G, ""))
	if err := S.Connect(soma.Connection{Condition: "i < j", N: 2}); err != nil {
		t.Fatal(err)
	}
	if got, want := S.Len(), 300*299; got != want {
		t.Errorf("i < j with n = 2: %d synapses, want %d", got, want)
	}
	if err := S.Connect(soma.Connection{Condition: "i != j and i >= 100", P: 0.5}); err != nil {
		t.Fatal(err)
	}
	i, j := S.I(), S.J()
	seen := map[[2]int32]int{}
	for k := range i {
		seen[[2]int32{i[k], j[k]}]++
	}
	for p, n := range seen {
		// i < j: twice from the first connect, and maybe once more from
		// the second; i > j: at most once, from the second.
		second := n - 2
		if p[0] > p[1] {
			second = n
		}
		if p[0] == p[1] || second < 0 || second > 1 || second == 1 && p[0] < 100 {
			t.Fatalf("%d synapses from %d to %d", n, p[0], p[1])
		}
	}
	if !slices.IsSorted(i) {
		t.Error("the synapses are not sorted by source")
	}
}

// TestConnectStreamsAreIndependent checks that the streams each target's
// sources and each target's values are drawn from, which start from
// neighbouring stream numbers, behave as independent: in-degrees and
// out-degrees vary as binomials, consecutive targets share sources (and
// consecutive sources targets) by chance only, and the values that
// consecutive targets' streams draw first are uncorrelated.
func TestConnectStreamsAreIndependent(t *testing.T) {
	const n, p = 2000, 0.05
	net := soma.NewNetwork()
	net.Seed(3)
	G := must(net.NeuronGroup(n, "v : 1"))
	S := must(net.Synapses(G, G, "c : 1"))
	if err := S.Connect(soma.Connection{P: p}); err != nil {
		t.Fatal(err)
	}
	rows, cols := make([]map[int32]bool, n), make([]map[int32]bool, n)
	for k := range rows {
		rows[k], cols[k] = map[int32]bool{}, map[int32]bool{}
	}
	i, j := S.I(), S.J()
	for k := range i {
		rows[i[k]][j[k]] = true
		cols[j[k]][i[k]] = true
	}
	// Degrees are binomial(n, p): the statistic has mean about n-1 and
	// standard deviation about sqrt(2(n-1)) = 63. Two rows (columns) share
	// each element with probability p², independently.
	mean := float64(S.Len()) / n
	want := (n - 1) * n * p * p
	for name, sets := range map[string][]map[int32]bool{"out": rows, "in": cols} {
		chi2, overlap := 0.0, 0
		for k, set := range sets {
			d := float64(len(set)) - mean
			chi2 += d * d / (mean * (1 - p))
			if k > 0 {
				for x := range set {
					if sets[k-1][x] {
						overlap++
					}
				}
			}
		}
		if math.Abs(chi2-(n-1)) > 5*63 {
			t.Errorf("%s-degrees: chi-square %.0f, expected %d ± 63", name, chi2, n-1)
		}
		if sd := math.Sqrt(want); math.Abs(float64(overlap)-want) > 5*sd {
			t.Errorf("consecutive %s-sets share %d elements, expected %.0f ± %.0f", name, overlap, want, sd)
		}
	}
	if err := S.Set("c", "rand()"); err != nil {
		t.Fatal(err)
	}
	c := must(S.Values("c"))
	first := make([]float64, n) // the first value each target's stream drew
	seen := make([]bool, n)
	for k, x := range j {
		if !seen[x] {
			first[x], seen[x] = c[k], true
		}
	}
	var sx, sy, sxy, sxx, syy float64
	for k := 1; k < n; k++ {
		x, y := first[k-1], first[k]
		sx, sy, sxy, sxx, syy = sx+x, sy+y, sxy+x*y, sxx+x*x, syy+y*y
	}
	m := float64(n - 1)
	r := (sxy/m - sx/m*sy/m) / math.Sqrt((sxx/m-sx/m*sx/m)*(syy/m-sy/m*sy/m))
	if math.Abs(r) > 5/math.Sqrt(m) {
		t.Errorf("consecutive targets' first rand(): correlation %.3f, expected 0 ± %.3f", r, 1/math.Sqrt(m))
	}
}

// BenchmarkConnect measures connecting 20 000 x 20 000 neurons at p = 0.1
// (40 million synapses) with a random weight, per thread count.
func BenchmarkConnect(b *testing.B) {
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			synapses := 0
			for range b.N {
				net := soma.NewNetwork()
				net.Seed(1)
				net.SetThreads(threads)
				G := must(net.NeuronGroup(20000, "dv/dt = -v/(10*ms) : volt", soma.Threshold("v > 1*volt")))
				S := must(net.Synapses(G, G, "w : volt", soma.OnPre("v += w")))
				if err := S.Connect(soma.Connection{P: 0.1}); err != nil {
					b.Fatal(err)
				}
				if err := S.Set("w", "rand()*0.5*mV"); err != nil {
					b.Fatal(err)
				}
				synapses = S.Len()
			}
			b.ReportMetric(float64(synapses), "synapses")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(synapses), "ns/synapse")
		})
	}
}
