package soma

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/soma-sim/soma/equations"
	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/integrate"
	"github.com/soma-sim/soma/kernel"
	"github.com/soma-sim/soma/units"
)

// NeuronGroup is a population of neurons defined by equations, with an
// optional threshold, reset, refractoriness and custom events. Its state
// is one column per variable.
type NeuronGroup struct {
	net *Network
	// noise draws the random numbers of updates and thresholds by block
	// of neurons (neurongroup_noise.go); rngIndex is rng's stream number,
	// noiseSeeding the seeding noise was made for.
	noise        *streamRNG
	rngIndex     int
	noiseSeeding uint64
	name         string
	n            int
	clock        *Clock
	order        float64
	cfg          *config
	model        string

	eqs      *equations.Equations
	vars     map[string]*Variable
	varNames []string             // in definition order
	subexprs map[string]expr.Node // subexpressions, fully substituted
	overDT   []*equations.Equation

	onEvent    []*eventCode // reset and RunOnEvent code, in the order given
	refractory refractorySpec
	events     []*event // events[0] is "spike" when there is a threshold

	method     string      // the integration method in use
	updateCode []expr.Stmt // the state updater's statements

	updater   *kernel.Kernel
	overDTRun *kernel.Kernel // updates the (constant over dt) subexpressions
	refSet    *refractorySet // a constant refractory period, tracked by spikes
	rng       *rand.Rand
	t         float64 // the current time, read by kernels
	dirty     bool    // constants or dt changed: recompile before the next run
	gen       int     // counts compilations, so samplers know when to recompile
	// shard, in a distributed network, is the block of neurons this rank
	// updates and checks for events, when the group's updates allow it
	// (see partitionable); nil: every neuron.
	shard *[2]int

	// While lenient, unlinked (linked) variables compile against a
	// placeholder: a group can be created and given code before Link is
	// called, and the next run checks the links.
	lenient  bool
	unlinked bool
}

// event is a spike-like event: a condition checked every step and the
// elements for which it held this step.
type event struct {
	name   string
	cond   expr.Node
	when   float64 // thresholds for spikes, after_thresholds for custom events
	check  *kernel.Condition
	fired  []int32
	hasRef bool // the spike event respects refractoriness
	// external events are produced by Go behaviours (Context.Spike), not
	// by a condition; they survive recompilation.
	external bool
}

// eventCode is code run for the elements in which an event occurred: the
// reset (in the resets slot) or code added with RunOnEvent (after_resets).
type eventCode struct {
	event string
	code  string
	when  float64
	order *float64 // nil: the group's order
	name  string   // of the scheduled operation
	stmts []expr.Stmt
	run   *kernel.Kernel
}

type refractorySpec struct {
	kind string    // "", "time" or "condition"
	expr expr.Node // time expression or condition
	text string
}

// NeuronGroup creates a group of n neurons with the given model equations.
func (net *Network) NeuronGroup(n int, model string, opts ...Option) (*NeuronGroup, error) {
	cfg, err := newConfig(kindNeurons, opts)
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("NeuronGroup: the number of neurons must not be negative, got %d", n)
	}
	g := &NeuronGroup{net: net, n: n, cfg: cfg, vars: map[string]*Variable{}, subexprs: map[string]expr.Node{}}
	g.name = net.uniqueName(cfg.name, "neurongroup")
	if err := net.checkName(g.name); err != nil {
		return nil, err
	}
	if cfg.reset != nil {
		g.onEvent = append(g.onEvent, &eventCode{event: "spike", code: *cfg.reset, when: slot("resets")})
	}
	if cfg.order != nil {
		g.order = *cfg.order
	}
	g.model = model
	if err := g.define(model); err != nil {
		return nil, fmt.Errorf("NeuronGroup '%s': %w", g.name, codeErr("model", model, err))
	}
	g.clock = net.newClock(cfg.dt)
	if err := g.build(true); err != nil {
		return nil, fmt.Errorf("NeuronGroup '%s': %w", g.name, err)
	}
	// Only a group that was built successfully joins the network and takes
	// a random stream, so a failed attempt leaves the network as it was.
	net.addClock(g.clock)
	g.rngIndex = len(net.streams)
	g.rng = net.newRNG()
	net.add(g)
	return g, nil
}

// Name returns the group's name.
func (g *NeuronGroup) Name() string { return g.name }

// Size returns the number of neurons.
func (g *NeuronGroup) Size() int { return g.n }

// Method returns the integration method in use (chosen automatically
// unless given with the Method option).
func (g *NeuronGroup) Method() string { return g.method }

