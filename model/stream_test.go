package model

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/soma-sim/soma/output"
)

// streamModel has a monitor of each type: spikes with a recorded
// variable, custom events, two state monitors and a population rate.
const streamModel = `
name: streams
seed: 7
groups:
  G:
    N: 40
    model: |
      dv/dt = (1.2 - v)/(10*ms) + 0.4*xi/sqrt(ms) : 1
      dw/dt = (v - w)/(5*ms) : 1
    threshold: v > 1
    reset: v = 0
    events:
      up: v > 0.9
    method: euler
    init:
      v: rand()
monitors:
  spikes: {type: spike, source: G, variables: [v, w]STREAM}
  ups:    {type: event, source: G, event: upSTREAM}
  vm:     {type: state, source: G, variables: [v, w], record: [0, 3, 5]STREAM}
  all:    {type: state, source: G, variables: [v], record: trueSTREAM}
  rate:   {type: rate, source: GSTREAM}
run: 200*ms
`

// runStreamModel runs streamModel, every monitor given extra keys, and
// writes its results to dir.
func runStreamModel(t *testing.T, extra string, opts RunOptions, dir string) *Model {
	t.Helper()
	spec, err := Decode("streams.yaml", []byte(strings.ReplaceAll(streamModel, "STREAM", extra)))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	wall, err := m.Run(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.WriteOutputs(dir, wall, nil); err != nil {
		t.Fatal(err)
	}
	return m
}

func streamOpts(t *testing.T, budget int64, chunk int) RunOptions {
	dir := filepath.Join(t.TempDir(), "streams")
	return RunOptions{StreamDir: func() (string, error) { return dir, nil }, MemoryBudget: budget, ChunkSize: chunk}
}

// TestStreamedOutputsIdentical: the .npz of every monitor type is byte for
// byte the same whether it was held in memory or streamed in chunks:
// chunks of a few records, the state monitors' transposition in blocks
// of rows or in pieces of a row, monitors streamed from the start or
// from when they passed the budget.
func TestStreamedOutputsIdentical(t *testing.T) {
	want := t.TempDir()
	runStreamModel(t, "", RunOptions{}, want)
	monitors := []string{"spikes", "ups", "vm", "all", "rate"}
	for _, c := range []struct {
		name   string
		extra  string
		budget int64
		chunk  int
	}{
		{"stream: true", ", stream: true", 0, 0},
		{"small chunks", ", stream: true", 0, 37},
		{"blocks of rows", ", stream: true", 2 * 2001 * 8, 300},
		{"pieces of rows", ", stream: true", 1000, 300},
		{"budget", "", 40 << 10, 100},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := streamOpts(t, c.budget, c.chunk)
			got := t.TempDir()
			m := runStreamModel(t, c.extra, opts, got)
			streamed := 0
			for _, mon := range m.Monitors {
				if mon.Streamer().Streaming() {
					streamed++
					files, _ := output.Chunks(mon.Streamer().StreamDir())
					if c.chunk > 0 && len(files) < 2 {
						t.Errorf("%s wrote %d chunks", mon.Spec.Name, len(files))
					}
				}
			}
			if (c.extra != "" && streamed != len(monitors)) || streamed == 0 {
				t.Errorf("%d monitors streamed", streamed)
			}
			for _, name := range monitors {
				a, err := os.ReadFile(filepath.Join(want, name+".npz"))
				if err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(filepath.Join(got, name+".npz"))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a, b) {
					t.Errorf("%s.npz differs when streamed (%d and %d bytes)", name, len(a), len(b))
				}
			}
		})
	}
}

// TestMemoryBudgetProjection: state and rate monitors whose projected
// recordings pass the budget stream from the start, the largest first,
// until the rest fits.
func TestMemoryBudgetProjection(t *testing.T) {
	var started []string
	opts := streamOpts(t, 100<<10, 50)
	opts.Streaming = func(m, dir string) {
		started = append(started, m)
		if filepath.Base(dir) != m {
			t.Errorf("%s streams to %s", m, dir)
		}
	}
	spec, err := Decode("streams.yaml", []byte(strings.ReplaceAll(streamModel, "STREAM", "")))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.prepareStreams(opts); err != nil {
		t.Fatal(err)
	}
	// all: 2000 samples of 40 values, 656 kB, streamed in chunks of 16 kB;
	// vm 2000 x 6, 112 kB (2.8 kB); rate 32 kB (0.8 kB).
	if !reflect.DeepEqual(started, []string{"all", "vm"}) {
		t.Errorf("streaming from the start: %v", started)
	}
	if m.StreamFolder() == "" {
		t.Error("no stream folder")
	}
}

// TestMaxSamplesKey: max_samples keeps the last samples of a state
// monitor.
func TestMaxSamplesKey(t *testing.T) {
	full, last := t.TempDir(), t.TempDir()
	runStreamModel(t, "", RunOptions{}, full)
	spec, err := Decode("streams.yaml", []byte(strings.Replace(strings.ReplaceAll(streamModel, "STREAM", ""), "record: [0, 3, 5]", "record: [0, 3, 5], max_samples: 30", 1)))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	wall, err := m.Run(RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.WriteOutputs(last, wall, nil); err != nil {
		t.Fatal(err)
	}
	a, err := output.ReadNPZ(filepath.Join(full, "vm.npz"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := output.ReadNPZ(filepath.Join(last, "vm.npz"))
	if err != nil {
		t.Fatal(err)
	}
	ta, _ := a.Get("t")
	tb, _ := b.Get("t")
	nt := len(ta.Data.([]float64))
	if !reflect.DeepEqual(tb.Data, ta.Data.([]float64)[nt-30:]) {
		t.Errorf("t: %v", tb.Data)
	}
	for _, v := range []string{"v", "w"} {
		va, _ := a.Get(v)
		vb, _ := b.Get(v)
		if !reflect.DeepEqual(vb.Shape, []int{3, 30}) {
			t.Fatalf("%s has shape %v", v, vb.Shape)
		}
		for r := range 3 {
			row := va.Data.([]float64)[r*nt : (r+1)*nt]
			if !reflect.DeepEqual(vb.Data.([]float64)[r*30:(r+1)*30], row[nt-30:]) {
				t.Errorf("%s, row %d differs", v, r)
			}
		}
	}
}

func TestStreamKeyErrors(t *testing.T) {
	for _, c := range []struct{ replace, with, want string }{
		{"upSTREAM", "up, stream: maybe", "stream must be true or false, got 'maybe'"},
		{"upSTREAM", "up, max_samples: 3", "option MaxSamples does not apply to a EventMonitor"},
		{"record: trueSTREAM", "record: true, max_samples: 0", "max_samples: must be at least 1"},
		{"record: trueSTREAM", "record: true, max_samples: 5, stream: true", "cannot also stream"},
	} {
		src := strings.ReplaceAll(strings.Replace(streamModel, c.replace, c.with, 1), "STREAM", "")
		spec, err := Decode("streams.yaml", []byte(src))
		if err == nil {
			_, err = Build(spec, nil)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.with, err, c.want)
		}
	}
}
