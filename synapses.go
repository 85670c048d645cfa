package soma

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/soma-sim/soma/equations"
	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/integrate"
	"github.com/soma-sim/soma/kernel"
	"github.com/soma-sim/soma/units"
)

// Synapses connects a source population to a target population. Each
// synapse has its own variables (columns indexed by synapse); code of
// pathways (on_pre, on_post) runs for the synapses of spiking neurons and
// can read and write the variables of both sides (v_pre, v_post; a name
// that is not synaptic refers to the target, as in Brian2).
//
// Synapses are stored sorted by presynaptic neuron (CSR): the synapses of
// source neuron k are ptr[k]..ptr[k+1]-1, so a spike touches a contiguous
// range, and the presynaptic index of each synapse need not be stored.
type Synapses struct {
	net   *Network
	name  string
	cfg   *config
	model string
	clock *Clock
	order float64
	rng   *rand.Rand
	t     float64

	src, tgt endpoint

	eqs       *equations.Equations
	vars      map[string]*Variable
	varNames  []string
	subexprs  map[string]expr.Node
	eventVars []string // event-driven variables
	clockVars []string // clock-driven variables

	n    int     // number of synapses
	ptr  []int64 // CSR row pointers by source index (len source size + 1)
	jAbs []int32 // target index in the target owner's numbering
	// Derived arrays, built on demand and dropped when synapses are added.
	iAbs, iRel, jRel []int32
	nIncoming        []int32
	nOutgoing        []int32
	postPtr          []int64 // CSC pointers by target index, for on_post
	postSyn          []int32

	pathways     []*pathway
	fullRows     *fullRows // which rows reach every target in order (AddSpikeSum)
	summed       []*summedVar
	updater      *kernel.Kernel
	chosenMethod string
	dirty        bool
	sortedRows   int8    // rowsSortedByTarget: 0 unknown, 1 yes, -1 no
	cuts         []int64 // targetCuts, for cutParts parts
	cutParts     int
	compiled     bool
	// global is set when the synapses keep one rank's share (KeepShare,
	// Distribute): where the synapses kept sit among all of them.
	global *globalSynapses
	built  *builtShare // built as a rank's share, until Distribute (synapses_share.go)
	// gathered: Gather brought all synapses to this rank, but their spikes
	// in flight stayed on the ranks.
	gathered bool
}

// pathway is one of on_pre, on_post or a named pathway.
type pathway struct {
	syn      *Synapses
	name     string
	code     string
	stmts    []expr.Stmt
	fromPost bool    // triggered by target spikes (on_post)
	order    float64 // within the synapses slot: pre -1, post +1
	delay    *delaySpec
	queue    spikeQueue
	// partQueues, when set, hold the spikes in flight instead of queue,
	// one per thread's part of the target group (per-synapse delays).
	partQueues []spikeQueue
	kernel     *kernel.Kernel
	buf        []int32
	one        [1]spikeBatch // take's batch of this step's spikes
	pend       []spikeBatch  // the batches taken this step
	// late: the trigger's spikes arrive once per exchange window, as
	// lateBatches (in lateBufs), in a distributed network.
	late        bool
	lateBatches []spikeBatch
	lateBufs    [][]int32
	// arriving are spikes in flight given by AddInFlight, queued at the
	// start of the next run.
	arriving []inFlight
	ranges   [][2]int // the synapse ranges of the spikes due this step
	due      []int32  // their source neurons
	// byTarget: the code is local to each target neuron, so the due
	// synapses may be split by target between threads (synapses_run.go).
	byTarget bool
	parts    [][][2]int // per fine part, the sub-ranges of its targets
}

type delaySpec struct {
	scalar   bool
	seconds  float64      // scalar delay
	steps    int          // scalar delay in steps
	perSyn   synapseSteps // per-synapse delay in steps
	variable string       // the synaptic variable holding per-synapse delays
}

// synapseSteps holds the per-synapse delays in steps: one byte each when
// every delay is at most 255 steps (25.5 ms at dt = 0.1 ms, as in most
// networks), four otherwise. At 3e8 synapses that is 0.3 GB, not 1.2.
type synapseSteps struct {
	small []uint8
	large []int32
}

