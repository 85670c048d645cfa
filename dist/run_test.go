package dist_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/dist"
	"github.com/soma-sim/soma/model"
)

// distCases are networks that the identical-results tests run on 1 to 4
// ranks: delays and PoissonInput (Brunel), conductances and several
// segments (COBA), monitors of neurons on every rank (CUBA), and STDP with
// saved and recorded weights.
var distCases = []struct {
	name string
	file string
	sets []string
}{
	{"cuba", "testdata/cuba.yaml", nil},
	{"coba", "testdata/coba.yaml", nil},
	{"brunel", "../examples/brunel/brunel.yaml", []string{"N_E=2000", "N_I=500", "duration=50*ms"}},
	{"stdp", "testdata/stdp.yaml", nil},
	{"mixed", "testdata/mixed.yaml", nil},
	{"window", "testdata/window.yaml", nil},
}

// unsplit are the groups whose updates every rank must do in full:
// synapses read I's not_refractory. (E draws noise, from a stream per
// block of neurons, and is split.)
var unsplit = map[string]bool{"I": true}

// TestRanksGiveIdenticalResults runs each network in one process and on
// 1, 2, 3 and 4 in-process ranks, and requires rank 0 to write the same
// files, byte for byte (the summary up to its wall time).
func TestRanksGiveIdenticalResults(t *testing.T) {
	for _, c := range distCases {
		t.Run(c.name, func(t *testing.T) { compareRanks(t, c.file, c.sets) })
	}
}

// compareRanks runs a model file in one process and on 1, 2, 3 and 4
// in-process ranks and compares the files.
func compareRanks(t *testing.T, file string, sets []string) {
	t.Helper()
	ref := t.TempDir()
	m, err := model.Load(file, sets)
	if err != nil {
		t.Fatal(err)
	}
	wall, err := m.Run(model.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.WriteOutputs(ref, wall, nil); err != nil {
		t.Fatal(err)
	}
	for _, ranks := range []int{1, 2, 3, 4} {
		out := filepath.Join(t.TempDir(), "out")
		if err := runRanks(file, sets, ranks, out); err != nil {
			t.Fatalf("%d ranks: %v", ranks, err)
		}
		sameOutputs(t, ref, out, ranks)
	}
}

// runRanks runs a model file on ranks goroutines, each building its own
// share of the network (model.Share), and writes rank 0's outputs to out.
func runRanks(file string, sets []string, ranks int, out string) error {
	comms := dist.NewLocal(ranks)
	errs := make([]error, ranks)
	held := make([]map[string][2]int, ranks) // per rank: synapses held and in all
	var wg sync.WaitGroup
	for r := range ranks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := model.Load(file, sets, model.Share(r, ranks))
			if err != nil {
				errs[r] = err
				return
			}
			if err := m.Net.Distribute(comms[r]); err != nil {
				errs[r] = err
				return
			}
			held[r] = map[string][2]int{}
			for _, s := range m.Synapses {
				held[r][s.Spec.Name] = [2]int{s.Syn.Len(), s.Syn.Total()}
			}
			for _, g := range m.Groups {
				ng := g.Neurons
				if ng == nil {
					continue
				}
				lo, hi := ng.Shard()
				if split, want := hi-lo < ng.Size(), ranks > 1 && !unsplit[ng.Name()]; split != want {
					errs[r] = fmt.Errorf("rank %d updates neurons %d..%d of the %d of '%s'", r, lo, hi, ng.Size(), ng.Name())
					return
				}
			}
			wall, err := dist.RunModel(m, comms[r], model.RunOptions{})
			if err == nil && r == 0 {
				err = m.WriteOutputs(out, wall, nil)
			}
			errs[r] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	// The ranks hold the synapses between them, each only its own.
	for name, n := range held[0] {
		sum := 0
		for r := range ranks {
			sum += held[r][name][0]
		}
		if sum != n[1] || ranks > 1 && n[0] == n[1] {
			return fmt.Errorf("Synapses '%s': the ranks hold %d of %d synapses, rank 0 %d", name, sum, n[1], n[0])
		}
	}
	return nil
}

func sameOutputs(t *testing.T, ref, out string, ranks int) {
	t.Helper()
	files, err := os.ReadDir(ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		want, err := os.ReadFile(filepath.Join(ref, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, f.Name()))
		if err != nil {
			t.Errorf("%d ranks: %v", ranks, err)
			continue
		}
		if f.Name() == "summary.json" {
			want, got = withoutWall(t, want), withoutWall(t, got)
		}
		if !bytes.Equal(want, got) {
			t.Errorf("%d ranks: %s differs from the run in one process", ranks, f.Name())
		}
	}
	if len(files) < 2 {
		t.Fatalf("the run in one process wrote only %d files", len(files))
	}
}

func withoutWall(t *testing.T, b []byte) []byte {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "wall_seconds")
	out, _ := json.Marshal(m)
	return out
}

