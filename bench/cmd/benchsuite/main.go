// Command benchsuite runs soma's benchmark suite: each network of bench/
// as a soma model file and as a Brian2 cpp_standalone program (single
// thread and OpenMP), alternating the simulators over several repetitions,
// and prints markdown tables of median wall times, their ratios, peak
// memory and mean firing rates.
//
// Run it from anywhere inside the repository:
//
//	go run ./bench/cmd/benchsuite [-reps 3] [-networks cuba,coba] [-large]
//
// soma is built once and each Brian2 project is generated and compiled once
// (not timed; unchanged projects are reused from bench/out/brian2 across
// invocations). Only the processes `soma run` and the compiled Brian2
// binary are timed. The tables also go to bench/out/results.md and every
// sample to bench/out/results.json; -report prints the tables of such a
// file again.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/soma-sim/soma/bench"
)

func main() {
	bench.ServeProbe()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchsuite:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		reps         = flag.Int("reps", 3, "timed runs of each simulator per network")
		largeReps    = flag.Int("large-reps", 0, "timed runs for the large scaling points (default: -reps)")
		networks     = flag.String("networks", "", "comma-separated networks to run (default: all but the large scaling points); 'scaling' selects the CUBA scaling series")
		large        = flag.Bool("large", false, "include the large CUBA scaling points (250k and 1M neurons)")
		threads      = flag.Int("threads", runtime.GOMAXPROCS(0), "GOMAXPROCS for soma and OpenMP threads for the Brian2 OpenMP build")
		noBrian      = flag.Bool("no-brian", false, "run soma only")
		noOpenMP     = flag.Bool("no-openmp", false, "leave out Brian2's OpenMP build")
		auto         = flag.Bool("auto", false, "with -threads above 1, also run soma without --threads (its automatic choice) in the same rounds")
		python       = flag.String("python", "/usr/bin/python3", "Python interpreter with Brian2")
		somaRev      = flag.String("soma-rev", "", "build soma from this git revision (e.g. HEAD) instead of the working tree")
		out          = flag.String("out", "", "scratch folder (default bench/out in the repository; it is gitignored)")
		runTimeout   = flag.Duration("timeout", 10*time.Minute, "limit for one run of one simulator")
		buildTimeout = flag.Duration("build-timeout", 15*time.Minute, "limit for generating and compiling one Brian2 project")
		list         = flag.Bool("list", false, "list the networks and exit")
		report       = flag.String("report", "", "print the tables of a saved results.json and exit (runs nothing)")
	)
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(flag.Args(), " "))
	}

	if *report != "" {
		rep, err := bench.LoadReport(*report)
		if err != nil {
			return err
		}
		return rep.WriteMarkdown(os.Stdout)
	}

	var names []string
	if *networks != "" {
		names = strings.Split(*networks, ",")
	}
	nets, err := bench.Select(bench.Networks(), names, *large)
	if err != nil {
		return err
	}
	if *list {
		for _, n := range bench.Networks() {
			large := ""
			if n.Large {
				large = " (-large)"
			}
			brian := "brian2: " + strings.TrimSpace(n.Script+" "+strings.Join(n.Args, " "))
			if n.Script == "" {
				brian = "soma only"
			}
			fmt.Printf("%-12s N=%-8d T=%gs  soma: %s %s  %s%s\n", n.Name, n.N, n.Duration,
				n.Model, strings.Join(n.Sets, " "), brian, large)
		}
		return nil
	}

	root, err := repoRoot()
	if err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join(root, "bench", "out")
	}
	if *out, err = filepath.Abs(*out); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	r, err := bench.NewRunner(bench.Config{
		Root:         root,
		Out:          *out,
		Reps:         *reps,
		LargeReps:    *largeReps,
		Threads:      *threads,
		Auto:         *auto,
		Brian:        !*noBrian,
		OpenMP:       !*noBrian && !*noOpenMP,
		Python:       *python,
		SomaRev:      *somaRev,
		RunTimeout:   *runTimeout,
		BuildTimeout: *buildTimeout,
		Log:          os.Stderr,
	})
	if err != nil {
		return err
	}
	py := *python
	if *noBrian {
		py = ""
	}
	machine := bench.DescribeMachine(ctx, py, root)
	commit, err := r.BuildSoma(ctx)
	if err != nil {
		return err
	}
	if commit != "" {
		machine.Commit = commit[:min(len(commit), 12)] + " (" + *somaRev + ")"
	}
	start, loadBefore := time.Now(), bench.LoadAverage()
	var results []bench.Result
	for _, n := range nets {
		results = append(results, r.RunNetwork(ctx, n))
		if ctx.Err() != nil {
			break
		}
	}

	rep := &bench.Report{
		Machine:    machine,
		Reps:       *reps,
		LargeReps:  *largeReps,
		Threads:    *threads,
		OpenMP:     !*noBrian && !*noOpenMP,
		NoBrian:    *noBrian,
		Elapsed:    time.Since(start),
		LoadBefore: loadBefore,
		LoadAfter:  bench.LoadAverage(),
		Results:    results,
	}
	if err := rep.Save(filepath.Join(*out, "results.json")); err != nil {
		return err
	}
	var md strings.Builder
	if err := rep.WriteMarkdown(&md); err != nil {
		return err
	}
	fmt.Print(md.String())
	if err := os.WriteFile(filepath.Join(*out, "results.md"), []byte(md.String()), 0o644); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return errors.New("interrupted")
	}
	return nil
}

// repoRoot finds the repository: the nearest folder upwards from the
// working directory that holds go.mod and bench/models.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "bench", "models")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run inside the soma repository (no go.mod with bench/models found upwards)")
		}
		dir = parent
	}
}
