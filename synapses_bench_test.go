package soma_test

import (
	"runtime"
	"testing"

	"github.com/soma-sim/soma"
)

// TestBytesPerSynapse measures the memory a synapse with one weight keeps
// once the network has run: its target index (int32) and the weight, 12
// bytes in double precision and 8 in single (Float32). The source index
// is implicit in the CSR layout.
func TestBytesPerSynapse(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a million synapses")
	}
	for _, c := range []struct {
		name  string
		opts  []soma.Option
		limit float64
	}{{"float64", nil, 12.5}, {"float32", []soma.Option{soma.Float32()}, 8.5}} {
		t.Run(c.name, func(t *testing.T) {
			net := soma.NewNetwork()
			net.Seed(1)
			net.SetThreads(2) // the row cuts of split propagation count too
			G := must(net.NeuronGroup(10000, "dv/dt = -v/(10*ms) : volt", soma.Threshold("v > 1*volt")))
			S := must(net.Synapses(G, G, "w : volt", append([]soma.Option{soma.OnPre("v += w")}, c.opts...)...))
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			if err := S.Connect(soma.Connection{P: 0.01}); err != nil {
				t.Fatal(err)
			}
			if err := S.Set("w", "0.1*mV"); err != nil {
				t.Fatal(err)
			}
			if err := net.Run(0.1 * soma.Millisecond); err != nil { // builds the kernels
				t.Fatal(err)
			}
			// Two collections: the first moves sync.Pool caches (kernel
			// scratch frames) to their victim cache, the second frees them.
			runtime.GC()
			runtime.GC()
			runtime.ReadMemStats(&after)
			perSynapse := float64(after.HeapAlloc-before.HeapAlloc) / float64(S.Len())
			t.Logf("%d synapses, %.2f bytes per synapse", S.Len(), perSynapse)
			if perSynapse > c.limit {
				t.Errorf("%.2f bytes per synapse, want at most %.1f", perSynapse, c.limit-0.5)
			}
			runtime.KeepAlive(S)
		})
	}
}

// BenchmarkSynapticEventsCUBA measures on_pre "ge += we" propagation at
// CUBA's size: 4000 neurons, 2% connectivity, a fixed set of 200 neurons
// spiking every step. It reports synaptic events per second on one core.
func BenchmarkSynapticEventsCUBA(b *testing.B) {
	benchmarkEvents(b, "", "ge += we", 4000, 0.02)
}

// BenchmarkSynapticEventsSTDP does the same for a plastic synapse with
// event-driven traces (Song & Abbott's on_pre).
func BenchmarkSynapticEventsSTDP(b *testing.B) {
	benchmarkEvents(b, "w : volt\ndApre/dt = -Apre/taupre : 1 (event-driven)\ndApost/dt = -Apost/taupre : 1 (event-driven)",
		"ge += w\nApre += 0.01\nw = clip(w + Apost*mV, 0*mV, 1*mV)", 4000, 0.02)
}

func benchmarkEvents(b *testing.B, model, onPre string, n int, p float64) {
	net := soma.NewNetwork()
	net.Seed(1)
	ns := soma.Namespace{"we": "1.62*mV", "taupre": "20*ms"}
	// Neurons 0..199 spike every step; nothing else happens.
	G := must(net.NeuronGroup(n, "dge/dt = -ge/(5*ms) : volt", soma.Threshold("i < 200"), soma.Method("exact")))
	S := must(net.Synapses(G, G, model, soma.OnPre(onPre), ns))
	if err := S.Connect(soma.Connection{P: p}); err != nil {
		b.Fatal(err)
	}
	if err := net.Run(1 * soma.Millisecond); err != nil {
		b.Fatal(err)
	}
	events := 0
	for _, i := range S.I() {
		if i < 200 {
			events++
		}
	}
	b.ResetTimer()
	for k := 0; k < b.N; k++ {
		if err := net.Run(0.1 * soma.Millisecond); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
