package bench

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is how the suite runs.
type Config struct {
	Root         string        // repository root (holds go.mod, cmd/soma and bench/)
	Out          string        // scratch folder for binaries, Brian2 projects and outputs
	Reps         int           // timed runs of each simulator per network
	LargeReps    int           // timed runs for the large scaling points (0: Reps)
	Threads      int           // soma's --threads and GOMAXPROCS, and the OpenMP threads of Brian2's OpenMP build
	Auto         bool          // with several threads, also run soma without --threads (its automatic choice)
	Brian        bool          // run Brian2 at all
	OpenMP       bool          // also run Brian2's OpenMP build
	Python       string        // Python interpreter with Brian2
	SomaRev      string        // build soma from this git revision ("": the working tree)
	RunTimeout   time.Duration // limit for one run of one simulator
	BuildTimeout time.Duration // limit for generating and compiling one Brian2 project
	Log          io.Writer     // progress messages
}

// Runner runs the suite.
type Runner struct {
	cfg  Config
	soma string // the soma binary
}

// NewRunner checks the configuration.
func NewRunner(cfg Config) (*Runner, error) {
	if cfg.Reps < 1 {
		return nil, fmt.Errorf("repetitions must be at least 1, got %d", cfg.Reps)
	}
	if cfg.Threads < 1 {
		return nil, fmt.Errorf("threads must be at least 1, got %d", cfg.Threads)
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	return &Runner{cfg: cfg}, nil
}

func (r *Runner) logf(format string, args ...any) {
	fmt.Fprintf(r.cfg.Log, format+"\n", args...)
}

// BuildSoma builds the soma command once into the scratch folder, from the
// working tree or, with SomaRev, from a clean export of that revision. It
// returns the commit it built ("" for the working tree).
func (r *Runner) BuildSoma(ctx context.Context) (string, error) {
	if err := os.MkdirAll(r.cfg.Out, 0o755); err != nil {
		return "", err
	}
	src, commit := r.cfg.Root, ""
	if r.cfg.SomaRev != "" {
		out, err := gitOutput(ctx, r.cfg.Root, "rev-parse", "--verify", r.cfg.SomaRev+"^{commit}")
		if err != nil {
			return "", fmt.Errorf("soma revision %q: %w", r.cfg.SomaRev, err)
		}
		commit = out
		src = filepath.Join(r.cfg.Out, "src", commit)
		if _, err := os.Stat(filepath.Join(src, "go.mod")); err != nil {
			tarball := src + ".tar"
			if err := os.MkdirAll(src, 0o755); err != nil {
				return "", err
			}
			for _, c := range [][]string{
				{"git", "archive", "--format=tar", "-o", tarball, commit},
				{"tar", "-xf", tarball, "-C", src},
			} {
				if s, _ := runProcess(ctx, r.cfg.BuildTimeout, r.cfg.Root, os.Environ(), c[0], c[1:]...); !s.OK() {
					os.RemoveAll(src)
					return "", fmt.Errorf("%s: %s", strings.Join(c, " "), s.Err)
				}
			}
			os.Remove(tarball)
		}
	}
	bin := filepath.Join(r.cfg.Out, "soma")
	r.logf("building soma from %s -> %s", src, bin)
	s, _ := runProcess(ctx, r.cfg.BuildTimeout, src, os.Environ(), "go", "build", "-o", bin, "./cmd/soma")
	if !s.OK() {
		return "", fmt.Errorf("go build ./cmd/soma: %s", s.Err)
	}
	r.soma = bin
	return commit, nil
}

// gitOutput runs git in dir and returns its trimmed standard output.
func gitOutput(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

// brianProject is where the Brian2 project of network n with the given
// number of OpenMP threads (0: none) lives. The name carries a hash of the
// scripts and arguments, so an edited script gets a fresh build and an
// unchanged one is compiled only once across invocations of the suite.
func (r *Runner) brianProject(n Network, threads int) (string, []string, error) {
	dir := filepath.Join(r.cfg.Root, "bench", "brian2")
	h := sha256.New()
	for _, f := range []string{n.Script, "common.py"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return "", nil, err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f, len(data))
		h.Write(data)
	}
	args := append([]string{filepath.Join(dir, n.Script)}, n.Args...)
	if threads > 0 {
		args = append(args, "--threads", strconv.Itoa(threads))
	}
	fmt.Fprintf(h, "%s\x00%s\x00", r.cfg.Python, strings.Join(args[1:], "\x00"))
	variant := "1thr"
	if threads > 0 {
		variant = fmt.Sprintf("omp%d", threads)
	}
	name := fmt.Sprintf("%s-%s-%s", n.Name, variant, hex.EncodeToString(h.Sum(nil))[:10])
	project, err := filepath.Abs(filepath.Join(r.cfg.Out, "brian2", name))
	if err != nil {
		return "", nil, err
	}
	return project, append(args, "--dir", project), nil
}

// BuildBrian generates and compiles the Brian2 project of network n (not
// timed), or reuses an earlier build of the same scripts and arguments.
func (r *Runner) BuildBrian(ctx context.Context, n Network, threads int) (string, *BrianMeta, error) {
	project, args, err := r.brianProject(n, threads)
	if err != nil {
		return "", nil, err
	}
	if m, err := ReadBrianMeta(project); err == nil {
		if _, err := os.Stat(filepath.Join(project, m.Binary)); err == nil {
			r.logf("  brian2 %s: reusing %s", n.Name, project)
			return project, m, nil
		}
	}
	if err := os.RemoveAll(project); err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(filepath.Dir(project), 0o755); err != nil {
		return "", nil, err
	}
	r.logf("  brian2 %s: generating and compiling %s (not timed)", n.Name, project)
	env := append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	s, output := runProcess(ctx, r.cfg.BuildTimeout, filepath.Dir(args[0]), env, r.cfg.Python, args...)
	logFile := project + ".log"
	if err := os.WriteFile(logFile, []byte(output), 0o644); err != nil {
		return "", nil, err
	}
	if !s.OK() {
		return "", nil, fmt.Errorf("build (log: %s): %s", logFile, s.Err)
	}
	r.logf("  brian2 %s: built in %s", n.Name, s.Wall.Round(100*time.Millisecond))
	m, err := ReadBrianMeta(project)
	if err != nil {
		return "", nil, err
	}
	return project, m, nil
}

// runSoma times one `soma run` of network n on threads threads; 0: without
// --threads, soma choosing between one thread and the suite's threads.
func (r *Runner) runSoma(ctx context.Context, n Network, threads int) Sample {
	out := filepath.Join(r.cfg.Out, "runs", n.Name, "soma")
	if err := os.RemoveAll(out); err != nil {
		return Sample{Err: err.Error()}
	}
	args := []string{"run", filepath.Join(r.cfg.Root, "bench", "models", n.Model), "--out", out, "--quiet"}
	procs := r.cfg.Threads
	if threads > 0 {
		args, procs = append(args, "--threads", strconv.Itoa(threads)), threads
	}
	for _, s := range n.Sets {
		args = append(args, "--set", s)
	}
	env := append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(procs))
	s, _ := runProcess(ctx, r.cfg.RunTimeout, r.cfg.Root, env, r.soma, args...)
	if !s.OK() {
		return s
	}
	data, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err == nil {
		s.Rate, s.Loop, err = ParseSomaSummary(data)
	}
	if err != nil {
		s.Err = err.Error()
	}
	return s
}

