package brian2

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soma-sim/soma/model"
	"github.com/soma-sim/soma/output"
)

// The round trip: every example model (examples/*/*.yaml, the long ones as
// short as examples/short-runs.txt makes them) and the feature models in
// testdata/ are exported, the scripts run under Brian2 (numpy target) and
// soma runs the same models; then the files are compared. Deterministic
// models (no rand(), randn(), xi, Poisson groups or inputs, random
// connections) must give the same spikes and traces to float tolerance;
// the others are compared statistically, Brian2's value against the
// spread of soma's over several seeds.

// python is the interpreter with Brian2 (Debian's python3-brian).
func python() string {
	if p := os.Getenv("SOMA_BRIAN2_PYTHON"); p != "" {
		return p
	}
	return "/usr/bin/python3"
}

// requireBrian2 skips the test, saying why, when Brian2 cannot be
// imported, and logs its version.
func requireBrian2(t *testing.T) {
	t.Helper()
	out, err := exec.Command(python(), "-c", "import brian2; print(brian2.__version__)").CombinedOutput()
	if err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		why := err.Error()
		if last := lines[len(lines)-1]; last != "" {
			why += ": " + last
		}
		t.Skipf("SKIPPED: Brian2 is not importable with %s (install python3-brian, or set SOMA_BRIAN2_PYTHON), so the round trip against Brian2 did not run: %s",
			python(), why)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	t.Logf("Brian2 %s (%s)", lines[len(lines)-1], python())
}

type roundTrip struct {
	name     string // examples/cuba/cuba.yaml -> cuba/cuba.yaml
	path     string // the model file
	spec     *model.Spec
	sets     []string // the short-run overrides
	exact    bool     // deterministic: compared spike for spike
	script   string
	brianOut string
	somaOut  []string // soma's results, the model's seed first
	seconds  string   // Brian2's time for the script
	cost     float64  // a guess of it, to start the slow ones first
	failed   bool
}

// shortRuns reads examples/short-runs.txt.
func shortRuns(t *testing.T, dir string) map[string][]string {
	data, err := os.ReadFile(filepath.Join(dir, "short-runs.txt"))
	if err != nil {
		t.Fatal(err)
	}
	short := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 0 && !strings.HasPrefix(f[0], "#") {
			short[f[0]] = f[1:]
		}
	}
	return short
}

var randomCode = regexp.MustCompile(`\b(rand|randn|poisson|sample)\s*\(|\bxi\b|\bxi_\w+`)

// deterministic reports whether a model draws no random numbers: then
// Brian2 and soma must agree spike for spike.
func deterministic(spec *model.Spec) bool {
	if len(spec.Inputs) > 0 {
		return false
	}
	for _, g := range spec.Groups {
		if g.Type == "poisson" {
			return false
		}
	}
	for _, s := range spec.Synapses {
		for _, c := range s.Connect {
			if c.P.IsSet() {
				return false
			}
		}
	}
	random := false
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			if v.Type() == reflect.TypeOf(model.Text{}) {
				random = random || randomCode.MatchString(v.Interface().(model.Text).S)
				return
			}
			for k := 0; k < v.NumField(); k++ {
				if v.Type().Field(k).IsExported() {
					walk(v.Field(k))
				}
			}
		case reflect.Slice:
			for k := 0; k < v.Len(); k++ {
				walk(v.Index(k))
			}
		}
	}
	walk(reflect.ValueOf(spec))
	return !random
}

// slow are the examples the round trip runs only with SOMA_BRIAN2_ALL=1,
// and why.
var slow = map[string]string{
	"microcircuit/microcircuit.yaml": "under Brian2 the microcircuit takes 15 s on an idle core (40 s on a busy " +
		"machine), whatever its scale: the exact integrator solves the same equations symbolically once for each of " +
		"its 8 populations; it passed (at scale 0.02 for 0.1 s) when last run with SOMA_BRIAN2_ALL=1 (docs/brian2-export.md)",
}

// statSeeds is how many seeds soma runs a stochastic model with, for the
// spread Brian2's result is compared with.
const statSeeds = 5

// shorter are run lengths the test uses instead of a model's own, where
// a model has no constant for --set to shorten and is slow under Brian2's
// numpy target: the same model, simulated for less time.
var shorter = map[string]string{
	"if-curve/hh.yaml": "0.5*second",
}

func TestExportRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: runs every example under Brian2 and soma")
	}
	requireBrian2(t)
	began := time.Now()
	examples := filepath.Join("..", "..", "examples")
	files, err := filepath.Glob(filepath.Join(examples, "*", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples found (%v)", err)
	}
	features, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	files = append(files, features...)
	short := shortRuns(t, examples)
	tmp := t.TempDir()
	var trips []*roundTrip
	var skipped []string
	for k, f := range files {
		rt := &roundTrip{path: f, name: filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)}
		rt.sets = short[rt.name]
		if _, ok := slow[rt.name]; ok && os.Getenv("SOMA_BRIAN2_ALL") == "" {
			skipped = append(skipped, rt.name)
			continue
		}
		spec, err := model.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := shorter[rt.name]; ok {
			for k := range spec.Run {
				spec.Run[k].Duration = model.Text{S: d, Line: -1}
			}
		}
		rt.spec = spec
		rt.exact = deterministic(spec)
		script, err := Script(spec, Options{Sets: rt.sets})
		if err != nil {
			t.Fatalf("%s: %v", rt.name, err)
		}
		rt.script = filepath.Join(tmp, fmt.Sprintf("model%02d.py", k))
		if err := os.WriteFile(rt.script, script, 0o644); err != nil {
			t.Fatal(err)
		}
		rt.brianOut = filepath.Join(tmp, fmt.Sprintf("brian2-%02d", k))
		trips = append(trips, rt)
	}
	// Brian2 in two processes that take the scripts from one queue, the
	// slowest first, while soma runs here. The processes import Brian2
	// while the order is worked out.
	jobs := make(chan *roundTrip)
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := brianWorker(jobs); err != nil {
				errs <- err
			}
		}()
	}
	for _, rt := range trips {
		rt.cost = cost(rt)
	}
	order := slices.Clone(trips)
	sort.SliceStable(order, func(a, b int) bool { return order[a].cost > order[b].cost })
	go func() {
		for _, rt := range order {
			jobs <- rt
		}
		close(jobs)
	}()
	for k, rt := range trips {
		seeds := 1
		if !rt.exact {
			seeds = statSeeds
		}
		for s := 0; s < seeds; s++ {
			dir := filepath.Join(tmp, fmt.Sprintf("soma-%02d-%d", k, s))
			sets := rt.sets
			if s > 0 {
				sets = append(slices.Clone(sets), fmt.Sprintf("seed=%d", 1000+s))
			}
			if err := runSoma(rt.spec, sets, dir); err != nil {
				t.Fatalf("%s: soma: %v", rt.name, err)
			}
			rt.somaOut = append(rt.somaOut, dir)
		}
	}
	somaDone := time.Since(began)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Brian2: %v", err)
	}
	t.Logf("soma done after %.1fs, Brian2 after %.1fs", somaDone.Seconds(), time.Since(began).Seconds())
	for _, name := range skipped {
		t.Run(name, func(t *testing.T) {
			t.Skipf("SKIPPED unless SOMA_BRIAN2_ALL=1: %s", slow[name])
		})
	}
	for _, rt := range trips {
		t.Run(rt.name, func(t *testing.T) {
			if rt.failed {
				tb, _ := os.ReadFile(filepath.Join(rt.brianOut, "traceback.txt"))
				t.Fatalf("the exported script failed under Brian2:\n%s", tb)
			}
			if rt.exact {
				compareExact(t, rt)
			} else {
				compareStats(t, rt)
			}
		})
	}
}

// cost is a rough guess of a script's time under Brian2, to start the
// slow ones first.
func cost(rt *roundTrip) float64 {
	m, err := model.Build(rt.spec, rt.sets)
	if err != nil {
		return 0
	}
	steps := m.Duration() / m.DT
	neurons := 0
	for _, g := range m.Groups {
		neurons += g.Group.Size()
	}
	objects := len(m.Groups) + len(m.Synapses) + len(m.Monitors) + len(m.Inputs)
	return steps*3e-4*float64(len(m.Groups)+len(m.Synapses)) + steps*float64(neurons)*4e-7 + 0.2*float64(objects)
}

