package soma_test

import (
	"runtime"
	"slices"
	"testing"

	"github.com/soma-sim/soma"
)

// TestThreadsGiveIdenticalResults runs a CUBA network large enough to be
// split between cores with 1, 2 and 3 threads: spikes and final state must
// be bit-identical.
func TestThreadsGiveIdenticalResults(t *testing.T) {
	type result struct {
		steps []int64
		i     []int32
		v     []float64
	}
	runWith := func(threads int) result {
		net := soma.NewNetwork()
		net.Seed(5)
		net.SetThreads(threads)
		ns := soma.Namespace{"taum": "20*ms", "taue": "5*ms", "taui": "10*ms", "Vt": "-50*mV", "Vr": "-60*mV",
			"El": "-49*mV", "we": "(60*0.27/10)*mV", "wi": "(-20*4.5/10)*mV"}
		P := must(net.NeuronGroup(8000, `
dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt`, soma.Threshold("v > Vt"), soma.Reset("v = Vr"), soma.Refractory("5*ms"), soma.Method("exact"), ns))
		if err := P.Set("v", "Vr + rand() * (Vt - Vr)"); err != nil {
			t.Fatal(err)
		}
		Ce := must(net.Synapses(P, P, "", soma.OnPre("ge += we"), ns))
		Ci := must(net.Synapses(P, P, "", soma.OnPre("gi += wi"), ns))
		if err := Ce.Connect(soma.Connection{Condition: "i < 6400", P: 0.01}); err != nil {
			t.Fatal(err)
		}
		if err := Ci.Connect(soma.Connection{Condition: "i >= 6400", P: 0.01}); err != nil {
			t.Fatal(err)
		}
		S := must(net.SpikeMonitor(P))
		if err := net.Run(100 * soma.Millisecond); err != nil {
			t.Fatal(err)
		}
		return result{S.Steps(), S.I(), must(P.Values("v"))}
	}
	one := runWith(1)
	if len(one.steps) < 1000 {
		t.Fatalf("only %d spikes: the network is too quiet to test anything", len(one.steps))
	}
	for _, threads := range []int{2, 3} {
		got := runWith(threads)
		if !slices.Equal(got.steps, one.steps) || !slices.Equal(got.i, one.i) || !slices.Equal(got.v, one.v) {
			t.Errorf("%d threads: the result differs from one thread (%d vs %d spikes)", threads, len(got.i), len(one.i))
		}
	}
}

// TestThreadsSplitPropagation: with many synapses due per step, spike
// propagation is split by target between threads; guarded increments of
// the target and writes to synaptic variables (a plastic weight) must come
// out bit-identical to one thread.
func TestThreadsSplitPropagation(t *testing.T) {
	type result struct {
		i     []int32
		v, ge []float64
		w     []float64
	}
	runWith := func(threads int) result {
		net := soma.NewNetwork()
		net.Seed(7)
		net.SetThreads(threads)
		ns := soma.Namespace{"tau": "10*ms", "taue": "5*ms"}
		// Neurons 0..499 spike every step: about 500*200 = 100 000 synapses
		// are due per step, enough to split.
		src := must(net.NeuronGroup(500, "", soma.Threshold("True")))
		P := must(net.NeuronGroup(10000, `
dv/dt  = (ge - v)/tau : volt (unless refractory)
dge/dt = -ge/taue : volt`, soma.Threshold("v > 20*mV"), soma.Reset("v = 0*mV"), soma.Refractory("2*ms"), soma.Method("exact"), ns))
		S := must(net.Synapses(src, P, "w : volt", soma.OnPre("ge += w\nv += 0.1*mV\nw = w*0.999"), ns))
		if err := S.Connect(soma.Connection{P: 0.02}); err != nil {
			t.Fatal(err)
		}
		if err := S.Set("w", "rand()*0.3*mV"); err != nil {
			t.Fatal(err)
		}
		M := must(net.SpikeMonitor(P))
		if err := net.Run(20 * soma.Millisecond); err != nil {
			t.Fatal(err)
		}
		return result{M.I(), must(P.Values("v")), must(P.Values("ge")), must(S.Values("w"))}
	}
	one := runWith(1)
	if len(one.i) < 100 {
		t.Fatalf("only %d spikes: too quiet to test anything", len(one.i))
	}
	for _, threads := range []int{2, 3} {
		got := runWith(threads)
		if !slices.Equal(got.i, one.i) || !slices.Equal(got.v, one.v) || !slices.Equal(got.ge, one.ge) || !slices.Equal(got.w, one.w) {
			t.Errorf("%d threads: the result differs from one thread (%d vs %d spikes)", threads, len(got.i), len(one.i))
		}
	}
}

