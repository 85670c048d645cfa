package sweep

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/units"
)

// Axis is a constant of a grid and the values it takes, as expressions.
type Axis struct {
	Name   string
	Values []string
}

// Dist is a constant drawn at random: uniformly between Lo and Hi ("U"),
// log-uniformly ("LogU"), or normally with mean Lo and deviation Hi ("N").
type Dist struct {
	Name   string
	Kind   string
	Lo, Hi units.Quantity
}

// Plan is a sweep: the grid's product, each with N random draws of the
// random constants (or N draws alone), each run with Seeds seeds from
// Seed on.
type Plan struct {
	Grid   []Axis
	Random []Dist
	N      int
	Seeds  int
	Seed   uint64
}

// Value is one constant of a point.
type Value struct {
	Name string
	Text string // an expression soma reads back: "0.5*mV"
	Q    units.Quantity
}

// Point is one run of a sweep.
type Point struct {
	Index  int
	Values []Value
	Seed   uint64
	Rep    int // which of the plan's seeds
}

// Sets returns the point as --set overrides, the seed last.
func (p Point) Sets() []string {
	out := make([]string, 0, len(p.Values)+1)
	for _, v := range p.Values {
		out = append(out, v.Name+"="+v.Text)
	}
	return append(out, "seed="+strconv.FormatUint(p.Seed, 10))
}

// String shows the point's constants.
func (p Point) String() string {
	var b strings.Builder
	for k, v := range p.Values {
		if k > 0 {
			b.WriteString(" ")
		}
		b.WriteString(v.Name + "=" + v.Text)
	}
	fmt.Fprintf(&b, " seed=%d", p.Seed)
	return b.String()
}

// evalQuantity evaluates a constant expression with units.
func evalQuantity(s string) (units.Quantity, error) {
	n, err := expr.Parse(strings.TrimSpace(s))
	if err != nil {
		return units.Quantity{}, err
	}
	return expr.Eval(n, expr.MapNamespace{})
}

// maxAxis is the most values an axis may take.
const maxAxis = 100000

// ParseGrid reads 'NAME=LO:HI:N' (N values from LO to HI, both included)
// or 'NAME=A,B,C'.
func ParseGrid(s string) (Axis, error) {
	name, spec, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return Axis{}, fmt.Errorf("--grid %q: expected NAME=LO:HI:N or NAME=A,B,C", s)
	}
	if parts := strings.Split(spec, ":"); len(parts) == 3 {
		lo, err := evalQuantity(parts[0])
		if err != nil {
			return Axis{}, fmt.Errorf("--grid %s: %w", s, err)
		}
		hi, err := evalQuantity(parts[1])
		if err != nil {
			return Axis{}, fmt.Errorf("--grid %s: %w", s, err)
		}
		if lo.Dim != hi.Dim {
			return Axis{}, fmt.Errorf("--grid %s: %s and %s have different units", s, parts[0], parts[1])
		}
		n, err := strconv.Atoi(strings.TrimSpace(parts[2]))
		if err != nil || n < 1 {
			return Axis{}, fmt.Errorf("--grid %s: the number of values must be a positive integer, got %q", s, parts[2])
		}
		if n > maxAxis {
			return Axis{}, fmt.Errorf("--grid %s: %d values is more than a sweep of %d", s, n, maxAxis)
		}
		ax := Axis{Name: name}
		for k := range n {
			x := lo.Value
			if n > 1 {
				x = lo.Value + (hi.Value-lo.Value)*float64(k)/float64(n-1)
			}
			ax.Values = append(ax.Values, units.FormatExpr(x, lo.Dim))
		}
		return ax, nil
	}
	ax := Axis{Name: name}
	for _, v := range strings.Split(spec, ",") {
		v = strings.TrimSpace(v)
		if _, err := evalQuantity(v); err != nil {
			return Axis{}, fmt.Errorf("--grid %s: %w", s, err)
		}
		ax.Values = append(ax.Values, v)
	}
	return ax, nil
}

