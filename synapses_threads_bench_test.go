package soma_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/soma-sim/soma"
)

// BenchmarkPropagationThreads measures spike propagation split by target
// on one thread and on two, at Brunel's shape (12 500 neurons, 1250
// synapses per row) and CUBA 250k's (80 per row). Sources fire at random, so
// rows come from all over the synapse arrays as in a real network; they
// are a spike generator, so propagation is nearly all of the step.
func BenchmarkPropagationThreads(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
		p    float64
		rate float64 // spikes per neuron per step
	}{
		{"brunel", 12500, 0.1, 0.003},
		{"cuba250k", 250000, 80.0 / 250000, 0.0007},
	} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", c.name, threads), func(b *testing.B) {
				net := soma.NewNetwork()
				net.Seed(1)
				net.SetThreads(threads)
				// 100 steps of random spikes, repeated with Period.
				r := rand.New(rand.NewPCG(1, 2))
				var idx []int
				var times []float64
				for step := range 100 {
					for j := range c.n {
						if r.Float64() < c.rate {
							idx = append(idx, j)
							times = append(times, float64(step)*1e-4)
						}
					}
				}
				P := must(net.SpikeGeneratorGroup(c.n, idx, times, soma.Period(0.01)))
				G := must(net.NeuronGroup(c.n, "v : 1"))
				S := must(net.Synapses(P, G, "", soma.OnPre("v += 0.001")))
				if err := S.Connect(soma.Connection{P: c.p}); err != nil {
					b.Fatal(err)
				}
				if err := net.Run(1 * soma.Millisecond); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for b.Loop() {
					if err := net.Run(10 * soma.Millisecond); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100, "ns/step")
			})
		}
	}
}
