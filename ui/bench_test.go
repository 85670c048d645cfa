package ui_test

import (
	"context"
	"testing"

	"github.com/soma-sim/soma/ui"
)

// benchDuration is the simulated time of the CUBA benchmarks.
const benchDuration = "duration=10*second"

// BenchmarkCUBAHeadless runs CUBA 4000 without the UI, for comparison
// with BenchmarkCUBAServed.
func BenchmarkCUBAHeadless(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		m := cuba(b, benchDuration)
		b.StartTimer()
		if err := m.Net.Run(m.Duration()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCUBAServed runs the same plan through the UI's simulation
// goroutine, in chunks, recording what the page shows, with a tab
// attached that decodes every frame (the browser's drawing is measured by
// BenchmarkCUBAWithPage in the browser tests).
func BenchmarkCUBAServed(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		m := cuba(b, benchDuration)
		_, ts := start(b, m.Net, ui.ModelOptions(m))
		tb := dial(b, ts)
		tb.do(map[string]any{"cmd": "select", "selection": []map[string]any{{"group": "P", "index": 0}, {"group": "P", "index": 1}}})
		b.StartTimer()
		tb.do(map[string]any{"cmd": "run"})
		tb.until(func() bool { return tb.status["planDone"] == true && tb.status["mode"] == "paused" })
	}
}

// BenchmarkSetConstant edits a constant that the kernels folded (El in
// CUBA) through the UI: parse, dimension check and recompilation.
func BenchmarkSetConstant(b *testing.B) {
	m := cuba(b)
	srv, _ := start(b, m.Net, ui.ModelOptions(m))
	ctx := context.Background()
	values := []string{"-49*mV", "-48*mV"}
	k := 0
	for b.Loop() {
		if _, err := srv.Do(ctx, map[string]any{"cmd": "set", "target": "const/El", "value": values[k%2]}); err != nil {
			b.Fatal(err)
		}
		k++
	}
}
