package model

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soma-sim/soma/output"
)

const npzModel = `dt: 0.1*ms
groups:
  G:
    N: 3
    model: |
      dv/dt = -v/(10*ms) : volt
      x : 1
    init:
      v: {file: state.npz, array: v0}
      x: {file: state.npz}
    save: [v, x]
synapses:
  S:
    source: G
    model: "w : volt"
    on_pre: v += w
    connect: {file: conn.npz, i: pre, j: post}
    init:
      w: {file: conn.npz}
      delay: {file: conn.npz, array: d}
    save: [i, j, w, delay]
run: 0*ms
`

func writeNPZ(t *testing.T, path string, arrays map[string]any) {
	t.Helper()
	z := output.NewNPZ()
	for name, data := range arrays {
		if err := z.Add(name, output.Array{Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	if err := output.WriteNPZFile(path, z); err != nil {
		t.Fatal(err)
	}
}

func npzFixture(t *testing.T, model string) string {
	t.Helper()
	dir := t.TempDir()
	writeNPZ(t, filepath.Join(dir, "state.npz"), map[string]any{"v0": []float64{0.1, 0.2, 0.3}, "x": []int64{1, 2, 3}, "two": []float64{1, 2}})
	writeNPZ(t, filepath.Join(dir, "conn.npz"), map[string]any{
		"pre": []int32{0, 0, 2}, "post": []int64{1, 2, 0}, "w": []float64{1e-3, 2e-3, 3e-3}, "d": []float64{0, 1e-3, 2e-3}})
	path := filepath.Join(dir, "m.yaml")
	if err := os.WriteFile(path, []byte(model), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestInitAndConnectFromNPZ(t *testing.T) {
	path := npzFixture(t, npzModel)
	m, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := m.Groups[0].Neurons.Values("v")
	x, _ := m.Groups[0].Neurons.Values("x")
	if v[0] != 0.1 || v[2] != 0.3 || x[1] != 2 {
		t.Errorf("v = %v, x = %v", v, x)
	}
	syn := m.Synapses[0].Syn
	if got := syn.I(); len(got) != 3 || got[2] != 2 || syn.J()[2] != 0 {
		t.Errorf("i = %v, j = %v", syn.I(), syn.J())
	}
	w, _ := syn.Values("w")
	d, _ := syn.Values("delay")
	if w[1] != 2e-3 || d[2] != 2e-3 {
		t.Errorf("w = %v, delay = %v", w, d)
	}
	out := filepath.Join(filepath.Dir(path), "out")
	if _, err := m.Run(RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := m.WriteOutputs(out, 0, nil); err != nil {
		t.Fatal(err)
	}
	z, err := output.ReadNPZ(filepath.Join(out, "G.npz"))
	if err != nil {
		t.Fatal(err)
	}
	a, ok := z.Get("v")
	if !ok || a.Data.([]float64)[1] != 0.2 {
		t.Errorf("saved v: %v", a.Data)
	}
	if _, err := os.Stat(filepath.Join(out, "S.npz")); err != nil {
		t.Error(err)
	}
}

func TestNPZErrors(t *testing.T) {
	cases := []struct{ old, new, want string }{
		{"array: v0}", "array: v1}", "m.yaml:9:35: group 'G' init 'v': 'state.npz' has no array 'v1' (did you mean 'v0'?) in 'v1'"},
		{"{file: state.npz, array: v0}", "{file: missing.npz}", "m.yaml:9:17: group 'G' init 'v': cannot read 'missing.npz'"},
		{"i: pre, j: post", "i: pre, j: w", "m.yaml:17:42: synapses 'S' connect: entry 0 of array 'w' is 0.001, not an index from 0 to 2 in 'w'"},
		{"i: pre, j: post", "i: d, j: post", "m.yaml:17:34: synapses 'S' connect: entry 1 of array 'd' is 0.001, not an index"},
		{"x: {file: state.npz}", "x: {file: state.npz, array: two}", "m.yaml:10:35: group 'G' init 'x': array 'two' of 'state.npz' has 2 values, expected 3 in 'two'"},
		{"save: [v, x]", "save: [v, y]", "m.yaml:11:15: group 'G' save: no variable 'y' in 'y'"},
		{"connect: {file: conn.npz, i: pre, j: post}", "connect: {file: conn.npz, k: pre}", "m.yaml:17:31: unknown key 'k' in connect (from a file)"},
		{"x: {file: state.npz}", "x: {array: x}", "m.yaml:10:11: group 'G' init 'x': an array needs 'file'"},
	}
	for _, c := range cases {
		if !strings.Contains(npzModel, c.old) {
			t.Fatalf("fixture lacks %q", c.old)
		}
		path := npzFixture(t, strings.Replace(npzModel, c.old, c.new, 1))
		_, err := Load(path, nil)
		if err == nil {
			t.Errorf("%q: no error", c.new)
			continue
		}
		msg := strings.TrimPrefix(err.Error(), filepath.Dir(path)+string(filepath.Separator))
		if !strings.HasPrefix(msg, c.want) {
			t.Errorf("%q:\n got  %s\n want %s", c.new, msg, c.want)
		}
	}
}

func TestTimedArrayFromNPZ(t *testing.T) {
	dir := t.TempDir()
	z := output.NewNPZ()
	if err := z.Add("one", output.Array{Data: []float64{1e-3, 2e-3, 3e-3}}); err != nil {
		t.Fatal(err)
	}
	if err := z.Add("two", output.Array{Data: []float64{1, 2, 3, 4, 5, 6}, Shape: []int{3, 2}}); err != nil {
		t.Fatal(err)
	}
	if err := output.WriteNPZFile(filepath.Join(dir, "stim.npz"), z); err != nil {
		t.Fatal(err)
	}
	model := `dt: 1*ms
timed_arrays:
  one: {file: stim.npz, dt: 1*ms, unit: volt}
  stim2: {file: stim.npz, array: two, dt: 1*ms}
groups:
  G:
    N: 2
    model: |
      a = one(t) : volt
      b = stim2(t, i) : 1
monitors:
  m: {type: state, source: G, variables: [a, b], record: true}
run: 3*ms
`
	m := loadAndRun(t, dir, model)
	mon := m.Monitors[0].State
	a, _ := mon.Values("a")
	b, _ := mon.Values("b")
	if len(a) != 2 || a[0][2] != 3e-3 || b[1][1] != 4 || b[0][0] != 1 {
		t.Errorf("a = %v, b = %v", a, b)
	}
	bad := strings.Replace(model, "array: two", "array: three", 1)
	path := filepath.Join(dir, "m.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, nil)
	if err == nil || !strings.Contains(err.Error(), "m.yaml:4:34: timed array 'stim2': 'stim.npz' has no array 'three'") {
		t.Errorf("error %v", err)
	}
}

// TestConnectFileKeepsItsNumbering: synapses connected from a file whose
// pairs are not sorted by source keep the file's numbering in everything
// read and written for them (soma stores them sorted by source).
func TestConnectFileKeepsItsNumbering(t *testing.T) {
	dir := t.TempDir()
	writeNPZ(t, filepath.Join(dir, "c.npz"), map[string]any{
		"i": []int64{2, 0, 1, 0}, "j": []int64{0, 1, 2, 2}, "w": []float64{20, 1, 12, 2}, "d": []float64{3e-3, 1e-3, 2e-3, 1e-3}})
	model := `dt: 0.1*ms
groups:
  G: {N: 3, model: "v : 1"}
synapses:
  S:
    source: G
    model: "w : 1"
    on_pre: v += w
    connect: {file: c.npz}
    init:
      w: {file: c.npz}
      delay: {file: c.npz, array: d}
    save: [i, j, w, delay]
monitors:
  ws: {type: state, source: S, variables: [w], record: [0, 3]}
  all: {type: state, source: S, variables: [w], record: true}
run: 0.2*ms
`
	m := loadAndRun(t, dir, model)
	out := filepath.Join(dir, "out")
	if err := m.WriteOutputs(out, 0, nil); err != nil {
		t.Fatal(err)
	}
	get := func(file, name string) any {
		z, err := output.ReadNPZ(filepath.Join(out, file))
		if err != nil {
			t.Fatal(err)
		}
		a, ok := z.Get(name)
		if !ok {
			t.Fatalf("%s has no %s", file, name)
		}
		return a.Data
	}
	for name, want := range map[string]any{
		"i": []int64{2, 0, 1, 0}, "j": []int64{0, 1, 2, 2}, "w": []float64{20, 1, 12, 2}, "delay": []float64{3e-3, 1e-3, 2e-3, 1e-3}} {
		if got := get("S.npz", name); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("saved %s = %v, want the file's %v", name, got, want)
		}
	}
	if got := fmt.Sprint(get("ws.npz", "record"), get("ws.npz", "w")); got != "[0 3] [20 20 2 2]" {
		t.Errorf("monitor of synapses 0 and 3: record and w %s, want [0 3] [20 20 2 2]", got)
	}
	if got := fmt.Sprint(get("all.npz", "record"), get("all.npz", "w")); got != "[0 1 2 3] [20 20 1 1 12 12 2 2]" {
		t.Errorf("monitor of every synapse: record and w %s", got)
	}
}

// loadAndRun writes model as m.yaml into dir, loads it and runs it.
func loadAndRun(t *testing.T, dir, model string) *Model {
	t.Helper()
	path := filepath.Join(dir, "m.yaml")
	if err := os.WriteFile(path, []byte(model), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Run(RunOptions{}); err != nil {
		t.Fatal(err)
	}
	return m
}