// ParseRandom reads 'NAME=U(LO,HI)', 'NAME=LogU(LO,HI)' or 'NAME=N(MEAN,SD)'.
func ParseRandom(s string) (Dist, error) {
	name, spec, ok := strings.Cut(s, "=")
	name, spec = strings.TrimSpace(name), strings.TrimSpace(spec)
	open, close := strings.Index(spec, "("), strings.LastIndex(spec, ")")
	if !ok || name == "" || open < 0 || close != len(spec)-1 {
		return Dist{}, fmt.Errorf("--random %q: expected NAME=U(LO,HI), NAME=LogU(LO,HI) or NAME=N(MEAN,SD)", s)
	}
	d := Dist{Name: name, Kind: spec[:open]}
	if d.Kind != "U" && d.Kind != "LogU" && d.Kind != "N" {
		return Dist{}, fmt.Errorf("--random %s: unknown distribution %q (U, LogU or N)", s, d.Kind)
	}
	args := strings.Split(spec[open+1:close], ",")
	if len(args) != 2 {
		return Dist{}, fmt.Errorf("--random %s: %s takes two values", s, d.Kind)
	}
	var err error
	if d.Lo, err = evalQuantity(args[0]); err != nil {
		return Dist{}, fmt.Errorf("--random %s: %w", s, err)
	}
	if d.Hi, err = evalQuantity(args[1]); err != nil {
		return Dist{}, fmt.Errorf("--random %s: %w", s, err)
	}
	if d.Lo.Dim != d.Hi.Dim {
		return Dist{}, fmt.Errorf("--random %s: %s and %s have different units", s, args[0], args[1])
	}
	if d.Kind == "LogU" && (d.Lo.Value <= 0 || d.Hi.Value <= 0) {
		return Dist{}, fmt.Errorf("--random %s: LogU needs positive bounds", s)
	}
	return d, nil
}

// draw returns one value of the distribution.
func (d Dist) draw(r *rand.Rand) float64 {
	switch d.Kind {
	case "LogU":
		return math.Exp(math.Log(d.Lo.Value) + r.Float64()*(math.Log(d.Hi.Value)-math.Log(d.Lo.Value)))
	case "N":
		return d.Lo.Value + d.Hi.Value*r.NormFloat64()
	}
	return d.Lo.Value + r.Float64()*(d.Hi.Value-d.Lo.Value)
}

// Points lists the plan's runs: the seeds vary slowest (a new seed needs a
// new build), then the grid's axes, the first slowest, then the draws.
func (p Plan) Points() ([]Point, error) {
	combos := [][]Value{{}}
	for _, ax := range p.Grid {
		if len(ax.Values) == 0 {
			return nil, fmt.Errorf("the grid of %s has no values", ax.Name)
		}
		var next [][]Value
		for _, c := range combos {
			for _, text := range ax.Values {
				q, err := evalQuantity(text)
				if err != nil {
					return nil, fmt.Errorf("%s=%s: %w", ax.Name, text, err)
				}
				next = append(next, append(append([]Value(nil), c...), Value{Name: ax.Name, Text: text, Q: q}))
			}
		}
		combos = next
	}
	if len(p.Random) > 0 {
		n := max(p.N, 1)
		r := rand.New(rand.NewPCG(p.Seed, 0x5eed))
		var next [][]Value
		for _, c := range combos {
			for range n {
				row := append([]Value(nil), c...)
				for _, d := range p.Random {
					x := d.draw(r)
					row = append(row, Value{Name: d.Name, Text: units.FormatExpr(x, d.Lo.Dim), Q: units.New(x, d.Lo.Dim)})
				}
				next = append(next, row)
			}
		}
		combos = next
	}
	seeds := max(p.Seeds, 1)
	var out []Point
	for rep := range seeds {
		for _, c := range combos {
			out = append(out, Point{Index: len(out), Values: c, Seed: p.Seed + uint64(rep), Rep: rep})
		}
	}
	return out, nil
}