// TestThreadsBrunel: a Brunel network with PoissonInput, delays and
// refractoriness, whose input draws, propagation and updates are all split,
// gives the same spikes and state for 1 to 4 threads, also when it is
// stored, run on and restored halfway.
func TestThreadsBrunel(t *testing.T) {
	type result struct {
		i     []int32
		steps []int64
		v     []float64
	}
	runWith := func(threads int) result {
		net := soma.NewNetwork()
		net.Seed(11)
		net.SetThreads(threads)
		ns := soma.Namespace{"tau": "20*ms", "theta": "20*mV", "Vr": "10*mV", "J": "0.5*mV", "g": 3.0}
		P := must(net.NeuronGroup(6000, "dv/dt = -v/tau : volt (unless refractory)",
			soma.Threshold("v > theta"), soma.Reset("v = Vr"), soma.Refractory("2*ms"), soma.Method("exact"), ns))
		E := must(net.Synapses(P, P, "", soma.OnPre("v += J"), soma.Delay("1.5*ms"), ns))
		I := must(net.Synapses(P, P, "", soma.OnPre("v += -g*J"), soma.Delay("1.5*ms"), ns))
		if err := E.Connect(soma.Connection{Condition: "i < 4800", P: 0.05}); err != nil {
			t.Fatal(err)
		}
		if err := I.Connect(soma.Connection{Condition: "i >= 4800", P: 0.05}); err != nil {
			t.Fatal(err)
		}
		if _, err := net.PoissonInput(P, "v", 200, "25*Hz", "J*(1 + 0.1*rand())"); err != nil {
			t.Fatal(err)
		}
		M := must(net.SpikeMonitor(P))
		if err := net.Run(20 * soma.Millisecond); err != nil {
			t.Fatal(err)
		}
		net.Store("half")
		if err := net.Run(10 * soma.Millisecond); err != nil {
			t.Fatal(err)
		}
		if err := net.Restore("half"); err != nil {
			t.Fatal(err)
		}
		if err := net.Run(20 * soma.Millisecond); err != nil {
			t.Fatal(err)
		}
		return result{M.I(), M.Steps(), must(P.Values("v"))}
	}
	one := runWith(1)
	if len(one.i) < 2000 {
		t.Fatalf("only %d spikes: too quiet to test anything", len(one.i))
	}
	for _, threads := range []int{2, 3, 4} {
		got := runWith(threads)
		if !slices.Equal(got.i, one.i) || !slices.Equal(got.steps, one.steps) || !slices.Equal(got.v, one.v) {
			t.Errorf("%d threads: the result differs from one thread (%d vs %d spikes)", threads, len(got.i), len(one.i))
		}
	}
}

