package soma

import (
	"slices"
	"testing"
)

// TestSpikeMonitorSegments: a recording in memory that grows through
// many sealed buffers reads back whole and in order (times, indices,
// steps and values), also when read in the middle of a run that then goes
// on, and after a restore.
func TestSpikeMonitorSegments(t *testing.T) {
	const n, steps = 40, 300
	// Neuron k fires at every step whose number is a multiple of k+1.
	var idx []int
	var times []float64
	for s := range steps {
		for k := range n {
			if s%(k+1) == 0 {
				idx = append(idx, k)
				times = append(times, float64(s)*1e-4)
			}
		}
	}
	net := NewNetwork()
	P := need(net.SpikeGeneratorGroup(n, idx, times))
	G := need(net.NeuronGroup(n, "v : 1", Threshold("True")))
	noErr(t, G.Set("v", "i"))
	m := need(net.SpikeMonitor(P, Name("spikes")))
	mv := need(net.SpikeMonitor(G, Name("all"), Variables("v")))
	dt := net.DT()
	noErr(t, net.Run(100*dt))
	if m.sealed.n == 0 || mv.sealed.n == 0 {
		t.Fatalf("no sealed buffers after %d and %d events", m.held(), mv.held())
	}
	if got := m.I(); len(got) != m.held() {
		t.Fatalf("read %d events of %d", len(got), m.held())
	}
	net.Store("half")
	noErr(t, net.Run(200*dt))
	check := func(when string) {
		t.Helper()
		var wantI []int32
		var wantSteps []int64
		for k, j := range idx {
			wantI = append(wantI, int32(j))
			wantSteps = append(wantSteps, int64(times[k]/dt+0.5))
		}
		if !slices.Equal(m.I(), wantI) || !slices.Equal(m.Steps(), wantSteps) {
			t.Errorf("%s: the spikes read back differ from those generated (%d of %d)", when, len(m.I()), len(wantI))
		}
		for k, s := range m.Steps() {
			if m.T()[k] != float64(s)*dt {
				t.Fatalf("%s: event %d at t=%g, step %d", when, k, m.T()[k], s)
			}
		}
		// G fires every neuron at every step: v is the neuron's index.
		v, err := mv.Values("v")
		noErr(t, err)
		i := mv.I()
		if len(i) != n*steps || len(v) != len(i) {
			t.Fatalf("%s: %d events and %d values, want %d", when, len(i), len(v), n*steps)
		}
		for k := range i {
			if i[k] != int32(k%n) || v[k] != float64(k%n) || mv.Steps()[k] != int64(k/n) {
				t.Fatalf("%s: event %d is neuron %d (v=%g) at step %d", when, k, i[k], v[k], mv.Steps()[k])
			}
		}
	}
	check("after the run")
	noErr(t, net.Restore("half"))
	noErr(t, net.Run(200*dt))
	check("after a restore")
	if m.HeldBytes() < int64(20*len(idx)) {
		t.Errorf("HeldBytes %d for %d events", m.HeldBytes(), len(idx))
	}
}
