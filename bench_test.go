package soma_test

import (
	"testing"

	"github.com/soma-sim/soma"
)

// lifNetwork is 100 000 (or n) exact LIF neurons without monitors, with v
// spread between reset and threshold so that a steady fraction (about 0.4%)
// spikes in every step.
func lifNetwork(tb testing.TB, n int) *soma.Network {
	tb.Helper()
	net := soma.NewNetwork()
	net.Seed(1)
	G, err := net.NeuronGroup(n, "dv/dt = (El - v)/tau : volt",
		soma.Threshold("v > Vt"), soma.Reset("v = Vr"), soma.Method("exact"),
		soma.Namespace{"El": "-49*mV", "tau": "10*ms", "Vt": "-50*mV", "Vr": "-60*mV"})
	if err != nil {
		tb.Fatal(err)
	}
	if err := G.Set("v", "Vr + rand()*(Vt - Vr)"); err != nil {
		tb.Fatal(err)
	}
	return net
}

// runSteps runs b.N steps in one Run and reports the time per neuron and
// step.
func runSteps(b *testing.B, net *soma.Network, neurons int) {
	b.Helper()
	if err := net.Run(10 * net.DT()); err != nil { // compile and warm up
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if err := net.Run(float64(b.N) * net.DT()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(neurons), "ns/neuron/step")
}

// BenchmarkLIFStep: one step (state update, threshold, reset) of 100 000
// exact LIF neurons.
func BenchmarkLIFStep(b *testing.B) {
	const n = 100_000
	runSteps(b, lifNetwork(b, n), n)
}

// BenchmarkCUBANeurons: the neurons of Brian2's CUBA example, 4000 of
// them, without the synapses.
func BenchmarkCUBANeurons(b *testing.B) {
	const n = 4000
	net := soma.NewNetwork()
	net.Seed(1)
	G, err := net.NeuronGroup(n, `
dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt`,
		soma.Threshold("v > Vt"), soma.Reset("v = Vr"), soma.Refractory("5*ms"), soma.Method("exact"),
		soma.Namespace{"taum": "20*ms", "taue": "5*ms", "taui": "10*ms", "Vt": "-50*mV", "Vr": "-60*mV", "El": "-49*mV"})
	if err != nil {
		b.Fatal(err)
	}
	if err := G.Set("v", "Vr + rand() * (Vt - Vr)"); err != nil {
		b.Fatal(err)
	}
	runSteps(b, net, n)
}

// TestStepAllocations: in the steady state a step allocates nothing, so
// a long run allocates exactly as much as a short one.
func TestStepAllocations(t *testing.T) {
	net := lifNetwork(t, 10_000)
	dt := net.DT()
	run(t, net, 300*dt) // reach the steady state: buffers at full size
	short := testing.AllocsPerRun(5, func() { run(t, net, 10*dt) })
	long := testing.AllocsPerRun(5, func() { run(t, net, 510*dt) })
	if long != short {
		t.Errorf("a run of 510 steps allocates %g times, one of 10 steps %g: %g allocations per step",
			long, short, (long-short)/500)
	}
	t.Logf("%g allocations per Run", short)
}

// TestStepAllocationsHH: the same for Hodgkin-Huxley neurons, whose
// update goes through the fast exponential and exprel loops.
func TestStepAllocationsHH(t *testing.T) {
	net := hhNetwork(t, 4000)
	dt := net.DT()
	run(t, net, 300*dt)
	short := testing.AllocsPerRun(5, func() { run(t, net, 10*dt) })
	long := testing.AllocsPerRun(5, func() { run(t, net, 510*dt) })
	if long != short {
		t.Errorf("a run of 510 steps allocates %g times, one of 10 steps %g", long, short)
	}
}

// BenchmarkHHStep: one step of 4000 Hodgkin-Huxley neurons of the IF
// curve example (exponential_euler, rate functions with exprel), on one
// thread.
func BenchmarkHHStep(b *testing.B) {
	const n = 4000
	runSteps(b, hhNetwork(b, n), n)
}

// hhNetwork is n neurons of the Hodgkin-Huxley IF curve example.
func hhNetwork(tb testing.TB, n int) *soma.Network {
	net := soma.NewNetwork()
	net.SetThreads(1)
	ns := soma.Namespace{
		"area": "20000*umetre**2", "Cm": "1*ufarad*cm**-2 * area", "gl": "5e-5*siemens*cm**-2 * area",
		"El": "-65*mV", "EK": "-90*mV", "ENa": "50*mV", "g_na": "100*msiemens*cm**-2 * area",
		"g_kd": "30*msiemens*cm**-2 * area", "VT": "-63*mV", "n_neurons": n}
	G, err := net.NeuronGroup(n, hhModel, soma.Threshold("v > -40*mV"), soma.Refractory("v > -40*mV"),
		soma.Method("exponential_euler"), ns)
	if err != nil {
		tb.Fatal(err)
	}
	if err := G.Set("v", "El"); err != nil {
		tb.Fatal(err)
	}
	if err := G.Set("I", "0.7*nA * i / n_neurons"); err != nil {
		tb.Fatal(err)
	}
	return net
}
