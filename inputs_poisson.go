package soma

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/kernel"
	"github.com/soma-sim/soma/units"
)

// PoissonGroup is a population of independent Poisson spike sources, like
// Brian2's PoissonGroup: in each step, in the thresholds slot, neuron i
// fires with probability rates[i]*dt (Brian2's threshold
// "rand() < rates*dt"). Rates are numbers, one per neuron, or an
// expression of i, N, t and constants evaluated in every step.
//
// It can be monitored (spikes, population rate, and the variable "rates")
// and be the source of synapses, whose code may read rates_pre when the
// rates are numbers.
type PoissonGroup struct {
	net         *Network
	name        string
	n           int
	clock       *Clock
	when, order float64
	cfg         *config
	rng         *rand.Rand

	// Rates given as numbers: a column in Hz that synapses can read, and
	// its largest value and whether all are equal, kept up to date by Set.
	rates   *Variable
	maxRate float64
	same    bool

	// Rates given as an expression.
	code    string
	node    expr.Node
	ex      *kernel.Expr
	uniform bool      // the same for all neurons: evaluated once per step
	vals    []float64 // its values in the current step

	vars  map[string]*Variable
	t     float64 // the current time, read by the expression
	fired []int32
}

var hertzDim = units.Dimension{units.Time: -1}

// directAbove is the firing probability per step above which each neuron
// draws its own uniform number; below it the group skips from one
// candidate to the next with geometrically distributed gaps, which costs
// one draw per candidate instead of one per neuron.
const directAbove = 0.2

// PoissonGroup creates n independent Poisson neurons. rates is a float64
// (Hz, the same for all), a units.Quantity in Hz, a []float64 of n rates in
// Hz, or a string expression of i, N, t and constants such as
// "(1 + sin(2*pi*5*Hz*t))*10*Hz", evaluated in every step. Options: Name,
// DT, When (default "thresholds"), Order, Namespace.
func (net *Network) PoissonGroup(n int, rates any, opts ...Option) (*PoissonGroup, error) {
	cfg, err := newConfig("PoissonGroup", opts)
	if err != nil {
		return nil, fmt.Errorf("PoissonGroup: %w", err)
	}
	if n < 0 {
		return nil, fmt.Errorf("PoissonGroup: the number of neurons must not be negative, got %d", n)
	}
	g := &PoissonGroup{net: net, n: n, cfg: cfg, vars: map[string]*Variable{}}
	g.name = net.uniqueName(cfg.name, "poissongroup")
	if err := net.checkName(g.name); err != nil {
		return nil, err
	}
	if g.when, g.order, err = inputSchedule(cfg, "thresholds"); err != nil {
		return nil, fmt.Errorf("PoissonGroup '%s': %w", g.name, err)
	}
	g.clock = net.newClock(cfg.dt)
	if code, ok := rates.(string); ok {
		g.code = code
		if err := g.compile(); err != nil {
			return nil, fmt.Errorf("PoissonGroup '%s': %w", g.name, err)
		}
	} else {
		g.rates = newVariable("rates", hertzDim, expr.Float, n, false)
		g.rates.Constant = true // only Set changes the rates
		g.vars["rates"] = g.rates
		if err := g.setRates(rates); err != nil {
			return nil, fmt.Errorf("PoissonGroup '%s': %w", g.name, err)
		}
	}
	// Only a group built successfully takes a clock and a random stream,
	// so a failed attempt leaves the network as it was.
	net.addClock(g.clock)
	g.rng = net.newRNG()
	net.add(g)
	return g, nil
}

// inputSchedule reads the When and Order options of an input object.
func inputSchedule(cfg *config, defaultWhen string) (when, order float64, err error) {
	name := defaultWhen
	if cfg.when != nil {
		name = *cfg.when
	}
	if when, err = SlotPosition(name); err != nil {
		return 0, 0, err
	}
	if cfg.order != nil {
		order = *cfg.order
	}
	return when, order, nil
}

// Name returns the group's name.
func (g *PoissonGroup) Name() string { return g.name }

// Size returns the number of neurons.
func (g *PoissonGroup) Size() int { return g.n }

// Clock returns the group's clock.
func (g *PoissonGroup) Clock() *Clock { return g.clock }

// RatesExpr returns the rates expression, or "" when the rates are numbers.
func (g *PoissonGroup) RatesExpr() string { return g.code }

// Spikes returns the neurons that fired in the last step.
func (g *PoissonGroup) Spikes() []int32 { return append([]int32(nil), g.fired...) }

