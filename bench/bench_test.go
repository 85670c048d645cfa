package bench

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soma-sim/soma/model"
)

// The test binary doubles as the child process of the runProcess tests,
// and is its own probe, as the suite's command is.
func TestMain(m *testing.M) {
	ServeProbe()
	switch os.Getenv("BENCH_TEST_CHILD") {
	case "":
		os.Exit(m.Run())
	case "alloc":
		// Touch 64 MiB so that the peak RSS is visibly above it.
		b := make([]byte, 64<<20)
		for i := range b {
			b[i] = byte(i)
		}
		os.Stdout.Write(b[:1])
		os.Exit(0)
	case "fail":
		os.Stderr.WriteString("first line\nsomething went wrong\n")
		os.Exit(3)
	case "sleep":
		time.Sleep(time.Minute)
		os.Exit(0)
	}
}

func child(kind string) []string { return append(os.Environ(), "BENCH_TEST_CHILD="+kind) }

func TestRunProcess(t *testing.T) {
	ctx := context.Background()
	s, out := runProcess(ctx, time.Minute, "", child("alloc"), os.Args[0])
	if !s.OK() {
		t.Fatalf("alloc child failed: %s", s.Err)
	}
	if len(out) != 1 {
		t.Errorf("output %q, want the one byte the child wrote", out)
	}
	if s.Wall <= 0 || s.CPU <= 0 {
		t.Errorf("wall %v, CPU %v: want both > 0", s.Wall, s.CPU)
	}
	if s.MaxRSSKiB != 0 && s.MaxRSSKiB < 64<<10 {
		t.Errorf("peak RSS %d KiB, want at least 64 MiB", s.MaxRSSKiB)
	}

	s, _ = runProcess(ctx, time.Minute, "", child("fail"), os.Args[0])
	if s.OK() || s.TimedOut || !strings.Contains(s.Err, "something went wrong") {
		t.Errorf("failing child: %+v", s)
	}

	s, _ = runProcess(ctx, 200*time.Millisecond, "", child("sleep"), os.Args[0])
	if !s.TimedOut || s.OK() {
		t.Errorf("sleeping child was not timed out: %+v", s)
	}
	if s.Wall > 30*time.Second {
		t.Errorf("timed-out child took %v to stop", s.Wall)
	}
}

