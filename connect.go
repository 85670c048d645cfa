package soma

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/kernel"
	"github.com/soma-sim/soma/units"
)

// Connection says which synapses Connect creates, in Brian2's terms. The
// zero value connects all pairs. For each pair (i, j) for which Condition
// holds, with probability P, N synapses are created.
type Connection struct {
	// Condition is a boolean expression of i, j, constants and the
	// variables of both sides (x_pre, x_post), e.g. "i != j".
	Condition string
	// P is the connection probability: a float64 or an expression of i,
	// j and variables ("0.1*exp(-abs(i-j)/10.)"). Default 1.
	P any
	// N is the number of synapses per chosen pair (multapses): an int or
	// an expression. Default 1.
	N any
	// I and J connect explicit pairs (I[k], J[k]).
	I, J []int
	// JExpr gives the targets of each source neuron i as an expression:
	// "i" (one to one), "int(i/2) if i % 2 == 0", or Brian2's generator
	// syntax "k for k in range(i-3, i+4) if k != i", with range(...) or
	// sample(n, p=...) / sample(n, size=...).
	JExpr string
	// SkipIfInvalid drops targets outside the target group instead of
	// failing, and clamps sample sizes.
	SkipIfInvalid bool
}

// Connect creates synapses. Several calls accumulate.
func (s *Synapses) Connect(c Connection) error {
	if s.global != nil {
		return fmt.Errorf("Synapses '%s' connect: the network is distributed over ranks already; connect before Distribute", s.name)
	}
	if s.built != nil && !s.CanBuildShare(c) {
		return fmt.Errorf("Synapses '%s' connect: built as the share of a rank, they connect by probability only (a constant p and n, a condition without random numbers)", s.name)
	}
	if err := s.connect(c); err != nil {
		return fmt.Errorf("Synapses '%s' connect: %w", s.name, err)
	}
	return nil
}

func (s *Synapses) connect(c Connection) error {
	if c.I == nil && c.J == nil && c.JExpr == "" {
		return s.connectByRows(c)
	}
	nSrc, nTgt := s.src.Size(), s.tgt.Size()
	pairs := &pairList{}
	add := pairs.add
	switch {
	case c.I != nil || c.J != nil:
		if len(c.I) != len(c.J) {
			return fmt.Errorf("i and j must have the same length, got %d and %d", len(c.I), len(c.J))
		}
		if c.Condition != "" || c.JExpr != "" {
			return fmt.Errorf("explicit i and j cannot be combined with a condition or a j expression")
		}
		for k := range c.I {
			if c.I[k] < 0 || c.I[k] >= nSrc || c.J[k] < 0 || c.J[k] >= nTgt {
				if c.SkipIfInvalid {
					continue
				}
				return fmt.Errorf("the pair (%d, %d) is outside the groups (%d and %d neurons)", c.I[k], c.J[k], nSrc, nTgt)
			}
		}
		pairs := newPairEval(s)
		for k := range c.I {
			if c.I[k] < 0 || c.I[k] >= nSrc || c.J[k] < 0 || c.J[k] >= nTgt {
				continue
			}
			n, err := pairs.multiplicity(c.N, c.I[k], c.J[k])
			if err != nil {
				return err
			}
			p, err := pairs.probability(c.P, c.I[k], c.J[k])
			if err != nil {
				return err
			}
			if p >= 1 || s.rng.Float64() < p {
				add(int32(c.I[k]), int32(c.J[k]), n)
			}
		}
	case c.JExpr != "":
		gen, err := parseGenerator(c.JExpr)
		if err != nil {
			return err
		}
		pairs := newPairEval(s)
		for i := 0; i < nSrc; i++ {
			js, err := gen.targets(s, i, nTgt, c.SkipIfInvalid)
			if err != nil {
				return err
			}
			for _, j := range js {
				if c.Condition != "" {
					ok, err := pairs.condition(c.Condition, i, j)
					if err != nil {
						return err
					}
					if !ok {
						continue
					}
				}
				p, err := pairs.probability(c.P, i, j)
				if err != nil {
					return err
				}
				if p < 1 && s.rng.Float64() >= p {
					continue
				}
				n, err := pairs.multiplicity(c.N, i, j)
				if err != nil {
					return err
				}
				add(int32(i), int32(j), n)
			}
		}
	}
	s.addSynapses(pairs.i, pairs.j)
	return nil
}