// scope returns the names the rates expression may use.
func (g *PoissonGroup) scope() *scope {
	sc := newScope(g.cfg.namespace, g.net.Namespace)
	sc.dt = g.clock.dt
	sc.vars["t"] = expr.Symbol{Kind: expr.Variable, Dim: secondDim, Type: expr.Float}
	sc.vars["dt"] = expr.Symbol{Kind: expr.Constant, Dim: secondDim, Type: expr.Float, Value: g.clock.dt}
	sc.vars["i"] = expr.Symbol{Kind: expr.Variable, Type: expr.Integer}
	sc.vars["N"] = expr.Symbol{Kind: expr.Constant, Type: expr.Integer, Value: float64(g.n)}
	return sc
}

// compileExpr checks that code is an expression in Hz and compiles it.
func (g *PoissonGroup) compileExpr(code string) (expr.Node, *kernel.Expr, error) {
	n, err := expr.Parse(code)
	if err != nil {
		return nil, nil, codeErr("rates", code, err)
	}
	sc := g.scope()
	info, err := expr.Check(n, sc)
	if err != nil {
		return nil, nil, codeErr("rates", code, scopeErr(sc, err))
	}
	if info.Dim != hertzDim {
		return nil, nil, codeErr("rates", code, fmt.Errorf("the rates must have unit Hz, but the expression has unit %s", info.Dim.Name()))
	}
	names := expr.Names(n)
	consts, err := sc.constantsFor(names)
	if err != nil {
		return nil, nil, codeErr("rates", code, err)
	}
	consts["dt"] = g.clock.dt
	consts["N"] = float64(g.n)
	lay := kernel.Layout{Columns: map[string]*kernel.Column{}, Consts: consts, Params: map[string]*float64{"t": &g.t}, IndexName: "i",
		Funcs: sc.functionsFor([]expr.Node{n})}
	ex, err := kernel.CompileExpr(n, lay)
	if err != nil {
		return nil, nil, codeErr("rates", code, err)
	}
	return n, ex, nil
}

// compile builds the rates expression's kernel; it runs again before each
// run, so changed constants and dt take effect.
func (g *PoissonGroup) compile() error {
	n, ex, err := g.compileExpr(g.code)
	if err != nil {
		return err
	}
	g.node, g.ex = n, ex
	g.uniform = isUniform(n)
	if len(g.vals) != g.n {
		g.vals = make([]float64, max(g.n, 1))
	}
	return nil
}

// isUniform reports whether an expression has the same value for every
// neuron: it uses neither i nor random numbers.
func isUniform(n expr.Node) bool {
	uniform := true
	expr.Walk(n, func(n expr.Node) bool {
		switch x := n.(type) {
		case *expr.Name:
			if x.Name == "i" {
				uniform = false
			}
		case *expr.Call:
			if f, ok := expr.LookupFunction(x.Func); !ok || !f.Deterministic {
				uniform = false
			}
		}
		return uniform
	})
	return uniform
}

// Set assigns the rates ("rates" is the only variable), when they were
// given as numbers: a float64 in Hz, a units.Quantity in Hz, a []float64
// of rates in Hz, or a string expression of i, N and constants evaluated
// once now.
func (g *PoissonGroup) Set(name string, value any) error {
	if name != "rates" {
		return fmt.Errorf("PoissonGroup '%s' has no variable '%s' (only 'rates')", g.name, name)
	}
	if g.rates == nil {
		return fmt.Errorf("cannot set the rates of PoissonGroup '%s': they are the expression '%s'", g.name, g.code)
	}
	return g.setRates(value)
}

func (g *PoissonGroup) setRates(value any) error {
	f := g.rates.col.F
	switch x := value.(type) {
	case string:
		_, ex, err := g.compileExpr(x)
		if err != nil {
			return err
		}
		g.t = g.clock.T()
		vals := make([]float64, g.n)
		ex.Eval(0, g.n, vals, g.rng)
		copy(f, vals)
	case []float64:
		if len(x) != g.n {
			return fmt.Errorf("%d rates given for %d neurons", len(x), g.n)
		}
		copy(f, x)
	case units.Quantity:
		if x.Dim != hertzDim {
			return fmt.Errorf("the rates must have unit Hz, got %s", x)
		}
		for k := range f {
			f[k] = x.Value
		}
	case float64, float32, int, int32, int64:
		r := toFloat(x)
		for k := range f {
			f[k] = r
		}
	default:
		return fmt.Errorf("the rates must be a number (Hz), a units.Quantity, a []float64 or a string expression, got %T", value)
	}
	g.rateStats()
	return nil
}