func (d *synapseSteps) at(syn int64) int {
	if d.small != nil {
		return int(d.small[syn])
	}
	return int(d.large[syn])
}

type summedVar struct {
	target string // variable of the target group
	expr   expr.Node
	kernel *kernel.Kernel
	col    *Variable
	lo, hi int // target owner range to clear
}

// Synapses creates synapses from source to target with a model (may be
// empty). Options: OnPre, OnPost, Pathway, Delay, Method, Namespace, Name,
// Order.
func (net *Network) Synapses(source, target Group, model string, opts ...Option) (*Synapses, error) {
	cfg, err := newConfig("Synapses", opts)
	if err != nil {
		return nil, err
	}
	src, ok := asEndpoint(source)
	if !ok {
		return nil, fmt.Errorf("Synapses: %T cannot be a source of synapses", source)
	}
	tgt, ok := asEndpoint(target)
	if !ok {
		return nil, fmt.Errorf("Synapses: %T cannot be a target of synapses", target)
	}
	s := &Synapses{net: net, cfg: cfg, model: model, src: src, tgt: tgt, vars: map[string]*Variable{},
		subexprs: map[string]expr.Node{}, ptr: make([]int64, source.Size()+1)}
	s.name = net.uniqueName(cfg.name, "synapses")
	if err := net.checkName(s.name); err != nil {
		return nil, err
	}
	s.clock = net.clockFor(cfg.dt)
	if cfg.order != nil {
		s.order = *cfg.order
	}
	s.rng = net.newRNG()
	if err := s.define(); err != nil {
		return nil, fmt.Errorf("Synapses '%s': %w", s.name, err)
	}
	if err := s.compile(); err != nil {
		return nil, fmt.Errorf("Synapses '%s': %w", s.name, err)
	}
	net.add(s)
	return s, nil
}

// Name returns the name of the synapses.
func (s *Synapses) Name() string { return s.name }

// Size returns the number of synapses.
func (s *Synapses) Size() int { return s.n }

// Len returns the number of synapses.
func (s *Synapses) Len() int { return s.n }

// Source and Target return the connected populations.
func (s *Synapses) Source() Group { return s.src }

// Target returns the target population.
func (s *Synapses) Target() Group { return s.tgt }

// Method returns the integration method of clock-driven equations ("" when
// there are none).
func (s *Synapses) Method() string {
	if s.cfg.method != nil && len(s.clockVars) > 0 {
		return *s.cfg.method
	}
	return s.chosenMethod
}

func (s *Synapses) define() error {
	eqs, err := equations.ParseWith(s.model, synapseName)
	if err != nil {
		return codeErr("model", s.model, err)
	}
	if err := eqs.CheckFlags(equations.SynapsesFlags); err != nil {
		return codeErr("model", s.model, err)
	}
	s.eqs = eqs
	for _, eq := range eqs.Eqs() {
		switch eq.Kind {
		case equations.DifferentialEquation:
			s.addVar(newVariable(eq.Var, eq.Dim, eq.Type, 0, false))
			if eq.HasFlag("event-driven") {
				s.eventVars = append(s.eventVars, eq.Var)
			} else {
				s.clockVars = append(s.clockVars, eq.Var)
			}
		case equations.Parameter:
			s.addVar(newVariable(eq.Var, eq.Dim, eq.Type, 0, eq.HasFlag("shared")))
			s.vars[eq.Var].Constant = eq.HasFlag("constant")
		}
	}
	useFloat32(s.cfg, s.vars)
	for _, eq := range eqs.Subexpressions() {
		if eq.HasFlag("summed") {
			continue
		}
		s.subexprs[eq.Var] = expr.Substitute(eq.Expr, s.subexprs)
	}
	if len(s.eventVars) > 0 {
		s.addVar(newVariable("lastupdate", secondDim, expr.Float, 0, false))
	}
	// Pathways: on_pre and on_post, or named ones.
	for _, p := range s.cfg.pathways {
		pw := &pathway{syn: s, name: p.name, code: p.code, fromPost: p.post, order: -1}
		if p.post {
			pw.order = 1
		}
		if pw.delay, err = s.delayFor(p.name, p.post); err != nil {
			return err
		}
		s.pathways = append(s.pathways, pw)
	}
	sort.SliceStable(s.pathways, func(a, b int) bool {
		if s.pathways[a].order != s.pathways[b].order {
			return s.pathways[a].order < s.pathways[b].order
		}
		return s.pathways[a].name < s.pathways[b].name
	})
	return nil
}