// connectByRows handles condition/p/n connections source neuron by source
// neuron. With a constant p and n and a condition without random calls,
// targets are drawn by geometric skipping, in parallel (connectSampled),
// so the cost grows with the synapses created, not with the number of
// pairs. Otherwise every pair is evaluated, in order, from the Synapses'
// stream.
func (s *Synapses) connectByRows(c Connection) error {
	pConst, pIsConst, err := s.constantOf(c.P, 1)
	if err != nil {
		return fmt.Errorf("p: %w", err)
	}
	nConst, nIsConst, err := s.constantOf(c.N, 1)
	if err != nil {
		return fmt.Errorf("n: %w", err)
	}
	if nIsConst && (nConst < 0 || nConst != math.Trunc(nConst)) {
		return fmt.Errorf("n must be a non-negative integer, got %g", nConst)
	}
	if pIsConst && nIsConst {
		cond, ok, err := s.sampledCondition(c.Condition)
		if err != nil {
			return err
		}
		if ok {
			return s.connectSampled(cond, pConst, int(nConst))
		}
	}
	rows, err := newRowEval(s, c)
	if err != nil {
		return err
	}
	pairs := &pairList{}
	for i := 0; i < s.src.Size(); i++ {
		if err := rows.row(i, pairs.add); err != nil {
			return err
		}
	}
	s.addSynapses(pairs.i, pairs.j)
	return nil
}

// sampledCondition parses a condition for connectSampled (nil for none);
// ok is false when it calls rand(), which must then be drawn for every
// pair in turn.
func (s *Synapses) sampledCondition(cond string) (n expr.Node, ok bool, err error) {
	if cond == "" {
		return nil, true, nil
	}
	n, err = (&rowEval{s: s}).parse(cond, true)
	if err != nil {
		return nil, false, fmt.Errorf("condition '%s': %w", cond, err)
	}
	if hasRandomCall(n) {
		return nil, false, nil
	}
	return n, true, nil
}

// pairList collects the pairs a connect creates, in creation order.
type pairList struct {
	i, j []int32
}

// add adds the pair (i, j) times times.
func (p *pairList) add(i, j int32, times int) {
	for range times {
		p.i = append(p.i, i)
		p.j = append(p.j, j)
	}
}

func hasRandomCall(n expr.Node) bool {
	found := false
	expr.Walk(n, func(x expr.Node) bool {
		if c, ok := x.(*expr.Call); ok {
			if f, ok := expr.LookupFunction(c.Func); ok && !f.Deterministic {
				found = true
			}
		}
		return !found
	})
	return found
}

// constantOf returns the value of a p or n given as a number or a
// constant expression; isConst is false for expressions of i, j or
// variables.
func (s *Synapses) constantOf(v any, def float64) (value float64, isConst bool, err error) {
	switch x := v.(type) {
	case nil:
		return def, true, nil
	case string:
		n, err := expr.Parse(x)
		if err != nil {
			return 0, false, err
		}
		q, err := expr.Eval(n, s.scopeForConnect())
		if err != nil {
			return 0, false, nil // depends on i, j or variables
		}
		if !q.Dim.IsDimensionless() {
			return 0, false, fmt.Errorf("'%s' must be dimensionless, it is %s", x, q)
		}
		return q.Value, true, nil
	case units.Quantity:
		if !x.Dim.IsDimensionless() {
			return 0, false, fmt.Errorf("must be dimensionless, got %s", x)
		}
		return x.Value, true, nil
	}
	if isFloat(v) {
		return toFloat(v), true, nil
	}
	return 0, false, fmt.Errorf("expected a number or a string expression, got %T", v)
}

