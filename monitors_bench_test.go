package soma_test

import (
	"path/filepath"
	"testing"

	"github.com/soma-sim/soma"
)

// benchMonitorSteps is the length of one iteration of BenchmarkMonitor.
const benchMonitorSteps = 2000

// BenchmarkMonitor: 2000 steps of 10 000 LIF neurons (about 40 spikes a
// step) with one monitor; "none" is the network alone, so a monitor costs
// its line's ns/step minus none's. The _stream cases write their chunks
// (and the state monitor, 16 MB in 4 chunks) to a temporary folder.
func BenchmarkMonitor(b *testing.B) {
	const n = 10_000
	cases := []struct {
		name string
		add  func(net *soma.Network, G soma.Group) error
	}{
		{"none", func(*soma.Network, soma.Group) error { return nil }},
		{"spike", func(net *soma.Network, G soma.Group) error {
			_, err := net.SpikeMonitor(G, soma.Variables("v"))
			return err
		}},
		{"state", func(net *soma.Network, G soma.Group) error {
			_, err := net.StateMonitor(G, []string{"v"}, soma.Record(indices(1000)...))
			return err
		}},
		{"rate", func(net *soma.Network, G soma.Group) error {
			_, err := net.PopulationRateMonitor(G)
			return err
		}},
		{"state_ring", func(net *soma.Network, G soma.Group) error {
			_, err := net.StateMonitor(G, []string{"v"}, soma.Record(indices(1000)...), soma.MaxSamples(500))
			return err
		}},
		// Streaming to a folder of the test's, in chunks of about 4 MiB.
		{"spike_stream", func(net *soma.Network, G soma.Group) error {
			_, err := net.SpikeMonitor(G, soma.Variables("v"), soma.Stream(streamDir(b, "spikes")))
			return err
		}},
		{"state_stream", func(net *soma.Network, G soma.Group) error {
			_, err := net.StateMonitor(G, []string{"v"}, soma.Record(indices(1000)...), soma.Stream(streamDir(b, "vm")))
			return err
		}},
		{"rate_stream", func(net *soma.Network, G soma.Group) error {
			_, err := net.PopulationRateMonitor(G, soma.Stream(streamDir(b, "rate")))
			return err
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for k := 0; k < b.N; k++ {
				b.StopTimer()
				net, G := lifGroup(b, n)
				if err := c.add(net, G); err != nil {
					b.Fatal(err)
				}
				if err := net.Run(net.DT()); err != nil { // compile
					b.Fatal(err)
				}
				b.StartTimer()
				if err := net.Run(benchMonitorSteps * net.DT()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchMonitorSteps, "ns/step")
		})
	}
}

// streamDir returns a new folder for a benchmark's stream.
func streamDir(b *testing.B, name string) string {
	return filepath.Join(b.TempDir(), name)
}

// lifGroup is lifNetwork with its group.
func lifGroup(tb testing.TB, n int) (*soma.Network, soma.Group) {
	net := lifNetwork(tb, n)
	for _, o := range net.Objects() {
		if g, ok := o.(*soma.NeuronGroup); ok {
			return net, g
		}
	}
	tb.Fatal("no group")
	return nil, nil
}

func indices(n int) []int {
	out := make([]int, n)
	for k := range out {
		out[k] = k
	}
	return out
}