func TestParseSomaSummary(t *testing.T) {
	data := []byte(`{
  "name": "two",
  "seed": 1,
  "dt": 0.0001,
  "duration": 2,
  "wall_seconds": 0.25,
  "groups": {
    "E": {"N": 3000, "spikes": 60000, "mean_rate_hz": 10},
    "I": {"N": 1000, "spikes": 40000, "mean_rate_hz": 20}
  },
  "synapses": {"S": {"count": 12}}
}`)
	rate, loop, err := ParseSomaSummary(data)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(rate-12.5) > 1e-12 {
		t.Errorf("rate %g, want 12.5 (weighted by group size)", rate)
	}
	if loop != 250*time.Millisecond {
		t.Errorf("loop %v, want 250ms", loop)
	}
	for _, bad := range []string{`{`, `{"groups": {}}`, `{"groups": {"G": {"N": 0}}}`} {
		if _, _, err := ParseSomaSummary([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// writeBrianProject fakes what bench/brian2/common.py and a run of the
// compiled binary leave behind.
func writeBrianProject(t *testing.T, counts map[string]int32, lastRun string) (string, *BrianMeta) {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "results"), 0o755); err != nil {
		t.Fatal(err)
	}
	meta := `{"name": "fake", "duration": 0.5, "threads": 0, "binary": "main", "groups": {
  "E": {"N": 800, "count_file": "results/_array_spikemonitor_N_1", "dtype": "int32"},
  "I": {"N": 200, "count_file": "results/_array_spikemonitor_1_N_2", "dtype": "int32"}}}`
	if err := os.WriteFile(filepath.Join(dir, "bench.json"), []byte(meta), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := ReadBrianMeta(dir)
	if err != nil {
		t.Fatal(err)
	}
	for g, c := range counts {
		b := binary.NativeEndian.AppendUint32(nil, uint32(c))
		if err := os.WriteFile(filepath.Join(dir, m.Groups[g].CountFile), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if lastRun != "" {
		if err := os.WriteFile(filepath.Join(dir, lastRunInfo), []byte(lastRun), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, m
}

func TestReadBrianResults(t *testing.T) {
	dir, m := writeBrianProject(t, map[string]int32{"E": 4000, "I": 1000}, "1.25 1\n")
	rate, loop, err := ReadBrianResults(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(rate-10) > 1e-12 { // 5000 spikes / (1000 neurons * 0.5 s)
		t.Errorf("rate %g, want 10", rate)
	}
	if loop != 1250*time.Millisecond {
		t.Errorf("loop %v, want 1.25s", loop)
	}

	if err := ClearBrianResults(dir, m); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadBrianResults(dir, m); err == nil {
		t.Error("results read after ClearBrianResults")
	}
	if err := ClearBrianResults(dir, m); err != nil {
		t.Errorf("clearing twice: %v", err)
	}

	dir, m = writeBrianProject(t, map[string]int32{"E": 1, "I": 1}, "0.5 0.4\n")
	if _, _, err := ReadBrianResults(dir, m); err == nil || !strings.Contains(err.Error(), "40%") {
		t.Errorf("incomplete run: err = %v", err)
	}
	dir, m = writeBrianProject(t, map[string]int32{"E": 1}, "0.5 1\n")
	if _, _, err := ReadBrianResults(dir, m); err == nil {
		t.Error("missing count file: no error")
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		in := slices.Clone(c.xs)
		if got := Median(c.xs); got != c.want {
			t.Errorf("Median(%v) = %g, want %g", c.xs, got, c.want)
		}
		if !slices.Equal(in, c.xs) {
			t.Errorf("Median reordered its argument")
		}
	}
	if !math.IsNaN(Median(nil)) {
		t.Error("Median(nil) is not NaN")
	}
}

func TestSummarise(t *testing.T) {
	ok := func(wall float64) Sample {
		return Sample{Wall: seconds(wall), Loop: seconds(wall / 2), CPU: seconds(wall), MaxRSSKiB: 2048, Rate: 5}
	}
	st := Summarise([]Sample{ok(3), ok(1), ok(2)}, "")
	if st.Fail != "" || st.Runs != 3 || st.Wall != seconds(2) || st.Loop != seconds(1) || st.MaxRSSKiB != 2048 ||
		st.MinWall != seconds(1) || st.MaxWall != seconds(3) {
		t.Errorf("medians: %+v", st)
	}
	if st := Summarise([]Sample{ok(3), {Err: "crashed"}, ok(1), ok(2)}, ""); st.Fail != "1/4 failed" {
		t.Errorf("a failed run must mark the network: %+v", st)
	}
	if st := Summarise([]Sample{ok(1), {TimedOut: true, Err: "timed out"}}, ""); st.Fail != "timeout" {
		t.Errorf("a timeout must mark the network: %+v", st)
	}
	if st := Summarise([]Sample{{Err: "x"}}, ""); st.Fail != "1/1 failed" {
		t.Errorf("all failed: %+v", st)
	}
	if st := Summarise(nil, "build failed"); st.Fail != "build failed" {
		t.Errorf("status: %+v", st)
	}
	if st := Summarise(nil, ""); st.Fail != "not run" {
		t.Errorf("no samples: %+v", st)
	}
}

func TestWriteTables(t *testing.T) {
	s := func(wall, loop, cpu float64, rss int64, rate float64) Sample {
		return Sample{Wall: seconds(wall), Loop: seconds(loop), CPU: seconds(cpu), MaxRSSKiB: rss, Rate: rate}
	}
	results := []Result{
		{
			Net:    Network{Name: "cuba", N: 4000, Duration: 2},
			Soma:   []Sample{s(0.5, 0.3, 0.5, 20480, 5.8), s(0.7, 0.4, 0.6, 22528, 5.8), s(0.6, 0.35, 0.55, 21504, 5.8)},
			Brian:  []Sample{s(0.3, 0.2, 0.3, 13312, 5.6), s(0.3, 0.2, 0.3, 13312, 5.6), s(0.3, 0.2, 0.3, 13312, 5.6)},
			OpenMP: []Sample{s(0.2, 0.1, 0.4, 14336, 5.6)},
		},
		{
			Net:          Network{Name: "cuba-1M", N: 1000000, Duration: 0.1},
			Soma:         []Sample{s(18.1, 5.7, 18, 1849308, 6.14)},
			Brian:        []Sample{{TimedOut: true, Err: "timed out after 10m0s"}},
			OpenMPStatus: "build failed",
		},
	}
	var buf bytes.Buffer
	if err := WriteTables(&buf, results, TableOptions{Threads: 2, Brian: true, OpenMP: true}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	tables := strings.Split(strings.TrimSpace(out), "\n\n")
	if len(tables) != 3 {
		t.Fatalf("want 3 tables, got %d:\n%s", len(tables), out)
	}
	for k, tab := range tables {
		lines := strings.Split(tab, "\n")
		if len(lines) != 2+len(results) {
			t.Errorf("table %d: %d lines, want %d", k, len(lines), 2+len(results))
		}
		bars := strings.Count(lines[0], "|")
		for _, l := range lines {
			if strings.Count(l, "|") != bars || len([]rune(l)) != len([]rune(lines[0])) {
				t.Errorf("table %d: ragged line %q", k, l)
			}
		}
		if !regexp.MustCompile(`^\| :-+ \|( -+: \|)+$`).MatchString(lines[1]) {
			t.Errorf("table %d: bad separator %q", k, lines[1])
		}
	}
	cells := func(line string) []string {
		f := strings.Split(strings.Trim(line, "|"), "|")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		return f
	}
	main := strings.Split(tables[0], "\n")
	head := cells(main[0])
	wantHead := []string{"network", "N", "T (s)", "soma (s)", "Brian2 (s)", "soma/Brian2",
		"Brian2 OpenMP 2 thr (s)", "soma/OpenMP", "RSS soma (MiB)", "RSS Brian2 (MiB)", "RSS OpenMP (MiB)",
		"rate soma (Hz)", "rate Brian2 (Hz)", "rate OpenMP (Hz)"}
	if !slices.Equal(head, wantHead) {
		t.Errorf("head %q, want %q", head, wantHead)
	}
	wantCuba := []string{"cuba", "4000", "2", "0.600", "0.300", "2.00", "0.200", "3.00", "21", "13", "14", "5.80", "5.60", "5.60"}
	if got := cells(main[2]); !slices.Equal(got, wantCuba) {
		t.Errorf("cuba row %q, want %q", got, wantCuba)
	}
	wantBig := []string{"cuba-1M", "1000000", "0.1", "18.1", "timeout", "—", "build failed", "—", "1806", "—", "—", "6.14", "—", "—"}
	if got := cells(main[3]); !slices.Equal(got, wantBig) {
		t.Errorf("cuba-1M row %q, want %q", got, wantBig)
	}
	detail := strings.Split(tables[1], "\n")
	wantDetail := []string{"cuba", "0.350", "0.200", "1.75", "0.100", "3.50", "0.550", "0.300", "1.83", "0.250", "0.100"}
	if got := cells(detail[2]); !slices.Equal(got, wantDetail) {
		t.Errorf("cuba detail row %q, want %q", got, wantDetail)
	}

	spread := strings.Split(tables[2], "\n")
	wantSpread := []string{"cuba", "3", "0.500–0.700", "3", "0.300–0.300", "1", "0.200–0.200"}
	if got := cells(spread[2]); !slices.Equal(got, wantSpread) {
		t.Errorf("cuba spread row %q, want %q", got, wantSpread)
	}
	wantSpread = []string{"cuba-1M", "1", "18.1–18.1", "—", "—", "—", "—"}
	if got := cells(spread[3]); !slices.Equal(got, wantSpread) {
		t.Errorf("cuba-1M spread row %q, want %q", got, wantSpread)
	}

	buf.Reset()
	if err := WriteTables(&buf, results, TableOptions{Threads: 2, Brian: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "OpenMP") {
		t.Errorf("OpenMP columns without the OpenMP build:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "Brian2") {
		t.Errorf("no Brian2 columns:\n%s", buf.String())
	}

	buf.Reset()
	if err := WriteTables(&buf, results, TableOptions{Threads: 2}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Brian2") || strings.Contains(buf.String(), "OpenMP") {
		t.Errorf("Brian2 columns without Brian2:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "| cuba-1M |") || !strings.Contains(buf.String(), "soma loop (s)") {
		t.Errorf("soma alone:\n%s", buf.String())
	}
}

func TestFormatSeconds(t *testing.T) {
	for _, c := range []struct {
		s    float64
		want string
	}{{0.0123, "0.012"}, {0.5, "0.500"}, {2.346, "2.35"}, {12.34, "12.3"}, {345.6, "346"}} {
		if got := formatSeconds(seconds(c.s)); got != c.want {
			t.Errorf("formatSeconds(%g) = %q, want %q", c.s, got, c.want)
		}
	}
}

func TestSelect(t *testing.T) {
	all := Networks()
	names := func(ns []Network) []string {
		var out []string
		for _, n := range ns {
			out = append(out, n.Name)
		}
		return out
	}
	def, err := Select(all, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range def {
		if n.Large {
			t.Errorf("default selection has the large point %s", n.Name)
		}
	}
	withLarge, _ := Select(all, nil, true)
	if len(withLarge) != len(all) {
		t.Errorf("-large selects %d of %d", len(withLarge), len(all))
	}
	got, err := Select(all, []string{"coba", " cuba-1M", "cuba"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"cuba", "coba", "cuba-1M"}; !slices.Equal(names(got), want) {
		t.Errorf("explicit selection %v, want %v (suite order; a named large point is kept)", names(got), want)
	}
	got, _ = Select(all, []string{"scaling"}, false)
	if want := []string{"cuba", "cuba-16k", "cuba-64k"}; !slices.Equal(names(got), want) {
		t.Errorf("scaling %v, want %v", names(got), want)
	}
	got, _ = Select(all, []string{"scaling"}, true)
	if want := []string{"cuba", "cuba-16k", "cuba-64k", "cuba-250k", "cuba-1M"}; !slices.Equal(names(got), want) {
		t.Errorf("scaling with -large %v, want %v", names(got), want)
	}
	if _, err := Select(all, []string{"cubba"}, false); err == nil || !strings.Contains(err.Error(), "cuba") {
		t.Errorf("unknown network: err = %v", err)
	}
}

// TestNetworkFiles checks that every network's model file decodes, that the
// constants it overrides exist, that it monitors spikes (for the rate), and
// that the biological time agrees between the suite, the model file and
// the Brian2 script. It builds and runs nothing.
func TestNetworkFiles(t *testing.T) {
	durationRe := regexp.MustCompile(`parse_args\(__doc__, duration=([0-9.]+)`)
	buildRe := regexp.MustCompile(`(?m)^build\(args, `)
	seen := map[string]bool{}
	for _, n := range Networks() {
		if seen[n.Name] {
			t.Errorf("network %s listed twice", n.Name)
		}
		seen[n.Name] = true
		spec, err := model.ReadFile(filepath.Join("models", n.Model))
		if err != nil {
			t.Errorf("%s: %v", n.Name, err)
			continue
		}
		consts := map[string]string{}
		for _, c := range spec.Constants {
			consts[c.Name] = strings.TrimSpace(c.S)
		}
		for _, set := range n.Sets {
			name, _, _ := strings.Cut(set, "=")
			if _, ok := consts[name]; !ok {
				t.Errorf("%s: --set %s: %s has no constant %s", n.Name, set, n.Model, name)
			}
		}
		spikes := false
		for _, m := range spec.Monitors {
			spikes = spikes || m.Type == "spike"
		}
		if !spikes {
			t.Errorf("%s: %s has no spike monitor", n.Name, n.Model)
		}
		if n.Script == "" {
			continue // soma alone, with its duration in Sets
		}
		if len(spec.Run) != 1 || strings.TrimSpace(spec.Run[0].Duration.S) != "T" {
			t.Errorf("%s: %s should run for the constant T", n.Name, n.Model)
		}

		script, err := os.ReadFile(filepath.Join("brian2", n.Script))
		if err != nil {
			t.Errorf("%s: %v", n.Name, err)
			continue
		}
		if !buildRe.Match(script) {
			t.Errorf("%s: %s does not end with build(args, ...)", n.Name, n.Script)
		}
		if len(n.Sets) > 0 {
			continue // scaled: duration given on both command lines
		}
		if want := formatFloat(n.Duration) + "*second"; consts["T"] != want {
			t.Errorf("%s: %s has T = %q, the suite says %s", n.Name, n.Model, consts["T"], want)
		}
		m := durationRe.FindSubmatch(script)
		if m == nil {
			t.Errorf("%s: %s: no default duration found", n.Name, n.Script)
			continue
		}
		if d, err := strconv.ParseFloat(string(m[1]), 64); err != nil || d != n.Duration {
			t.Errorf("%s: %s defaults to %s s, the suite says %g", n.Name, n.Script, m[1], n.Duration)
		}
	}
}

func TestReportRoundTrip(t *testing.T) {
	rep := &Report{
		Machine:    Machine{CPUs: 2, CPUModel: "Test CPU", MemTotal: "24683620 kB", Kernel: "linux", Go: "go1"},
		Reps:       3,
		LargeReps:  1,
		Threads:    2,
		OpenMP:     true,
		Elapsed:    90 * time.Second,
		LoadBefore: "1.00 1.00 1.00",
		LoadAfter:  "2.00 1.50 1.00",
		Results: []Result{{
			Net:    Network{Name: "cuba", N: 4000, Duration: 2},
			Soma:   []Sample{{Wall: seconds(0.5), Loop: seconds(0.4), Rate: 5.8}},
			Brian:  []Sample{{Wall: seconds(0.25), Loop: seconds(0.2), Rate: 5.6}},
			OpenMP: []Sample{{Wall: seconds(1), Loop: seconds(0.9), Rate: 5.6}},
		}},
	}
	path := filepath.Join(t.TempDir(), "results.json")
	if err := rep.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := rep.WriteMarkdown(&a); err != nil {
		t.Fatal(err)
	}
	if err := back.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("saved and loaded reports differ:\n%s\n---\n%s", a.String(), b.String())
	}
	for _, want := range []string{"Medians of 3 (large scaling points: 1) alternating runs", "1m30s", "| cuba ", "2.00",
		"Test CPU, 2 logical CPUs", "memory: 23.5 GiB", "before: 1.00 1.00 1.00; after: 2.00 1.50 1.00"} {
		if !strings.Contains(a.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, a.String())
		}
	}
}

// TestWriteTablesOneThreadBeside: soma's one-thread runs of the same
// rounds give their own columns and the speed-up of threads.
func TestWriteTablesOneThreadBeside(t *testing.T) {
	s := func(wall, loop float64) Sample { return Sample{Wall: seconds(wall), Loop: seconds(loop), Rate: 5} }
	results := []Result{{
		Net:      Network{Name: "brunel", N: 12500, Duration: 0.2},
		Soma:     []Sample{s(2.0, 1.0), s(2.2, 1.2), s(2.1, 1.1)},
		SomaOne:  []Sample{s(3.0, 2.0), s(3.4, 2.1), s(3.2, 1.9)},
		Probes:   []Probe{{Compute: 1.9, Memory: 1.5}, {Compute: 1.2, Memory: 1.7}, {Compute: 2.0, Memory: 1.6}},
		SomaAuto: []Sample{s(2.2, 1.0), s(2.1, 1.0), s(2.3, 1.0)},
	}}
	var buf bytes.Buffer
	if err := WriteTables(&buf, results, TableOptions{Threads: 2}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"soma 1 thr (s)", "soma 1 thr loop (s)", " 3.20 |", " 1.52 |", " 2.00 |", " 1.82 |",
		"machine: arithmetic", "| brunel  |                 1.82 |             1.75 |               1.00 |       2.00 |             2.00 |                1.90 |                  1.60 |"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	buf.Reset()
	results[0].SomaOne, results[0].Probes, results[0].SomaAuto = nil, nil, nil
	if err := WriteTables(&buf, results, TableOptions{Threads: 2}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "1 thr") {
		t.Errorf("one-thread columns without one-thread runs:\n%s", buf.String())
	}
}

// TestProbeThreads: the probe, run in a child process as the suite runs
// it, times real work on one thread and on two.
func TestProbeThreads(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a second")
	}
	p, err := probeInChild(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	for name, x := range map[string]float64{"arithmetic": p.Compute, "memory": p.Memory} {
		// Two threads on one core give about 1; on two free cores, about 2.
		if !(x > 0.3 && x < 3) {
			t.Errorf("%s: one thread over two = %v", name, x)
		}
	}
}