// scopeForConnect resolves constants only (no per-pair names).
func (s *Synapses) scopeForConnect() expr.Namespace {
	sc := newScope(s.cfg.namespace, s.net.Namespace)
	sc.vars["N_pre"] = expr.Symbol{Kind: expr.Constant, Type: expr.Integer, Value: float64(s.src.Size())}
	sc.vars["N_post"] = expr.Symbol{Kind: expr.Constant, Type: expr.Integer, Value: float64(s.tgt.Size())}
	return sc
}

// rowEval evaluates condition, p and n for all targets j of one source
// neuron i at a time, with kernels whose elements are the targets.
type rowEval struct {
	s       *Synapses
	c       Connection
	i       float64
	pre     map[string]*float64 // x_pre values of the current row
	preVars map[string]*Variable
	cond    *kernel.Condition
	p, n    *kernel.Expr
	pConst  float64
	nConst  float64
	js      []int32
	pBuf    []float64
	nBuf    []float64
	allJ    []int32
}

func newRowEval(s *Synapses, c Connection) (*rowEval, error) {
	r := &rowEval{s: s, c: c, pre: map[string]*float64{}, preVars: map[string]*Variable{}}
	var err error
	if c.Condition != "" {
		n, err := r.parse(c.Condition, true)
		if err != nil {
			return nil, fmt.Errorf("condition '%s': %w", c.Condition, err)
		}
		lay := r.layout(n)
		if r.cond, err = kernel.CompileCondition(n, lay); err != nil {
			return nil, err
		}
	}
	if r.pConst, r.p, err = r.numberOrExpr(c.P, 1, "p"); err != nil {
		return nil, err
	}
	if r.nConst, r.n, err = r.numberOrExpr(c.N, 1, "n"); err != nil {
		return nil, err
	}
	r.allJ = make([]int32, s.tgt.Size())
	for k := range r.allJ {
		r.allJ[k] = int32(k)
	}
	return r, nil
}

// pairScope is the scope of connect expressions: i, j, and both sides'
// variables.
func (s *Synapses) pairScope() *scope {
	sc := newScope(s.cfg.namespace, s.net.Namespace)
	for name, v := range s.tgt.variables() {
		sc.vars[name+"_post"] = v.symbol()
	}
	for name, v := range s.src.variables() {
		sc.vars[name+"_pre"] = v.symbol()
	}
	integer := expr.Symbol{Kind: expr.Variable, Type: expr.Integer}
	sc.vars["i"], sc.vars["j"] = integer, integer
	sc.vars["N_pre"] = expr.Symbol{Kind: expr.Constant, Type: expr.Integer, Value: float64(s.src.Size())}
	sc.vars["N_post"] = expr.Symbol{Kind: expr.Constant, Type: expr.Integer, Value: float64(s.tgt.Size())}
	return sc
}

func (r *rowEval) parse(code string, boolean bool) (expr.Node, error) {
	n, err := expr.Parse(code)
	if err != nil {
		return nil, err
	}
	sc := r.s.pairScope()
	info, err := expr.Check(n, sc)
	if err != nil {
		return nil, scopeErr(sc, err)
	}
	if boolean && info.Type != expr.Boolean {
		return nil, fmt.Errorf("not a boolean expression")
	}
	if !boolean && !info.Dim.IsDimensionless() {
		return nil, fmt.Errorf("must be dimensionless, it has unit %s", info.Dim.Name())
	}
	return n, nil
}

