package model_test

import (
	"math"
	"slices"
	"testing"

	"github.com/soma-sim/soma/model"
)

// TestPathwaysRunOnTheSourceClock runs synapses from a spike generator
// (dt 0.5 ms) and a group (dt 0.3 ms) onto a group on the default clock
// (0.1 ms): the spikes of the target are those Brian2 2.5.1 gives for the
// same network (soma export --brian2 of the file, numpy target).
func TestPathwaysRunOnTheSourceClock(t *testing.T) {
	m, err := model.Load("testdata/pathway_clocks.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Run(model.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	wantI := []int32{0, 2, 1, 0, 1}
	wantT := []float64{1.1e-3, 2.6e-3, 7.3e-3, 7.6e-3, 14.5e-3}
	for _, mon := range m.Monitors {
		if mon.Spec.Name != "s" {
			continue
		}
		i, ts := mon.Spikes.I(), mon.Spikes.T()
		if !slices.Equal(i, wantI) || len(ts) != len(wantT) {
			t.Fatalf("spikes of 'net': i=%v t=%v, want i=%v t=%v", i, ts, wantI, wantT)
		}
		for k := range ts {
			if math.Abs(ts[k]-wantT[k]) > 1e-9 {
				t.Errorf("spike %d at %g s, want %g s", k, ts[k], wantT[k])
			}
		}
		return
	}
	t.Fatal("no monitor 's'")
}
