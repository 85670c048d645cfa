package soma

import (
	"slices"
	"strings"
	"testing"
)

// TestFusedThresholdSameResults: a state update and its threshold run in
// one sweep give the same spikes and state as run one after the other,
// with a constant refractory period (restored after the sweep), with a
// condition-based one, and split over threads.
func TestFusedThresholdSameResults(t *testing.T) {
	for _, tc := range []struct{ name, refractory string }{
		{"constant", "5*ms"},
		{"condition", "v > Vr + 5*mV"},
		{"none", ""},
	} {
		for _, threads := range []int{1, 3} {
			run := func(fused bool) ([]int32, []float64) {
				fuseOperations = fused
				defer func() { fuseOperations = true }()
				net := NewNetwork()
				net.Seed(3)
				net.SetThreads(threads)
				opts := []Option{Threshold("v > Vt"), Reset("v = Vr"), Method("exact"),
					Namespace{"taum": "20*ms", "taue": "5*ms", "Vt": "-50*mV", "Vr": "-60*mV", "El": "-49*mV"}}
				if tc.refractory != "" {
					opts = append(opts, Refractory(tc.refractory))
				}
				model := "dv/dt = (ge - (v - El))/taum : volt (unless refractory)\ndge/dt = -ge/taue : volt"
				g, err := net.NeuronGroup(20000, model, opts...)
				if err != nil {
					t.Fatal(err)
				}
				if err := g.Set("v", "Vr + rand()*(Vt - Vr)"); err != nil {
					t.Fatal(err)
				}
				s, err := net.Synapses(g, g, "", OnPre("ge += 0.5*mV"))
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Connect(Connection{P: 0.002}); err != nil {
					t.Fatal(err)
				}
				m, err := net.SpikeMonitor(g)
				if err != nil {
					t.Fatal(err)
				}
				if fused {
					names := strings.Join(scheduleNames(net), " ")
					if !strings.Contains(names, "+") {
						t.Errorf("%s: nothing was fused: %s", tc.name, names)
					}
				}
				if err := net.Run(0.05); err != nil {
					t.Fatal(err)
				}
				return m.I(), slices.Clone(g.Var("v").Float64s())
			}
			i1, v1 := run(false)
			i2, v2 := run(true)
			if len(i1) == 0 || !slices.Equal(i1, i2) || !slices.Equal(v1, v2) {
				t.Errorf("%s, %d threads: %d spikes apart, %d fused; states equal: %v", tc.name, threads, len(i1), len(i2), slices.Equal(v1, v2))
			}
		}
	}
}

// scheduleNames lists the operations a run would execute.
func scheduleNames(net *Network) []string {
	if err := net.Initialize(); err != nil {
		return nil
	}
	var out []string
	for _, op := range fuse(net.schedule()) {
		out = append(out, op.name)
	}
	return out
}