// layout: elements are targets j; i and x_pre are per-row parameters.
func (r *rowEval) layout(n expr.Node) kernel.Layout {
	s := r.s
	lay := kernel.Layout{Columns: map[string]*kernel.Column{}, Params: map[string]*float64{"i": &r.i}, IndexName: "j"}
	names := expr.Names(n)
	off, size := s.tgt.offset(), s.tgt.Size()
	for _, name := range names {
		if base, ok := strings.CutSuffix(name, "_post"); ok {
			if v, ok := s.tgt.variables()[base]; ok {
				lay.Columns[name] = sliceColumn(v, off, size)
			}
		}
		if base, ok := strings.CutSuffix(name, "_pre"); ok {
			if v, ok := s.src.variables()[base]; ok {
				if r.pre[name] == nil {
					r.pre[name] = new(float64)
					r.preVars[name] = v
				}
				lay.Params[name] = r.pre[name]
			}
		}
	}
	consts, _ := s.pairScope().constantsFor(names)
	lay.Consts = consts
	return lay
}

// sliceColumn returns a direct column over the elements off..off+size-1.
func sliceColumn(v *Variable, off, size int) *kernel.Column {
	c := *v.col
	switch {
	case v.Shared:
	case c.Index != nil:
		c.Index = c.Index[off : off+size]
	case c.F != nil:
		c.F = c.F[off : off+size]
	case c.F32 != nil:
		c.F32 = c.F32[off : off+size]
	case c.I != nil:
		c.I = c.I[off : off+size]
	default:
		c.B = c.B[off : off+size]
	}
	return &c
}

func (r *rowEval) numberOrExpr(v any, def float64, what string) (float64, *kernel.Expr, error) {
	val, isConst, err := r.s.constantOf(v, def)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", what, err)
	}
	if isConst {
		return val, nil, nil
	}
	code := v.(string)
	n, err := r.parse(code, false)
	if err != nil {
		return 0, nil, fmt.Errorf("%s '%s': %w", what, code, err)
	}
	e, err := kernel.CompileExpr(n, r.layout(n))
	if err != nil {
		return 0, nil, err
	}
	return 0, e, nil
}

// setRow sets i and the x_pre values the kernels read to source neuron i's.
func (r *rowEval) setRow(i int) {
	r.i = float64(i)
	for name, v := range r.preVars {
		*r.pre[name] = v.at(r.s.src.offset() + i)
	}
}

func (r *rowEval) row(i int, add func(i, j int32, n int)) error {
	s := r.s
	r.setRow(i)
	nTgt := s.tgt.Size()
	js := r.allJ
	if r.cond != nil {
		r.js = r.cond.Collect(0, nTgt, r.js[:0], s.rng)
		js = r.js
	}
	if len(js) == 0 {
		return nil
	}
	if r.p != nil {
		r.pBuf = grow(r.pBuf, nTgt)
		r.p.EvalIndices(js, r.pBuf[:len(js)], s.rng)
	}
	if r.n != nil {
		r.nBuf = grow(r.nBuf, nTgt)
		r.n.EvalIndices(js, r.nBuf[:len(js)], s.rng)
	}
	for k, j := range js {
		p := r.pConst
		if r.p != nil {
			p = r.pBuf[k]
		}
		if p < 1 && s.rng.Float64() >= p {
			continue
		}
		n := r.nConst
		if r.n != nil {
			n = r.nBuf[k]
		}
		if n < 0 || n != math.Trunc(n) {
			return fmt.Errorf("n must be a non-negative integer, got %g for (%d, %d)", n, i, j)
		}
		add(int32(i), j, int(n))
	}
	return nil
}

// pairEval evaluates p and n for single pairs (explicit pairs and
// generator syntax), with i and j as constants.
type pairEval struct {
	s     *Synapses
	cache map[string]expr.Node
}

func newPairEval(s *Synapses) *pairEval { return &pairEval{s: s, cache: map[string]expr.Node{}} }

func (p *pairEval) value(v any, def float64, i, j int) (float64, error) {
	val, isConst, err := p.s.constantOf(v, def)
	if err != nil || isConst {
		return val, err
	}
	code := v.(string)
	n, ok := p.cache[code]
	if !ok {
		if n, err = expr.Parse(code); err != nil {
			return 0, err
		}
		p.cache[code] = n
	}
	q, err := expr.Eval(n, p.s.pairConstants(i, j))
	if err != nil {
		return 0, fmt.Errorf("'%s': %w", code, err)
	}
	return q.Value, nil
}

