package soma

import (
	"slices"
	"strings"
	"testing"
)

// regionNetwork is a small cortical column: three groups of different
// sizes (one too small to cut), pathways between all of them with one
// delay and with per-synapse delays, onto whole groups and onto subgroups
// of another group (whose parts a region must count in the whole group),
// PoissonInput onto a subgroup that starts between blocks (which cannot
// join a region) and onto one that starts on a block, a group with noise
// (whose update draws random numbers and stays whole) and a group with a
// linked variable (which reads another group and stays out of regions).
func regionNetwork(tb testing.TB, threads int) (*Network, map[string]*NeuronGroup, *SpikeMonitor) {
	tb.Helper()
	net := NewNetwork()
	net.Seed(3)
	net.SetThreads(threads)
	ns := Namespace{"tau": "10*ms", "taus": "2*ms", "theta": "-50*mV", "Vr": "-65*mV", "El": "-49*mV", "J": "0.4*mV"}
	lif := `dv/dt = (El - v)/tau + I/tau : volt (unless refractory)
dI/dt = -I/taus : volt`
	opts := []Option{Threshold("v > theta"), Reset("v = Vr"), Refractory("2*ms"), Method("exact"), ns}
	groups := map[string]*NeuronGroup{}
	for k, name := range []string{"A", "B", "C"} {
		g, err := net.NeuronGroup([]int{5000, 2100, 300}[k], lif, append(opts, Name(name))...)
		if err != nil {
			tb.Fatal(err)
		}
		if err := g.Set("v", "Vr + rand()*(theta - Vr)"); err != nil {
			tb.Fatal(err)
		}
		groups[name] = g
	}
	noisy, err := net.NeuronGroup(1500, "dv/dt = (El - v)/tau + 2*mV*xi/sqrt(tau) : volt", Threshold("v > theta"), Reset("v = Vr"), Name("noisy"), ns)
	if err != nil {
		tb.Fatal(err)
	}
	linked, err := net.NeuronGroup(1200, "dw/dt = (vA - w)/tau : volt\nvA : volt (linked)", Name("linked"), ns)
	if err != nil {
		tb.Fatal(err)
	}
	idx := make([]int32, 1200)
	for k := range idx {
		idx[k] = int32(k)
	}
	if err := linked.Link("vA", groups["A"], "v", idx); err != nil {
		tb.Fatal(err)
	}
	sub, err := groups["A"].Slice(1000, 4100)
	if err != nil {
		tb.Fatal(err)
	}
	targets := []Group{groups["A"], groups["B"], groups["C"], sub}
	for si, src := range []Group{groups["A"], groups["B"], groups["C"], noisy} {
		for ti, tgt := range targets {
			perSynapse := (si+ti)%2 == 1
			code := "I += J"
			if si > 0 {
				code = "I += -2*J"
			}
			opts := []Option{OnPre(code), ns}
			if !perSynapse {
				opts = append(opts, Delay("1*ms"))
			}
			s, err := net.Synapses(src, tgt, "", opts...)
			if err != nil {
				tb.Fatal(err)
			}
			if err := s.Connect(Connection{P: 0.02}); err != nil {
				tb.Fatal(err)
			}
			if perSynapse {
				if err := s.Set("delay", "0.2*ms + rand()*3*ms"); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	onA, err := groups["A"].Slice(1024, 5000)
	if err != nil {
		tb.Fatal(err)
	}
	offB, err := groups["B"].Slice(100, 2000)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := net.PoissonInput(onA, "I", 100, "20*Hz", "J"); err != nil {
		tb.Fatal(err)
	}
	if _, err := net.PoissonInput(offB, "I", 100, "20*Hz", "J"); err != nil {
		tb.Fatal(err)
	}
	M, err := net.SpikeMonitor(groups["A"])
	if err != nil {
		tb.Fatal(err)
	}
	return net, groups, M
}

// TestRegionsGiveIdenticalResults: the column gives the same spikes and
// state on 1 to 4 threads, also after Store, a run and Restore.
func TestRegionsGiveIdenticalResults(t *testing.T) {
	type result struct {
		i     []int32
		steps []int64
		v     map[string][]float64
	}
	runWith := func(threads int) result {
		net, groups, M := regionNetwork(t, threads)
		if err := net.Run(30 * Millisecond); err != nil {
			t.Fatal(err)
		}
		net.Store("half")
		if err := net.Run(5 * Millisecond); err != nil {
			t.Fatal(err)
		}
		if err := net.Restore("half"); err != nil {
			t.Fatal(err)
		}
		if err := net.Run(20 * Millisecond); err != nil {
			t.Fatal(err)
		}
		r := result{M.I(), M.Steps(), map[string][]float64{}}
		for name, g := range groups {
			v, err := g.Values("v")
			if err != nil {
				t.Fatal(err)
			}
			r.v[name] = v
		}
		return r
	}
	one := runWith(1)
	if len(one.i) < 500 {
		t.Fatalf("only %d spikes: too quiet to test anything", len(one.i))
	}
	t.Logf("%d spikes of A", len(one.i))
	for _, threads := range []int{2, 3, 4} {
		got := runWith(threads)
		if !slices.Equal(got.i, one.i) || !slices.Equal(got.steps, one.steps) {
			t.Errorf("%d threads: spikes differ from one thread (%d vs %d)", threads, len(got.i), len(one.i))
		}
		for name, v := range one.v {
			if !slices.Equal(got.v[name], v) {
				t.Errorf("%d threads: v of %s differs from one thread", threads, name)
			}
		}
	}
}

// TestRegionsJoinWhatSplitsAlike: the column's schedule on two threads has
// one region for the updates of the LIF groups, one for the noisy group's
// update (its noise comes from a stream per block of neurons) and the
// thresholds, and one for the pathways and the aligned PoissonInput; the
// linked group's update (which comes between the LIF groups' updates and
// the noisy one's) and the unaligned PoissonInput stay on their own.
func TestRegionsJoinWhatSplitsAlike(t *testing.T) {
	net, _, _ := regionNetwork(t, 2)
	if err := net.Run(0); err != nil {
		t.Fatal(err)
	}
	var regions, alone []string
	for _, op := range net.regions(fuse(net.schedule()), true) {
		if strings.Contains(op.name, "+") {
			regions = append(regions, op.name)
		} else {
			alone = append(alone, op.name)
		}
	}
	has := func(list []string, part string) bool {
		return slices.ContainsFunc(list, func(s string) bool { return strings.Contains(s, part) })
	}
	if len(regions) != 3 {
		t.Fatalf("%d regions, want 3: %q", len(regions), regions)
	}
	if want := "A_stateupdater+B_stateupdater+C_stateupdater"; regions[0] != want {
		t.Errorf("the first region is %s, want %s", regions[0], want)
	}
	if want := "noisy_stateupdater+A_spike_thresholder+B_spike_thresholder+C_spike_thresholder+noisy_spike_thresholder"; regions[1] != want {
		t.Errorf("the second region is %s, want %s", regions[1], want)
	}
	if n := strings.Count(regions[2], "_pre"); n != 16 {
		t.Errorf("the third region has %d pathways, want 16: %s", n, regions[2])
	}
	for _, want := range []string{"linked_stateupdater"} {
		if !has(alone, want) || has(regions, want) {
			t.Errorf("%s should run on its own: regions %q", want, regions)
		}
	}
	if !has(regions, "poissoninput") {
		t.Errorf("no PoissonInput in a region: %q", regions)
	}
	if !has(alone, "poissoninput") {
		t.Errorf("no PoissonInput on its own: %q", alone)
	}
}