// TestAutoThreads: a run that chooses its thread count while it goes on,
// switching between one and two threads, gives the result of one thread.
func TestAutoThreads(t *testing.T) {
	build := func(threads int) (*soma.Network, *soma.SpikeMonitor, *soma.NeuronGroup) {
		net := soma.NewNetwork()
		net.Seed(3)
		net.SetThreads(threads)
		ns := soma.Namespace{"tau": "20*ms", "J": "0.5*mV"}
		P := must(net.NeuronGroup(8000, "dv/dt = -v/tau : volt (unless refractory)",
			soma.Threshold("v > 20*mV"), soma.Reset("v = 10*mV"), soma.Refractory("2*ms"), soma.Method("exact"), ns))
		S := must(net.Synapses(P, P, "", soma.OnPre("v += J"), soma.Delay("1*ms"), ns))
		if err := S.Connect(soma.Connection{P: 0.02}); err != nil {
			t.Fatal(err)
		}
		if _, err := net.PoissonInput(P, "v", 100, "50*Hz", "J"); err != nil {
			t.Fatal(err)
		}
		return net, must(net.SpikeMonitor(P)), P
	}
	one, M1, P1 := build(1)
	if err := one.Run(300 * soma.Millisecond); err != nil {
		t.Fatal(err)
	}
	runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))
	auto, M2, P2 := build(soma.AutoThreads)
	if !auto.ThreadsAuto() {
		t.Fatal("SetThreads(AutoThreads) does not choose")
	}
	if err := auto.Run(300 * soma.Millisecond); err != nil {
		t.Fatal(err)
	}
	if len(M1.I()) < 1000 {
		t.Fatalf("only %d spikes: too quiet to test anything", len(M1.I()))
	}
	if !slices.Equal(M1.I(), M2.I()) || !slices.Equal(M1.Steps(), M2.Steps()) || !slices.Equal(must(P1.Values("v")), must(P2.Values("v"))) {
		t.Errorf("the automatic choice changed the result: %d vs %d spikes", len(M2.I()), len(M1.I()))
	}
}

// TestThreadsPerSynapseDelays: with delays drawn per synapse, spikes in
// flight are queued per thread's part of the targets; the spikes and state
// are those of one thread for any thread count, across Store and Restore
// and when the automatic choice switches between one thread and two.
func TestThreadsPerSynapseDelays(t *testing.T) {
	type result struct {
		i []int32
		v []float64
	}
	runWith := func(threads int) result {
		net := soma.NewNetwork()
		net.Seed(21)
		net.SetThreads(threads)
		ns := soma.Namespace{"tau": "10*ms", "J": "0.6*mV"}
		P := must(net.NeuronGroup(6000, "dv/dt = -v/tau : volt (unless refractory)",
			soma.Threshold("v > 15*mV"), soma.Reset("v = 0*mV"), soma.Refractory("2*ms"), soma.Method("exact"), ns))
		S := must(net.Synapses(P, P, "w : volt", soma.OnPre("v += w"), ns))
		if err := S.Connect(soma.Connection{P: 0.03}); err != nil {
			t.Fatal(err)
		}
		if err := S.Set("w", "J*(0.5 + rand())"); err != nil {
			t.Fatal(err)
		}
		if err := S.Set("delay", "0.2*ms + 3*ms*rand()"); err != nil {
			t.Fatal(err)
		}
		if _, err := net.PoissonInput(P, "v", 100, "60*Hz", "J"); err != nil {
			t.Fatal(err)
		}
		M := must(net.SpikeMonitor(P))
		if err := net.Run(15 * soma.Millisecond); err != nil {
			t.Fatal(err)
		}
		net.Store("mid")
		if err := net.Run(5 * soma.Millisecond); err != nil {
			t.Fatal(err)
		}
		if err := net.Restore("mid"); err != nil {
			t.Fatal(err)
		}
		if err := net.Run(25 * soma.Millisecond); err != nil {
			t.Fatal(err)
		}
		return result{M.I(), must(P.Values("v"))}
	}
	one := runWith(1)
	if len(one.i) < 2000 {
		t.Fatalf("only %d spikes: too quiet to test anything", len(one.i))
	}
	runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))
	for _, threads := range []int{2, 3, soma.AutoThreads} {
		got := runWith(threads)
		if !slices.Equal(got.i, one.i) || !slices.Equal(got.v, one.v) {
			t.Errorf("threads %d: the result differs from one thread (%d vs %d spikes)", threads, len(got.i), len(one.i))
		}
	}
}
