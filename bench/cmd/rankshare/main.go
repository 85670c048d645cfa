// Command rankshare measures the computation of one rank of a network
// spread over many ranks, on one core of this machine: it runs the model
// once on one rank, recording every spike exchange, and then runs the
// share of chosen ranks of R, each alone, answering its exchanges from the
// recording (dist.Replay). The rank's neurons get exactly the spikes they
// would get on a cluster, so its loop time is the computation a rank does
// per step there; what it leaves out is the waiting and the transfer of a
// real collective, which docs/distributed.md models separately.
//
//	go run ./bench/cmd/rankshare -ranks 1,2,4,8,16,32,64,128 bench/models/brunel.yaml
//
// For each R it times the first, middle and last rank (blocks differ in
// size by one neuron at most, but not in activity), each -reps times,
// keeping the fastest run of each rank, and prints the slowest rank, its
// time per step, the speed-up over the share of one rank (R = 1) and the
// synapses it holds.
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/dist"
	"github.com/soma-sim/soma/model"
)

var (
	reps      int
	firstOnly bool
	profile   string
)

type setFlags []string

func (s *setFlags) String() string     { return strings.Join(*s, " ") }
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

func main() {
	ranksFlag := flag.String("ranks", "1,2,4,8,16,32,64,128", "rank counts to measure")
	var sets setFlags
	flag.Var(&sets, "set", "override a constant: NAME=EXPR (repeatable)")
	flag.IntVar(&reps, "reps", 3, "runs of each share; the fastest counts (other load on the machine only slows a run down)")
	flag.BoolVar(&firstOnly, "first", false, "time rank 0 alone for each R (for networks whose every block has the same mix of neurons)")
	flag.StringVar(&profile, "cpuprofile", "", "write a CPU profile of rank 0's share at the largest R to this file")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: rankshare [-ranks 1,2,4] [-set NAME=EXPR] MODEL.yaml")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), sets, *ranksFlag); err != nil {
		fmt.Fprintln(os.Stderr, "rankshare:", err)
		os.Exit(1)
	}
}

func run(file string, sets []string, ranksList string) error {
	var counts []int
	for _, f := range strings.Split(ranksList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-ranks: %q is not a rank count", f)
		}
		counts = append(counts, n)
	}
	rec := dist.NewRecorder()
	whole, err := share(file, sets, rec, "")
	if err != nil {
		return err
	}
	steps := whole.steps
	fmt.Printf("%s: %d steps, %.1f spikes exchanged per step, %d synapses\n", file, steps, whole.spikesPerStep, whole.synapses)
	fmt.Printf("one rank (recording): loop %.3f s, %.2f µs per step\n\n", whole.loop.Seconds(), us(whole.loop, steps))
	fmt.Println("| ranks | slowest rank's loop (s) | µs per step | speed-up | synapses per rank |")
	fmt.Println("|---:|---:|---:|---:|---:|")
	base := whole.loop // the speed-ups are against the share of one rank, when measured
	for _, R := range counts {
		var slowest result
		for _, r := range sample(R) {
			prof := ""
			if r == 0 && R == counts[len(counts)-1] {
				prof = profile
			}
			var fastest result
			for k := range max(reps, 1) {
				res, err := share(file, sets, dist.NewReplay(rec.Recording(), r, R), prof)
				if err != nil {
					return fmt.Errorf("rank %d of %d: %w", r, R, err)
				}
				if k == 0 || res.loop < fastest.loop {
					fastest = res
				}
				prof = ""
			}
			if fastest.loop > slowest.loop {
				slowest = fastest
			}
		}
		if R == 1 {
			base = slowest.loop
		}
		fmt.Printf("| %d | %.3f | %.2f | %.2f | %d |\n", R, slowest.loop.Seconds(), us(slowest.loop, steps),
			base.Seconds()/slowest.loop.Seconds(), slowest.synapses)
	}
	return nil
}

func sample(R int) []int {
	if firstOnly {
		return []int{0}
	}
	if R < 3 {
		return []int{0, R - 1}[:R]
	}
	return []int{0, R / 2, R - 1}
}

func us(d time.Duration, steps int64) float64 { return float64(d.Microseconds()) / float64(steps) }

type result struct {
	loop          time.Duration
	steps         int64
	spikesPerStep float64
	synapses      int
}

// share builds the model, distributes it over c and times its run
// (without gathering), with a CPU profile when profile is a file name.
func share(file string, sets []string, c soma.Comm, profile string) (result, error) {
	m, err := model.Load(file, sets, model.Threads(1))
	if err != nil {
		return result{}, err
	}
	if err := m.Net.Distribute(c); err != nil {
		return result{}, err
	}
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return result{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return result{}, err
		}
		defer pprof.StopCPUProfile()
	}
	loop, err := m.Run(model.RunOptions{Threads: 1})
	if err != nil {
		return result{}, err
	}
	res := result{loop: loop}
	for _, s := range m.Synapses {
		res.synapses += s.Syn.Len()
	}
	x := m.Net.Exchanged()
	// Spikes are exchanged once per window of steps: count the steps.
	res.steps = int64(math.Round(m.Net.T() / m.Net.DT()))
	if res.steps > 0 {
		res.spikesPerStep = float64(x.Received) / float64(res.steps)
	}
	return res, nil
}
