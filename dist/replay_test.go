package dist_test

import (
	"slices"
	"testing"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/dist"
	"github.com/soma-sim/soma/model"
)

// TestReplayGivesEveryRankTheRecordedSpikes records Brunel on one rank and
// replays the share of each of 2 and 3 ranks: each rank's own neurons
// must end in the state they have in the recorded run, so they got
// exactly the input they get on a real cluster, and rank 0's spike
// monitor (which records the exchanged spikes of all ranks) must hold the
// recorded spikes.
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
	neurons := func(m *model.Model) *soma.NeuronGroup { return m.Groups[0].Neurons }
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
	recorded := run(rec)
	wantV, err := neurons(recorded).Values("v")
	if err != nil {
		t.Fatal(err)
	}
	wantI, wantT := spikes(recorded)
	if len(wantI) < 1000 {
		t.Fatalf("only %d spikes recorded", len(wantI))
	}
	for _, size := range []int{2, 3} {
		for r := range size {
			m := run(dist.NewReplay(rec.Recording(), r, size))
			g := neurons(m)
			lo, hi := g.Shard()
			if hi-lo >= g.Size() {
				t.Fatalf("rank %d of %d updates all %d neurons", r, size, g.Size())
			}
			v, _ := g.Values("v")
			if !slices.Equal(v[lo:hi], wantV[lo:hi]) {
				t.Errorf("rank %d of %d: its neurons %d..%d end in another state than recorded", r, size, lo, hi)
			}
			if r == 0 {
				gotI, gotT := spikes(m)
				if !slices.Equal(gotI, wantI) || !slices.Equal(gotT, wantT) {
					t.Errorf("rank 0 of %d: %d spikes, want the %d recorded", size, len(gotI), len(wantI))
				}
			}
		}
	}
}