// UpdateCode returns the state updater's statements, as text.
func (g *NeuronGroup) UpdateCode() string { return expr.StmtsString(g.updateCode) }

// Equations returns the group's model equations.
func (g *NeuronGroup) Equations() *equations.Equations { return g.eqs }

// Clock returns the group's clock.
func (g *NeuronGroup) Clock() *Clock { return g.clock }

// define parses the equations and creates the variables.
func (g *NeuronGroup) define(model string) error {
	eqs, err := equations.Parse(model)
	if err != nil {
		return err
	}
	if err := eqs.CheckFlags(equations.NeuronGroupFlags); err != nil {
		return err
	}
	g.eqs = eqs
	for _, eq := range eqs.Eqs() {
		switch eq.Kind {
		case equations.DifferentialEquation, equations.Parameter:
			g.addVar(newVariable(eq.Var, eq.Dim, eq.Type, g.n, eq.HasFlag("shared")))
			g.vars[eq.Var].Constant = eq.HasFlag("constant")
			if eq.HasFlag("linked") {
				g.vars[eq.Var].col = nil // set by Link
			}
		case equations.Subexpression:
			if eq.HasFlag("constant over dt") {
				g.addVar(newVariable(eq.Var, eq.Dim, eq.Type, g.n, eq.HasFlag("shared")))
				g.overDT = append(g.overDT, eq)
			}
		}
	}
	useFloat32(g.cfg, g.vars)
	// Subexpressions are sorted by dependency: substitute each into the
	// later ones, so every stored expression refers to variables only.
	for _, eq := range eqs.Subexpressions() {
		if eq.HasFlag("constant over dt") {
			continue
		}
		g.subexprs[eq.Var] = expr.Substitute(eq.Expr, g.subexprs)
	}
	if g.cfg.refractory != nil {
		g.addVar(newVariable("not_refractory", units.Dimensionless, expr.Boolean, g.n, false))
		last := newVariable("lastspike", secondDim, expr.Float, g.n, false)
		for k := range last.col.F {
			last.col.F[k] = -1e4
		}
		g.addVar(last)
		for k := range g.vars["not_refractory"].col.B {
			g.vars["not_refractory"].col.B[k] = true
		}
	}
	return nil
}

var secondDim = units.Dimension{units.Time: 1}

func (g *NeuronGroup) addVar(v *Variable) {
	g.vars[v.Name] = v
	g.varNames = append(g.varNames, v.Name)
}

// scope returns the names visible to the group's code.
func (g *NeuronGroup) scope() *scope {
	s := newScope(g.cfg.namespace, g.net.Namespace)
	s.dt = g.clock.dt
	for name, v := range g.vars {
		s.vars[name] = v.symbol()
	}
	for name := range g.subexprs {
		eq, _ := g.eqs.Get(name)
		s.vars[name] = expr.Symbol{Kind: expr.Variable, Dim: eq.Dim, Type: eq.Type}
	}
	s.vars["t"] = expr.Symbol{Kind: expr.Variable, Dim: secondDim, Type: expr.Float}
	s.vars["dt"] = expr.Symbol{Kind: expr.Constant, Dim: secondDim, Type: expr.Float, Value: g.clock.dt}
	s.vars["i"] = expr.Symbol{Kind: expr.Variable, Type: expr.Integer}
	s.vars["N"] = expr.Symbol{Kind: expr.Constant, Type: expr.Integer, Value: float64(g.n)}
	for _, xi := range g.eqs.StochasticVariables() {
		s.vars[xi] = expr.Symbol{Kind: expr.Variable, Dim: units.Dimension{units.Time: -0.5}, Type: expr.Float}
	}
	return s
}

// build compiles the group (see compile). A lenient build accepts (linked)
// variables that are not linked yet and leaves the group dirty, so that
// the next run compiles it again and reports a missing link.
func (g *NeuronGroup) build(lenient bool) error {
	g.lenient, g.unlinked = lenient, false
	err := g.compile()
	g.lenient = false
	if err == nil && g.unlinked {
		g.dirty = true
	}
	return err
}

// compile checks every piece of code against the group's scope and builds
// the kernels. It runs at creation and again before a run when constants or
// dt have changed.
func (g *NeuronGroup) compile() error {
	sc := g.scope()
	if err := g.eqs.Check(sc); err != nil {
		return codeErr("model", g.model, scopeErr(sc, err))
	}
	if err := g.compileRefractory(sc); err != nil {
		if s, ok := g.cfg.refractory.(string); ok {
			return codeErr("refractory", s, err)
		}
		return err
	}
	if err := g.compileEvents(sc); err != nil {
		return err
	}
	if err := g.compileUpdater(sc); err != nil {
		return err
	}
	g.dirty = false
	g.gen++
	return nil
}

