package dist_test

import (
	"slices"
	"testing"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/dist"
	"github.com/soma-sim/soma/model"
)

// TestReplayGivesEveryRankTheRecordedSpikes records Brunel on one rank and
// replays the share of each of 2 and 3 ranks: every rank's spike monitor
// (which sees the exchanged spikes of all ranks) must record the spikes
// of the run in one process, so each rank's own neurons got exactly the
// input they get on a real cluster.
func TestReplayGivesEveryRankTheRecordedSpikes(t *testing.T) {
	file, sets := "../examples/brunel/brunel.yaml", []string{"N_E=2000", "N_I=500", "duration=30*ms"}
	run := func(c soma.Comm) *model.Model {
		t.Helper()
		m, err := model.Load(file, sets)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Net.Distribute(c); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Run(model.RunOptions{}); err != nil {
			t.Fatal(err)
		}
		return m
	}
	spikes := func(m *model.Model) ([]int32, []float64) {
		for _, mon := range m.Monitors {
			if mon.Spec.Name == "spikes" {
				return mon.Spikes.I(), mon.Spikes.T()
			}
		}
		t.Fatal("no monitor 'spikes'")
		return nil, nil
	}
	rec := dist.NewRecorder()
	wantI, wantT := spikes(run(rec))
	if len(wantI) < 1000 {
		t.Fatalf("only %d spikes recorded", len(wantI))
	}
	for _, size := range []int{2, 3} {
		for r := range size {
			gotI, gotT := spikes(run(dist.NewReplay(rec.Recording(), r, size)))
			if !slices.Equal(gotI, wantI) || !slices.Equal(gotT, wantT) {
				t.Errorf("rank %d of %d: %d spikes, want the %d recorded", r, size, len(gotI), len(wantI))
			}
		}
	}
}
