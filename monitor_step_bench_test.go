package soma

import "testing"

// BenchmarkMonitorStep: the recording path of a monitor alone, one call
// per step of 10 000 LIF neurons, the recordings cut back every 1000
// steps so that growing them is not measured (BenchmarkMonitor measures
// that).
func BenchmarkMonitorStep(b *testing.B) {
	for _, kind := range []string{"spike", "state", "rate"} {
		b.Run(kind, func(b *testing.B) {
			net := NewNetwork()
			net.Seed(1)
			G, err := net.NeuronGroup(10_000, "dv/dt = (El - v)/tau : volt",
				Threshold("v > Vt"), Reset("v = Vr"), Method("exact"),
				Namespace{"El": "-49*mV", "tau": "10*ms", "Vt": "-50*mV", "Vr": "-60*mV"})
			if err != nil {
				b.Fatal(err)
			}
			if err := G.Set("v", "Vr + rand()*(Vt - Vr)"); err != nil {
				b.Fatal(err)
			}
			var step, cut func()
			switch kind {
			case "spike":
				m, err := net.SpikeMonitor(G, Variables("v"))
				if err != nil {
					b.Fatal(err)
				}
				step = m.step
				cut = func() {
					m.steps, m.t, m.i, m.values[0] = m.steps[:0], m.t[:0], m.i[:0], m.values[0][:0]
				}
			case "state":
				rec := make([]int, 1000)
				for k := range rec {
					rec[k] = k
				}
				m, err := net.StateMonitor(G, []string{"v"}, Record(rec...))
				if err != nil {
					b.Fatal(err)
				}
				step = m.step
				cut = func() { m.t, m.data[0] = m.t[:0], m.data[0][:0] }
			case "rate":
				m, err := net.PopulationRateMonitor(G)
				if err != nil {
					b.Fatal(err)
				}
				step = m.step
				cut = func() { m.t, m.rate = m.t[:0], m.rate[:0] }
			}
			if err := net.Run(1100 * net.DT()); err != nil { // spikes this step, buffers grown
				b.Fatal(err)
			}
			cut()
			for range 1000 {
				step()
			}
			b.ResetTimer()
			for k := range b.N {
				if k%1000 == 0 {
					cut()
				}
				step()
			}
		})
	}
}
