package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soma-sim/soma/output"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"2GiB": 2 << 30, "512MiB": 512 << 20, "512 mib": 512 << 20, "1.5GB": 1_500_000_000,
		"100000": 100000, "0": 0, "64k": 64 << 10, "3B": 3, "9000000000TB": 1<<63 - 1,
	} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v, want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "GiB", "-1GiB", "2 lightyears", "NaN", "inf"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) gave no error", bad)
		}
	}
}

// streamingModel runs for a constant duration, its spike monitor
// streaming.
const streamingModel = `
name: endless
seed: 5
constants:
  duration: 1000*second
groups:
  G:
    N: 2000
    model: "dv/dt = (1.2 - v)/(10*ms) + 0.3*xi/sqrt(ms) : 1"
    threshold: v > 1
    reset: v = 0
    method: euler
    init: {v: rand()}
monitors:
  spikes: {type: spike, source: G, variables: [v], stream: true}
  vm: {type: state, source: G, variables: [v], record: [0, 1]}
run: duration
`

// buildSoma builds the soma command into a temporary folder.
func buildSoma(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds soma")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := filepath.Join(t.TempDir(), "soma")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var streamsTo = regexp.MustCompile(`monitor 'spikes' streams to (\S+)`)

// TestKilledRunLeavesChunks: a streaming run killed with SIGKILL leaves
// its chunks in the folder it printed at the start, readable, with the
// first spikes of the same run left to finish.
func TestKilledRunLeavesChunks(t *testing.T) {
	bin := buildSoma(t)
	dir := t.TempDir()
	modelFile := filepath.Join(dir, "endless.yaml")
	if err := os.WriteFile(modelFile, []byte(streamingModel), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "run", modelFile, "--out", filepath.Join(dir, "out"), "--no-store", "--quiet")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The folder is printed before the run starts; wait for a chunk.
	var folder string
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		if m := streamsTo.FindStringSubmatch(stderr.String()); m != nil {
			folder = m[1]
			if _, err := os.Stat(filepath.Join(folder, output.ChunkFile(0))); err == nil {
				break
			}
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if folder == "" {
		t.Fatalf("no stream folder printed: %s", stderr.String())
	}
	if !strings.HasPrefix(filepath.Base(filepath.Dir(folder)), ".out.stream-") {
		t.Errorf("the run streamed to %s", folder)
	}
	partial, err := output.ReadChunks(folder)
	if err != nil {
		t.Fatal(err)
	}
	pt, _ := partial.Get("t")
	times := pt.Data.([]float64)
	if len(times) == 0 {
		t.Fatal("no spikes in the chunks")
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("the killed run wrote results")
	}

	// The same run, long enough to hold the chunks' spikes, to its end.
	last := times[len(times)-1]
	out := filepath.Join(dir, "full")
	run := exec.Command(bin, "run", modelFile, "--out", out, "--no-store", "--quiet", "--set", fmt.Sprintf("duration=%g*second", last+0.01))
	if msg, err := run.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, msg)
	}
	full, err := output.ReadNPZ(filepath.Join(out, "spikes.npz"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"t", "i", "v"} {
		a, _ := partial.Get(name)
		b, _ := full.Get(name)
		n := reflect.ValueOf(a.Data).Len()
		if reflect.ValueOf(b.Data).Len() < n || !reflect.DeepEqual(a.Data, reflect.ValueOf(b.Data).Slice(0, n).Interface()) {
			t.Errorf("%s: the chunks' %d spikes are not the first of the full run", name, n)
		}
	}
	// A finished run removes its stream folder.
	if left, _ := filepath.Glob(filepath.Join(dir, ".full.stream-*")); len(left) > 0 {
		t.Errorf("the finished run left %v", left)
	}
}

// TestFailedRunTellsWhereStreamsAre: a run that fails after streaming
// says where the streamed part is, and leaves it there.
func TestFailedRunTellsWhereStreamsAre(t *testing.T) {
	bin := buildSoma(t)
	dir := t.TempDir()
	modelFile := filepath.Join(dir, "m.yaml")
	if err := os.WriteFile(modelFile, []byte(streamingModel), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := os.WriteFile(out, nil, 0o644); err != nil { // a file where the results go
		t.Fatal(err)
	}
	run := exec.Command(bin, "run", modelFile, "--out", out, "--no-store", "--quiet", "--set", "duration=100*ms")
	msg, err := run.CombinedOutput()
	if err == nil {
		t.Fatalf("the run did not fail: %s", msg)
	}
	m := regexp.MustCompile(`streamed before the failure is in (\S+)`).FindSubmatch(msg)
	if m == nil {
		t.Fatalf("no word of the streams: %s", msg)
	}
	z, err := output.ReadChunks(filepath.Join(string(m[1]), "spikes"))
	if err != nil || len(z.Names()) == 0 {
		t.Errorf("the streams of the failed run: %v %v", z, err)
	}
}

// TestMemoryBudgetFlag: monitors past --memory-budget stream and give the
// same results; a bad size is an error of the command line.
func TestMemoryBudgetFlag(t *testing.T) {
	bin := buildSoma(t)
	dir := t.TempDir()
	modelFile := filepath.Join(dir, "m.yaml")
	src := strings.Replace(streamingModel, ", stream: true", "", 1)
	src = strings.Replace(src, "record: [0, 1]", "record: true", 1)
	if err := os.WriteFile(modelFile, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	outs := map[string]string{}
	for _, budget := range []string{"0", "8MiB"} {
		out := filepath.Join(dir, "out"+budget)
		run := exec.Command(bin, "run", modelFile, "--out", out, "--no-store", "--quiet", "--set", "duration=300*ms", "--memory-budget", budget)
		msg, err := run.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %s", err, msg)
		}
		outs[budget] = out
		// vm: 3000 samples of 2000 values, 48 MB, is projected past 8 MiB.
		if streamed := strings.Contains(string(msg), "monitor 'vm' streams to"); streamed != (budget != "0") {
			t.Errorf("--memory-budget %s: %s", budget, msg)
		}
	}
	for _, name := range []string{"spikes.npz", "vm.npz"} {
		a, _ := os.ReadFile(filepath.Join(outs["0"], name))
		b, _ := os.ReadFile(filepath.Join(outs["8MiB"], name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs when streamed", name)
		}
	}
	msg, err := exec.Command(bin, "run", modelFile, "--memory-budget", "lots", "--no-store").CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(msg), "is not a size") {
		t.Errorf("a bad --memory-budget: %v %s", err, msg)
	}
}