// scopeErr prefers an error found while resolving a namespace value, which
// explains more than the "unknown identifier" it caused.
func scopeErr(sc *scope, err error) error {
	if sc.err != nil {
		return sc.err
	}
	return err
}

// substitute replaces subexpression names in n by their definitions.
func (g *NeuronGroup) substitute(n expr.Node) expr.Node {
	if len(g.subexprs) == 0 {
		return n
	}
	return expr.Substitute(n, g.subexprs)
}

func (g *NeuronGroup) compileRefractory(sc *scope) error {
	g.refractory = refractorySpec{}
	switch r := g.cfg.refractory.(type) {
	case nil:
		return nil
	case float64:
		g.refractory = refractorySpec{kind: "time", expr: numberNode(r), text: fmt.Sprintf("%g*second", r)}
	case units.Quantity:
		if r.Dim != secondDim {
			return fmt.Errorf("the refractory period has to be a time (unit second), but got %s", r)
		}
		g.refractory = refractorySpec{kind: "time", expr: numberNode(r.Value), text: r.String()}
	case string:
		n, err := expr.Parse(r)
		if err != nil {
			return err
		}
		n = g.substitute(n)
		info, err := expr.Check(n, sc)
		if err != nil {
			return scopeErr(sc, err)
		}
		switch {
		case info.Dim == secondDim:
			g.refractory = refractorySpec{kind: "time", expr: n, text: r}
		case info.Type == expr.Boolean:
			g.refractory = refractorySpec{kind: "condition", expr: n, text: r}
		case info.Dim.IsDimensionless():
			return fmt.Errorf("must be a time or a boolean condition, but it is dimensionless and not a condition")
		default:
			return fmt.Errorf("must be a time or a boolean condition, but it has unit %s", info.Dim.Name())
		}
	default:
		return fmt.Errorf("refractory must be a time in seconds, a units.Quantity or a string, got %T", r)
	}
	return nil
}

func numberNode(v float64) expr.Node {
	return &expr.Number{Value: v, Text: fmt.Sprint(v)}
}

// refractoryCode is the first statement of the state updater, exactly as
// Brian2 generates it.
func (g *NeuronGroup) refractoryCode() []expr.Stmt {
	nr := "not_refractory"
	switch g.refractory.kind {
	case "time":
		since := &expr.Call{Func: "timestep", Args: []expr.Node{
			&expr.Binary{Op: expr.Sub, X: &expr.Name{Name: "t"}, Y: &expr.Name{Name: "lastspike"}}, &expr.Name{Name: "dt"}}}
		ref := &expr.Call{Func: "timestep", Args: []expr.Node{g.refractory.expr, &expr.Name{Name: "dt"}}}
		return []expr.Stmt{{Target: nr, Op: expr.Assign, Value: &expr.Binary{Op: expr.Ge, X: since, Y: ref}}}
	case "condition":
		return []expr.Stmt{{Target: nr, Op: expr.Assign, Value: &expr.Binary{Op: expr.Or,
			X: &expr.Name{Name: nr}, Y: &expr.Unary{Op: expr.Not, X: g.refractory.expr}}}}
	}
	return nil
}

// fastRefractory replaces Brian2's refractoriness test
//
//	not_refractory = timestep(t - lastspike, dt) >= timestep(ref, dt)
//
// for a constant ref by the equivalent lastspike <= t - (R - 0.001)*dt,
// with R = timestep(ref, dt): timestep(x, dt) >= R holds exactly when
// x + 0.001*dt >= R*dt. Spike times lie on the time grid, so the
// comparison has a margin of 0.001*dt and gives the same result, while the
// right-hand side is computed once per step instead of a division per
// neuron. Other statements are returned unchanged.
func (g *NeuronGroup) fastRefractory(sc *scope, stmts []expr.Stmt) []expr.Stmt {
	if g.refractory.kind != "time" || len(stmts) == 0 || stmts[0].Target != "not_refractory" {
		return stmts
	}
	ref, err := expr.Eval(g.refractory.expr, sc)
	if err != nil {
		return stmts // a per-neuron refractory period: keep Brian2's form
	}
	r := expr.Timestep(ref.Value, g.clock.dt)
	bound := &expr.Binary{Op: expr.Sub, X: &expr.Name{Name: "t"}, Y: numberNode((r - 1e-3) * g.clock.dt)}
	out := append([]expr.Stmt(nil), stmts...)
	out[0] = expr.Stmt{Target: "not_refractory", Op: expr.Assign, Value: &expr.Binary{Op: expr.Le, X: &expr.Name{Name: "lastspike"}, Y: bound}}
	return out
}

