package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// Probe is what several threads give on this machine at one moment: for
// two fixed pieces of work, the time on one thread over the time split
// between the threads. On a machine whose cores are all free both are
// close to the number of threads; a virtual machine whose cores share
// physical ones with other guests gives less, and then no program can
// gain more from its threads. The suite probes once per round of each
// network, so that the probes see what the simulators saw.
type Probe struct {
	Compute float64 `json:"compute"` // arithmetic that touches no memory
	Memory  float64 `json:"memory"`  // random reads of a table larger than the caches, like delivering synaptic events
}

// probeSink keeps the probes' results alive, so that the compiler cannot
// drop their work.
var probeSink [8 * 64]float64

// ProbeThreads measures a Probe for threads threads (at least 2): each
// piece of work is timed three times on one thread and three times split,
// alternating, and the medians are compared. It takes about a second.
//
// The suite probes in a child process (ServeProbe): a process the suite
// starts begins as a copy of it, and its peak memory would count the
// memory probe's table (128 MiB) otherwise.
func ProbeThreads(threads int) Probe {
	table := make([]float32, 1<<25)
	for i := range table {
		table[i] = float32(i & 1023)
	}
	compute := func(part, parts int) {
		x := float64(part)
		for i := 0; i < (1<<26)/parts; i++ {
			x = x*0.999999 + 1e-3
		}
		probeSink[part*8] = x
	}
	memory := func(part, parts int) {
		s, idx := float32(0), uint32(part)*2654435761
		mask := uint32(len(table) - 1)
		for i := 0; i < (1<<23)/parts; i++ {
			idx = idx*1664525 + 1013904223
			s += table[idx&mask]
		}
		probeSink[part*8] = float64(s)
	}
	return Probe{Compute: probeRatio(compute, threads), Memory: probeRatio(memory, threads)}
}

// probeRatio times work on one goroutine and on threads, alternately.
func probeRatio(work func(part, parts int), threads int) float64 {
	run := func(parts int) time.Duration {
		began := time.Now()
		var wg sync.WaitGroup
		for p := range parts {
			wg.Add(1)
			go func() { defer wg.Done(); work(p, parts) }()
		}
		wg.Wait()
		return time.Since(began)
	}
	var one, many []float64
	for range 3 {
		one = append(one, float64(run(1)))
		many = append(many, float64(run(threads)))
	}
	return Median(one) / Median(many)
}

// probeEnv asks a process started by probeInChild for a probe.
const probeEnv = "SOMA_BENCH_PROBE"

// ServeProbe makes the suite's command its own probe: when started by
// probeInChild, it prints a Probe as JSON and exits. Call it first in
// main.
func ServeProbe() {
	v := os.Getenv(probeEnv)
	if v == "" {
		return
	}
	threads, err := strconv.Atoi(v)
	if err != nil || threads < 2 {
		fmt.Fprintf(os.Stderr, "%s=%q: want a number of threads above 1\n", probeEnv, v)
		os.Exit(2)
	}
	if err := json.NewEncoder(os.Stdout).Encode(ProbeThreads(threads)); err != nil {
		os.Exit(1)
	}
	os.Exit(0)
}

// probeInChild runs ProbeThreads in a child process: this executable
// again, which must call ServeProbe.
func probeInChild(ctx context.Context, threads int) (Probe, error) {
	exe, err := os.Executable()
	if err != nil {
		return Probe{}, err
	}
	n := strconv.Itoa(threads)
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), probeEnv+"="+n, "GOMAXPROCS="+n)
	out, err := cmd.Output()
	if err != nil {
		return Probe{}, fmt.Errorf("probe: %w", err)
	}
	var p Probe
	if err := json.Unmarshal(out, &p); err != nil {
		return Probe{}, fmt.Errorf("probe: %w (the command must call bench.ServeProbe)", err)
	}
	return p, nil
}
