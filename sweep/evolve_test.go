package sweep

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestParseGene(t *testing.T) {
	g, err := ParseGene("we=0.1*mV..3*mV")
	if err != nil || g.Lo.Value != 1e-4 || math.Abs(g.Hi.Value-3e-3) > 1e-18 {
		t.Fatalf("%+v %v", g, err)
	}
	for _, bad := range []string{"we=1*mV", "we=3*mV..1*mV", "we=1*mV..2*ms", "=1..2"} {
		if _, err := ParseGene(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// CMA-ES finds the minimum of a bowl inside the genes' ranges, keeps to
// the constraint, and gives the same evaluations for the same seed.
func TestEvolveFindsMinimum(t *testing.T) {
	a, _ := ParseGene("a=0*mV..10*mV")
	b, _ := ParseGene("b=-5..5")
	run := func(jobs int) []Evaluation {
		e := &Evolution{Genes: []Gene{a, b}, Population: 16, Generations: 40, Seed: 3, Jobs: jobs,
			Score: func(p Point, gen int) (float64, error) {
				x, y := p.Values[0].Q.Value*1e3, p.Values[1].Q.Value
				return (x-7)*(x-7) + (y+1)*(y+1), nil
			},
			Allowed: func(p Point) (bool, error) { return p.Values[1].Q.Value < 4, nil },
		}
		evals, err := e.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return evals
	}
	evals := run(1)
	if len(evals) != 640 {
		t.Errorf("%d evaluations, want 16*40", len(evals))
	}
	best := Best(evals, 1)[0]
	if best.Score > 0.05 || !strings.HasPrefix(best.Point.Values[0].Text, "7") {
		t.Errorf("best %v scores %g", best.Point, best.Score)
	}
	for _, ev := range evals {
		if ev.Point.Values[1].Q.Value >= 4 && ev.Score != Penalty {
			t.Errorf("%v breaks the constraint but scored %g", ev.Point, ev.Score)
		}
		if v := ev.Point.Values[0].Q.Value; v < 0 || v > 0.01 {
			t.Errorf("%v is outside the gene's range", ev.Point)
		}
	}
	// With two jobs a generation's genomes are scored in another order,
	// with the same scores.
	again := run(2)
	for k := 0; k < len(evals); k += 16 {
		if a, b := generationScores(evals[k:k+16]), generationScores(again[k:k+16]); !slices.Equal(a, b) {
			t.Fatalf("generation %d: %v, then %v with two jobs", k/16, a, b)
		}
	}
}

func generationScores(evals []Evaluation) []float64 {
	var out []float64
	for _, e := range evals {
		out = append(out, e.Score)
	}
	slices.Sort(out)
	return out
}