func (g *NeuronGroup) compileEvents(sc *scope) error {
	g.events = slices.DeleteFunc(g.events, func(ev *event) bool { return !ev.external })
	if g.cfg.threshold != nil {
		ev, err := g.newEvent(sc, "spike", *g.cfg.threshold)
		if err != nil {
			return codeErr("threshold", *g.cfg.threshold, err)
		}
		ev.when = slot("thresholds")
		ev.hasRef = g.refractory.kind != ""
		g.events = append(g.events, ev)
	}
	for _, e := range g.cfg.events {
		if err := checkEventName(e.name); err != nil {
			return err
		}
		if _, dup := g.eventFired(e.name); dup {
			return fmt.Errorf("the event '%s' is defined twice", e.name)
		}
		ev, err := g.newEvent(sc, e.name, e.code)
		if err != nil {
			return codeErr(fmt.Sprintf("event '%s'", e.name), e.code, err)
		}
		ev.when = slot("after_thresholds")
		g.events = append(g.events, ev)
	}
	for _, ev := range g.events {
		if ev.external {
			continue
		}
		cond := ev.cond
		if ev.hasRef {
			cond = &expr.Binary{Op: expr.And, X: cond, Y: &expr.Name{Name: "not_refractory"}}
		}
		lay, err := g.layout(sc, cond)
		if err != nil {
			return err
		}
		if ev.check, err = kernel.CompileCondition(cond, lay); err != nil {
			return fmt.Errorf("%s: %w", ev.name, err)
		}
	}
	count := map[string]int{}
	for _, c := range g.onEvent {
		what := "reset"
		if c.when != slot("resets") || c.event != "spike" {
			what = fmt.Sprintf("code for event '%s'", c.event)
		}
		if _, ok := g.eventFired(c.event); !ok {
			if c.event == "spike" {
				return fmt.Errorf("a reset is given but no threshold: the reset runs for the neurons that spiked (did you forget Threshold?)")
			}
			return fmt.Errorf("%s: the group has no event '%s'", what, c.event)
		}
		var err error
		if c.stmts, err = g.checkCode(sc, c.code); err != nil {
			return codeErr(what, c.code, err)
		}
		lay, err := g.layout(sc, stmtNodes(c.stmts)...)
		if err != nil {
			return err
		}
		if c.run, err = kernel.Compile(c.stmts, lay); err != nil {
			return codeErr(what, c.code, err)
		}
		c.name = fmt.Sprintf("%s_%s_resetter", g.name, c.event)
		if k := count[c.event]; k > 0 {
			c.name += fmt.Sprintf("_%d", k)
		}
		count[c.event]++
	}
	return nil
}

// checkEventName accepts identifiers, which event names are in Brian2.
func checkEventName(name string) error {
	ok := name != ""
	for k, r := range name {
		letter := r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
		if !letter && !(k > 0 && '0' <= r && r <= '9') {
			ok = false
		}
	}
	switch {
	case !ok:
		return fmt.Errorf("'%s' cannot be used as an event name: use letters, digits and _, not starting with a digit", name)
	case name == "spike":
		return fmt.Errorf("the event name 'spike' is reserved for the threshold")
	}
	return nil
}

// RunOnEvent adds statements run for the neurons in which an event
// occurred in a step ("spike" or a custom event), like Brian2's
// run_on_event: by default in the after_resets slot with the group's order;
// the When and Order options change that. An event may have several pieces
// of code; they run in the order of their slots, orders and addition.
func (g *NeuronGroup) RunOnEvent(eventName, code string, opts ...Option) error {
	cfg, err := newConfig("RunOnEvent", opts)
	if err != nil {
		return err
	}
	if _, ok := g.eventFired(eventName); !ok {
		msg := fmt.Sprintf("NeuronGroup '%s' has no event '%s'", g.name, eventName)
		if eventName == "spike" {
			msg += " (did you forget Threshold?)"
		}
		return errors.New(msg)
	}
	c := &eventCode{event: eventName, code: code, when: slot("after_resets"), order: cfg.order}
	if cfg.when != nil {
		if c.when, err = SlotPosition(*cfg.when); err != nil {
			return err
		}
	}
	g.onEvent = append(g.onEvent, c)
	if err := g.build(true); err != nil {
		g.onEvent = g.onEvent[:len(g.onEvent)-1]
		if err2 := g.build(true); err2 != nil {
			panic("soma: a group that compiled does not compile again: " + err2.Error())
		}
		return fmt.Errorf("NeuronGroup '%s': %w", g.name, err)
	}
	return nil
}