// synapseName is the rule for names in synaptic equations: Brian2's, plus
// "delay", which names the synaptic delay.
func synapseName(name string) error {
	if name == "delay" {
		return fmt.Errorf("'delay' is a reserved name and cannot be used as a variable name")
	}
	return equations.CheckName(name)
}

// delayFor sets up the delay of a pathway from the Delay option: a scalar
// delay is homogeneous (fast); Set("delay", ...) makes it per synapse.
func (s *Synapses) delayFor(name string, post bool) (*delaySpec, error) {
	d := &delaySpec{scalar: true}
	v, ok := s.cfg.delays[name]
	if !ok && !post {
		v, ok = s.cfg.delays[""]
	}
	if !ok {
		return d, nil
	}
	sec, err := timeValue(v, s)
	if err != nil {
		return nil, fmt.Errorf("delay of pathway '%s': %w", name, err)
	}
	if sec < 0 {
		return nil, fmt.Errorf("delay of pathway '%s' must not be negative", name)
	}
	d.seconds = sec
	return d, nil
}

// timeValue converts a float64 (seconds), units.Quantity or constant
// string expression to seconds.
func timeValue(v any, s *Synapses) (float64, error) {
	sc := s.scope()
	q, err := sc.toQuantity("delay", v)
	if err != nil {
		return 0, err
	}
	if q.Dim != secondDim && !(q.Dim.IsDimensionless() && q.Value == 0 && isFloat(v)) {
		if isFloat(v) {
			return q.Value, nil
		}
		return 0, fmt.Errorf("expected a time, got %s", q)
	}
	return q.Value, nil
}

func isFloat(v any) bool {
	switch v.(type) {
	case float64, float32, int, int64, int32:
		return true
	}
	return false
}

func (s *Synapses) addVar(v *Variable) {
	s.vars[v.Name] = v
	s.varNames = append(s.varNames, v.Name)
}

// VariableNames lists the synaptic variables.
func (s *Synapses) VariableNames() []string { return slices.Clone(s.varNames) }

// scope returns the names visible to synaptic code: synaptic variables,
// x_pre and x_post, unsuffixed target variables, then constants.
func (s *Synapses) scope() *scope {
	sc := newScope(s.cfg.namespace, s.net.Namespace)
	sc.dt = s.clock.dt
	for name, v := range s.tgt.variables() {
		sc.vars[name] = v.symbol()
		sc.vars[name+"_post"] = v.symbol()
	}
	for name, v := range s.src.variables() {
		sc.vars[name+"_pre"] = v.symbol()
	}
	for name, v := range s.vars {
		sc.vars[name] = v.symbol()
	}
	for name := range s.subexprs {
		eq, _ := s.eqs.Get(name)
		sc.vars[name] = expr.Symbol{Kind: expr.Variable, Dim: eq.Dim, Type: eq.Type}
	}
	integer := expr.Symbol{Kind: expr.Variable, Type: expr.Integer}
	for _, name := range []string{"i", "j", "N_incoming", "N_outgoing"} {
		sc.vars[name] = integer
	}
	sc.vars["t"] = expr.Symbol{Kind: expr.Variable, Dim: secondDim, Type: expr.Float}
	sc.vars["dt"] = expr.Symbol{Kind: expr.Constant, Dim: secondDim, Type: expr.Float, Value: s.clock.dt}
	sc.vars["N"] = expr.Symbol{Kind: expr.Variable, Type: expr.Integer}
	sc.vars["N_pre"] = expr.Symbol{Kind: expr.Constant, Type: expr.Integer, Value: float64(s.src.Size())}
	sc.vars["N_post"] = expr.Symbol{Kind: expr.Constant, Type: expr.Integer, Value: float64(s.tgt.Size())}
	sc.vars["delay"] = expr.Symbol{Kind: expr.Variable, Dim: secondDim, Type: expr.Float}
	for _, xi := range s.eqs.StochasticVariables() {
		sc.vars[xi] = expr.Symbol{Kind: expr.Variable, Dim: units.Dimension{units.Time: -0.5}, Type: expr.Float}
	}
	return sc
}

