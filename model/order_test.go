package model

import (
	"strings"
	"testing"
)

// TestOrderPlacesObjectsInTheirSlot: order (Brian2's order=) on groups,
// synapses, inputs and monitors places them within their slot.
func TestOrderPlacesObjectsInTheirSlot(t *testing.T) {
	spec, err := Decode("order.yaml", []byte(`dt: 0.1*ms
groups:
  A: {N: 10, model: "dv/dt = -v/(10*ms) : 1", threshold: v > 1, reset: v = 0}
  B: {N: 10, model: "dv/dt = -v/(10*ms) : 1", threshold: v > 1, reset: v = 0, order: -2}
  gen: {type: spikegenerator, N: 1, indices: [0], times: [1*ms], order: 3}
synapses:
  S: {source: A, target: B, on_pre: v_post += 0.1, connect: {p: 0.5}, order: 2}
inputs:
  - {target: A, variable: v, N: 5, rate: 10*Hz, weight: 0.1, order: -5}
monitors:
  m: {type: spike, source: A, order: 0.5}
run: 1*ms
`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	sched, err := m.Net.Schedule()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range sched {
		got = append(got, e.Name)
	}
	want := "B_stateupdater A_stateupdater B_spike_thresholder A_spike_thresholder m gen poissoninput_1 S_pre B_spike_resetter A_spike_resetter"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("schedule %s\nwant     %s", s, want)
	}
}