func (g *NeuronGroup) newEvent(sc *scope, name, cond string) (*event, error) {
	n, err := expr.Parse(cond)
	if err != nil {
		return nil, err
	}
	n = g.substitute(n)
	info, err := expr.Check(n, sc)
	if err != nil {
		return nil, scopeErr(sc, err)
	}
	if info.Type != expr.Boolean {
		return nil, fmt.Errorf("the condition '%s' is not a boolean expression", cond)
	}
	return &event{name: name, cond: n}, nil
}

// checkCode parses statements and checks that each assigns to a variable
// of the group a value of the right unit.
func (g *NeuronGroup) checkCode(sc *scope, code string) ([]expr.Stmt, error) {
	stmts, err := expr.ParseStatements(code)
	if err != nil {
		return nil, err
	}
	for k := range stmts {
		stmts[k].Value = g.substitute(stmts[k].Value)
		if err := checkStatement(sc, stmts[k], g.vars); err != nil {
			return nil, err
		}
	}
	return stmts, nil
}

// checkStatement checks one statement of user code (reset, on_pre, ...).
func checkStatement(sc *scope, s expr.Stmt, vars map[string]*Variable) error {
	v, ok := vars[s.Target]
	text := expr.StmtString(s)
	if !ok {
		if _, isSym := sc.Lookup(s.Target); isSym {
			return &expr.Error{Pos: s.At, Msg: fmt.Sprintf("cannot assign to '%s' in \"%s\": it is not a state variable", s.Target, text)}
		}
		return &expr.Error{Pos: s.At, Msg: fmt.Sprintf("unknown variable '%s' in \"%s\"", s.Target, text)}
	}
	if v.Constant {
		return &expr.Error{Pos: s.At, Msg: fmt.Sprintf("cannot assign to '%s' in \"%s\": it is a constant", s.Target, text)}
	}
	info, err := expr.Check(s.Value, sc)
	if err != nil {
		return scopeErr(sc, err)
	}
	want := v.Dim
	if s.Op == expr.MulAssign || s.Op == expr.DivAssign {
		want = units.Dimensionless
	}
	if info.Dim != want && !(v.Type == expr.Boolean && info.Type == expr.Boolean) {
		return &expr.Error{Pos: s.At, Msg: fmt.Sprintf("the right-hand-side of code statement \"%s\" does not have the expected unit %s (unit is %s)",
			text, want.Name(), info.Dim.Name())}
	}
	return nil
}

func stmtNodes(stmts []expr.Stmt) []expr.Node {
	out := make([]expr.Node, 0, len(stmts)+1)
	for _, s := range stmts {
		out = append(out, s.Value, &expr.Name{Name: s.Target})
	}
	return out
}

func (g *NeuronGroup) compileUpdater(sc *scope) error {
	var stmts []expr.Stmt
	stmts = append(stmts, g.refractoryCode()...)
	g.refSet = g.newRefractorySet(sc)
	var unmasked []expr.Stmt // the updater's code when refSet handles refractoriness
	diff := g.eqs.Diff()
	if len(diff) > 0 {
		sys := &integrate.System{Consts: sc, DT: g.clock.dt, Noise: g.eqs.StochasticVariables(), RefractoryVar: "not_refractory"}
		for _, eq := range diff {
			sys.Vars = append(sys.Vars, eq.Var)
			sys.RHS = append(sys.RHS, g.substitute(eq.Expr))
			sys.Frozen = append(sys.Frozen, g.refractory.kind != "" && eq.HasFlag("unless refractory"))
		}
		var code []expr.Stmt
		var err error
		if g.method, code, err = integrate.Select(methodOf(g.cfg), sys); err != nil {
			return codeErr("model", g.model, scopeErr(sc, err))
		}
		stmts = append(stmts, code...)
		if g.refSet != nil {
			sys.Frozen = nil
			if _, unmasked, err = integrate.Select(g.method, sys); err != nil {
				return codeErr("model", g.model, scopeErr(sc, err))
			}
		}
	}
	g.updateCode = stmts // Brian2's code, as check and UpdateCode show it
	compiled := g.fastRefractory(sc, stmts)
	if g.refSet != nil {
		compiled = unmasked
	}
	g.updater = nil
	if len(compiled) > 0 {
		lay, err := g.layout(sc, stmtNodes(compiled)...)
		if err != nil {
			return err
		}
		if g.updater, err = kernel.Compile(compiled, lay); err != nil {
			return fmt.Errorf("state updater: %w", err)
		}
	}
	// (constant over dt) subexpressions are stored and updated once per
	// step before the start slot, as Brian2's SubexpressionUpdater, so
	// monitors, the updater and the threshold all see this step's value.
	g.overDTRun = nil
	if len(g.overDT) > 0 {
		var sub []expr.Stmt
		for _, eq := range g.overDT {
			sub = append(sub, expr.Stmt{Target: eq.Var, Op: expr.Assign, Value: g.substitute(eq.Expr)})
		}
		lay, err := g.layout(sc, stmtNodes(sub)...)
		if err != nil {
			return err
		}
		if g.overDTRun, err = kernel.Compile(sub, lay); err != nil {
			return fmt.Errorf("(constant over dt) subexpressions: %w", err)
		}
	}
	return nil
}