// rateStats updates the largest rate and whether all rates are equal.
func (g *PoissonGroup) rateStats() {
	f := g.rates.col.F
	g.maxRate, g.same = math.Inf(-1), true
	for _, r := range f {
		if r > g.maxRate {
			g.maxRate = r
		}
		if r != f[0] {
			g.same = false
		}
	}
}

// Values returns the rates in Hz (evaluated at the current time when they
// are an expression).
func (g *PoissonGroup) Values(name string) ([]float64, error) {
	if name != "rates" {
		return nil, fmt.Errorf("PoissonGroup '%s' has no variable '%s' (only 'rates')", g.name, name)
	}
	if g.rates != nil {
		return append([]float64(nil), g.rates.col.F...), nil
	}
	out := make([]float64, g.n)
	g.t = g.clock.T()
	g.ex.Eval(0, g.n, out, g.rng)
	return out, nil
}

// Unit returns the dimension of "rates".
func (g *PoissonGroup) Unit(name string) (units.Dimension, bool) {
	if name == "rates" {
		return hertzDim, true
	}
	return units.Dimensionless, false
}

func (g *PoissonGroup) operations() []*operation {
	return []*operation{{name: g.name + "_spike_thresholder", owner: g.name, when: g.when, order: g.order, clock: g.clock, run: g.step}}
}

func (g *PoissonGroup) step() {
	g.fired = g.fired[:0]
	dt := g.clock.dt
	switch {
	case g.rates != nil && g.same && g.n > 0:
		g.fireUniform(g.rates.col.F[0] * dt)
	case g.rates != nil:
		g.fireEach(g.rates.col.F, dt, g.maxRate)
	case g.uniform:
		g.t = g.clock.T()
		g.ex.Eval(0, 1, g.vals[:1], g.rng)
		g.fireUniform(g.vals[0] * dt)
	default:
		g.t = g.clock.T()
		g.ex.Eval(0, g.n, g.vals, g.rng)
		top := math.Inf(-1)
		for _, r := range g.vals[:g.n] {
			if r > top {
				top = r
			}
		}
		g.fireEach(g.vals[:g.n], dt, top)
	}
}

// fireUniform fires each neuron with probability p.
func (g *PoissonGroup) fireUniform(p float64) {
	switch {
	case !(p > 0):
	case p >= 1:
		for k := 0; k < g.n; k++ {
			g.fired = append(g.fired, int32(k))
		}
	case p > directAbove:
		for k := 0; k < g.n; k++ {
			if g.rng.Float64() < p {
				g.fired = append(g.fired, int32(k))
			}
		}
	default:
		skipper := newGeometric(p)
		for k := skipper.next(-1, g.n, g.rng); k < g.n; k = skipper.next(k, g.n, g.rng) {
			g.fired = append(g.fired, int32(k))
		}
	}
}

// fireEach fires neuron k with probability rates[k]*dt. With small
// probabilities, candidates are chosen with the largest probability and
// accepted with probability rates[k]*dt over it (thinning), which is
// exact and touches only the candidates.
func (g *PoissonGroup) fireEach(rates []float64, dt, maxRate float64) {
	pmax := maxRate * dt
	switch {
	case !(pmax > 0):
	case pmax > directAbove:
		for k, r := range rates {
			if g.rng.Float64() < r*dt {
				g.fired = append(g.fired, int32(k))
			}
		}
	default:
		skipper := newGeometric(pmax)
		for k := skipper.next(-1, g.n, g.rng); k < g.n; k = skipper.next(k, g.n, g.rng) {
			if p := rates[k] * dt; p >= pmax || g.rng.Float64()*pmax < p {
				g.fired = append(g.fired, int32(k))
			}
		}
	}
}

// geometric selects elements independently with probability p by drawing
// the gaps between selected elements: the number of elements skipped is
// floor(log(U)/log(1-p)), which is geometric with P(gap >= j) = (1-p)^j.
type geometric struct{ logQ float64 }

func newGeometric(p float64) geometric { return geometric{math.Log1p(-p)} }

// next returns the element selected after k, or n when there is none.
func (s geometric) next(k, n int, rng *rand.Rand) int {
	gap := math.Floor(math.Log1p(-rng.Float64()) / s.logQ)
	if next := float64(k) + 1 + gap; next < float64(n) {
		return int(next)
	}
	return n
}

func (g *PoissonGroup) beforeRun() error {
	if g.rates != nil {
		return nil
	}
	if err := g.compile(); err != nil {
		return fmt.Errorf("PoissonGroup '%s': %w", g.name, err)
	}
	return nil
}

func (g *PoissonGroup) markDirty() {}

type poissonSnapshot struct {
	rates []float64
	t     float64
}

