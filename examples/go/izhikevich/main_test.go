package main

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/ui"
)

// TestIzhikevichBehaviours runs PymoNNto's network and reads the results
// through the recorders' tags.
func TestIzhikevichBehaviours(t *testing.T) {
	net := soma.NewNetwork()
	net.Seed(1)
	if err := buildBehaviours(net, true); err != nil {
		t.Fatal(err)
	}
	timing, err := net.SimulateIterations(1000, soma.MeasureTime())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"E.IzhikevichMain", "E.IzhikevichInput", "I.Recorder"} {
		if timing.Of(name) <= 0 {
			t.Errorf("no time measured for %s", name)
		}
	}
	recs, err := soma.FindAll[*soma.Recorder](net, "my_recorder")
	if err != nil || len(recs) != 2 {
		t.Fatalf("recorders: %v, %v", recs, err)
	}
	spikes, err := soma.FindAll[*soma.EventRecorder](net, "spikes")
	if err != nil {
		t.Fatal(err)
	}
	for k, n := range []int{nE, nI} {
		v, err := recs[k].Values("v")
		if err != nil {
			t.Fatal(err)
		}
		if len(v) != 1000 || len(v[0]) != n {
			t.Fatalf("v has shape %dx%d, want 1000x%d", len(v), len(v[0]), n)
		}
		// The spikes the EventRecorder saw are the fired flags the
		// Recorder saw, step by step.
		fired, _ := recs[k].Values("fired")
		count := 0
		for _, row := range fired {
			for _, f := range row {
				count += int(f)
			}
		}
		if count != spikes[k].Len() {
			t.Errorf("group %d: %d fired flags, %d spikes", k, count, spikes[k].Len())
		}
		rate := float64(count) / float64(n) / 0.5
		if rate < 5 || rate > 80 {
			t.Errorf("group %d fires at %.1f Hz", k, rate)
		}
		for _, row := range v {
			for _, x := range row {
				if !(x > -100 && x < 1000) { // one Euler step may overshoot 30 mV
					t.Fatalf("v out of range: %g", x)
				}
			}
		}
	}
	dir := t.TempDir()
	if err := report(net, dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"raster.png", "v.png", "E_recorder.npz", "I_spikes.npz"} {
		if m, _ := filepath.Glob(filepath.Join(dir, f)); len(m) == 0 {
			t.Errorf("%s not written", f)
		}
	}
}

// TestIzhikevichBrian checks that the Brian2-style twin is as active.
func TestIzhikevichBrian(t *testing.T) {
	net := soma.NewNetwork()
	net.Seed(1)
	mons, err := buildBrian(net, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := net.SimulateIterations(1000); err != nil {
		t.Fatal(err)
	}
	for k, n := range []int{nE, nI} {
		rate := float64(mons[k].NumSpikes()) / float64(n) / 0.5
		if rate < 5 || rate > 80 {
			t.Errorf("group %d fires at %.1f Hz", k, rate)
		}
	}
}

// BenchmarkIzhikevich compares the network written with behaviours with
// its Brian2-style twin, in steps per second (after 100 steps to settle),
// without and with recording. Spikes per step are reported too: the
// synaptic work grows with them, and the two models' numbers differ a
// little.
//
//	go test -bench Izhikevich -run ^$ ./examples/go/izhikevich
func BenchmarkIzhikevich(b *testing.B) {
	for _, c := range []struct {
		name   string
		brian  bool
		record bool
		timing bool
	}{
		{"behaviours", false, false, false},
		{"behaviours-timed", false, false, true},
		{"brian", true, false, false},
		{"behaviours-recording", false, true, false},
		{"brian-recording", true, true, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			net := soma.NewNetwork()
			net.Seed(1)
			var err error
			if c.brian {
				_, err = buildBrian(net, c.record)
			} else {
				err = buildBehaviours(net, c.record)
			}
			if err != nil {
				b.Fatal(err)
			}
			spikes, err := net.SpikeMonitor(mustGroup(b, net, "E"), soma.RecordNone())
			if err != nil {
				b.Fatal(err)
			}
			var opts []soma.Option
			if c.timing {
				opts = append(opts, soma.MeasureTime())
			}
			if _, err := net.SimulateIterations(100, opts...); err != nil {
				b.Fatal(err)
			}
			before := spikes.NumSpikes()
			b.ResetTimer()
			if _, err := net.SimulateIterations(b.N, opts...); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
			b.ReportMetric(float64(spikes.NumSpikes()-before)/float64(b.N), "E-spikes/step")
		})
	}
}

func mustGroup(b *testing.B, net *soma.Network, tag string) *soma.NeuronGroup {
	g, err := soma.FindOne[*soma.NeuronGroup](net, tag)
	if err != nil {
		b.Fatal(err)
	}
	return g
}

// TestUI steps the network served by -ui through the UI's commands.
func TestUI(t *testing.T) {
	net := soma.NewNetwork()
	net.Seed(1)
	if err := buildBehaviours(net, false); err != nil {
		t.Fatal(err)
	}
	srv, err := ui.New(net, ui.Options{Variables: []string{"v", "u", "fired"}, Synapses: []string{"w"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	go srv.Run(ctx)
	if _, err := srv.Do(ctx, map[string]any{"cmd": "step", "n": 100}); err != nil {
		t.Fatal(err)
	}
	for st := srv.Status(); st.Mode != "paused" || st.Step != 100; st = srv.Status() {
		if ctx.Err() != nil {
			t.Fatalf("status %+v", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := net.T(); math.Abs(got-100*dt) > 1e-12 {
		t.Errorf("t = %g s after 100 steps of %g s", got, dt)
	}
}