// layout tells the kernel compiler what the names in nodes mean, for code
// run over the whole group.
func (g *NeuronGroup) layout(sc *scope, nodes ...expr.Node) (kernel.Layout, error) {
	return g.layoutFor(sc, 0, g.n, nodes...)
}

// layoutFor is layout for code run over a part of the group, a subgroup
// that starts at element off and has n elements: there i counts from the
// subgroup's start and N is its size, as in Brian2.
func (g *NeuronGroup) layoutFor(sc *scope, off, n int, nodes ...expr.Node) (kernel.Layout, error) {
	lay := kernel.Layout{
		Columns:     map[string]*kernel.Column{},
		Params:      map[string]*float64{"t": &g.t},
		IndexName:   "i",
		IndexOffset: -off,
	}
	var names []string
	for _, n := range nodes {
		names = append(names, expr.Names(n)...)
	}
	for _, name := range names {
		v, ok := g.vars[name]
		if !ok {
			continue
		}
		switch {
		case v.col != nil:
			lay.Columns[name] = v.col
		case g.lenient:
			g.unlinked = true
			lay.Columns[name] = newVariable(name, v.Dim, v.Type, g.n, false).col
		default:
			return lay, fmt.Errorf("the linked variable '%s' has not been linked to a variable of another group (use Link)", name)
		}
	}
	consts, err := sc.constantsFor(names)
	if err != nil {
		return lay, err
	}
	consts["dt"] = g.clock.dt
	consts["N"] = float64(n)
	lay.Consts = consts
	lay.Funcs = sc.functionsFor(nodes)
	return lay, nil
}

// operations returns the group's scheduled work, named as in Brian2.
func (g *NeuronGroup) operations() []*operation {
	g.prepareNoise()
	var ops []*operation
	if g.overDTRun != nil {
		ops = append(ops, &operation{name: g.name + "_subexpression_update", owner: g.name, when: slot("before_start"), order: g.order, clock: g.clock,
			run: func() {
				g.t = g.clock.T()
				g.overDTRun.Run(0, g.n, g.rng)
			}})
	}
	if g.updater != nil || g.refSet != nil {
		// Element-wise updates give the same result however the neurons
		// are split between cores: random numbers come from a stream per
		// block of neurons, and parts are cut between blocks.
		splittable := g.updater != nil && !g.updater.WritesShared() && !g.updater.Sequential()
		update := func(part, lo, hi int) {
			g.beginPart(part)
			if g.updater != nil {
				g.updater.Run(lo, hi, g.drawRNG())
			}
			g.endPart(part)
		}
		op := &operation{name: g.name + "_stateupdater", owner: g.name, when: slot("groups"), order: g.order, clock: g.clock,
			run: func() {
				lo, hi := g.span(splittable)
				g.beginStep(lo, hi, 1)
				update(0, lo, hi)
				g.endStep()
			}}
		if splittable && g.selfContained() {
			op.parts = &partwise{group: g, own: update, end: g.endStep,
				begin: func() int {
					lo, hi := g.span(true)
					g.beginStep(lo, hi, groupParts(lo, hi, g.net.Threads()))
					return (hi - lo) * max(g.updater.NumInstructions(), 1)
				}}
		}
		op.fuseNext = g.fuseThreshold(splittable)
		ops = append(ops, op)
	}
	for _, ev := range g.events {
		ev := ev
		if ev.external {
			ops = append(ops, ev.clearOperation(g))
			continue
		}
		op := &operation{name: g.name + "_" + ev.name + "_thresholder", owner: g.name, when: ev.when, order: g.order, clock: g.clock,
			fuseKey: ev, fires: &firing{g, ev},
			run: func() {
				g.t = g.clock.T()
				// A condition that draws random numbers gives the group
				// block noise, whose span covers it too.
				lo, hi := g.span(true)
				ev.fired = ev.check.Collect(lo, hi, ev.fired[:0], g.drawRNG())
				if g.net.part == nil { // otherwise after the exchange
					g.fired(ev)
				}
			}}
		if g.selfContained() {
			op.parts = ev.inParts(g, ev.check.NumInstructions(),
				func(_, _, _ int) int { g.t = g.clock.T(); return 0 },
				func(_, lo, hi int, out []int32) []int32 { return ev.check.Collect(lo, hi, out, g.drawRNG()) },
				func() {})
		}
		ops = append(ops, op)
	}
	for _, c := range g.onEvent {
		c := c
		ev := g.event(c.event)
		order := g.order
		if c.order != nil {
			order = *c.order
		}
		ops = append(ops, &operation{name: c.name, owner: g.name, when: c.when, order: order, clock: g.clock,
			run: func() {
				if len(ev.fired) > 0 {
					g.t = g.clock.T()
					c.run.RunIndices(ev.fired, g.rng)
				}
			}})
	}
	return ops
}