// brianWorker runs scripts from jobs in one Python process.
func brianWorker(jobs <-chan *roundTrip) error {
	cmd := exec.Command(python(), filepath.Join("testdata", "driver.py"))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	lines := bufio.NewScanner(stdout)
	lines.Buffer(make([]byte, 1<<20), 1<<20)
	next := func(prefix ...string) (string, error) {
		for lines.Scan() {
			for _, p := range prefix {
				if strings.HasPrefix(lines.Text(), p) {
					return lines.Text(), nil
				}
			}
		}
		return "", fmt.Errorf("the Brian2 driver stopped: %v\n%s", cmd.Wait(), stderr.String())
	}
	if _, err := next("ready"); err != nil {
		for range jobs {
		}
		return err
	}
	for rt := range jobs {
		if _, err := fmt.Fprintf(stdin, "%s\t%s\n", rt.script, rt.brianOut); err != nil {
			return err
		}
		line, err := next("ok ", "failed ")
		if err != nil {
			rt.failed = true
			for range jobs {
			}
			return err
		}
		f := strings.Fields(line)
		rt.failed = f[0] == "failed"
		if len(f) == 3 {
			rt.seconds = f[2]
		}
	}
	stdin.Close()
	return cmd.Wait()
}

// runSoma runs a model as 'soma run' does and writes its files to dir.
func runSoma(spec *model.Spec, sets []string, dir string) error {
	m, err := model.Build(spec, sets)
	if err != nil {
		return err
	}
	wall, err := m.Run(model.RunOptions{})
	if err != nil {
		return err
	}
	return m.WriteOutputs(dir, wall, nil)
}

// results are the files of one run: arrays per .npz file, and summary.json.
type results struct {
	npz     map[string]*output.NPZ
	summary map[string]any
}

