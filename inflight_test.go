package soma_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/soma-sim/soma"
)

// inflightNetwork is a spike generator driving a group through synapses
// with one delay (pre) and an on_post pathway with one of its own (S), and
// through synapses with per-synapse delays (F): spikes are on their way
// when a run ends at 10 ms. Without spikes, the generator is silent (the
// continuation of a run, whose input spikes all came before).
func inflightNetwork(t *testing.T, spikes bool) (*soma.Network, *soma.NeuronGroup, []*soma.Synapses, *soma.StateMonitor) {
	t.Helper()
	net := soma.NewNetwork()
	net.Seed(9)
	idx, times := []int{0, 1, 2, 3, 0, 1, 2, 3}, []float64{1e-3, 1.5e-3, 2e-3, 2.5e-3, 8e-3, 8.4e-3, 9.1e-3, 9.7e-3}
	if !spikes {
		idx, times = nil, nil
	}
	gen := must(net.SpikeGeneratorGroup(4, idx, times))
	G := must(net.NeuronGroup(6, "dv/dt = -v/(20*ms) : 1\nw2 : 1", soma.Threshold("v > 0.8"), soma.Reset("v = 0")))
	S := must(net.Synapses(gen, G, "w : 1", soma.OnPre("v_post += w"), soma.OnPost("w2_post += 0.01"),
		soma.Delay(3e-3), soma.PathwayDelay("post", 2e-3)))
	if err := S.Connect(soma.Connection{P: 0.7}); err != nil {
		t.Fatal(err)
	}
	if err := S.Set("w", "0.2 + 0.3*rand()"); err != nil {
		t.Fatal(err)
	}
	F := must(net.Synapses(gen, G, "u : 1", soma.OnPre("v_post += u")))
	if err := F.Connect(soma.Connection{P: 0.6}); err != nil {
		t.Fatal(err)
	}
	for _, set := range [][2]string{{"u", "0.25*rand()"}, {"delay", "0.5*ms + rand()*6*ms"}} {
		if err := F.Set(set[0], set[1]); err != nil {
			t.Fatal(err)
		}
	}
	M := must(net.StateMonitor(G, []string{"v", "w2"}, soma.RecordAll()))
	return net, G, []*soma.Synapses{S, F}, M
}

// TestInFlightCarriesSpikesToAnotherNetwork runs a network for 10 ms and
// then 6 ms, and a copy of it for 10 ms and, as a new network given the
// first run's state and spikes in flight, for 6 ms: the traces of the
// second run are the same, bit for bit.
func TestInFlightCarriesSpikesToAnotherNetwork(t *testing.T) {
	net, _, _, M := inflightNetwork(t, true)
	for _, d := range []float64{10e-3, 6e-3} {
		if err := net.Run(d); err != nil {
			t.Fatal(err)
		}
	}
	first, G1, syns1, _ := inflightNetwork(t, true)
	if err := first.Run(10e-3); err != nil {
		t.Fatal(err)
	}
	second, G2, syns2, M2 := inflightNetwork(t, false)
	for _, name := range []string{"v", "w2"} {
		if err := G2.Set(name, must(G1.Values(name))); err != nil {
			t.Fatal(err)
		}
	}
	carried := 0
	for k, S := range syns1 {
		for _, name := range S.PathwayNames() {
			items, steps, err := S.InFlight(name)
			if err != nil {
				t.Fatal(err)
			}
			carried += len(items)
			if err := syns2[k].AddInFlight(name, items, steps); err != nil {
				t.Fatal(err)
			}
		}
	}
	if carried < 10 {
		t.Fatalf("%d spikes in flight at the end of the first run: the test shows little", carried)
	}
	if err := second.Run(6e-3); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"v", "w2"} {
		for n := range 6 {
			want, got := must(M.Of(name, n))[100:], must(M2.Of(name, n))
			if !slices.Equal(want, got) {
				t.Errorf("%s of neuron %d after the carried spikes: %v, want %v", name, n, got[:10], want[:10])
			}
		}
	}
}

// TestAddInFlightRefuses checks the errors of AddInFlight.
func TestAddInFlightRefuses(t *testing.T) {
	_, _, syns, _ := inflightNetwork(t, true)
	S := syns[0]
	for _, c := range []struct {
		path        string
		syns, steps []int32
		want        string
	}{
		{"nosuch", nil, nil, "no pathway 'nosuch' (pathways: pre, post)"},
		{"pre", []int32{0}, []int32{1, 2}, "1 synapses but 2 steps"},
		{"pre", []int32{int32(S.Len())}, []int32{1}, "reaches synapse"},
		{"pre", []int32{0}, []int32{-1}, "in the past"},
		{"pre", []int32{1}, []int32{3}, "some of the synapses of source neuron"},
	} {
		err := S.AddInFlight(c.path, c.syns, c.steps)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v %v: got %v, want %q", c.path, c.syns, c.steps, err, c.want)
		}
	}
}