// beforeRun recompiles the kernels when constants or dt changed.
func (g *NeuronGroup) beforeRun() error {
	if g.refSet != nil {
		// lastspike may have been set, restored or shifted by a new dt
		// since the last run: start from it.
		g.refSet.rebuild = true
	}
	if !g.dirty {
		return nil
	}
	if err := g.build(false); err != nil {
		return fmt.Errorf("NeuronGroup '%s': %w", g.name, err)
	}
	return nil
}

func (g *NeuronGroup) markDirty() { g.dirty = true }

// event returns the named event, or nil.
func (g *NeuronGroup) event(name string) *event {
	for _, ev := range g.events {
		if ev.name == name {
			return ev
		}
	}
	return nil
}

// eventFired returns the neurons in which the event occurred this step.
func (g *NeuronGroup) eventFired(name string) ([]int32, bool) {
	for _, ev := range g.events {
		if ev.name == name {
			return ev.fired, true
		}
	}
	return nil, false
}

// Spikes returns the neurons that spiked in the last step.
func (g *NeuronGroup) Spikes() []int32 {
	s, _ := g.eventFired("spike")
	return s
}

// EventNames lists the group's events ("spike" first when there is a threshold).
func (g *NeuronGroup) EventNames() []string {
	var out []string
	for _, ev := range g.events {
		out = append(out, ev.name)
	}
	return out
}

// VariableNames lists the stored variables in definition order.
func (g *NeuronGroup) VariableNames() []string { return slices.Clone(g.varNames) }

// Var returns a stored variable, or nil.
func (g *NeuronGroup) Var(name string) *Variable { return g.vars[name] }

// inParts returns how a region finds the neurons in which the event
// occurs: each part of the group into its own list, the lists joined in
// order at the end, so the result is the same as on one core. begin gets
// the number of parts and returns the work of the step beyond cost, the
// work per neuron; end runs before the spikes are recorded.
func (ev *event) inParts(g *NeuronGroup, cost int, begin func(lo, hi, parts int) int, collect func(sub, lo, hi int, out []int32) []int32, end func()) *partwise {
	var lists [][]int32
	parts := 0
	return &partwise{group: g,
		begin: func() int {
			lo, hi := g.span(true)
			parts = groupParts(lo, hi, g.net.Threads())
			extra := begin(lo, hi, parts)
			for len(lists) < parts {
				lists = append(lists, nil)
			}
			return (hi-lo)*max(cost, 1) + extra
		},
		own: func(sub, lo, hi int) {
			if cap(lists[sub]) < hi-lo {
				// Room for every neuron of the part: the list never
				// grows again, so steps allocate nothing.
				lists[sub] = make([]int32, 0, hi-lo)
			}
			lists[sub] = collect(sub, lo, hi, lists[sub][:0])
		},
		end: func() {
			ev.join(g, lists[:parts])
			end()
			if g.net.part == nil { // otherwise after the exchange
				g.fired(ev)
			}
		}}
}

