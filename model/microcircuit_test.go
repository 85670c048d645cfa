package model

import (
	"path/filepath"
	"strings"
	"testing"
)

// The full-scale population rates of the Potjans & Diesmann (2014)
// microcircuit with Poisson background, in Hz, as given by NEST's
// reference implementation (pynest/examples/Potjans_2014,
// network_params.py, full_mean_rates); the paper's Fig. 6 shows the same
// pattern: L2/3e and L6e below about 1 Hz, L5e the fastest excitatory
// population at about 7-8 Hz, every inhibitory population faster than
// the excitatory one of its layer.
var microcircuitRates = map[string]float64{
	"L23e": 0.971, "L23i": 2.868, "L4e": 4.746, "L4i": 5.396,
	"L5e": 8.142, "L5i": 9.078, "L6e": 0.991, "L6i": 7.523,
}

// TestMicrocircuitRates runs the microcircuit example at a tenth of its
// neurons and in-degrees (7 718 neurons, 3e6 synapses; the weights and DC
// currents compensate as in NEST's example) and checks each population's
// rate after the initial transient against the full-scale reference.
func TestMicrocircuitRates(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 1 s of a 7 718-neuron network")
	}
	const transient, duration = 0.2, 1.0
	m, err := Load(filepath.Join("..", "examples", "microcircuit", "microcircuit.yaml"),
		[]string{"scale=0.1", "k_scale=0.1", "duration=1*second"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Run(RunOptions{}); err != nil {
		t.Fatal(err)
	}
	rates := map[string]float64{}
	for _, mon := range m.Monitors {
		pop := strings.TrimSpace(mon.Spec.Source.S)
		if _, ok := microcircuitRates[pop]; !ok || mon.Spikes == nil {
			continue
		}
		spikes := 0
		for _, step := range mon.Spikes.Steps() {
			if float64(step)*m.DT >= transient {
				spikes++
			}
		}
		rates[pop] = float64(spikes) / float64(len(mon.Spikes.Count())) / (duration - transient)
	}
	for _, pop := range []string{"L23e", "L23i", "L4e", "L4i", "L5e", "L5i", "L6e", "L6i"} {
		want := microcircuitRates[pop]
		got, ok := rates[pop]
		if !ok {
			t.Errorf("%s: no spike monitor", pop)
			continue
		}
		t.Logf("%-4s %5.2f Hz, reference %5.2f Hz (ratio %.2f)", pop, got, want, got/want)
		if got < 0.6*want || got > 1.5*want {
			t.Errorf("%s fires at %.2f Hz, outside 0.6-1.5 times the reference %.2f Hz", pop, got, want)
		}
	}
	for _, layer := range []string{"L23", "L4", "L5", "L6"} {
		if rates[layer+"i"] <= rates[layer+"e"] {
			t.Errorf("%si (%.2f Hz) is not faster than %se (%.2f Hz)", layer, rates[layer+"i"], layer, rates[layer+"e"])
		}
	}
	for _, pop := range []string{"L23e", "L4e", "L6e"} {
		if rates[pop] >= rates["L5e"] {
			t.Errorf("%s (%.2f Hz) is not slower than L5e (%.2f Hz)", pop, rates[pop], rates["L5e"])
		}
	}
}