func readResults(t *testing.T, dir string) results {
	t.Helper()
	r := results{npz: map[string]*output.NPZ{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch {
		case strings.HasSuffix(e.Name(), ".npz"):
			z, err := output.ReadNPZ(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			r.npz[e.Name()] = z
		case e.Name() == "summary.json":
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &r.summary); err != nil {
				t.Fatal(err)
			}
		default:
			t.Errorf("unexpected file %s in %s", e.Name(), dir)
		}
	}
	if r.summary == nil {
		t.Fatalf("no summary.json in %s", dir)
	}
	return r
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func dtypeOf(a output.Array) string {
	switch a.Data.(type) {
	case []float64:
		return "float64"
	case []int64:
		return "int64"
	}
	return fmt.Sprintf("%T", a.Data)
}

func floats(a output.Array) []float64 {
	switch d := a.Data.(type) {
	case []float64:
		return d
	case []int64:
		out := make([]float64, len(d))
		for k, x := range d {
			out[k] = float64(x)
		}
		return out
	}
	return nil
}

// sameLayout checks that Brian2 wrote the files and arrays soma wrote,
// with the same types, and the same shapes where they do not depend on
// random numbers (all of them for exact models).
func sameLayout(t *testing.T, soma, b2 results, exact bool) {
	t.Helper()
	if got, want := sortedKeys(b2.npz), sortedKeys(soma.npz); !slices.Equal(got, want) {
		t.Fatalf("Brian2 wrote %v, soma %v", got, want)
	}
	for _, file := range sortedKeys(soma.npz) {
		zs, zb := soma.npz[file], b2.npz[file]
		if got, want := zb.Names(), zs.Names(); !slices.Equal(sorted(got), sorted(want)) {
			t.Errorf("%s: Brian2's arrays %v, soma's %v", file, got, want)
			continue
		}
		for _, name := range zs.Names() {
			as, _ := zs.Get(name)
			ab, _ := zb.Get(name)
			if dtypeOf(as) != dtypeOf(ab) {
				t.Errorf("%s %s: Brian2 %s, soma %s", file, name, dtypeOf(ab), dtypeOf(as))
			}
			if (exact || fixedShape(zs, name)) && !slices.Equal(shape(as), shape(ab)) {
				t.Errorf("%s %s: Brian2 shape %v, soma %v", file, name, shape(ab), shape(as))
			}
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

func shape(a output.Array) []int {
	if len(a.Shape) > 0 {
		return a.Shape
	}
	return []int{len(floats(a))}
}

// fixedShape tells the arrays whose shape does not depend on random
// numbers: those of state and rate monitors (t, record, the variables)
// and a spike monitor's count.
func fixedShape(z *output.NPZ, name string) bool {
	names := z.Names()
	if slices.Contains(names, "record") || slices.Contains(names, "rate") {
		return true
	}
	return name == "count"
}

func compareExact(t *testing.T, rt *roundTrip) {
	soma, b2 := readResults(t, rt.somaOut[0]), readResults(t, rt.brianOut)
	sameLayout(t, soma, b2, true)
	worst := 0.0
	values := 0
	for _, file := range sortedKeys(soma.npz) {
		for _, name := range soma.npz[file].Names() {
			as, _ := soma.npz[file].Get(name)
			ab, ok := b2.npz[file].Get(name)
			if !ok {
				continue
			}
			xs, xb := floats(as), floats(ab)
			if len(xs) != len(xb) {
				continue // reported by sameLayout
			}
			scale := 0.0
			for _, v := range xs {
				scale = math.Max(scale, math.Abs(v))
			}
			tol := 1e-7 * scale // traces: soma and Brian2 round differently
			if dtypeOf(as) == "int64" || name == "t" {
				tol = 1e-12 * math.Max(scale, 1) // indices, counts, times: the same
			}
			for k := range xs {
				d := math.Abs(xs[k] - xb[k])
				if d > tol {
					t.Errorf("%s %s[%d]: soma %.17g, Brian2 %.17g", file, name, k, xs[k], xb[k])
					break
				}
				if scale > 0 {
					worst = math.Max(worst, d/scale)
				}
			}
			values += len(xs)
		}
	}
	compareSummary(t, soma.summary, b2.summary, true)
	t.Logf("exact: %d values in %d files agree (largest difference %.2g of an array's largest value); Brian2 took %ss",
		values, len(soma.npz), worst, rt.seconds)
}

// compareSummary checks summary.json: the same keys and sizes, and for
// exact models the same spike and synapse counts.
func compareSummary(t *testing.T, soma, b2 map[string]any, exact bool) {
	t.Helper()
	if got, want := sortedKeys(b2), sortedKeys(soma); !slices.Equal(got, want) {
		t.Errorf("summary.json keys: Brian2 %v, soma %v", got, want)
	}
	for _, k := range []string{"name", "dt", "duration"} {
		if !reflect.DeepEqual(soma[k], b2[k]) {
			t.Errorf("summary %s: soma %v, Brian2 %v", k, soma[k], b2[k])
		}
	}
	sg, _ := soma["groups"].(map[string]any)
	bg, _ := b2["groups"].(map[string]any)
	if got, want := sortedKeys(bg), sortedKeys(sg); !slices.Equal(got, want) {
		t.Errorf("summary groups: Brian2 %v, soma %v", got, want)
	}
	for name, v := range sg {
		s, b := v.(map[string]any), asMap(bg[name])
		if s["N"] != b["N"] {
			t.Errorf("summary group %s N: soma %v, Brian2 %v", name, s["N"], b["N"])
		}
		if (s["spikes"] == nil) != (b["spikes"] == nil) {
			t.Errorf("summary group %s spikes: soma %v, Brian2 %v", name, s["spikes"], b["spikes"])
		}
		if exact && s["spikes"] != b["spikes"] {
			t.Errorf("summary group %s spikes: soma %v, Brian2 %v", name, s["spikes"], b["spikes"])
		}
	}
	ss, _ := soma["synapses"].(map[string]any)
	bs, _ := b2["synapses"].(map[string]any)
	if got, want := sortedKeys(bs), sortedKeys(ss); !slices.Equal(got, want) {
		t.Errorf("summary synapses: Brian2 %v, soma %v", got, want)
	}
	if exact {
		for name, v := range ss {
			if !reflect.DeepEqual(v, bs[name]) {
				t.Errorf("summary synapses %s: soma %v, Brian2 %v", name, v, bs[name])
			}
		}
	}
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// stats are the numbers a stochastic model is compared by: the number of
// events of each spike and event monitor, the mean of each recorded
// variable and population rate, the number of saved synapses and the
// mean of each saved variable, and the synapse counts of summary.json.
func stats(r results) map[string]float64 {
	out := map[string]float64{}
	for file, z := range r.npz {
		names := z.Names()
		for _, name := range names {
			a, _ := z.Get(name)
			x := floats(a)
			switch {
			case name == "t" && !slices.Contains(names, "record") && !slices.Contains(names, "rate"):
				out[file+" events"] = float64(len(x))
			case name == "i" && slices.Contains(names, "j"):
				out[file+" synapses"] = float64(len(x))
			case name == "count":
				active := 0
				for _, c := range x {
					if c > 0 {
						active++
					}
				}
				if len(x) > 0 {
					out[file+" active fraction"] = float64(active) / float64(len(x))
				}
				if cv, ok := meanCV(z); ok {
					out[file+" mean ISI CV"] = cv
				}
			case name == "rate":
				out[file+" mean rate"] = mean(x)
				out[file+" sd rate"] = sd(x)
			case name == "t" || name == "i" || name == "j" || name == "record":
			default:
				out[file+" mean "+name] = mean(x)
			}
		}
	}
	for name, v := range asMap(r.summary["synapses"]) {
		if c, ok := asMap(v)["count"].(float64); ok {
			out["synapses "+name+" count"] = c
		}
	}
	return out
}

// meanCV is the mean coefficient of variation of the interspike
// intervals of a spike monitor's neurons with at least 3 spikes, when
// there are enough of those (20) for the mean to mean something.
func meanCV(z *output.NPZ) (float64, bool) {
	ta, _ := z.Get("t")
	ia, _ := z.Get("i")
	t, i := floats(ta), floats(ia)
	trains := map[float64][]float64{}
	for k := range t {
		trains[i[k]] = append(trains[i[k]], t[k])
	}
	var cvs []float64
	for _, tr := range trains {
		if len(tr) < 3 {
			continue
		}
		isi := make([]float64, len(tr)-1)
		for k := range isi {
			isi[k] = tr[k+1] - tr[k]
		}
		if m := mean(isi); m > 0 {
			cvs = append(cvs, sdPop(isi)/m)
		}
	}
	return mean(cvs), len(cvs) >= 20
}

// sd is the sample standard deviation; sdPop the population one (numpy's
// std).
func sd(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	m, s := mean(x), 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)-1))
}

func sdPop(x []float64) float64 {
	m, s := mean(x), 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)))
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// statTolerance is how far Brian2's value may be from the mean of soma's
// over seeds: 4 standard deviations of soma's values, plus 5% of the
// mean, plus, for counts, 3 times the square root of the count (Poisson
// noise, which a few seeds may underestimate).
func statTolerance(name string, mean, sd float64) float64 {
	tol := 4*sd + 0.05*math.Abs(mean)
	if strings.HasSuffix(name, " events") || strings.HasSuffix(name, " synapses") || strings.HasSuffix(name, " count") {
		tol += 3 * math.Sqrt(math.Abs(mean))
	}
	return tol
}

func compareStats(t *testing.T, rt *roundTrip) {
	var runs []map[string]float64
	var first results
	for k, dir := range rt.somaOut {
		r := readResults(t, dir)
		if k == 0 {
			first = r
		}
		runs = append(runs, stats(r))
	}
	b2 := readResults(t, rt.brianOut)
	sameLayout(t, first, b2, false)
	compareSummary(t, first.summary, b2.summary, false)
	bs := stats(b2)
	var report []string
	for _, name := range sortedKeys(runs[0]) {
		var xs []float64
		for _, r := range runs {
			if x, ok := r[name]; ok {
				xs = append(xs, x)
			}
		}
		b, ok := bs[name]
		if strings.HasSuffix(name, " mean ISI CV") && (!ok || len(xs) < len(runs)) {
			continue // a run with too few neurons that fired 3 times
		}
		if !ok {
			t.Errorf("%s: Brian2 has no value", name)
			continue
		}
		m, sd := mean(xs), sd(xs)
		tol := statTolerance(name, m, sd)
		line := fmt.Sprintf("%s: soma %.4g ± %.2g (%d seeds), Brian2 %.4g", name, m, sd, len(xs), b)
		if math.Abs(b-m) > tol {
			t.Errorf("%s: off by %.3g, more than the tolerance %.3g", line, math.Abs(b-m), tol)
		}
		report = append(report, line)
	}
	t.Logf("statistical (Brian2 took %ss):\n  %s", rt.seconds, strings.Join(report, "\n  "))
}