// join makes the parts' lists, in order, the event's list.
func (ev *event) join(g *NeuronGroup, lists [][]int32) {
	if len(lists) == 1 {
		ev.fired, lists[0] = lists[0], ev.fired[:0] // keep both buffers
		return
	}
	if cap(ev.fired) < g.n {
		ev.fired = make([]int32, 0, g.n)
	}
	ev.fired = ev.fired[:0]
	for _, l := range lists {
		ev.fired = append(ev.fired, l...)
	}
}

// selfContained reports whether the group's code reads only its own
// variables (no linked variables), so that its parts may run beside other
// groups' parts in a region.
func (g *NeuronGroup) selfContained() bool {
	for _, eq := range g.eqs.Eqs() {
		if eq.HasFlag("linked") {
			return false
		}
	}
	return true
}

// fired records the refractoriness of the neurons that just spiked.
func (g *NeuronGroup) fired(ev *event) {
	if !ev.hasRef {
		return
	}
	last, nr := g.vars["lastspike"].col.F, g.vars["not_refractory"].col.B
	for _, k := range ev.fired {
		last[k] = g.t
		nr[k] = false
	}
	if g.refSet != nil {
		g.refSet.record(g.clock.step, ev.fired)
	}
}

// fuseThreshold returns, for the state updater's operation, how to merge
// it with the spike thresholder when that comes right after it: the
// threshold is then checked for each chunk of neurons just after its
// update, while the chunk is in the cache, in one sweep. Refractory
// neurons whose frozen variables the refractory set restores after the
// sweep cannot spike (the threshold includes not_refractory), so checking
// before the restore sees the same spikes.
func (g *NeuronGroup) fuseThreshold(splittable bool) func(next *operation) (func(), *partwise, bool) {
	return func(next *operation) (func(), *partwise, bool) {
		ev, ok := next.fuseKey.(*event)
		if !ok || ev != g.event("spike") || next.clock != g.clock || g.updater == nil || ev.check == nil ||
			hasRandomCall(ev.cond) || !ev.check.CanFollow(g.updater) || g.refSet != nil && !ev.hasRef {
			return nil, nil, false
		}
		sweep := func(part, lo, hi int, out []int32) []int32 {
			g.beginPart(part)
			out = g.updater.RunCollect(lo, hi, g.drawRNG(), ev.check, out)
			g.endPart(part)
			return out
		}
		run := func() {
			lo, hi := g.span(splittable)
			g.beginStep(lo, hi, 1)
			ev.fired = sweep(0, lo, hi, ev.fired[:0])
			g.endStep()
			if g.net.part == nil { // otherwise after the exchange
				g.fired(ev)
			}
		}
		var parts *partwise
		if splittable && g.selfContained() {
			begin := func(lo, hi, parts int) int {
				g.beginStep(lo, hi, parts)
				return g.refSet.work()
			}
			parts = ev.inParts(g, g.updater.NumInstructions()+ev.check.NumInstructions(), begin, sweep, g.endStep)
		}
		return run, parts, true
	}
}

// span returns the neurons a piece of work runs over, which its parts
// divide: for a group with block noise the whole blocks of the rank's
// shard, else the shard when the work may be split and all neurons when
// it may not.
func (g *NeuronGroup) span(splittable bool) (lo, hi int) {
	switch {
	case g.noise != nil:
		return g.noiseSpan()
	case splittable:
		return g.Shard()
	}
	return 0, g.n
}

// Shard returns the neurons lo..hi-1 that this rank updates: all of them,
// unless the network is distributed (Network.Distribute) and the group's
// updates can be split between the ranks.
func (g *NeuronGroup) Shard() (lo, hi int) {
	if g.shard != nil {
		return g.shard[0], g.shard[1]
	}
	return 0, g.n
}

// beginStep and endStep enclose the state update of one step, which runs
// in parts (beginPart, endPart): the refractory set releases and saves
// the frozen variables of each part's neurons before its update and puts
// them back after it. The parts are the neurons lo..hi-1 cut as regions
// cut them (groupPart), or all of them as one part.
func (g *NeuronGroup) beginStep(lo, hi, parts int) {
	g.t = g.clock.T()
	if g.refSet != nil {
		g.refSet.prepare(g, g.clock.step, lo, hi, parts)
	}
}

func (g *NeuronGroup) beginPart(part int) {
	if g.refSet != nil {
		g.refSet.begin(g, g.clock.step, part)
	}
}

func (g *NeuronGroup) endPart(part int) {
	if g.refSet != nil {
		g.refSet.end(g.clock.step, part)
	}
}

func (g *NeuronGroup) endStep() {
	if g.refSet != nil {
		g.refSet.finish(g.clock.step)
	}
}
