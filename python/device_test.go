package python_test

// Tests of the Brian2 device in brian2soma: Brian2-example scripts run on
// Brian2's runtime device (numpy target) and with set_device('soma'), and
// their results compared (tests/compare.py): identical spikes for the
// deterministic scripts (connectivity and initial values are drawn by
// Brian2 in both runs), statistics for the others. They need Brian2 for
// /usr/bin/python3 (or $SOMA_PYTHON) and skip, saying so, without it.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	somaBin   string
	buildErr  error
)

// python returns the interpreter with Brian2, or skips the test.
func python(t *testing.T) string {
	t.Helper()
	py := os.Getenv("SOMA_PYTHON")
	if py == "" {
		py = "/usr/bin/python3"
	}
	out, err := exec.Command(py, "-c", "import brian2, numpy; print(brian2.__version__)").CombinedOutput()
	if err != nil {
		t.Skipf("Brian2 is not installed for %s (apt-get install python3-brian, or set SOMA_PYTHON): the soma device cannot be tested: %v", py, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	t.Logf("Brian2 %s (%s)", lines[len(lines)-1], py)
	return py
}

// soma builds the soma binary once for all tests.
func soma(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "soma-device-test-")
		if err != nil {
			buildErr = err
			return
		}
		somaBin = filepath.Join(dir, "soma")
		out, err := exec.Command("go", "build", "-o", somaBin, "../cmd/soma").CombinedOutput()
		if err != nil {
			buildErr = &buildError{string(out)}
		}
	})
	if buildErr != nil {
		t.Fatalf("building soma: %v", buildErr)
	}
	return somaBin
}

type buildError struct{ out string }

func (e *buildError) Error() string { return e.out }

// runExample runs tests/run_example.py for device and returns the output
// file, or the combined output and an error.
func runExample(t *testing.T, py, device, script, out string) (string, error) {
	t.Helper()
	cmd := exec.Command(py, "tests/run_example.py", device, script, out)
	cmd.Env = append(os.Environ(), "SOMA_BINARY="+soma(t), "PYTHONPATH=.")
	b, err := cmd.CombinedOutput()
	return string(b), err
}

func TestExamples(t *testing.T) {
	py := python(t)
	examples := []struct {
		script string
		mode   string // exact or stat
	}{
		{"CUBA", "exact"},
		{"tutorial_1_neurons", "exact"},
		{"tutorial_1_stochastic", "stat"},
		{"tutorial_2_synapses", "exact"},
		{"tutorial_3_simulations", "stat"},
		{"tutorial_3_input", "exact"},
		{"multiple_runs", "exact"},
		{"IF_curve_LIF", "exact"},
		{"IF_curve_Hodgkin_Huxley", "exact"},
		{"COBAHH", "exact"},
		{"gapjunctions", "exact"},
		{"adaptive_threshold", "stat"},
		{"STDP_song_abbott", "stat"},
		{"non_reliability", "stat"},
		{"poisson_input", "stat"},
	}
	for _, ex := range examples {
		t.Run(ex.script, func(t *testing.T) {
			script := filepath.Join("tests", "examples", ex.script+".py")
			dir := t.TempDir()
			results := map[string]string{}
			for _, device := range []string{"runtime", "soma"} {
				out := filepath.Join(dir, device+".npz")
				if msg, err := runExample(t, py, device, script, out); err != nil {
					t.Fatalf("%s on the %s device: %v\n%s", ex.script, device, err, tail(msg))
				}
				results[device] = out
			}
			cmd := exec.Command(py, "tests/compare.py", ex.mode, results["runtime"], results["soma"])
			b, err := cmd.CombinedOutput()
			t.Logf("%s (%s):\n%s", ex.script, ex.mode, b)
			if err != nil {
				t.Errorf("%s: soma differs from Brian2 (%s comparison)", ex.script, ex.mode)
			}
		})
	}
}

// TestRefusals checks that what soma cannot run raises NotImplementedError
// naming the object and the feature, and that soma's own errors reach
// Python as SomaError with soma's message.
func TestRefusals(t *testing.T) {
	py := python(t)
	cases := []struct{ script, want string }{
		{"network_operation", "NotImplementedError: NetworkOperation 'networkoperation': this kind of object is not supported by the soma device"},
		{"run_regularly", "NotImplementedError: CodeRunner 'neurongroup_run_regularly': run_regularly is not supported"},
		{"poisson_rates_array", "NotImplementedError: PoissonGroup 'poissongroup': rates that differ between neurons"},
		{"constant_over_dt", "NotImplementedError: SubexpressionUpdater 'neurongroup_subexpression_update': subexpressions flagged '(constant over dt)'"},
		{"soma_error", "brian2soma.device.SomaError: soma: --threads must be at least 1, got -3"},
	}
	for _, c := range cases {
		t.Run(c.script, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.npz")
			msg, err := runExample(t, py, "soma", filepath.Join("tests", "errors", c.script+".py"), out)
			if err == nil {
				t.Fatalf("%s ran without an error", c.script)
			}
			if !strings.Contains(msg, c.want) {
				t.Errorf("%s: the output lacks %q:\n%s", c.script, c.want, tail(msg))
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s: results were written", c.script)
			}
		})
	}
}

func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 25 {
		lines = lines[len(lines)-25:]
	}
	return strings.Join(lines, "\n")
}
