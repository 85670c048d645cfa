package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/sbinet/npyio/npz"
)

// numpyModel has one monitor of each kind and saved synapses, with values
// whose SI magnitudes are easy to check: volts near -0.06, siemens near
// 1e-9, seconds in steps of 1e-4.
const numpyModel = `name: numpy_check
seed: 3
constants:
  tau: 10*ms
groups:
  G:
    N: 5
    model: |
      dv/dt = (-50*mV + 2*mV*i - v)/tau : volt
      g : siemens
    threshold: v > -48*mV
    reset: v = -60*mV
    events:
      high: v > -52*mV
    init:
      v: -60*mV
      g: (i + 1)*nS
synapses:
  S:
    source: G
    model: "w : siemens"
    on_pre: g_post += w
    connect: {condition: i != j}
    init:
      w: 0.5*nS*(i + j)
    save: [i, j, w]
monitors:
  spikes: {type: spike, source: G, variables: [v]}
  high: {type: event, source: G, event: high}
  vm: {type: state, source: G, variables: [v, g], record: [0, 4]}
  rate: {type: rate, source: G}
run: 20*ms
`

// numpyDump loads every .npz file in a folder with numpy.load (no pickles)
// and prints, per file and array, the dtype, the shape and the values.
const numpyDump = `
import json, sys, glob, os
import numpy as np
out = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], '*.npz'))):
    with np.load(path, allow_pickle=False) as f:
        out[os.path.basename(path)] = {k: [f[k].dtype.str, list(f[k].shape), f[k].ravel().tolist()] for k in f.files}
with open(os.path.join(sys.argv[1], 'summary.json')) as f:
    out['summary.json'] = json.load(f)
json.dump(out, sys.stdout)
`

// pythonWithNumpy returns a Python interpreter that has numpy, or "".
func pythonWithNumpy() string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(py); err == nil && exec.Command(path, "-c", "import numpy").Run() == nil {
			return path
		}
	}
	return ""
}