// runBrian times one run of a compiled Brian2 binary.
func (r *Runner) runBrian(ctx context.Context, project string, m *BrianMeta) Sample {
	if err := ClearBrianResults(project, m); err != nil {
		return Sample{Err: err.Error()}
	}
	if err := os.MkdirAll(filepath.Join(project, "results"), 0o755); err != nil {
		return Sample{Err: err.Error()}
	}
	s, _ := runProcess(ctx, r.cfg.RunTimeout, project, os.Environ(), filepath.Join(project, m.Binary))
	if !s.OK() {
		return s
	}
	var err error
	if s.Rate, s.Loop, err = ReadBrianResults(project, m); err != nil {
		s.Err = err.Error()
	}
	// The binary writes every array, synapses included (1.3 GB for a
	// million neurons); only the spike counts were needed.
	if err := os.RemoveAll(filepath.Join(project, "results")); err != nil && s.Err == "" {
		s.Err = err.Error()
	}
	return s
}

// contestant is one simulator (or build) taking part in a network's runs.
type contestant struct {
	name    string
	run     func() Sample
	samples *[]Sample
	dead    bool   // timed out once: not run again
	probe   func() // instead of run: probes the machine (ProbeThreads, in a child process)
}

// RunNetwork builds what network n needs and times the simulators,
// alternating them: in repetition k the order is rotated by k, so none
// always runs first (or right after another's memory-hungry run).
func (r *Runner) RunNetwork(ctx context.Context, n Network) Result {
	res := Result{Net: n}
	r.logf("%s (N=%d, T=%gs)", n.Name, n.N, n.Duration)
	cs := []*contestant{{name: "soma", run: func() Sample { return r.runSoma(ctx, n, r.cfg.Threads) }, samples: &res.Soma}}
	if r.cfg.Threads > 1 {
		// The speed-up of threads from the same rounds, not from a
		// one-thread suite run at another time.
		cs = append(cs, &contestant{name: "soma-1thread", run: func() Sample { return r.runSoma(ctx, n, 1) }, samples: &res.SomaOne})
		if r.cfg.Auto {
			cs = append(cs, &contestant{name: "soma-auto", run: func() Sample { return r.runSoma(ctx, n, 0) }, samples: &res.SomaAuto})
		}
		// And what the machine's threads gave in those rounds.
		cs = append(cs, &contestant{name: "machine", probe: func() {
			p, err := probeInChild(ctx, r.cfg.Threads)
			if err != nil {
				r.logf("  %v", err)
				return
			}
			res.Probes = append(res.Probes, p)
			r.logf("  probe: %d threads give %.2fx on arithmetic, %.2fx on memory reads", r.cfg.Threads, p.Compute, p.Memory)
		}})
	}
	add := func(name string, threads int, samples *[]Sample, status *string) {
		project, m, err := r.BuildBrian(ctx, n, threads)
		if err != nil {
			r.logf("  %s: %v", name, err)
			*status = "build failed"
			if strings.Contains(err.Error(), "timed out") {
				*status = "build timeout"
			}
			return
		}
		cs = append(cs, &contestant{name: name, run: func() Sample { return r.runBrian(ctx, project, m) }, samples: samples})
	}
	switch {
	case n.Script == "":
		res.BrianStatus, res.OpenMPStatus = "soma only", "soma only"
	case r.cfg.Brian:
		add("brian2", 0, &res.Brian, &res.BrianStatus)
		if r.cfg.OpenMP {
			add("brian2-openmp", r.cfg.Threads, &res.OpenMP, &res.OpenMPStatus)
		}
	default:
		res.BrianStatus, res.OpenMPStatus = "not run", "not run"
	}
	if !r.cfg.OpenMP && n.Script != "" {
		res.OpenMPStatus = "not run"
	}
	reps := r.cfg.Reps
	if n.Large && r.cfg.LargeReps > 0 {
		reps = r.cfg.LargeReps
	}
	for k := range reps {
		for j := range cs {
			if ctx.Err() != nil {
				return res
			}
			c := cs[(j+k)%len(cs)]
			if c.probe != nil {
				c.probe()
				continue
			}
			if c.dead {
				continue
			}
			s := c.run()
			*c.samples = append(*c.samples, s)
			if s.OK() {
				r.logf("  rep %d %-14s %8.3f s  loop %8.3f s  %7d MiB  %8.3f Hz",
					k+1, c.name, s.Wall.Seconds(), s.Loop.Seconds(), s.MaxRSSKiB/1024, s.Rate)
			} else {
				r.logf("  rep %d %-14s FAILED: %s", k+1, c.name, s.Err)
				c.dead = s.TimedOut
			}
		}
	}
	return res
}
