package soma_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/dist"
)

// shareNetwork builds a network whose synapses S, from a subgroup onto a
// subgroup, are connected twice (a condition on both sides, then
// multapses with a condition on the target alone) and given random
// values, as the share of rank of size (size 0: whole, in one process).
func shareNetwork(t *testing.T, rank, size, threads int) (*soma.Network, *soma.Synapses) {
	t.Helper()
	net := soma.NewNetwork()
	net.Seed(77)
	net.SetThreads(threads)
	G := must(net.NeuronGroup(1500, "dv/dt = -v/(10*ms) : 1\nx : 1", soma.Threshold("v > 1")))
	if err := G.Set("x", "i/1500.0"); err != nil {
		t.Fatal(err)
	}
	src, tgt := must(G.Slice(0, 1200)), must(G.Slice(300, 1500))
	S := must(net.Synapses(src, tgt, "w : 1\nc : 1", soma.OnPre("v += w")))
	if size > 0 {
		if err := S.BuildShare(rank, size); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []soma.Connection{
		{Condition: "i != j and x_pre < x_post + 0.3", P: 0.08},
		{Condition: "x_post > 0.9", P: 0.02, N: 2},
	} {
		if err := S.Connect(c); err != nil {
			t.Fatal(err)
		}
	}
	for _, set := range [][2]string{{"w", "rand()*x_post"}, {"c", "randn() + 0.1*randn()"}, {"delay", "1*ms + rand()*2*ms"}} {
		if err := S.Set(set[0], set[1]); err != nil {
			t.Fatal(err)
		}
	}
	return net, S
}

// synapseTable is S's pairs and values.
func synapseTable(t *testing.T, S *soma.Synapses) map[string][]float64 {
	t.Helper()
	out := map[string][]float64{}
	for _, name := range []string{"w", "c"} {
		out[name] = must(S.Values(name))
	}
	for _, k := range S.I() {
		out["i"] = append(out["i"], float64(k))
	}
	for _, k := range S.J() {
		out["j"] = append(out["j"], float64(k))
	}
	return out
}

// TestBuildShareDrawsOneProcessSynapses builds the synapses as the shares
// of 1 to 4 ranks, each rank drawing only those onto its own neurons, and
// requires the gathered synapses and their values to be one process's,
// bit for bit and in the same order, for 1 and 2 threads, also for values
// drawn after Distribute.
func TestBuildShareDrawsOneProcessSynapses(t *testing.T) {
	_, whole := shareNetwork(t, 0, 0, 1)
	// A random Set after Distribute draws as in one process too.
	const later = "rand()*3 + x_post"
	if err := whole.Set("c", later); err != nil {
		t.Fatal(err)
	}
	want := synapseTable(t, whole)
	if len(want["i"]) < 20000 {
		t.Fatalf("only %d synapses", len(want["i"]))
	}
	for _, threads := range []int{1, 2} {
		for size := 1; size <= 4; size++ {
			comms := dist.NewLocal(size)
			held := make([]int, size)
			got := make([]map[string][]float64, size)
			var wg sync.WaitGroup
			for r := range size {
				wg.Add(1)
				go func() {
					defer wg.Done()
					net, S := shareNetwork(t, r, size, threads)
					held[r] = S.Len()
					if err := net.Distribute(comms[r]); err != nil {
						t.Error(err)
						return
					}
					if err := S.Set("c", later); err != nil {
						t.Error(err)
						return
					}
					if err := net.Gather(S); err != nil {
						t.Error(err)
						return
					}
					got[r] = synapseTable(t, S)
				}()
			}
			wg.Wait()
			sum := 0
			for _, n := range held {
				sum += n
				if size > 1 && n >= len(want["i"]) {
					t.Errorf("%d ranks: a rank drew %d of the %d synapses", size, n, len(want["i"]))
				}
			}
			if sum != len(want["i"]) {
				t.Errorf("%d ranks, %d threads: the ranks drew %d synapses between them, one process %d", size, threads, sum, len(want["i"]))
			}
			for name, w := range want {
				if got[0] == nil || !slices.Equal(got[0][name], w) {
					t.Errorf("%d ranks, %d threads: '%s' differs from one process's", size, threads, name)
				}
			}
		}
	}
}

// TestBuildShareRefuses checks what BuildShare cannot do, with errors that
// say so.
func TestBuildShareRefuses(t *testing.T) {
	net := soma.NewNetwork()
	G := must(net.NeuronGroup(100, "v : 1"))
	S := must(net.Synapses(G, G, ""))
	if err := S.BuildShare(0, 2); err != nil {
		t.Fatal(err)
	}
	for _, c := range []soma.Connection{
		{I: []int{1}, J: []int{2}},
		{JExpr: "i"},
		{Condition: "rand() < 0.1"},
	} {
		if err := S.Connect(c); err == nil || !strings.Contains(err.Error(), "connect by probability only") {
			t.Errorf("%+v: got %v", c, err)
		}
	}
	if err := S.Connect(soma.Connection{P: 0.1}); err != nil {
		t.Fatal(err)
	}
	if err := S.BuildShare(0, 2); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("a second BuildShare: got %v", err)
	}
	if err := S.KeepShare(0, 2); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("KeepShare after BuildShare: got %v", err)
	}
	T := must(net.Synapses(G, G, ""))
	if err := T.Connect(soma.Connection{P: 0.1}); err != nil {
		t.Fatal(err)
	}
	if err := T.BuildShare(0, 2); err == nil || !strings.Contains(err.Error(), "before Connect") {
		t.Errorf("BuildShare after Connect: got %v", err)
	}
}