func (s *Synapses) substitute(n expr.Node) expr.Node {
	if len(s.subexprs) == 0 {
		return n
	}
	return expr.Substitute(n, s.subexprs)
}

// compile checks all code and builds the kernels. Kernels refer to the
// connectivity arrays, so they are rebuilt after synapses are added.
func (s *Synapses) compile() error {
	sc := s.scope()
	if err := s.eqs.Check(sc); err != nil {
		return codeErr("model", s.model, scopeErr(sc, err))
	}
	if err := s.compileUpdater(sc); err != nil {
		return err
	}
	if err := s.compileSummed(sc); err != nil {
		return err
	}
	for _, p := range s.pathways {
		if err := p.compile(sc); err != nil {
			return err
		}
	}
	s.dirty = false
	s.compiled = true
	return nil
}

func (s *Synapses) compileUpdater(sc *scope) error {
	s.updater = nil
	s.chosenMethod = ""
	if len(s.clockVars) == 0 {
		return nil
	}
	sys := &integrate.System{Consts: sc, DT: s.clock.dt, Noise: s.eqs.StochasticVariables()}
	for _, v := range s.clockVars {
		eq, _ := s.eqs.Get(v)
		sys.Vars = append(sys.Vars, v)
		sys.RHS = append(sys.RHS, s.substitute(eq.Expr))
	}
	var code []expr.Stmt
	var err error
	if s.chosenMethod, code, err = integrate.Select(methodOf(s.cfg), sys); err != nil {
		return codeErr("model", s.model, scopeErr(sc, err))
	}
	lay, err := s.layout(sc, stmtNodes(code)...)
	if err != nil {
		return err
	}
	if s.updater, err = kernel.Compile(code, lay); err != nil {
		return fmt.Errorf("state updater: %w", err)
	}
	return nil
}

func (s *Synapses) compileSummed(sc *scope) error {
	s.summed = s.summed[:0]
	for _, eq := range s.eqs.Subexpressions() {
		if !eq.HasFlag("summed") {
			continue
		}
		name := strings.TrimSuffix(strings.TrimSuffix(eq.Var, "_post"), "_pre")
		side, pre := endpoint(s.tgt), strings.HasSuffix(eq.Var, "_pre")
		if pre {
			side = s.src
		}
		target, ok := side.variables()[name]
		if !ok {
			return codeErr("model", s.model, fmt.Errorf("the summed variable '%s' refers to '%s', which the %s group does not have", eq.Var, name, map[bool]string{false: "target", true: "source"}[pre]))
		}
		if teq, ok := ownerEquation(side, name); !ok || teq.Kind != equations.Parameter {
			return codeErr("model", s.model, fmt.Errorf("the target of the summed variable '%s' must be a parameter of its group", eq.Var))
		}
		if target.Dim != eq.Dim {
			return codeErr("model", s.model, fmt.Errorf("the summed variable '%s' has unit %s, but '%s' has unit %s", eq.Var, eq.Dim.Name(), name, target.Dim.Name()))
		}
		sv := &summedVar{target: name, expr: s.substitute(eq.Expr), col: target, lo: side.offset(), hi: side.offset() + side.Size()}
		if err := s.net.claimSummed(s, target, sv.lo, sv.hi, eq.Var); err != nil {
			return codeErr("model", s.model, err)
		}
		// The sum is a scatter-add of the expression into the target.
		targetName := eq.Var
		stmt := expr.Stmt{Target: targetName, Op: expr.AddAssign, Value: sv.expr}
		lay, err := s.layout(sc, sv.expr)
		if err != nil {
			return err
		}
		idx := s.jAbs
		if pre {
			idx = s.preAbs()
		}
		lay.Columns[targetName] = &kernel.Column{F: target.col.F, F32: target.col.F32, Index: idx}
		if sv.kernel, err = kernel.Compile([]expr.Stmt{stmt}, lay); err != nil {
			return fmt.Errorf("summed variable '%s': %w", eq.Var, err)
		}
		s.summed = append(s.summed, sv)
	}
	return nil
}