// TestSpikesTravelInWindows checks how many steps of spikes the ranks
// exchange at once: the shortest delay of the pathways they feed (Brunel:
// 1.5 ms, window.yaml: 0.5 ms, drawn per synapse), the longest window
// where no pathway takes exchanged spikes (STDP: its synapses are fed by
// a PoissonGroup, and on_post by each rank's own neurons), and every step
// where a monitor records values at each spike (CUBA), so that the runs
// above compare all three.
func TestSpikesTravelInWindows(t *testing.T) {
	for _, c := range []struct {
		file   string
		sets   []string
		window int
	}{
		{"../examples/brunel/brunel.yaml", []string{"N_E=800", "N_I=200", "duration=20*ms"}, 15},
		{"testdata/window.yaml", nil, 5},
		{"testdata/cuba.yaml", []string{"duration=5*ms"}, 1},
		{"testdata/stdp.yaml", []string{"duration=30*ms"}, 256},
		{lastspikeModel(t), nil, 1},
		{randomResetModel(t), nil, 1},
	} {
		comms := dist.NewLocal(2)
		got := make([]soma.Exchange, 2)
		steps := make([]int64, 2)
		var wg sync.WaitGroup
		for r := range comms {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m, err := model.Load(c.file, c.sets, model.Share(r, 2))
				if err == nil {
					err = m.Net.Distribute(comms[r])
				}
				if err == nil {
					_, err = dist.RunModel(m, comms[r], model.RunOptions{})
				}
				if err != nil {
					t.Errorf("%s, rank %d: %v", c.file, r, err)
					return
				}
				got[r], steps[r] = m.Net.Exchanged(), int64(math.Round(m.Net.T()/1e-4)) // dt = 0.1 ms
			}()
		}
		wg.Wait()
		for r, x := range got {
			// Each run's last window is cut at its end.
			if x.Window != c.window || x.Collectives > steps[r]/int64(c.window)+int64(2) || x.Collectives < steps[r]/int64(c.window) {
				t.Errorf("%s, rank %d: windows of %d steps, %d exchanges in %d steps; want windows of %d",
					c.file, r, x.Window, x.Collectives, steps[r], c.window)
			}
		}
	}
}

// lastspikeModel writes window.yaml with synapses that read lastspike_pre,
// which other ranks' spikes set: such a network exchanges every step.
func lastspikeModel(t *testing.T) string {
	return editedWindow(t, "lastspike.yaml", "on_pre: v_post += 0.02", "on_pre: v_post += 0.02*int(t - lastspike_pre < 20*ms)")
}

// randomResetModel writes window.yaml with a reset that draws random
// numbers: every rank resets every spiking neuron, so the group's stream
// advances alike, which needs the spikes of every step.
func randomResetModel(t *testing.T) string {
	return editedWindow(t, "random_reset.yaml", "    reset: v = 0\n    refractory: 2*ms", "    reset: v = 0.2*rand()\n    refractory: 2*ms")
}

// editedWindow writes window.yaml with one edit as name, in a temporary
// folder.
func editedWindow(t *testing.T, name, from, to string) string {
	src, err := os.ReadFile("testdata/window.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), from, to, 1)
	if text == string(src) {
		t.Fatal("window.yaml changed: the edit does not apply")
	}
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestRandomResetAcrossRanks: a reset that draws random numbers, on a
// split group, gives one process's results.
func TestRandomResetAcrossRanks(t *testing.T) { compareRanks(t, randomResetModel(t), nil) }

// TestLastspikeAcrossRanks: synapses that read lastspike_pre of a split
// group see it as in one process.
func TestLastspikeAcrossRanks(t *testing.T) { compareRanks(t, lastspikeModel(t), nil) }

// TestDistributeRefuses checks that what cannot be spread over ranks is
// refused with an error that names the object and the reason.
func TestDistributeRefuses(t *testing.T) {
	src, err := os.ReadFile("testdata/cuba.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{"on_pre: ge += we", "on_pre: ge += we*(rand() < 0.5)", "'Ce': on_pre draws random numbers"},
		{"on_pre: gi += wi", "on_pre: gi += wi*v_pre/mV", "reads 'v_pre'"},
		{"on_pre: gi += wi", "on_pre: |\n      gi += wi\n      v_pre += 1*mV", "writes 'v_pre'"},
	} {
		text := strings.Replace(string(src), c.from, c.to, 1)
		spec, err := model.Decode("refused.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.Build(spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = dist.RunModel(m, dist.NewLocal(1)[0], model.RunOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.to, err, c.want)
		}
	}
}

// TestShareMustMatchTheRanks: a network built as the share of one rank
// cannot be distributed as another.
func TestShareMustMatchTheRanks(t *testing.T) {
	m, err := model.Load("testdata/cuba.yaml", nil, model.Share(0, 2))
	if err != nil {
		t.Fatal(err)
	}
	err = m.Net.Distribute(dist.NewLocal(3)[0])
	if err == nil || !strings.Contains(err.Error(), "the share of rank 0 of 2, but this is rank 0 of 3") {
		t.Errorf("got %v, want the mismatch named", err)
	}
	if err := m.Synapses[0].Syn.KeepShare(1, 2); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("a second KeepShare: got %v", err)
	}
}
