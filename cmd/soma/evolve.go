package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/model"
	"github.com/soma-sim/soma/plot"
	"github.com/soma-sim/soma/store"
	"github.com/soma-sim/soma/sweep"
	"github.com/spf13/cobra"
)

type evolveFlags struct {
	genes                   []string
	score, constraint       string
	population, generations int
	jobs                    int
	seed                    uint64
	sets                    []string
	storeDir, out           string
	resume                  bool
}

func newEvolveCmd() *cobra.Command {
	f := &evolveFlags{}
	cmd := &cobra.Command{
		Use:   "evolve MODEL.yaml",
		Short: "Search constants that minimise a score, with CMA-ES",
		Long: `Search the constants named by --gene NAME=LO..HI for the lowest --score, an
expression of soma's language over the constants and the run's metrics
(rate_G in Hz, cv_G, spikes_G for each monitored group G, wall in seconds)
that must be dimensionless, e.g. 'abs(rate_P - 10*Hz)/Hz'. --constraint
rejects genomes before they run ('wi < -we'). The optimiser is CMA-ES
(gonum's CmaEsChol) in the box of the genes.

Every evaluation is a record of the store; --resume replays the last
evolution of the same model, genes, score and seed, taking the evaluations
it already recorded from the store instead of running them again. The best
genomes are printed, and the convergence (best score per generation) is drawn into --out (default results/<name>-evolve-<id>).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runEvolve(ctx, cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.genes, "gene", nil, "a constant to search: NAME=LO..HI")
	fl.StringVar(&f.score, "score", "", "the dimensionless expression to minimise")
	fl.StringVar(&f.constraint, "constraint", "", "a condition on the constants that genomes must meet")
	fl.IntVar(&f.population, "population", 0, "genomes per generation (default: CMA-ES's for the number of genes)")
	fl.IntVar(&f.generations, "generations", 10, "generations")
	fl.IntVar(&f.jobs, "jobs", 1, "genomes run at once")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of the optimiser and of every run")
	fl.StringArrayVar(&f.sets, "set", nil, "override a constant for every run: NAME=EXPR")
	fl.StringVar(&f.storeDir, "store", "", "the store's folder (default $SOMA_STORE or ./soma-runs)")
	fl.StringVar(&f.out, "out", "", "folder of the convergence figure")
	fl.BoolVar(&f.resume, "resume", false, "replay the last evolution like this one, reusing its recorded evaluations")
	return cmd
}

// expression is a parsed score or constraint with its source, for errors.
type expression struct {
	src  string
	node expr.Node
}

func parseExpression(flag, src string) (*expression, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	n, err := expr.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("--%s '%s': %w", flag, src, err)
	}
	return &expression{src: src, node: n}, nil
}

// number evaluates a dimensionless expression.
func (e *expression) number(ns expr.Namespace) (float64, error) {
	q, err := expr.Eval(e.node, ns)
	if err != nil {
		return 0, fmt.Errorf("'%s': %w", e.src, err)
	}
	if !q.Dim.IsDimensionless() {
		return 0, fmt.Errorf("'%s' is in %s: a score must be dimensionless (divide by a unit, e.g. /Hz)", e.src, q.Dim.Name())
	}
	return q.Value, nil
}

func runEvolve(ctx context.Context, cmd *cobra.Command, path string, f *evolveFlags) error {
	fail := func(code int, err error) error { return &exitError{code: code, err: err} }
	spec, text, err := readModel(path)
	if err != nil {
		return fail(1, err)
	}
	var genes []sweep.Gene
	for _, g := range f.genes {
		gene, err := sweep.ParseGene(g)
		if err != nil {
			return fail(1, err)
		}
		genes = append(genes, gene)
	}
	score, err := parseExpression("score", f.score)
	if err != nil {
		return fail(1, err)
	}
	if score == nil {
		return fail(1, fmt.Errorf("soma evolve needs a --score"))
	}
	constraint, err := parseExpression("constraint", f.constraint)
	if err != nil {
		return fail(1, err)
	}
	dir := storeDirOf(f.storeDir)
	st, err := store.Open(dir)
	if err != nil {
		return fail(2, err)
	}
	defer st.Close()
	// The job's "points" describe the search itself, so that --resume finds it.
	abs, _ := filepath.Abs(path)
	desc := append(slices.Clone(f.genes), "score="+f.score, "constraint="+f.constraint,
		fmt.Sprintf("population=%d", f.population), fmt.Sprintf("generations=%d", f.generations))
	j := &sweep.Job{Kind: "evolve", Model: abs, ModelText: text, ModelHash: hashOf(text), Base: append(slices.Clone(f.sets), desc...),
		Points: []sweep.Point{{Seed: f.seed}}, Created: time.Now().UTC()}
	j, resumed, err := openJob(dir, j, f.resume)
	if err != nil {
		return fail(2, err)
	}
	cache := map[string]*store.Record{}
	if resumed {
		recs, err := sweepRecords(st, j.ID)
		if err != nil {
			return fail(2, err)
		}
		for _, r := range recs {
			cache[genomeKey(r.Constants, genes)] = r
		}
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "evolution %d: %d genes, score %s\n", j.ID, len(genes), f.score)
	// A pool of models, one per job, each reused while only genes that
	// building did not use change.
	models := make(chan *model.Model, max(1, f.jobs))
	for range max(1, f.jobs) {
		models <- nil
	}
	var mu sync.Mutex
	ran, reused := 0, 0
	evo := &sweep.Evolution{Genes: genes, Population: f.population, Generations: f.generations, Seed: f.seed, Jobs: f.jobs}
	sets := func(p sweep.Point) []string {
		return append(slices.Clone(f.sets), p.Sets()...)
	}
	if constraint != nil {
		evo.Allowed = func(p sweep.Point) (bool, error) {
			consts, err := spec.ConstantsWith(sets(p))
			if err != nil {
				return false, err
			}
			q, err := expr.Eval(constraint.node, (&store.Record{Constants: storeConstants(consts)}).Names())
			if err != nil {
				return false, fmt.Errorf("--constraint '%s': %w", constraint.src, err)
			}
			return q.Value != 0, nil
		}
	}
	evo.Score = func(p sweep.Point, generation int) (float64, error) {
		consts, err := spec.ConstantsWith(sets(p))
		if err != nil {
			return 0, err
		}
		mu.Lock()
		rec, ok := cache[genomeKey(storeConstants(consts), genes)]
		mu.Unlock()
		if ok {
			mu.Lock()
			reused++
			mu.Unlock()
		} else {
			m := <-models
			res := sweep.RunPoint(m, spec, sets(p))
			models <- res.Model
			id, point := int64(j.ID), p.Index
			rec = pointRecord(j, sweep.Result{Point: p, Model: res.Model, Wall: res.Wall, Err: res.Err})
			rec.SweepID, rec.Point = &id, &point
			if _, err := st.Add(rec); err != nil {
				return 0, err
			}
			mu.Lock()
			ran++
			mu.Unlock()
			if res.Err != nil {
				return sweep.Penalty, nil
			}
		}
		return score.number(rec.Names())
	}
	began := time.Now()
	evals, err := evo.Run(ctx)
	if err != nil {
		return fail(1, err)
	}
	fmt.Fprintf(w, "%d evaluations in %.3g s: %d run, %d from the store\n", len(evals), time.Since(began).Seconds(), ran, reused)
	fmt.Fprintln(w, "best genomes:")
	for k, e := range sweep.Best(evals, 5) {
		fmt.Fprintf(w, "  %d. score %.6g  %s  (generation %d)\n", k+1, e.Score, e.Point, e.Generation)
	}
	out := f.out
	if out == "" {
		out = filepath.Join("results", fmt.Sprintf("%s-evolve-%d", spec.Name, j.ID))
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fail(2, err)
	}
	gens, best := convergence(evals)
	fig := filepath.Join(out, "convergence.png")
	if err := plot.Curve(fig, "best score per generation", "generation", "score", gens, best, nil); err != nil {
		return fail(2, err)
	}
	fmt.Fprintf(w, "wrote %s\n", fig)
	return nil
}

// genomeKey identifies a genome by its genes' values in a record.
func genomeKey(consts []store.Constant, genes []sweep.Gene) string {
	var b strings.Builder
	for _, g := range genes {
		for _, c := range consts {
			if c.Name == g.Name {
				fmt.Fprintf(&b, "%s=%.12g;", c.Name, c.Value)
			}
		}
	}
	return b.String()
}

// convergence returns the best score of each generation.
func convergence(evals []sweep.Evaluation) (gens, best []float64) {
	by := map[int][]float64{}
	last := 0
	for _, e := range evals {
		by[e.Generation] = append(by[e.Generation], e.Score)
		last = max(last, e.Generation)
	}
	for g := 0; g <= last; g++ {
		s := slices.Clone(by[g])
		if len(s) == 0 {
			continue
		}
		slices.Sort(s)
		gens, best = append(gens, float64(g)), append(best, s[0])
	}
	return gens, best
}