func (p *pairEval) probability(v any, i, j int) (float64, error) { return p.value(v, 1, i, j) }

func (p *pairEval) multiplicity(v any, i, j int) (int, error) {
	n, err := p.value(v, 1, i, j)
	if err != nil {
		return 0, err
	}
	if n < 0 || n != math.Trunc(n) {
		return 0, fmt.Errorf("n must be a non-negative integer, got %g", n)
	}
	return int(n), nil
}

func (p *pairEval) condition(code string, i, j int) (bool, error) {
	v, err := p.value(code, 1, i, j)
	return v != 0, err
}

// pairConstants is a namespace where i, j and the pair's variables are
// constants.
func (s *Synapses) pairConstants(i, j int) expr.Namespace {
	sc := s.pairScope()
	sc.vars["i"] = expr.Symbol{Kind: expr.Constant, Type: expr.Integer, Value: float64(i)}
	sc.vars["j"] = expr.Symbol{Kind: expr.Constant, Type: expr.Integer, Value: float64(j)}
	for name, v := range s.tgt.variables() {
		if j >= 0 {
			sc.vars[name+"_post"] = expr.Symbol{Kind: expr.Constant, Dim: v.Dim, Type: v.Type, Value: v.at(s.tgt.offset() + j)}
		}
	}
	for name, v := range s.src.variables() {
		sc.vars[name+"_pre"] = expr.Symbol{Kind: expr.Constant, Dim: v.Dim, Type: v.Type, Value: v.at(s.src.offset() + i)}
	}
	return sc
}

// generator is a parsed j expression: "EXPR for VAR in RANGE if COND", or
// "EXPR if COND", or "EXPR".
type generator struct {
	expr     expr.Node
	variable string
	rangeFn  string // "range" or "sample"
	args     []expr.Node
	p, size  expr.Node
	cond     expr.Node
}

var generatorPattern = regexp.MustCompile(`^\s*(.+?)\s+for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+(range|sample)\s*\((.*)\)\s*(?:if\s+(.+))?$`)
var conditionalPattern = regexp.MustCompile(`^\s*(.+?)\s+if\s+(.+)$`)

func parseGenerator(code string) (*generator, error) {
	g := &generator{}
	parse := func(s, what string) (expr.Node, error) {
		n, err := expr.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("%s in j='%s': %w", what, code, err)
		}
		return n, nil
	}
	var err error
	if m := generatorPattern.FindStringSubmatch(code); m != nil {
		if g.expr, err = parse(m[1], "expression"); err != nil {
			return nil, err
		}
		g.variable, g.rangeFn = m[2], m[3]
		for _, arg := range splitArgs(m[4]) {
			if name, value, ok := strings.Cut(arg, "="); ok && !strings.ContainsAny(name, "<>!=") && !strings.HasPrefix(value, "=") {
				n, err := parse(value, "argument")
				if err != nil {
					return nil, err
				}
				switch strings.TrimSpace(name) {
				case "p":
					g.p = n
				case "size":
					g.size = n
				default:
					return nil, fmt.Errorf("unknown argument '%s' of %s in j='%s'", strings.TrimSpace(name), g.rangeFn, code)
				}
				continue
			}
			n, err := parse(arg, "argument")
			if err != nil {
				return nil, err
			}
			g.args = append(g.args, n)
		}
		if len(g.args) < 1 || len(g.args) > 3 {
			return nil, fmt.Errorf("%s takes 1 to 3 positional arguments in j='%s'", g.rangeFn, code)
		}
		if g.rangeFn == "range" && (g.p != nil || g.size != nil) {
			return nil, fmt.Errorf("range() takes no p or size in j='%s' (use sample())", code)
		}
		if g.rangeFn == "sample" && (g.p == nil) == (g.size == nil) {
			return nil, fmt.Errorf("sample() needs exactly one of p= or size= in j='%s'", code)
		}
		if m[5] != "" {
			if g.cond, err = parse(m[5], "condition"); err != nil {
				return nil, err
			}
		}
		return g, nil
	}
	if m := conditionalPattern.FindStringSubmatch(code); m != nil {
		if g.expr, err = parse(m[1], "expression"); err != nil {
			return nil, err
		}
		if g.cond, err = parse(m[2], "condition"); err != nil {
			return nil, err
		}
		return g, nil
	}
	g.expr, err = parse(code, "expression")
	return g, err
}

