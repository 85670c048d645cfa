package soma_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/soma-sim/soma"
)

// Deterministic transmission through heterogeneous delays (Brian2's
// test_transmission_* cross-checks): a SpikeGeneratorGroup drives a
// NeuronGroup through synapses whose delays differ per synapse, or through
// a scalar delay from a periodic generator. The recorded traces must equal
// Brian2's to floating-point precision.
func TestTransmissionMatchesBrian2(t *testing.T) {
	var ref map[string]struct {
		V [][]float64 `json:"v"`
	}
	loadReference(t, "inputs_transmission", &ref)

	t.Run("heterogeneous delays", func(t *testing.T) {
		net := soma.NewNetwork()
		gen := must(net.SpikeGeneratorGroup(3, []int{0, 1, 2, 0, 1, 2}, []float64{1e-3, 2e-3, 3.05e-3, 6e-3, 7.5e-3, 7.5e-3}))
		G := must(net.NeuronGroup(5, "dv/dt = -v/(10*ms) : volt", soma.Method("exact")))
		S := must(net.Synapses(gen, G, "w : volt", soma.OnPre("v += w")))
		if err := S.Connect(soma.Connection{}); err != nil {
			t.Fatal(err)
		}
		if err := S.Set("w", "(i + 1)*(j + 1)*0.1*mV"); err != nil {
			t.Fatal(err)
		}
		if err := S.Set("delay", "j*0.5*ms"); err != nil {
			t.Fatal(err)
		}
		M := must(net.StateMonitor(G, []string{"v"}))
		inpRun(t, net, 15e-3)
		v := must(M.Values("v"))
		want := ref["heterogeneous"].V
		if len(v) != len(want) {
			t.Fatalf("%d recorded neurons, Brian2 %d", len(v), len(want))
		}
		// The exact update multiplies by exp(-dt/tau) every step, which
		// may differ from numpy's in the last bit.
		for k := range want {
			if len(v[k]) != len(want[k]) {
				t.Fatalf("v[%d]: %d samples, Brian2 %d", k, len(v[k]), len(want[k]))
			}
			for s, x := range want[k] {
				if d := math.Abs(v[k][s] - x); d > 1e-13*math.Abs(x) {
					t.Fatalf("v[%d][%d] = %.17g, Brian2 %.17g", k, s, v[k][s], x)
				}
			}
		}
	})

	t.Run("periodic generator, scalar delay", func(t *testing.T) {
		net := soma.NewNetwork()
		gen := must(net.SpikeGeneratorGroup(2, []int{0, 1, 1}, []float64{0.5e-3, 1.25e-3, 3e-3}, soma.Period(4e-3)))
		G := must(net.NeuronGroup(3, "v : volt"))
		S := must(net.Synapses(gen, G, "w : volt", soma.OnPre("v += w"), soma.Delay("1.5*ms")))
		if err := S.Connect(soma.Connection{Condition: "i != j"}); err != nil {
			t.Fatal(err)
		}
		if err := S.Set("w", "(i + 1)*0.5*mV + j*0.1*mV"); err != nil {
			t.Fatal(err)
		}
		M := must(net.StateMonitor(G, []string{"v"}))
		inpRun(t, net, 12e-3)
		v := must(M.Values("v"))
		want := ref["periodic_scalar_delay"].V
		for k := range want {
			checkTrace(t, fmt.Sprintf("v[%d]", k), v[k], want[k], 0)
		}
	})
}

// Per-synapse delays are kept in one byte per synapse up to 255 steps and
// in four beyond: both must deliver each spike exactly its delay later,
// in float64 and in float32 storage.
func TestPerSynapseDelaySteps(t *testing.T) {
	for _, c := range []struct {
		delay     string
		stepsPerJ int
	}{{"j*5*ms", 50}, {"j*10*ms", 100}} {
		for _, opts := range [][]soma.Option{nil, {soma.Float32()}} {
			t.Run(fmt.Sprintf("%s, %d options", c.delay, len(opts)), func(t *testing.T) {
				net := soma.NewNetwork()
				gen := must(net.SpikeGeneratorGroup(1, []int{0}, []float64{1e-3}))
				G := must(net.NeuronGroup(4, "v : 1"))
				S := must(net.Synapses(gen, G, "", append([]soma.Option{soma.OnPre("v += 1")}, opts...)...))
				if err := S.Connect(soma.Connection{}); err != nil {
					t.Fatal(err)
				}
				if err := S.Set("delay", c.delay); err != nil {
					t.Fatal(err)
				}
				M := must(net.StateMonitor(G, []string{"v"}))
				inpRun(t, net, 40e-3)
				v := must(M.Values("v"))
				arrival := make([]int, len(v))
				for k, trace := range v {
					arrival[k] = -1
					for s, x := range trace {
						if x == 1 {
							arrival[k] = s
							break
						}
					}
				}
				for j := range arrival {
					if arrival[0] < 0 || arrival[j] != arrival[0]+j*c.stepsPerJ {
						t.Fatalf("arrival steps %v, want %d apart", arrival, c.stepsPerJ)
					}
				}
			})
		}
	}
}