func ownerEquation(e endpoint, name string) (*equations.Equation, bool) {
	switch g := e.(type) {
	case *NeuronGroup:
		return g.eqs.Get(name)
	case *Subgroup:
		return g.parent.eqs.Get(name)
	}
	return nil, false
}

func (p *pathway) compile(sc *scope) error {
	s := p.syn
	what := "on_pre"
	if p.fromPost {
		what = "on_post"
	}
	if p.name != "pre" && p.name != "post" {
		what = fmt.Sprintf("pathway '%s'", p.name)
	}
	stmts, err := expr.ParseStatements(p.code)
	if err != nil {
		return codeErr(what, p.code, err)
	}
	writable := map[string]*Variable{}
	for name, v := range s.tgt.variables() {
		writable[name] = v
		writable[name+"_post"] = v
	}
	for name, v := range s.src.variables() {
		writable[name+"_pre"] = v
	}
	for name, v := range s.vars {
		writable[name] = v
	}
	for k := range stmts {
		stmts[k].Value = s.substitute(stmts[k].Value)
		if err := checkStatement(sc, stmts[k], writable); err != nil {
			return codeErr(what, p.code, err)
		}
	}
	// Event-driven variables are brought up to date first, and
	// lastupdate is set last, exactly as Brian2 generates the code.
	var code []expr.Stmt
	if len(s.eventVars) > 0 {
		sys := &integrate.System{Consts: sc, DT: s.clock.dt}
		for _, v := range s.eventVars {
			eq, _ := s.eqs.Get(v)
			sys.Vars = append(sys.Vars, v)
			sys.RHS = append(sys.RHS, s.substitute(eq.Expr))
		}
		elapsed := &expr.Binary{Op: expr.Sub, X: &expr.Name{Name: "t"}, Y: &expr.Name{Name: "lastupdate"}}
		upd, err := integrate.EventDriven(sys, elapsed)
		if err != nil {
			return codeErr("model", s.model, err)
		}
		code = append(code, upd...)
	}
	user, guards := s.guardWrites(stmts)
	code = append(code, user...)
	if len(s.eventVars) > 0 {
		code = append(code, expr.Stmt{Target: "lastupdate", Op: expr.Assign, Value: &expr.Name{Name: "t"}})
	}
	p.stmts = code
	lay, err := s.layout(sc, stmtNodes(code)...)
	if err != nil {
		return err
	}
	for name, col := range guards {
		lay.Columns[name] = col
	}
	if p.kernel, err = kernel.Compile(code, lay); err != nil {
		return codeErr(what, p.code, err)
	}
	p.byTarget = !p.fromPost && s.targetLocal(code) && !p.kernel.UsesRNG() && !p.kernel.WritesShared() && !p.kernel.Sequential()
	return nil
}

// targetLocal reports whether code touches only synaptic variables and
// target variables: then the synapses of different target neurons are
// independent, and propagation can be split between threads by target.
func (s *Synapses) targetLocal(code []expr.Stmt) bool {
	for _, n := range stmtNodes(code) {
		for _, name := range expr.Names(n) {
			if name == "i" || name == "N_pre" {
				return false
			}
			if side, _, pre := s.sideOf(name); side != nil && pre {
				return false
			}
		}
	}
	return true
}

