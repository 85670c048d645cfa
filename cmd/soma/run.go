package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/dist"
	"github.com/soma-sim/soma/model"
	"github.com/spf13/cobra"
)

func newRunCmd() *cobra.Command {
	var (
		out      string
		sets     []string
		plots    bool
		quiet    bool
		profile  string
		threads  int
		storeDir string
		noStore  bool
		memory   string
	)
	cmd := &cobra.Command{
		Use:   "run MODEL.yaml",
		Short: "Run a model and write its results (NumPy .npz files, summary.json, figures)",
		Long: `Run a model file and write one NumPy .npz file per monitor (and per synapses
object with 'save') and summary.json into the output folder (default:
results/<model name>). Values are in SI base units. The files appear only when
all of them were written.

--plot adds PNG figures: a raster, a firing-rate histogram and the population
rate per spike monitor, a raster per event monitor, traces per state monitor
variable and the rate of each rate monitor.

On a terminal, progress (simulated time, percent, elapsed and remaining wall
time) is drawn on stderr; --quiet turns it and the final summary off.

--threads N lets the simulation use N cores. Without it, soma chooses while
the run goes on: it times short windows of steps on one thread and on all
cores, keeps the faster and checks again now and then ('soma check' says
what it may use). Neuron updates, thresholds, spike propagation and
PoissonInput draws are split between threads; the results are the same,
bit for bit, for any number (see docs/benchmarks.md).

Monitors with 'stream: true' write their recordings to disk while the run
goes on, and so does any monitor whose recording would pass --memory-budget
(default 2GiB; 0 for no bound): they hold only a chunk in memory, and the
results are the same files. They stream to a hidden folder next to the
output folder (.NAME.stream-*), printed on stderr when a monitor starts
and removed once the results are written; a failed or killed run leaves
there what was streamed, as .npz chunks that numpy.load reads.

Every run is recorded in the run store (see 'soma runs'): ./soma-runs by
default, --store DIR or $SOMA_STORE elsewhere, --no-store for none.

--cpuprofile FILE records where the simulation spends its time (not the
model's loading or the writing of results); read it with 'go tool pprof'.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if threads < 1 && cmd.Flags().Changed("threads") {
				return &exitError{code: 1, err: fmt.Errorf("--threads must be at least 1, got %d", threads)}
			}
			if !cmd.Flags().Changed("threads") {
				threads = soma.AutoThreads
			}
			rk, err := openRanks()
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			defer func() {
				if err == nil {
					err = rk.close()
				} else if ee, ok := err.(*exitError); ok {
					ee.err = rk.wrap(ee.err)
				}
			}()
			buildOpts := []model.BuildOption{model.Threads(threads)}
			if rk.distributed() {
				buildOpts = append(buildOpts, model.Share(rk.comm.Rank(), rk.comm.Size()))
			}
			m, err := model.Load(args[0], sets, buildOpts...)
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			if !rk.root() {
				// The results, the record and the summary are rank 0's.
				quiet, noStore, plots, profile = true, true, false, ""
			}
			if out == "" {
				out = filepath.Join("results", m.Spec.Name)
			}
			budget, err := parseSize(memory)
			if err != nil {
				return &exitError{code: 1, err: err}
			}

			opts := model.RunOptions{Threads: threads}
			var bar *progress
			if !quiet && isTerminal(os.Stderr) {
				bar = newProgress(os.Stderr)
				opts.Progress = bar.report
				opts.ProgressPeriod = 200 * time.Millisecond
			}
			st := &streams{out: out, w: cmd.ErrOrStderr(), bar: bar, budget: budget}
			if rk.root() {
				st.options(&opts)
			}
			// After the run's record is finished, which reads the streams.
			defer func() {
				if err != nil {
					st.failed()
				} else {
					st.done()
				}
			}()
			stop, err := startCPUProfile(profile)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			// Recorded ok only once the results are written; a model that
			// does not load is not recorded: nothing ran.
			var wall time.Duration
			recorder := beginRun(storeDir, noStore, args[0], m, threads, out, cmd.ErrOrStderr())
			defer func() { recorder.finish(m, wall, err) }()
			if rk.distributed() {
				wall, err = dist.RunModel(m, rk.comm, opts)
			} else {
				wall, err = m.Run(opts)
			}
			if perr := stop(); perr != nil && err == nil {
				return &exitError{code: 2, err: perr}
			}
			if bar != nil {
				bar.end()
			}
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			var figures func(path func(string) string) error
			if plots {
				figures = func(path func(string) string) error { return writeFigures(m, path) }
			}
			if !rk.root() {
				return nil
			}
			if err := m.WriteOutputs(out, wall, figures); err != nil {
				return &exitError{code: 2, err: err}
			}
			if !quiet {
				printSummary(cmd.OutOrStdout(), m, wall, out)
				if rk.distributed() {
					printExchange(cmd.OutOrStdout(), m, wall)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "output folder (default results/<model name>)")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "override a constant (or seed, dt) before anything is built: NAME=EXPR")
	cmd.Flags().BoolVar(&plots, "plot", false, "also write figures (PNG) of every monitor")
	cmd.Flags().BoolVar(&quiet, "quiet", false, "print nothing but errors")
	cmd.Flags().IntVar(&threads, "threads", 0, "cores the simulation may use; results do not depend on it (default: chosen while running)")
	cmd.Flags().StringVar(&storeDir, "store", "", "record the run in this store (default $SOMA_STORE or ./soma-runs)")
	cmd.Flags().BoolVar(&noStore, "no-store", false, "do not record the run")
	cmd.Flags().StringVar(&memory, "memory-budget", defaultMemoryBudget, "monitors whose recordings would pass this size stream to disk (e.g. 512MiB; 0: no bound)")
	cmd.Flags().StringVar(&profile, "cpuprofile", "", "write a CPU profile of the simulation (go tool pprof format) to this file")
	return cmd
}

// startCPUProfile starts profiling into path, if one is given, and returns
// the function that stops it.
func startCPUProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

func printSummary(w io.Writer, m *model.Model, wall time.Duration, out string) {
	s := m.Summarize(wall)
	fmt.Fprintf(w, "%s: %g s simulated in %.3f s (seed %d)\n", s.Name, s.Duration, wall.Seconds(), s.Seed)
	for _, g := range m.Groups {
		gs := s.Groups[g.Spec.Name]
		if gs.Spikes != nil {
			fmt.Fprintf(w, "  %s: %d neurons, %d spikes, %.2f Hz\n", g.Spec.Name, gs.N, *gs.Spikes, *gs.MeanRateHz)
		}
	}
	fmt.Fprintf(w, "results in %s\n", out)
}

// printExchange reports the spike exchange of a run over several ranks,
// as rank 0 saw it.
func printExchange(w io.Writer, m *model.Model, wall time.Duration) {
	_, size := m.Net.Rank()
	x := m.Net.Exchanged()
	per := 0.0
	if x.Collectives > 0 {
		per = float64(x.Time.Microseconds()) / float64(x.Collectives)
	}
	fmt.Fprintf(w, "  %d ranks: %d exchanges, one per %d steps, of %.1f spikes on average (rank 0 sent %d bytes); rank 0 spent %.3f s of %.3f s in them (%.1f µs each, waiting included)\n",
		size, x.Collectives, x.Window, float64(x.Received)/max(float64(x.Collectives), 1), x.Bytes, x.Time.Seconds(), wall.Seconds(), per)
}
