package model

import (
	"reflect"
	"testing"
)

// spikesOf runs a model and returns its first spike monitor's spikes.
func spikesOf(t *testing.T, m *Model) ([]float64, []int32) {
	t.Helper()
	if _, err := m.Run(RunOptions{}); err != nil {
		t.Fatal(err)
	}
	mon := m.Monitors[0].Spikes
	return mon.T(), mon.I()
}

// A reused model gives exactly the spikes of a fresh build with the same
// overrides: the state after building, the random streams included, comes
// back, and the kernels see the new constants.
func TestReuseEqualsFreshBuild(t *testing.T) {
	for _, c := range []struct {
		file string
		base []string
		sets [][]string
	}{
		{"../examples/cuba/cuba.yaml", []string{"duration=50*ms"}, [][]string{{"we=2*mV"}, {"wi=-5*mV", "El=-45*mV"}, {}}},
		{"../examples/brunel/brunel.yaml", []string{"duration=50*ms"}, [][]string{{"g=5"}, {"g=2"}}},
		{"../examples/stdp/song_abbott.yaml", []string{"duration=200*ms"}, [][]string{{"dApre=0.0002"}, {"taupre=10*ms"}}},
	} {
		spec, err := ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Build(spec, c.base)
		if err != nil {
			t.Fatal(err)
		}
		m.Keep()
		spikesOf(t, m)
		for _, sets := range c.sets {
			all := append(append([]string(nil), c.base...), sets...)
			ok, why, err := m.Reuse(all)
			if err != nil || !ok {
				t.Fatalf("%s %v: reuse %v (%s), %v", c.file, sets, ok, why, err)
			}
			gotT, gotI := spikesOf(t, m)
			fresh, err := Load(c.file, all)
			if err != nil {
				t.Fatal(err)
			}
			wantT, wantI := spikesOf(t, fresh)
			if len(wantT) == 0 || !reflect.DeepEqual(gotT, wantT) || !reflect.DeepEqual(gotI, wantI) {
				t.Errorf("%s %v: reused %d spikes, fresh build %d", c.file, sets, len(gotT), len(wantT))
			}
		}
	}
}

// Constants that building evaluates force a new build.
func TestReuseRefusesStructure(t *testing.T) {
	spec, err := ReadFile("../examples/brunel/brunel.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(spec, []string{"duration=10*ms"})
	if err != nil {
		t.Fatal(err)
	}
	m.Keep()
	for _, c := range []struct {
		sets []string
		why  string
	}{
		{[]string{"N_E=1000"}, "N_E"},
		{[]string{"epsilon=0.2"}, "epsilon"}, // connectivity
		{[]string{"J=0.2*mV"}, "J"},          // input weight (and derived nu_thr)
		{[]string{"D=2*ms"}, "D"},            // delay
		{[]string{"duration=20*ms"}, "duration"},
		{[]string{"seed=2"}, "seed"},
	} {
		ok, why, err := m.Reuse(c.sets)
		if err != nil || ok || why != c.why {
			t.Errorf("%v: reuse %v because of %q (%v), want a new build because of %q", c.sets, ok, why, err, c.why)
		}
	}
	if _, _, err := m.Reuse([]string{"nosuch=1"}); err == nil {
		t.Error("an unknown constant was accepted")
	}
}
