package soma_test

import (
	"slices"
	"testing"

	"github.com/soma-sim/soma"
)

// noisyGroup is a group of 1000 neurons (8 blocks of streams, the last one
// short) with noise and a random threshold.
func noisyGroup(t *testing.T, seed uint64) (*soma.Network, *soma.NeuronGroup) {
	t.Helper()
	net := soma.NewNetwork()
	net.Seed(seed)
	G := must(net.NeuronGroup(1000, "dv/dt = (1 - v)/(10*ms) + 0.5*xi/sqrt(10*ms) : 1",
		soma.Threshold("v > 1 or rand() < 0.001"), soma.Reset("v = 0"), soma.Method("euler")))
	return net, G
}

// TestNoiseFollowsSeedAndStore: the block streams of noise start from the
// seed, Seed starts them again, and Restore brings back where they were.
func TestNoiseFollowsSeedAndStore(t *testing.T) {
	run := func(net *soma.Network, G *soma.NeuronGroup) []float64 {
		t.Helper()
		if err := net.Run(5e-3); err != nil {
			t.Fatal(err)
		}
		return must(G.Values("v"))
	}
	net, G := noisyGroup(t, 8)
	first := run(net, G)
	net.Store("after")
	second := run(net, G)
	if slices.Equal(first, second) {
		t.Fatal("the noise drew nothing")
	}
	if err := net.Restore("after"); err != nil {
		t.Fatal(err)
	}
	if again := run(net, G); !slices.Equal(again, second) {
		t.Error("after Restore, the noise differs from the first time")
	}
	other, H := noisyGroup(t, 8)
	if got := run(other, H); !slices.Equal(got, first) {
		t.Error("the same seed gave other noise")
	}
	net.Seed(8)
	if err := G.Set("v", 0); err != nil {
		t.Fatal(err)
	}
	fresh, F := noisyGroup(t, 8)
	if err := F.Set("v", 0); err != nil {
		t.Fatal(err)
	}
	if a, b := run(net, G), run(fresh, F); !slices.Equal(a, b) {
		t.Error("Seed did not start the noise again")
	}
}
