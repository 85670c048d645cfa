package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/soma-sim/soma/model"
	"github.com/soma-sim/soma/store"
	"github.com/soma-sim/soma/sweep"
	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/stat"
)

// sweepFlags are the options of soma sweep.
type sweepFlags struct {
	grids, randoms, sets []string
	n, seeds, jobs       int
	resume               bool
	storeDir, out        string
	metric               string
	slurm                bool
	slurmOpts            sweep.SlurmOptions
	task, tasks, id      int
	quiet                bool
}

func newSweepCmd() *cobra.Command {
	f := &sweepFlags{}
	cmd := &cobra.Command{
		Use:   "sweep MODEL.yaml",
		Short: "Run a model over a grid or random draws of constants, locally or on Slurm",
		Long: `Run a model for every point of a parameter sweep and record each run in the
store (see soma runs). --grid NAME=LO:HI:N takes N values from LO to HI,
--grid NAME=A,B,C the values listed; --random NAME=U(LO,HI) (or LogU, or
N(MEAN,SD)) draws -n values; --seeds K repeats every point with K seeds.

The model is built once per worker and seed and run again for every point
whose constants building did not use (equations, thresholds, resets,
synaptic code); a constant that changes sizes, connectivity, initial
values, delays or durations makes that point build anew. The results are
the same either way.

The sweep writes a table of points and metrics (sweep.tsv) and a figure of
--metric (default: the rate of the first monitored group) against the
parameter, or a heat map over two, into --out (default
results/<name>-sweep-<id>). --resume continues the last sweep with the same
model and points, skipping the points already recorded.

With --slurm it writes a job array script into the store's folder and
submits it with sbatch instead of running; every array task runs its share
of the points and writes their records as files, which 'soma sweep status'
imports into the store.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if f.task >= 0 {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if f.task >= 0 {
				return runTask(ctx, cmd, f)
			}
			return runSweep(ctx, cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.grids, "grid", nil, "a grid axis: NAME=LO:HI:N or NAME=A,B,C")
	fl.StringArrayVar(&f.randoms, "random", nil, "a constant drawn at random: NAME=U(LO,HI), NAME=LogU(LO,HI) or NAME=N(MEAN,SD)")
	fl.IntVarP(&f.n, "number", "n", 10, "random draws (per grid point)")
	fl.IntVar(&f.seeds, "seeds", 1, "seeds per point")
	fl.IntVar(&f.jobs, "jobs", 1, "points run at once")
	fl.BoolVar(&f.resume, "resume", false, "continue the last sweep of the same model and points")
	fl.StringArrayVar(&f.sets, "set", nil, "override a constant for every point: NAME=EXPR")
	fl.StringVar(&f.storeDir, "store", "", "the store's folder (default $SOMA_STORE or ./soma-runs)")
	fl.StringVar(&f.out, "out", "", "folder of the table and figure (default results/<name>-sweep-<id>)")
	fl.StringVar(&f.metric, "metric", "", "what the figure shows: rate_G, cv_G, spikes_G or wall")
	fl.BoolVar(&f.slurm, "slurm", false, "submit a Slurm job array instead of running here")
	fl.StringVar(&f.slurmOpts.Partition, "partition", "", "Slurm partition")
	fl.StringVar(&f.slurmOpts.Time, "time", "", "Slurm time limit of each task (e.g. 1:00:00)")
	fl.IntVar(&f.slurmOpts.CPUs, "cpus", 1, "CPUs of each Slurm task (and its points run at once)")
	fl.IntVar(&f.slurmOpts.Tasks, "array", 4, "Slurm array tasks")
	fl.IntVar(&f.task, "task", -1, "run array task K of a submitted sweep (used by the Slurm script)")
	fl.IntVar(&f.tasks, "tasks", 1, "the number of array tasks (with --task)")
	fl.IntVar(&f.id, "sweep", 0, "the sweep of --task")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress bar")
	cmd.AddCommand(newSweepStatusCmd())
	return cmd
}

// storeDirOf resolves --store.
func storeDirOf(dir string) string {
	if dir == "" {
		dir = store.DefaultDir()
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}

// plannedJob reads the model and lists the sweep's points.
func plannedJob(path string, f *sweepFlags) (*sweep.Job, *model.Spec, error) {
	spec, text, err := readModel(path)
	if err != nil {
		return nil, nil, err
	}
	plan := sweep.Plan{N: f.n, Seeds: f.seeds, Seed: 1}
	if spec.Seed.IsSet() {
		if s, err := strconv.ParseUint(strings.TrimSpace(spec.Seed.S), 10, 64); err == nil {
			plan.Seed = s
		}
	}
	for _, g := range f.grids {
		ax, err := sweep.ParseGrid(g)
		if err != nil {
			return nil, nil, err
		}
		plan.Grid = append(plan.Grid, ax)
	}
	for _, r := range f.randoms {
		d, err := sweep.ParseRandom(r)
		if err != nil {
			return nil, nil, err
		}
		plan.Random = append(plan.Random, d)
	}
	if len(plan.Grid) == 0 && len(plan.Random) == 0 {
		return nil, nil, fmt.Errorf("a sweep needs at least one --grid or --random")
	}
	points, err := plan.Points()
	if err != nil {
		return nil, nil, err
	}
	// Check every point's constants before anything runs.
	for _, p := range points {
		if _, err := spec.ConstantsWith(append(slices.Clone(f.sets), p.Sets()...)); err != nil {
			return nil, nil, err
		}
	}
	abs, _ := filepath.Abs(path)
	return &sweep.Job{Kind: "sweep", Model: abs, ModelText: text, ModelHash: hashOf(text), Base: f.sets,
		Points: points, Created: time.Now().UTC()}, spec, nil
}

func readModel(path string) (*model.Spec, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	spec, err := model.Decode(path, b)
	if err != nil {
		return nil, "", err
	}
	return spec, string(b), nil
}

func hashOf(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// openJob creates the job, or with resume finds the last one like it.
func openJob(dir string, j *sweep.Job, resume bool) (*sweep.Job, bool, error) {
	if resume {
		jobs, err := sweep.Jobs(dir)
		if err != nil {
			return nil, false, err
		}
		for k := len(jobs) - 1; k >= 0; k-- {
			if jobs[k].Same(j) {
				return jobs[k], true, nil
			}
		}
	}
	return j, false, j.Create(dir)
}

func runSweep(ctx context.Context, cmd *cobra.Command, path string, f *sweepFlags) error {
	j, spec, err := plannedJob(path, f)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	dir := storeDirOf(f.storeDir)
	st, err := store.Open(dir)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	defer st.Close()
	j, resumed, err := openJob(dir, j, f.resume)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	w := cmd.OutOrStdout()
	if f.slurm {
		return submit(w, dir, j, f.slurmOpts)
	}
	done := map[int]bool{}
	if resumed {
		if err := importRecords(st, dir, j); err != nil {
			return &exitError{code: 2, err: err}
		}
		recs, err := sweepRecords(st, j.ID)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		for _, r := range recs {
			if r.Status == "ok" && r.Point != nil {
				done[*r.Point] = true
			}
		}
		fmt.Fprintf(w, "resuming sweep %d: %d of %d points done\n", j.ID, len(done), len(j.Points))
	} else {
		fmt.Fprintf(w, "sweep %d: %d points\n", j.ID, len(j.Points))
	}
	var todo []sweep.Point
	for _, p := range j.Points {
		if !done[p.Index] {
			todo = append(todo, p)
		}
	}
	bar := newCountBar(cmd.ErrOrStderr(), len(todo), !f.quiet && isTerminal(os.Stderr))
	began := time.Now()
	builds := 0
	err = sweep.RunModel(ctx, spec, j.Base, todo, f.jobs, func(r sweep.Result) error {
		rec := pointRecord(j, r)
		if r.Err == nil && !r.Reused {
			builds++
		}
		if _, err := st.Add(rec); err != nil {
			return err
		}
		bar.add(1)
		return nil
	})
	bar.end()
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	fmt.Fprintf(w, "ran %d points in %.3g s with %d builds\n", len(todo), time.Since(began).Seconds(), builds)
	return sweepReport(w, st, j, spec.Name, f.out, f.metric)
}

// runTask runs one Slurm array task's points and writes their records as
// files of the job's folder.
func runTask(ctx context.Context, cmd *cobra.Command, f *sweepFlags) error {
	dir := storeDirOf(f.storeDir)
	j, err := sweep.LoadJob(dir, f.id)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	spec, err := model.Decode(j.Model, []byte(j.ModelText))
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	points := j.TaskPoints(f.task, max(1, f.tasks))
	n := 0
	err = sweep.RunModel(ctx, spec, j.Base, points, f.jobs, func(r sweep.Result) error {
		n++
		return j.WriteRecord(dir, r.Point.Index, pointRecord(j, r))
	})
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "sweep %d task %d: %d points\n", j.ID, f.task, n)
	return nil
}

// submit writes the job array script and hands it to sbatch.
func submit(w io.Writer, dir string, j *sweep.Job, o sweep.SlurmOptions) error {
	exe, err := somaPath()
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	o.Tasks = max(1, min(o.Tasks, len(j.Points)))
	script := filepath.Join(j.Dir(dir), "job.sh")
	if err := os.WriteFile(script, []byte(j.SlurmScript(exe, dir, o)), 0o755); err != nil {
		return &exitError{code: 2, err: err}
	}
	out, err := exec.Command("sbatch", "--parsable", script).CombinedOutput()
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("sbatch %s: %v: %s", script, err, strings.TrimSpace(string(out)))}
	}
	jobID, _, _ := strings.Cut(strings.TrimSpace(string(out)), ";")
	j.Slurm = &sweep.Slurm{JobID: jobID, Tasks: o.Tasks, Script: script}
	if err := j.Save(dir); err != nil {
		return &exitError{code: 2, err: err}
	}
	fmt.Fprintf(w, "sweep %d: %d points in %d Slurm tasks, job %s; 'soma sweep status %d' shows progress\n",
		j.ID, len(j.Points), o.Tasks, jobID, j.ID)
	return nil
}

// pointRecord is the store record of one point's run.
func pointRecord(j *sweep.Job, r sweep.Result) *store.Record {
	id, point := int64(j.ID), r.Point.Index
	rec := &store.Record{ModelFile: j.Model, ModelText: j.ModelText, ModelHash: j.ModelHash, Seed: r.Point.Seed,
		Version: version, Revision: vcsRevision(), Host: hostname(), PID: os.Getpid(), Threads: 1,
		Start: time.Now().UTC().Add(-r.Wall - r.Build), Wall: r.Wall.Seconds(), SweepID: &id, Point: &point, Status: "ok"}
	if r.Err != nil {
		rec.Status, rec.Error = "failed", r.Err.Error()
		for _, v := range r.Point.Values {
			rec.Constants = append(rec.Constants, storeConstant(v.Name, v.Q))
		}
		return rec
	}
	fillRecord(rec, r.Model)
	return rec
}

// importRecords moves the record files of Slurm tasks into the database,
// once each.
func importRecords(st *store.Store, dir string, j *sweep.Job) error {
	files, err := j.RecordFiles(dir)
	if err != nil {
		return err
	}
	have, err := sweepRecords(st, j.ID)
	if err != nil {
		return err
	}
	known := map[int]bool{}
	for _, r := range have {
		if r.Point != nil {
			known[*r.Point] = true
		}
	}
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rec := &store.Record{}
		if err := json.Unmarshal(b, rec); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if rec.Point == nil || known[*rec.Point] {
			continue
		}
		rec.ID = 0
		if _, err := st.Add(rec); err != nil {
			return err
		}
		known[*rec.Point] = true
	}
	return nil
}

// sweepRecords returns the records of a sweep, by point.
func sweepRecords(st *store.Store, id int) ([]*store.Record, error) {
	all, err := st.List("", "")
	if err != nil {
		return nil, err
	}
	var out []*store.Record
	for _, r := range all {
		if r.SweepID != nil && *r.SweepID == int64(id) {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return *out[a].Point < *out[b].Point })
	return out, nil
}

func newSweepStatusCmd() *cobra.Command {
	var storeDir string
	cmd := &cobra.Command{
		Use:   "status [ID]",
		Short: "Import the records of a sweep's tasks and show its progress (default: the last sweep)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := storeDirOf(storeDir)
			jobs, err := sweep.Jobs(dir)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			if len(jobs) == 0 {
				return &exitError{code: 1, err: fmt.Errorf("the store %s has no sweeps", dir)}
			}
			j := jobs[len(jobs)-1]
			if len(args) == 1 {
				id, err := strconv.Atoi(args[0])
				if err != nil {
					return &exitError{code: 1, err: fmt.Errorf("a sweep is a number, got %q", args[0])}
				}
				if j, err = sweep.LoadJob(dir, id); err != nil {
					return &exitError{code: 1, err: err}
				}
			}
			st, err := store.Open(dir)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			defer st.Close()
			if err := importRecords(st, dir, j); err != nil {
				return &exitError{code: 2, err: err}
			}
			recs, err := sweepRecords(st, j.ID)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			ok, failed := 0, 0
			for _, r := range recs {
				if r.Status == "ok" {
					ok++
				} else if r.Status == "failed" {
					failed++
				}
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "sweep %d (%s): %d of %d points done, %d failed\n", j.ID, filepath.Base(j.Model), ok, len(j.Points), failed)
			if j.Slurm != nil {
				state := slurmState(j.Slurm.JobID)
				fmt.Fprintf(w, "Slurm job %s, %d tasks: %s\n", j.Slurm.JobID, j.Slurm.Tasks, state)
				if state == "finished" && ok+failed < len(j.Points) {
					fmt.Fprintf(w, "%d points have no record: see the tasks' logs, %s\n", len(j.Points)-ok-failed,
						filepath.Join(j.Dir(dir), "task-*.log"))
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&storeDir, "store", "", "the store's folder (default $SOMA_STORE or ./soma-runs)")
	return cmd
}

// slurmState asks squeue how many of a job's tasks are still queued or running.
func slurmState(job string) string {
	out, err := exec.Command("squeue", "-h", "-j", job, "-o", "%t").Output()
	if err != nil {
		return "squeue is not available"
	}
	counts := map[string]int{}
	for _, s := range strings.Fields(string(out)) {
		counts[s]++
	}
	if len(counts) == 0 {
		return "finished"
	}
	var parts []string
	for _, s := range []string{"PD", "R", "CG"} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], map[string]string{"PD": "pending", "R": "running", "CG": "completing"}[s]))
		}
	}
	return strings.Join(parts, ", ")
}

// sweepReport prints the table of points and metrics, writes it as TSV,
// and draws the figure.
func sweepReport(w io.Writer, st *store.Store, j *sweep.Job, name, out, metric string) error {
	recs, err := sweepRecords(st, j.ID)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if out == "" {
		out = filepath.Join("results", fmt.Sprintf("%s-sweep-%d", name, j.ID))
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return &exitError{code: 2, err: err}
	}
	tab := newSweepTable(j, recs)
	if metric == "" {
		metric = tab.defaultMetric()
	}
	var b strings.Builder
	tab.write(&b)
	fmt.Fprint(w, b.String())
	if err := os.WriteFile(filepath.Join(out, "sweep.tsv"), []byte(tab.tsv()), 0o644); err != nil {
		return &exitError{code: 2, err: err}
	}
	fig := filepath.Join(out, "sweep.png")
	if err := tab.figure(fig, metric); err != nil {
		return &exitError{code: 2, err: err}
	}
	fmt.Fprintf(w, "wrote %s and %s\n", filepath.Join(out, "sweep.tsv"), fig)
	return nil
}

// meanSD averages over seeds: the mean and the sample standard deviation
// (0 for one value, NaN for none).
func meanSD(xs []float64) (float64, float64) {
	switch len(xs) {
	case 0:
		return math.NaN(), math.NaN()
	case 1:
		return xs[0], 0
	}
	return stat.MeanStdDev(xs, nil)
}

// somaPath is the absolute path this soma was started by, for the array
// tasks; by its name, not the file a link leads to, so that a soma reached
// through a link starts as it did here.
func somaPath() (string, error) {
	exe := os.Args[0]
	if !strings.ContainsRune(exe, filepath.Separator) {
		p, err := exec.LookPath(exe)
		if err != nil {
			return os.Executable()
		}
		exe = p
	}
	return filepath.Abs(exe)
}