func (g *PoissonGroup) snapshot() any {
	s := poissonSnapshot{t: g.t}
	if g.rates != nil {
		s.rates = append([]float64(nil), g.rates.col.F...)
	}
	return s
}

func (g *PoissonGroup) restoreSnapshot(x any) {
	s := x.(poissonSnapshot)
	if g.rates != nil {
		copy(g.rates.col.F, s.rates)
		g.rateStats()
	}
	g.t = s.t
	g.fired = g.fired[:0]
}

// source and endpoint.

func (g *PoissonGroup) clockOf() *Clock                  { return g.clock }
func (g *PoissonGroup) ownerOf() object                  { return g }
func (g *PoissonGroup) variables() map[string]*Variable  { return g.vars }
func (g *PoissonGroup) offset() int                      { return 0 }
func (g *PoissonGroup) wholeSize() int                   { return g.Size() }
func (g *PoissonGroup) writeCondition(string) *Variable  { return nil }
func (g *PoissonGroup) spikeSlot() (when, order float64) { return g.when, g.order }

func (g *PoissonGroup) firedRel(event string, _ []int32) ([]int32, bool) {
	if event != "spike" {
		return nil, false
	}
	return g.fired, true
}

func (g *PoissonGroup) reader(name string) (func(k int) float64, error) {
	return g.readerAt(name, 0)
}

// readerAt reads the rate of neuron off+k; an expression is evaluated at
// the clock's current time.
func (g *PoissonGroup) readerAt(name string, off int) (func(k int) float64, error) {
	if name != "rates" {
		return nil, fmt.Errorf("PoissonGroup '%s' has no variable '%s' (only 'rates')", g.name, name)
	}
	if g.rates != nil {
		f := g.rates
		return func(k int) float64 { return f.col.F[off+k] }, nil
	}
	var out [1]float64
	return func(k int) float64 {
		g.t = g.clock.T()
		g.ex.Eval(off+k, off+k+1, out[:], g.rng)
		return out[0]
	}, nil
}

// PoissonSubgroup is a contiguous slice of a PoissonGroup, like Brian2's
// P[start:stop]: it can be monitored and be the source of synapses.
type PoissonSubgroup struct {
	parent      *PoissonGroup
	start, stop int
}

// Slice returns the subgroup of neurons start..stop-1.
func (g *PoissonGroup) Slice(start, stop int) (*PoissonSubgroup, error) {
	if start < 0 || stop > g.n || start >= stop {
		return nil, fmt.Errorf("cannot slice '%s' (%d neurons) with [%d:%d]", g.name, g.n, start, stop)
	}
	return &PoissonSubgroup{parent: g, start: start, stop: stop}, nil
}

// Slice returns the subgroup of the subgroup's neurons start..stop-1.
func (s *PoissonSubgroup) Slice(start, stop int) (*PoissonSubgroup, error) {
	if start < 0 || stop > s.Size() || start >= stop {
		return nil, fmt.Errorf("cannot slice '%s' (%d neurons) with [%d:%d]", s.Name(), s.Size(), start, stop)
	}
	return &PoissonSubgroup{parent: s.parent, start: s.start + start, stop: s.start + stop}, nil
}

// Name returns a name such as "poissongroup[0:100]".
func (s *PoissonSubgroup) Name() string {
	return fmt.Sprintf("%s[%d:%d]", s.parent.name, s.start, s.stop)
}

// Size returns the number of neurons.
func (s *PoissonSubgroup) Size() int { return s.stop - s.start }

// Parent returns the group the subgroup belongs to, and its first index.
func (s *PoissonSubgroup) Parent() (*PoissonGroup, int) { return s.parent, s.start }

func (s *PoissonSubgroup) clockOf() *Clock                 { return s.parent.clock }
func (s *PoissonSubgroup) ownerOf() object                 { return s.parent }
func (s *PoissonSubgroup) variables() map[string]*Variable { return s.parent.vars }
func (s *PoissonSubgroup) offset() int                     { return s.start }
func (s *PoissonSubgroup) wholeSize() int                  { return s.parent.Size() }
func (s *PoissonSubgroup) writeCondition(string) *Variable { return nil }

// firedRel finds the subgroup's part of the parent's sorted spikes.
func (s *PoissonSubgroup) firedRel(event string, buf []int32) ([]int32, bool) {
	all, ok := s.parent.firedRel(event, nil)
	if !ok {
		return nil, false
	}
	return sliceSorted(all, s.start, s.stop, buf), true
}

func (s *PoissonSubgroup) reader(name string) (func(k int) float64, error) {
	return s.parent.readerAt(name, s.start)
}