// TestNumpyReadsOutputs runs soma as a user would and loads what it wrote
// with the real numpy.load: every array with the dtype and shape the
// contract gives, values in SI units, equal to what a Go NPZ reader sees.
func TestNumpyReadsOutputs(t *testing.T) {
	py := pythonWithNumpy()
	if py == "" {
		t.Skip("no python3 with numpy")
	}
	dir := t.TempDir()
	model := filepath.Join(dir, "model.yaml")
	if err := os.WriteFile(model, []byte(numpyModel), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	root := newRootCmd()
	root.SetArgs([]string{"run", model, "--out", out, "--quiet", "--no-store"})
	root.SetOut(&bytes.Buffer{})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	raw, err := exec.Command(py, "-c", numpyDump, out).Output()
	if err != nil {
		t.Fatalf("numpy: %v", err)
	}
	type array struct {
		dtype  string
		shape  []int
		values []float64
	}
	var dump map[string]json.RawMessage
	if err := json.Unmarshal(raw, &dump); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	arrays := map[string]array{} // "file/name"
	for file, msg := range dump {
		if file == "summary.json" {
			continue
		}
		var entries map[string][3]json.RawMessage
		if err := json.Unmarshal(msg, &entries); err != nil {
			t.Fatal(err)
		}
		for name, e := range entries {
			var a array
			if json.Unmarshal(e[0], &a.dtype) != nil || json.Unmarshal(e[1], &a.shape) != nil || json.Unmarshal(e[2], &a.values) != nil {
				t.Fatalf("%s/%s: %s", file, name, e)
			}
			arrays[file+"/"+name] = a
		}
	}

	want := map[string]struct {
		dtype string
		ndim  int
	}{
		"spikes.npz/t": {"<f8", 1}, "spikes.npz/i": {"<i8", 1}, "spikes.npz/count": {"<i8", 1}, "spikes.npz/v": {"<f8", 1},
		"high.npz/t": {"<f8", 1}, "high.npz/i": {"<i8", 1},
		"vm.npz/t": {"<f8", 1}, "vm.npz/record": {"<i8", 1}, "vm.npz/v": {"<f8", 2}, "vm.npz/g": {"<f8", 2},
		"rate.npz/t": {"<f8", 1}, "rate.npz/rate": {"<f8", 1},
		"S.npz/i": {"<i8", 1}, "S.npz/j": {"<i8", 1}, "S.npz/w": {"<f8", 1},
	}
	if len(arrays) != len(want) {
		t.Errorf("numpy read %d arrays, want %d", len(arrays), len(want))
	}
	for key, w := range want {
		a, ok := arrays[key]
		if !ok {
			t.Errorf("numpy did not find %s", key)
			continue
		}
		if a.dtype != w.dtype || len(a.shape) != w.ndim {
			t.Errorf("%s: dtype %s shape %v, want %s with %d dimensions", key, a.dtype, a.shape, w.dtype, w.ndim)
		}
		// The Go reader sees the same values.
		file, name := filepath.Split(key)
		if got := readNPZ(t, filepath.Join(out, file), name, a.dtype); !reflect.DeepEqual(got, a.values) {
			t.Errorf("%s: numpy read %v, the Go reader %v", key, a.values, got)
		}
	}

	// Shapes and values in SI units.
	nt := len(arrays["vm.npz/t"].values)
	if nt != 200 || !reflect.DeepEqual(arrays["vm.npz/v"].shape, []int{2, nt}) {
		t.Errorf("state monitor: %d times, v of shape %v; want 200 and [2 200]", nt, arrays["vm.npz/v"].shape)
	}
	for k, x := range arrays["vm.npz/t"].values {
		if math.Abs(x-float64(k)*1e-4) > 1e-12 {
			t.Fatalf("vm t[%d] = %g s, want %g", k, x, float64(k)*1e-4)
		}
	}
	inRange := func(key string, lo, hi float64) {
		for _, x := range arrays[key].values {
			if x < lo || x > hi {
				t.Errorf("%s: %g outside [%g, %g]", key, x, lo, hi)
				return
			}
		}
	}
	inRange("vm.npz/v", -0.0601, -0.042)         // volts, not mV
	inRange("spikes.npz/v", -0.0481, -0.042)     // recorded at the spike, above threshold
	inRange("vm.npz/g", 0.9e-9, 1e-7)            // siemens
	inRange("S.npz/w", 0.4e-9, 3.6e-9)           // siemens
	inRange("spikes.npz/t", 0, 0.02)             // seconds
	inRange("rate.npz/rate", 0, 1/(5*1e-4)+1e-6) // Hz: at most all 5 neurons in one step
	count := arrays["spikes.npz/count"].values
	total := 0.0
	for _, c := range count {
		total += c
	}
	if len(count) != 5 || int(total) != len(arrays["spikes.npz/t"].values) || total == 0 {
		t.Errorf("count %v for %d spikes", count, len(arrays["spikes.npz/t"].values))
	}
	if n := len(arrays["S.npz/i"].values); n != 20 {
		t.Errorf("%d synapses saved, want 20", n)
	}
	var summary struct {
		Name     string  `json:"name"`
		Seed     uint64  `json:"seed"`
		DT       float64 `json:"dt"`
		Duration float64 `json:"duration"`
		Synapses map[string]struct {
			Count int `json:"count"`
		} `json:"synapses"`
	}
	if err := json.Unmarshal(dump["summary.json"], &summary); err != nil {
		t.Fatal(err)
	}
	if summary.Name != "numpy_check" || summary.Seed != 3 || summary.DT != 1e-4 || summary.Duration != 0.02 || summary.Synapses["S"].Count != 20 {
		t.Errorf("summary.json: %+v", summary)
	}
}

// readNPZ reads one array with the Go NPZ reader, as float64 values.
func readNPZ(t *testing.T, path, name, dtype string) []float64 {
	t.Helper()
	r, err := npz.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []float64
	switch dtype {
	case "<f8":
		if err := r.Read(name+".npy", &out); err != nil {
			t.Fatal(err)
		}
	case "<i8":
		var v []int64
		if err := r.Read(name+".npy", &v); err != nil {
			t.Fatal(err)
		}
		for _, x := range v {
			out = append(out, float64(x))
		}
	}
	if out == nil {
		out = []float64{}
	}
	return out
}