// splitArgs splits a call's argument list at top-level commas.
func splitArgs(s string) []string {
	var out []string
	depth, start := 0, 0
	for k, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:k]))
				start = k + 1
			}
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// targets returns the targets of source neuron i.
func (g *generator) targets(s *Synapses, i, nTgt int, skip bool) ([]int, error) {
	ns := s.pairConstants(i, -1)
	eval := func(n expr.Node, extra map[string]float64) (float64, error) {
		var lookup expr.Namespace = ns
		if len(extra) > 0 {
			m := expr.MapNamespace{}
			for k, v := range extra {
				m[k] = expr.Symbol{Kind: expr.Constant, Type: expr.Integer, Value: v}
			}
			lookup = chainNamespace{m, ns}
		}
		q, err := expr.Eval(n, lookup)
		if err != nil {
			return 0, err
		}
		return q.Value, nil
	}
	var candidates []int
	if g.variable == "" {
		candidates = []int{0} // a single evaluation
	} else {
		var bounds []int
		for _, a := range g.args {
			v, err := eval(a, nil)
			if err != nil {
				return nil, err
			}
			bounds = append(bounds, int(v))
		}
		lo, hi, step := 0, bounds[0], 1
		if len(bounds) >= 2 {
			lo, hi = bounds[0], bounds[1]
		}
		if len(bounds) == 3 {
			step = bounds[2]
		}
		if step == 0 {
			return nil, fmt.Errorf("range step must not be zero")
		}
		if g.rangeFn == "sample" && skip {
			lo, hi = max(lo, 0), min(hi, nTgt)
		}
		switch {
		case g.rangeFn == "range":
			for k := lo; (step > 0 && k < hi) || (step < 0 && k > hi); k += step {
				candidates = append(candidates, k)
			}
		case g.p != nil:
			p, err := eval(g.p, nil)
			if err != nil {
				return nil, err
			}
			for k := lo; k < hi; k += step {
				if s.rng.Float64() < p {
					candidates = append(candidates, k)
				}
			}
		default:
			size, err := eval(g.size, nil)
			if err != nil {
				return nil, err
			}
			var pool []int
			for k := lo; k < hi; k += step {
				pool = append(pool, k)
			}
			n := int(size)
			if n > len(pool) {
				if !skip {
					return nil, fmt.Errorf("cannot sample %d of %d values", n, len(pool))
				}
				n = len(pool)
			}
			// A partial Fisher-Yates shuffle, then sorted as Brian2 does.
			for k := 0; k < n; k++ {
				r := k + s.rng.IntN(len(pool)-k)
				pool[k], pool[r] = pool[r], pool[k]
			}
			candidates = append(candidates, pool[:n]...)
			sortInts(candidates)
		}
	}
	var out []int
	for _, k := range candidates {
		extra := map[string]float64{}
		if g.variable != "" {
			extra[g.variable] = float64(k)
		}
		if g.cond != nil {
			c, err := eval(g.cond, extra)
			if err != nil {
				return nil, err
			}
			if c == 0 {
				continue
			}
		}
		v, err := eval(g.expr, extra)
		if err != nil {
			return nil, err
		}
		j := int(v)
		if j < 0 || j >= nTgt {
			if skip {
				continue
			}
			return nil, fmt.Errorf("target %d of source %d is outside the target group (%d neurons); use SkipIfInvalid to drop such targets", j, i, nTgt)
		}
		out = append(out, j)
	}
	return out, nil
}

