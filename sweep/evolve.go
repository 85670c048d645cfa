package sweep

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"

	"gonum.org/v1/gonum/optimize"

	"github.com/soma-sim/soma/units"
)

// Gene is a constant that an evolution searches between Lo and Hi.
type Gene struct {
	Name   string
	Lo, Hi units.Quantity
}

// ParseGene reads 'NAME=LO..HI', e.g. 'we=0.1*mV..3*mV'.
func ParseGene(s string) (Gene, error) {
	name, spec, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	lo, hi, ok2 := strings.Cut(spec, "..")
	if !ok || !ok2 || name == "" {
		return Gene{}, fmt.Errorf("--gene %q: expected NAME=LO..HI", s)
	}
	g := Gene{Name: name}
	var err error
	if g.Lo, err = evalQuantity(lo); err != nil {
		return Gene{}, fmt.Errorf("--gene %s: %w", s, err)
	}
	if g.Hi, err = evalQuantity(hi); err != nil {
		return Gene{}, fmt.Errorf("--gene %s: %w", s, err)
	}
	if g.Lo.Dim != g.Hi.Dim {
		return Gene{}, fmt.Errorf("--gene %s: %s and %s have different units", s, lo, hi)
	}
	if !(g.Lo.Value < g.Hi.Value) {
		return Gene{}, fmt.Errorf("--gene %s: the lower bound must be below the upper one", s)
	}
	return g, nil
}

// Evolution is a search of genes that minimises a score.
type Evolution struct {
	Genes       []Gene
	Population  int // genomes per generation (0: CMA-ES's default for the number of genes)
	Generations int
	Seed        uint64
	Jobs        int // evaluations at once
	// Score runs a genome (a point of constants with Seed as its seed) and
	// returns its score; lower is better. It is called from Jobs
	// goroutines at once. Generation and Index number the evaluation.
	Score func(p Point, generation int) (float64, error)
	// Allowed, when set, rejects genomes before they run (a constraint);
	// rejected genomes score Penalty.
	Allowed func(p Point) (bool, error)
}

// Penalty is the score of a genome that breaks the constraint or fails.
const Penalty = 1e30

// Evaluation is one genome and its score.
type Evaluation struct {
	Point      Point
	Generation int
	Score      float64
}

// Run evolves with CMA-ES (gonum's optimize.CmaEsChol) in the unit cube:
// each coordinate is reflected into [0, 1] and mapped linearly onto its
// gene's range. It returns every evaluation in order.
func (e *Evolution) Run(ctx context.Context) ([]Evaluation, error) {
	if len(e.Genes) == 0 {
		return nil, fmt.Errorf("an evolution needs at least one --gene")
	}
	if e.Generations < 1 {
		return nil, fmt.Errorf("an evolution needs at least one generation")
	}
	pop := e.Population
	if pop == 0 {
		pop = 4 + int(math.Floor(3*math.Log(float64(len(e.Genes)))))
	}
	var mu sync.Mutex
	var evals []Evaluation
	var firstErr error
	count := 0
	problem := optimize.Problem{Func: func(x []float64) float64 {
		mu.Lock()
		k := count
		count++
		stop := firstErr != nil || ctx.Err() != nil
		mu.Unlock()
		if stop {
			return Penalty
		}
		p := e.genome(x, k)
		score, err := e.evaluate(p, k/pop)
		mu.Lock()
		defer mu.Unlock()
		if err != nil && firstErr == nil {
			firstErr = err
		}
		evals = append(evals, Evaluation{Point: p, Generation: k / pop, Score: score})
		return score
	}}
	start := make([]float64, len(e.Genes))
	for k := range start {
		start[k] = 0.5
	}
	method := &optimize.CmaEsChol{InitStepSize: 0.3, Population: pop, Src: rand.NewPCG(e.Seed, 0xc3a)}
	settings := &optimize.Settings{MajorIterations: e.Generations, FuncEvaluations: pop * e.Generations,
		Concurrent: max(1, e.Jobs), Converger: optimize.NeverTerminate{}}
	_, err := optimize.Minimize(problem, start, settings, method)
	if firstErr != nil {
		return evals, firstErr
	}
	if ctx.Err() != nil {
		return evals, ctx.Err()
	}
	if err != nil {
		return evals, err
	}
	sort.SliceStable(evals, func(a, b int) bool { return evals[a].Point.Index < evals[b].Point.Index })
	return evals, nil
}

// evaluate scores a genome, or gives it the penalty when not allowed.
func (e *Evolution) evaluate(p Point, generation int) (float64, error) {
	if e.Allowed != nil {
		ok, err := e.Allowed(p)
		if err != nil {
			return Penalty, err
		}
		if !ok {
			return Penalty, nil
		}
	}
	s, err := e.Score(p, generation)
	if err != nil {
		return Penalty, err
	}
	if math.IsNaN(s) {
		return Penalty, nil
	}
	return s, nil
}

// genome maps a CMA-ES location onto the genes.
func (e *Evolution) genome(x []float64, index int) Point {
	p := Point{Index: index, Seed: e.Seed}
	for k, g := range e.Genes {
		u := math.Mod(math.Abs(x[k]), 2)
		if u > 1 {
			u = 2 - u
		}
		v := g.Lo.Value + u*(g.Hi.Value-g.Lo.Value)
		p.Values = append(p.Values, Value{Name: g.Name, Text: units.FormatExpr(v, g.Lo.Dim), Q: units.New(v, g.Lo.Dim)})
	}
	return p
}

// Best returns the n lowest-scoring evaluations.
func Best(evals []Evaluation, n int) []Evaluation {
	out := append([]Evaluation(nil), evals...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score < out[b].Score })
	return out[:min(n, len(out))]
}
