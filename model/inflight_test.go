package model

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/soma-sim/soma/output"
)

// inflightModel runs 10 ms of input through delayed synapses (one delay,
// per-synapse delays, and an on_post pathway with its own delay); RUN and
// the INPUT lines are replaced for each use.
const inflightModel = `dt: 0.1*ms
seed: 3
groups:
  gen:
    type: spikegenerator
    N: 4
    INPUT
  G:
    N: 6
    model: |
      dv/dt = -v/(20*ms) : 1
      w2 : 1
    threshold: v > 0.8
    reset: v = 0
    method: exact
    INIT
    save: [v, w2]
synapses:
  S:
    source: gen
    target: G
    model: "w : 1"
    on_pre: v_post += w
    on_post: w2_post += 0.01
    delay: {pre: 3*ms, post: 2*ms}
    connect: {p: 0.7}
    init:
      w: 0.2 + 0.3*rand()
    FLIGHT_S
    save: [in_flight]
  F:
    source: gen
    target: G
    model: "u : 1"
    on_pre: v_post += u
    connect: {p: 0.6}
    delay: 0.5*ms + rand()*6*ms
    init:
      u: 0.25*rand()
    FLIGHT_F
    save: [in_flight]
monitors:
  vm: {type: state, source: G, variables: [v, w2]}
RUN
`

func inflightFile(t *testing.T, dir, name string, edits ...string) string {
	t.Helper()
	text := inflightModel
	for k := 0; k < len(edits); k += 2 {
		text = strings.Replace(text, edits[k], edits[k+1], 1)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runTo(t *testing.T, path, out string) {
	t.Helper()
	m, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Run(RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := m.WriteOutputs(out, 0, nil); err != nil {
		t.Fatal(err)
	}
}

// TestInFlightBetweenModelFiles runs the model for 10 ms and 6 ms in one
// file, and as two files: the second starts from the first's saved state
// and spikes in flight (in_flight: {pre: {file: S.npz}}), and its trace is
// the one file's last 6 ms, bit for bit.
func TestInFlightBetweenModelFiles(t *testing.T) {
	dir := t.TempDir()
	input := "indices: [0, 1, 2, 3, 0, 1, 2, 3]\n    times: [1*ms, 1.5*ms, 2*ms, 2.5*ms, 8*ms, 8.4*ms, 9.1*ms, 9.7*ms]"
	none := []string{"INIT", "", "FLIGHT_S", "", "FLIGHT_F", ""}
	whole := inflightFile(t, dir, "whole.yaml", append([]string{"INPUT", input, "RUN", "run: [{duration: 10*ms}, {duration: 6*ms}]"}, none...)...)
	runTo(t, whole, filepath.Join(dir, "whole"))
	first := inflightFile(t, dir, "first.yaml", append([]string{"INPUT", input, "RUN", "run: 10*ms"}, none...)...)
	runTo(t, first, filepath.Join(dir, "first"))
	second := inflightFile(t, dir, "second.yaml",
		"INPUT", "indices: []\n    times: []", "RUN", "run: 6*ms",
		"INIT", "init:\n      v: {file: first/G.npz}\n      w2: {file: first/G.npz}",
		"FLIGHT_S", "in_flight:\n      pre: {file: first/S.npz}\n      post: {file: first/S.npz}",
		"FLIGHT_F", "in_flight: {pre: {file: first/F.npz, synapses: pre_in_flight, steps: pre_in_flight_steps}}")
	runTo(t, second, filepath.Join(dir, "second"))
	z, err := output.ReadNPZ(filepath.Join(dir, "first", "S.npz"))
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := z.Get("pre_in_flight"); !ok || len(a.Data.([]int64)) < 3 {
		t.Fatalf("S.npz has %v spikes in flight on pre: the test shows little", a.Data)
	}
	// v is (neurons, samples): 160 samples of one file, 60 of the second.
	read := func(run string, samples int) [][]float64 {
		z, err := output.ReadNPZ(filepath.Join(dir, run, "vm.npz"))
		if err != nil {
			t.Fatal(err)
		}
		a, _ := z.Get("v")
		v := a.Data.([]float64)
		if len(v) != 6*samples {
			t.Fatalf("%s: %d values of v, expected %d", run, len(v), 6*samples)
		}
		var rows [][]float64
		for n := range 6 {
			rows = append(rows, v[n*samples:(n+1)*samples])
		}
		return rows
	}
	want, got := read("whole", 160), read("second", 60)
	for n := range 6 {
		if !slices.Equal(want[n][100:], got[n]) {
			t.Errorf("neuron %d: the second file's trace differs from the last 6 ms of one file's", n)
		}
	}
}
