package brian2

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/model"
	"github.com/soma-sim/soma/units"
)

func exportText(t *testing.T, src string, sets ...string) (string, error) {
	t.Helper()
	spec, err := model.Decode("model.yaml", []byte(src))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	out, err := Script(spec, Options{Sets: sets})
	return string(out), err
}

const lif = `
name: lif
constants:
  tau: 10*ms
  n: 1000
  v0_max: 3.
groups:
  G:
    N: 4
    model: |
      dv/dt = (v0 - v)/tau : 1 (unless refractory)
      v0 : 1
    threshold: v > 1
    reset: v = 0
    refractory: 5*ms
    init:
      v0: i*v0_max/(N-1)
`

func TestExportRefuses(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string
	}{
		{"per-synapse delay of named pathways", lif + `
synapses:
  S:
    source: G
    on_pre: {up: v_post += 0.1, down: v_post -= 0.1}
    delay: rand()*ms
    connect: {}
run: 1*ms
`, []string{"model.yaml:", "synapses 'S' delay", "cannot export to Brian2", "per-synapse delay", "up, down"}},
		{"condition with j", lif + `
synapses:
  S:
    source: G
    on_pre: v_post += 0.1
    connect: {condition: i != 2, j: i}
run: 1*ms
`, []string{"synapses 'S' connect #1", "cannot export to Brian2", "'condition' with 'i' or 'j'"}},
		{"string n with explicit pairs", lif + `
synapses:
  S:
    source: G
    on_pre: v_post += 0.1
    connect: {i: [0, 1], j: [1, 2], n: 1 + int(i > 0)}
run: 1*ms
`, []string{"synapses 'S' connect #1 n", "cannot export to Brian2", "constant integer 'n'"}},
		{"empty neuron group", lif + `
  H:
    N: 0
    model: "v : 1"
run: 1*ms
`, []string{"group 'H'", "cannot export to Brian2", "at least one neuron"}},
		{"no run", lif, []string{"no 'run'"}},
		{"model error", strings.Replace(lif, "(v0 - v)/tau", "(v0 - v)", 1) + "run: 1*ms\n", []string{"model.yaml:11:7: group 'G' model", "Inconsistent units"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := exportText(t, c.src)
			if err == nil {
				t.Fatal("exported")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestExportScriptText(t *testing.T) {
	got, err := exportText(t, lif+`
  gen:
    type: spikegenerator
    N: 2
    indices: [0, 1]
    times: [1*ms, 2.5*ms]
    period: 10*ms
synapses:
  S:
    source: gen
    target: G[1:3]
    model: "w : 1"
    on_pre: {a: v_post += w, b: v_post -= w}
    delay: {a: 0*ms, b: 1*ms}
    connect:
      - {i: 1, j: [0, 1, 5], skip_if_invalid: true}
      - {i: 0, j: 1}
    init: {w: 0.5}
    save: [i, j, w]
monitors:
  net: {type: state, source: G, variables: [v], record: [0], max_samples: 3, when: end, dt: 1*ms}
  S_w: {type: state, source: S, variables: [w]}
run:
  - duration: 2*ms
  - set: {G.v0: 2}
    duration: 3*ms
`, "n=20", "seed=5")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"defaultclock.dt = 0.0001*second",
		"default=5, help='random seed",
		"'tau': 0.01*second,  # 10*ms",
		"'n': 20,",             // an int, set with --set
		"'v0_max': 3.0,  # 3.", // a float
		"G = NeuronGroup(4,",
		"refractory='5*ms'",
		"G.v0 = 'i*v0_max/(N-1)'",
		"gen_times = np.array([0.001, 0.0025], dtype=float)*second",
		"period=0.01*second",
		"S = Synapses(gen, G[1:3],\n             model='w : 1',\n             on_pre={'a': 'v_post += w', 'b': 'v_post -= w'},",
		"delay={'a': 0.0*second, 'b': 0.001*second}",
		"S.connect(i=[1, 1], j=[0, 1])", // the pair outside G[1:3] dropped
		"S.connect(i=[0], j=[1])",
		"# soma numbers synapses by presynaptic neuron",
		"net_monitor = StateMonitor(G, ['v'], record=[0], when='end', dt=0.001*second, name='net_monitor')",
		"S_w = StateMonitor(S, ['w'], record=True, name='S_w')",
		"values(net_monitor.t_)[..., -3:]",
		"G.v0 = '2'\nbegan = time.time()\nnet.run(0.003*second",
		"save('S', {'i': np.asarray(S.i[:], dtype=np.int64)",
		"'G': group_summary(4, None)",
		"'S': {'count': int(len(S))}",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the script lacks %q:\n%s", want, got)
		}
	}
}

func TestExportFloat32(t *testing.T) {
	got, err := exportText(t, "precision: float32\n"+lif+"run: 1*ms\n")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "dtype={'v': float32, 'v0': float32}") {
		t.Errorf("no dtype for float32 state:\n%s", got)
	}
}

// Every function of soma's expressions is one of Brian2's, so none is
// refused today; the check guards functions soma may add.
func TestExportKnowsSomaFunctions(t *testing.T) {
	for _, f := range expr.FunctionNames() {
		if !brian2Functions[f] {
			t.Errorf("soma's function '%s' is not known to be Brian2's: models that use it are refused", f)
		}
	}
}

func TestExportFieldLists(t *testing.T) {
	for typ, names := range exported {
		for _, n := range names {
			if _, ok := typ.FieldByName(n); !ok {
				t.Errorf("%s has no field %s", typ, n)
			}
		}
	}
	// A field the exporter does not know is refused when set.
	type future struct {
		Name     string
		Timed    model.Text
		Unneeded int
	}
	exported[reflect.TypeOf(future{})] = []string{"Name", "Unneeded"}
	defer delete(exported, reflect.TypeOf(future{}))
	x := &exporter{spec: &model.Spec{File: "m.yaml"}}
	if err := x.checkStruct(&future{Name: "x", Unneeded: 1}, 3, "group 'x'"); err != nil {
		t.Errorf("known fields refused: %v", err)
	}
	err := x.checkStruct(&future{Timed: model.Text{S: "x", Line: 4}}, 3, "group 'x'")
	if err == nil || !strings.Contains(err.Error(), "m.yaml:3: group 'x': cannot export to Brian2") || !strings.Contains(err.Error(), "'timed'") {
		t.Errorf("an unknown field: %v", err)
	}
}

// The check goes into the parts of a part (init entries, array
// references): a field set there that the exporter does not know is
// refused too.
func TestExportFieldsWithin(t *testing.T) {
	type inner struct{ Later model.Text }
	type outer struct {
		Name  string
		Items []inner
	}
	exported[reflect.TypeOf(outer{})] = []string{"Name", "Items"}
	defer delete(exported, reflect.TypeOf(outer{}))
	x := &exporter{spec: &model.Spec{File: "m.yaml"}}
	if err := x.checkStruct(&outer{Name: "x", Items: []inner{{}}}, 2, "synapses 'S'"); err != nil {
		t.Errorf("nothing unknown set, refused: %v", err)
	}
	err := x.checkStruct(&outer{Items: []inner{{Later: model.Text{S: "x", Line: 3}}}}, 2, "synapses 'S'")
	if err == nil || !strings.Contains(err.Error(), "'later'") {
		t.Errorf("an unknown field within: %v", err)
	}
	// And the real parts: an init entry with an array is known.
	if err := x.checkStruct(&model.NamedText{Name: "v", Array: &model.ArrayRef{File: model.Text{S: "a.npz", Line: 1}}}, 1, "group 'G'"); err != nil {
		t.Errorf("an init array: %v", err)
	}
}

func TestExportLiterals(t *testing.T) {
	for _, c := range []struct {
		q    units.Quantity
		want string
	}{
		{units.New(0.02, units.Dimension{units.Time: 1}), "0.02*second"},
		{units.Number(3), "3.0"},
		{units.Number(1e-300), "1e-300"},
		{units.MustParseQuantity("2*mV/ms"), "2.0*(volt/second)"},
		{units.New(8e-12, units.Dimension{units.Time: 0.5, units.Current: 1}), "8e-12*(amp*second**0.5)"},
		{units.MustParseQuantity("5*siemens/metre**2"), "5.0*(siemens/metre**2)"},
		{units.MustParseQuantity("1*metre**3"), "1.0*(metre**3)"},
	} {
		if got := pyQuantity(c.q); got != c.want {
			t.Errorf("%v: %s, want %s", c.q, got, c.want)
		}
	}
	if got := pyStr("a\nb"); got != "'''a\nb'''" {
		t.Errorf("pyStr: %s", got)
	}
	if got := pyStr(`it's`); got != `"it's"` {
		t.Errorf("pyStr: %s", got)
	}
	n := newNamer()
	for _, c := range [][3]string{{"P", "group", "P"}, {"P", "monitor", "P_monitor"}, {"net", "group", "net_group"},
		{"ms", "monitor", "ms_monitor"}, {"2 cells", "group", "cells"}, {"for", "group", "for_group"}} {
		if got := n.name(c[0], c[1]); got != c[2] {
			t.Errorf("name(%s, %s) = %s, want %s", c[0], c[1], got, c[2])
		}
	}
}

// Every example's script is valid Python (any python3 checks that, no
// Brian2 needed).
func TestExportExamplesCompile(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("SKIPPED: no python3 to compile the exported scripts with")
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*", "*.yaml"))
	more, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	dir := t.TempDir()
	var scripts []string
	for _, f := range files {
		script, err := Export(f, Options{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		out := filepath.Join(dir, strings.TrimSuffix(filepath.Base(f), ".yaml")+".py")
		if err := os.WriteFile(out, script, 0o644); err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, out)
	}
	code := "import sys\nfor f in sys.argv[1:]:\n    compile(open(f).read(), f, 'exec')\n"
	if out, err := exec.Command(py, append([]string{"-c", code}, scripts...)...).CombinedOutput(); err != nil {
		t.Errorf("%v: %s", err, out)
	}
}

// A small model is built whole, so errors in connect are found before
// any script is written.
func TestExportChecksConnect(t *testing.T) {
	_, err := exportText(t, lif+`
synapses:
  S:
    source: G
    on_pre: v_post += 0.1
    connect: {condition: i != nosuch}
run: 1*ms
`)
	if err == nil || !strings.Contains(err.Error(), "synapses 'S' connect #1") || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("a bad condition: %v", err)
	}
}