// guardWrites rewrites statements that write target or source variables
// flagged (unless refractory): like Brian2, such writes only happen where
// the neuron is not refractory. Increments are multiplied by the guard,
// which keeps accumulation over repeated targets correct; other
// assignments mix old and new value with the 0-or-1 guard, which is exact.
func (s *Synapses) guardWrites(stmts []expr.Stmt) ([]expr.Stmt, map[string]*kernel.Column) {
	guards := map[string]*kernel.Column{}
	var out []expr.Stmt
	for _, st := range stmts {
		side, base, pre := s.sideOf(st.Target)
		if side == nil {
			out = append(out, st)
			continue
		}
		cond := side.writeCondition(base)
		if cond == nil {
			out = append(out, st)
			continue
		}
		gname := "_guard_" + st.Target
		idx := s.jAbs
		if pre {
			idx = s.preAbs()
		}
		guards[gname] = &kernel.Column{B: cond.col.B, Index: idx}
		g := &expr.Call{Func: "int", Args: []expr.Node{&expr.Name{Name: gname}}}
		switch st.Op {
		case expr.AddAssign, expr.SubAssign:
			out = append(out, expr.Stmt{At: st.At, Target: st.Target, Op: st.Op, Value: &expr.Binary{Op: expr.Mul, X: st.Value, Y: g}})
		default:
			target := &expr.Name{Name: st.Target}
			newValue := st.Value
			switch st.Op {
			case expr.MulAssign:
				newValue = &expr.Binary{Op: expr.Mul, X: target, Y: st.Value}
			case expr.DivAssign:
				newValue = &expr.Binary{Op: expr.Div, X: target, Y: st.Value}
			}
			mix := &expr.Binary{Op: expr.Add,
				X: &expr.Binary{Op: expr.Mul, X: g, Y: newValue},
				Y: &expr.Binary{Op: expr.Mul, X: &expr.Binary{Op: expr.Sub, X: &expr.Number{Value: 1, Text: "1"}, Y: g}, Y: target}}
			out = append(out, expr.Stmt{At: st.At, Target: st.Target, Op: expr.Assign, Value: mix})
		}
	}
	return out, guards
}

// sideOf tells whether a name refers to a neuron variable of the target
// (x, x_post) or of the source (x_pre; pre is then true), and which. The
// flag matters because source and target may be the same group.
func (s *Synapses) sideOf(name string) (side endpoint, base string, pre bool) {
	if _, syn := s.vars[name]; syn {
		return nil, "", false
	}
	if base, ok := strings.CutSuffix(name, "_pre"); ok {
		if _, ok := s.src.variables()[base]; ok {
			return s.src, base, true
		}
	}
	base = strings.TrimSuffix(name, "_post")
	if _, ok := s.tgt.variables()[base]; ok {
		return s.tgt, base, false
	}
	return nil, "", false
}

// layout tells the kernel compiler what names in synaptic code mean.
func (s *Synapses) layout(sc *scope, nodes ...expr.Node) (kernel.Layout, error) {
	lay := kernel.Layout{Columns: map[string]*kernel.Column{}, Params: map[string]*float64{"t": &s.t}}
	var names []string
	for _, n := range nodes {
		names = append(names, expr.Names(n)...)
	}
	for _, name := range names {
		if _, done := lay.Columns[name]; done {
			continue
		}
		if v, ok := s.vars[name]; ok {
			lay.Columns[name] = v.col
			continue
		}
		switch name {
		case "i":
			lay.Columns[name] = &kernel.Column{I: s.preRel()}
			continue
		case "j":
			lay.Columns[name] = &kernel.Column{I: s.postRel()}
			continue
		case "N_incoming":
			lay.Columns[name] = &kernel.Column{I: s.incoming()}
			continue
		case "N_outgoing":
			lay.Columns[name] = &kernel.Column{I: s.outgoing()}
			continue
		case "delay":
			if d := s.preDelay(); d != nil {
				lay.Columns[name] = d.col
				continue
			}
		}
		if side, base, pre := s.sideOf(name); side != nil {
			v := side.variables()[base]
			if v.col == nil {
				return lay, fmt.Errorf("the linked variable '%s' has not been linked", base)
			}
			switch {
			case v.Shared:
				lay.Columns[name] = v.col
			case pre:
				lay.Columns[name] = indirect(v.col, s.preAbs())
			default:
				lay.Columns[name] = indirect(v.col, s.jAbs)
			}
		}
	}
	consts, err := sc.constantsFor(names)
	if err != nil {
		return lay, err
	}
	consts["dt"] = s.clock.dt
	consts["N"] = float64(s.n)
	consts["N_pre"] = float64(s.src.Size())
	consts["N_post"] = float64(s.tgt.Size())
	lay.Consts = consts
	lay.Funcs = sc.functionsFor(nodes)
	return lay, nil
}