func sortInts(a []int) {
	for k := 1; k < len(a); k++ {
		for m := k; m > 0 && a[m] < a[m-1]; m-- {
			a[m], a[m-1] = a[m-1], a[m]
		}
	}
}

// chainNamespace looks names up in each namespace in turn.
type chainNamespace []expr.Namespace

func (c chainNamespace) Lookup(name string) (expr.Symbol, bool) {
	for _, ns := range c {
		if sym, ok := ns.Lookup(name); ok {
			return sym, true
		}
	}
	return expr.Symbol{}, false
}

// addSynapses inserts new synapses (source index relative, target index
// relative) and keeps the storage sorted by source; within a source, older
// synapses come first, then new ones in creation order. It takes over pj.
func (s *Synapses) addSynapses(pi, pj []int32) {
	if len(pi) == 0 {
		return
	}
	off := int32(s.tgt.offset())
	if s.n == 0 && slices.IsSorted(pi) {
		// The first connect, drawn source by source: pj is already the
		// target array in storage order.
		ptr := make([]int64, s.src.Size()+1)
		for _, i := range pi {
			ptr[i+1]++
		}
		for k := range s.src.Size() {
			ptr[k+1] += ptr[k]
		}
		// Whether each row is in target order is noted on the way, as
		// rowsSortedByTarget would find in a pass of its own.
		sorted := true
		for k := range pj {
			if k > 0 && pi[k] == pi[k-1] && pj[k] < pj[k-1] {
				sorted = false
			}
			pj[k] += off
		}
		for _, v := range s.vars {
			v.permute(nil, len(pj))
		}
		s.ptr, s.jAbs, s.n = ptr, pj[:len(pj):len(pj)], len(pj)
		s.connectivityChanged()
		if sorted {
			s.sortedRows = 1
		}
		return
	}
	add := make([]int64, s.src.Size())
	for _, i := range pi {
		add[i]++
	}
	s.growRows(add)
	// add becomes each row's next free place.
	for k := range add {
		add[k] = s.ptr[k+1] - add[k]
	}
	for k, i := range pi {
		s.jAbs[add[i]] = pj[k] + off
		add[i]++
	}
	s.connectivityChanged()
}

// connectivityChanged drops derived arrays and marks kernels for rebuild.
func (s *Synapses) connectivityChanged() {
	s.iAbs, s.iRel, s.jRel, s.nIncoming, s.nOutgoing, s.postPtr, s.postSyn = nil, nil, nil, nil, nil, nil, nil
	s.sortedRows = 0
	s.cuts, s.cutParts = nil, 0
	s.dirty = true
}

// rowsSortedByTarget reports whether the synapses of each source neuron
// are in increasing target order, as connect by probability creates them;
// computed once per connectivity, by the network's threads.
func (s *Synapses) rowsSortedByTarget() bool {
	if s.sortedRows == 0 {
		var unsorted atomic.Bool
		s.forSourceRows(func(lo, hi int) {
			for k := lo; k < hi && !unsorted.Load(); k++ {
				if !slices.IsSorted(s.jAbs[s.ptr[k]:s.ptr[k+1]]) {
					unsorted.Store(true)
				}
			}
		})
		s.sortedRows = 1
		if unsorted.Load() {
			s.sortedRows = -1
		}
	}
	return s.sortedRows > 0
}

// forSourceRows calls do(lo, hi) for blocks of the source rows lo..hi-1,
// on the network's threads (forRows).
func (s *Synapses) forSourceRows(do func(lo, hi int)) {
	nsrc := len(s.ptr) - 1
	perRow := float64(len(s.jAbs)) / float64(max(nsrc, 1))
	forRows(s.buildThreads(), nsrc, perRow, func(_, lo, hi int) { do(lo, hi) })
}