// indirect returns a column that reads col through idx. A column that is
// itself indirect (a linked variable) is composed.
func indirect(col *kernel.Column, idx []int32) *kernel.Column {
	c := *col
	if col.Index != nil {
		comp := largeSlice[int32](len(idx))
		for k, x := range idx {
			comp[k] = col.Index[x]
		}
		idx = comp
	}
	c.Index = idx
	return &c
}

// preDelay returns the per-synapse delay variable of the pre pathway.
func (s *Synapses) preDelay() *Variable { return s.vars["delay"] }

// preAbs returns the source index of each synapse in the source owner's
// numbering, building it from the CSR pointers on first use.
func (s *Synapses) preAbs() []int32 {
	if s.iAbs == nil || len(s.iAbs) != s.n {
		off := int32(s.src.offset())
		s.iAbs = largeSlice[int32](s.n)
		for k := 0; k+1 < len(s.ptr); k++ {
			for syn := s.ptr[k]; syn < s.ptr[k+1]; syn++ {
				s.iAbs[syn] = int32(k) + off
			}
		}
	}
	return s.iAbs
}

// preRel returns the source index of each synapse within the source.
func (s *Synapses) preRel() []int32 {
	if s.src.offset() == 0 {
		return s.preAbs()
	}
	if s.iRel == nil || len(s.iRel) != s.n {
		off := int32(s.src.offset())
		s.iRel = largeSlice[int32](s.n)
		for k, x := range s.preAbs() {
			s.iRel[k] = x - off
		}
	}
	return s.iRel
}

// postRel returns the target index of each synapse within the target.
func (s *Synapses) postRel() []int32 {
	if s.tgt.offset() == 0 {
		return s.jAbs
	}
	if s.jRel == nil || len(s.jRel) != s.n {
		off := int32(s.tgt.offset())
		s.jRel = largeSlice[int32](s.n)
		for k, x := range s.jAbs {
			s.jRel[k] = x - off
		}
	}
	return s.jRel
}

func (s *Synapses) incoming() []int32 {
	if s.nIncoming == nil || len(s.nIncoming) != s.n {
		counts := make([]int32, s.tgt.Size())
		for _, j := range s.postRel() {
			counts[j]++
		}
		s.nIncoming = largeSlice[int32](s.n)
		for k, j := range s.postRel() {
			s.nIncoming[k] = counts[j]
		}
	}
	return s.nIncoming
}

func (s *Synapses) outgoing() []int32 {
	if s.nOutgoing == nil || len(s.nOutgoing) != s.n {
		s.nOutgoing = largeSlice[int32](s.n)
		for k := 0; k+1 < len(s.ptr); k++ {
			for syn := s.ptr[k]; syn < s.ptr[k+1]; syn++ {
				s.nOutgoing[syn] = int32(s.ptr[k+1] - s.ptr[k])
			}
		}
	}
	return s.nOutgoing
}

// byPost builds the synapses of each target neuron (CSC), for on_post.
func (s *Synapses) byPost() ([]int64, []int32) {
	if s.postPtr == nil || len(s.postSyn) != s.n {
		m := s.tgt.Size()
		s.postPtr = make([]int64, m+1)
		rel := s.postRel()
		for _, j := range rel {
			s.postPtr[j+1]++
		}
		for k := 0; k < m; k++ {
			s.postPtr[k+1] += s.postPtr[k]
		}
		fill := slices.Clone(s.postPtr[:m])
		s.postSyn = largeSlice[int32](s.n)
		for syn, j := range rel {
			s.postSyn[fill[j]] = int32(syn)
			fill[j]++
		}
	}
	return s.postPtr, s.postSyn
}

func (s *Synapses) markDirty() { s.dirty = true }

func (s *Synapses) beforeRun() error {
	for _, p := range s.pathways {
		p.prepareDelays()
	}
	if !s.dirty && s.compiled {
		return nil
	}
	if err := s.compile(); err != nil {
		return fmt.Errorf("Synapses '%s': %w", s.name, err)
	}
	return nil
}

// I returns the source index of each synapse (within the source).
func (s *Synapses) I() []int32 { return slices.Clone(s.preRel()) }

// J returns the target index of each synapse (within the target).
func (s *Synapses) J() []int32 { return slices.Clone(s.postRel()) }
