package model

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/equations"
	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/units"
)

// Model is a model file built into a network, ready to check or run.
type Model struct {
	Spec      *Spec
	Net       *soma.Network
	DT        float64
	Seed      uint64
	Constants []Constant
	Groups    []*Group
	Monitors  []*Monitor
	Synapses  []*Synapses
	Inputs    []*Input
	Segments  []Segment

	budget    *soma.MonitorBudget // once a run may stream
	streamDir string              // where monitors stream, once one does
	memory    int64               // the memory budget of writing streamed results
}

// Constant is an evaluated constant of the model file.
type Constant struct {
	Name  string
	Value units.Quantity
}

// Group is a built group with its spec.
type Group struct {
	Spec    *GroupSpec
	Neurons *soma.NeuronGroup // for type neurons
	Group   soma.Group
}

// Monitor is a built monitor.
type Monitor struct {
	Spec   *MonitorSpec
	Spikes *soma.SpikeMonitor // spike and event monitors
	State  *soma.StateMonitor
	Rate   *soma.PopulationRateMonitor
	Source soma.Group
	// synOrder is the file numbering of the recorded synapses
	// (Synapses.order), nil for soma's own.
	synOrder []int
}

// Segment is one part of the run.
type Segment struct {
	Duration float64
	Set      []NamedText
}

// Load reads a model file, applies --set overrides (NAME=EXPR) and builds
// the network.
func Load(path string, sets []string, opts ...BuildOption) (*Model, error) {
	spec, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Build(spec, sets, opts...)
}

// A BuildOption changes how a network is built.
type BuildOption func(*builder)

// Threads sets the network's thread count (soma.Network.SetThreads) before
// anything is built, so that building the synapses uses the cores too.
func Threads(n int) BuildOption { return func(b *builder) { b.threads = n } }

// Share builds the network as rank of size ranks will run it
// (soma.Network.Distribute): each Synapses connected by probability draws
// only that rank's share (soma.Synapses.BuildShare); others, connected
// from lists, files or j expressions or with values from a file, are
// built whole and keep the share as soon as they are built
// (soma.Synapses.KeepShare), so building holds at most one whole Synapses
// at a time. Synapses with a state monitor are built whole and keep
// theirs when the network is distributed.
func Share(rank, size int) BuildOption {
	return func(b *builder) { b.share = &[2]int{rank, size} }
}

// Build builds the network a spec describes.
func Build(spec *Spec, sets []string, opts ...BuildOption) (*Model, error) {
	// The overrides go into a copy: the caller may build the spec again.
	spec = spec.copy()
	b := &builder{spec: spec, m: &Model{Spec: spec}, consts: expr.MapNamespace{}, threads: 1}
	for _, o := range opts {
		o(b)
	}
	if err := b.build(sets); err != nil {
		var e *Error
		if errors.As(err, &e) && e.File == "" {
			e.File = spec.File
		}
		return nil, err
	}
	return b.m, nil
}

type builder struct {
	spec    *Spec
	m       *Model
	consts  expr.MapNamespace
	groups  map[string]*Group
	threads int
	share   *[2]int // Share's rank and size
}

func (b *builder) build(sets []string) error {
	if err := b.applySets(sets); err != nil {
		return err
	}
	net := soma.NewNetwork()
	net.SetThreads(b.threads)
	b.m.Net = net
	if err := b.constants(); err != nil {
		return err
	}
	for _, c := range b.m.Constants {
		net.Namespace[c.Name] = c.Value
	}
	if err := b.timedArrays(); err != nil {
		return err
	}
	b.m.DT = 1e-4
	if b.spec.DT.IsSet() {
		q, err := b.evalDim(b.spec.DT, "dt", second)
		if err != nil {
			return err
		}
		if !(q > 0) {
			return b.textErr(b.spec.DT, "dt", fmt.Errorf("the time step must be positive"))
		}
		b.m.DT = q
	}
	if err := net.SetDT(b.m.DT); err != nil {
		return b.textErr(b.spec.DT, "dt", err)
	}
	if b.spec.Seed.IsSet() {
		seed, err := strconv.ParseUint(strings.TrimSpace(b.spec.Seed.S), 10, 64)
		if err != nil {
			return b.textErr(b.spec.Seed, "seed", fmt.Errorf("a seed is a non-negative integer"))
		}
		net.Seed(seed)
	}
	b.m.Seed = net.SeedValue()
	b.groups = map[string]*Group{}
	for _, g := range b.spec.Groups {
		if err := b.group(g); err != nil {
			return err
		}
	}
	for _, s := range b.spec.Synapses {
		if err := b.synapses(s); err != nil {
			return err
		}
	}
	for _, in := range b.spec.Inputs {
		if err := b.input(in); err != nil {
			return err
		}
	}
	for _, m := range b.spec.Monitors {
		if err := b.monitor(m); err != nil {
			return err
		}
	}
	return b.segments()
}

// constants evaluates the constants in order, each seeing those before it.
func (b *builder) constants() error {
	for _, c := range b.spec.Constants {
		q, err := b.eval(c.Text, fmt.Sprintf("constant '%s'", c.Name))
		if err != nil {
			return err
		}
		if err := checkConstantName(c.Name); err != nil {
			return b.textErr(c.Text, fmt.Sprintf("constant '%s'", c.Name), err)
		}
		b.consts[c.Name] = expr.Symbol{Kind: expr.Constant, Dim: q.Dim, Type: expr.Float, Value: q.Value}
		b.m.Constants = append(b.m.Constants, Constant{Name: c.Name, Value: q})
	}
	return nil
}

var (
	second = units.Dimension{units.Time: 1}
	hertz  = units.Dimension{units.Time: -1}
)

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// checkConstantName rejects constant names that could never be used:
// not identifiers, or shadowing a unit, function or built-in constant.
// Names such as N or i are allowed, as in a Brian2 namespace; inside a
// group's code the group's own N and i take precedence.
func checkConstantName(name string) error {
	switch {
	case !identifier.MatchString(name):
		return fmt.Errorf("'%s' is not a valid name", name)
	case units.IsUnitName(name):
		return fmt.Errorf("'%s' is the name of a unit", name)
	case name == "True" || name == "False":
		return fmt.Errorf("'%s' is a reserved word", name)
	}
	if _, ok := expr.LookupFunction(name); ok {
		return fmt.Errorf("'%s' is the name of a function", name)
	}
	if _, ok := expr.LookupConstant(name); ok {
		return fmt.Errorf("'%s' is a built-in constant", name)
	}
	return nil
}

// applySets overrides constants, seed or dt with command-line values.
func (b *builder) applySets(sets []string) error {
	for _, s := range sets {
		name, value, ok := strings.Cut(s, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return &Error{File: "--set", Msg: fmt.Sprintf("expected NAME=EXPR, got '%s'", s)}
		}
		t := Text{S: value}
		switch name {
		case "seed":
			b.spec.Seed = Text{S: value, Line: -1}
			continue
		case "dt":
			b.spec.DT = Text{S: value, Line: -1}
			continue
		}
		found := false
		for k := range b.spec.Constants {
			if b.spec.Constants[k].Name == name {
				t.Line, t.Col = -1, 0
				b.spec.Constants[k].Text = t
				found = true
			}
		}
		if !found {
			var names []string
			for _, c := range b.spec.Constants {
				names = append(names, c.Name)
			}
			msg := fmt.Sprintf("the model has no constant '%s'", name)
			if sug := suggest(name, names); sug != "" {
				msg += fmt.Sprintf(" (did you mean '%s'?)", sug)
			}
			return &Error{File: "--set " + s, Msg: msg}
		}
	}
	return nil
}

// textErr places err at the position of t in the file. Errors from the
// parsers carry a position within the text, which is added to t's.
func (b *builder) textErr(t Text, what string, err error) error {
	e := &Error{File: b.spec.File, Line: t.Line, Col: t.Col}
	if t.Line < 0 { // a --set value
		e.File, e.Line, e.Col = "--set", 0, 0
	}
	msg := err.Error()
	line, col, ok := innerPosition(err)
	if ok && t.Line > 0 {
		e.Line = t.Line + line - 1
		if line == 1 || t.Block {
			e.Col = t.Col + col - 1
		} else {
			e.Col = col
		}
		msg = innerMessage(err)
	}
	if ok {
		lines := strings.Split(t.S, "\n")
		if line-1 < len(lines) {
			e.Text = strings.TrimSpace(lines[line-1])
		}
	} else if !strings.Contains(t.S, "\n") {
		e.Text = t.S
	}
	e.Msg = what + ": " + msg
	return e
}

// innerPosition finds the position within the code text of an error.
func innerPosition(err error) (line, col int, ok bool) {
	var ce *soma.CodeError
	if errors.As(err, &ce) {
		return ce.Position()
	}
	var eqErr *equations.Error
	if errors.As(err, &eqErr) && eqErr.Line > 0 {
		return eqErr.Line, eqErr.Col, true
	}
	var exErr *expr.Error
	if errors.As(err, &exErr) && exErr.Pos.Line > 0 {
		return exErr.Pos.Line, exErr.Pos.Col, true
	}
	return 0, 0, false
}

// innerMessage is the message of the positioned error, without the
// "line N" prefix that the file position replaces.
func innerMessage(err error) string {
	var eqErr *equations.Error
	if errors.As(err, &eqErr) {
		return eqErr.Msg
	}
	var exErr *expr.Error
	if errors.As(err, &exErr) {
		return exErr.Msg
	}
	return err.Error()
}

// eval evaluates a constant expression of the file.
func (b *builder) eval(t Text, what string) (units.Quantity, error) {
	n, err := expr.Parse(t.S)
	if err != nil {
		return units.Quantity{}, b.textErr(t, what, err)
	}
	q, err := expr.Eval(n, b.consts)
	if err != nil {
		return units.Quantity{}, b.textErr(t, what, err)
	}
	return q, nil
}

// evalDim evaluates an expression that must have the given dimension.
func (b *builder) evalDim(t Text, what string, dim units.Dimension) (float64, error) {
	q, err := b.eval(t, what)
	if err != nil {
		return 0, err
	}
	if q.Dim != dim {
		return 0, b.textErr(t, what, fmt.Errorf("expected a value in %s, got %s", dim.Name(), q))
	}
	return q.Value, nil
}

// orderOption is soma.Order of an object's order: the number given, none
// when it is not.
func (b *builder) orderOption(t Text, what string) ([]soma.Option, error) {
	if !t.IsSet() {
		return nil, nil
	}
	v, err := b.evalDim(t, what+" order", units.Dimensionless)
	if err != nil {
		return nil, err
	}
	return []soma.Option{soma.Order(v)}, nil
}

// evalInt evaluates a dimensionless integer expression.
func (b *builder) evalInt(t Text, what string) (int, error) {
	v, err := b.evalDim(t, what, units.Dimensionless)
	if err != nil {
		return 0, err
	}
	if v != math.Trunc(v) || math.Abs(v) > 1<<31 {
		return 0, b.textErr(t, what, fmt.Errorf("expected an integer, got %g", v))
	}
	return int(v), nil
}

func (b *builder) group(gs *GroupSpec) error {
	if _, dup := b.groups[gs.Name]; dup {
		return &Error{Line: gs.Line, Msg: fmt.Sprintf("duplicate group name '%s'", gs.Name)}
	}
	n, err := b.evalInt(gs.N, fmt.Sprintf("group '%s' N", gs.Name))
	if err != nil {
		return err
	}
	if n < 0 {
		return b.textErr(gs.N, fmt.Sprintf("group '%s' N", gs.Name), fmt.Errorf("the size must not be negative"))
	}
	if gs.Type != "neurons" {
		g, err := b.inputGroup(gs, n)
		if err != nil {
			return err
		}
		grp := &Group{Spec: gs, Group: g}
		b.groups[gs.Name] = grp
		b.m.Groups = append(b.m.Groups, grp)
		return nil
	}
	opts := []soma.Option{soma.Name(gs.Name)}
	order, err := b.orderOption(gs.Order, fmt.Sprintf("group '%s'", gs.Name))
	if err != nil {
		return err
	}
	opts = append(opts, order...)
	if gs.Threshold.IsSet() {
		opts = append(opts, soma.Threshold(gs.Threshold.S))
	}
	if gs.Reset.IsSet() && strings.TrimSpace(gs.Reset.S) != "" {
		opts = append(opts, soma.Reset(gs.Reset.S))
	}
	if gs.Refractory.IsSet() {
		opts = append(opts, soma.Refractory(gs.Refractory.S))
	}
	method := gs.Method
	if !method.IsSet() {
		method = b.spec.Method
	}
	if method.IsSet() {
		opts = append(opts, soma.Method(strings.TrimSpace(method.S)))
	}
	if gs.DT.IsSet() {
		dt, err := b.evalDim(gs.DT, fmt.Sprintf("group '%s' dt", gs.Name), second)
		if err != nil {
			return err
		}
		opts = append(opts, soma.DT(dt))
	}
	for _, ev := range gs.Events {
		opts = append(opts, soma.Event(ev.Name, ev.S))
	}
	opts = append(opts, b.precision(gs.Precision)...)
	g, err := b.m.Net.NeuronGroup(n, gs.Model.S, opts...)
	if err != nil {
		return b.groupErr(gs, err)
	}
	grp := &Group{Spec: gs, Neurons: g, Group: g}
	b.groups[gs.Name] = grp
	b.m.Groups = append(b.m.Groups, grp)
	for _, in := range gs.Init {
		what := fmt.Sprintf("group '%s' init '%s'", gs.Name, in.Name)
		value, err := b.initValue(in, what, n)
		if err != nil {
			return err
		}
		if err := g.Set(in.Name, value); err != nil {
			return b.textErr(in.Text, what, err)
		}
	}
	return b.checkGroupSave(grp)
}

// groupErr maps an error of NeuronGroup construction to the field of the
// file it came from.
func (b *builder) groupErr(gs *GroupSpec, err error) error {
	what := fmt.Sprintf("group '%s'", gs.Name)
	var ce *soma.CodeError
	if !errors.As(err, &ce) {
		return &Error{Line: gs.Line, Msg: what + ": " + err.Error()}
	}
	field := map[string]Text{"model": gs.Model, "threshold": gs.Threshold, "reset": gs.Reset, "refractory": gs.Refractory}
	t, ok := field[ce.Field]
	for _, ev := range gs.Events {
		if ce.Field == fmt.Sprintf("event '%s'", ev.Name) {
			t, ok = ev.Text, true
		}
	}
	if !ok {
		return &Error{Line: gs.Line, Msg: what + ": " + err.Error()}
	}
	if ce.Field == "model" {
		method := gs.Method
		if !method.IsSet() {
			method = b.spec.Method
		}
		if e := b.methodErr(gs.Model, method, what, ce.Err); e != nil {
			return e
		}
	}
	return b.textErr(t, what+" "+ce.Field, ce.Err)
}

var equationFor = regexp.MustCompile(`the equation for '([A-Za-z_][A-Za-z0-9_]*)'`)

// methodErr places an integration-method error, which carries no position
// of its own: an unknown method at the 'method' value, an equation the
// method cannot integrate at that equation's line. It returns nil for
// other errors.
func (b *builder) methodErr(model, method Text, what string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "unknown integration method") && method.IsSet() {
		return b.textErr(method, what+" method", err)
	}
	m := equationFor.FindStringSubmatch(msg)
	if m == nil || model.Line <= 0 {
		return nil
	}
	lhs := regexp.MustCompile(`^\s*d` + m[1] + `\s*/\s*dt\b`)
	for k, line := range strings.Split(model.S, "\n") {
		if !lhs.MatchString(line) {
			continue
		}
		e := &Error{File: b.spec.File, Line: model.Line + k, Col: 1 + len(line) - len(strings.TrimLeft(line, " \t")),
			Msg: what + " model: " + msg, Text: strings.TrimSpace(line)}
		if k == 0 || model.Block {
			e.Col += model.Col - 1
		}
		if method.IsSet() && method.Line > 0 {
			e.Msg += fmt.Sprintf(" (method set at line %d)", method.Line)
		}
		return e
	}
	return nil
}

var sourcePattern = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[(.*):(.*)\])?\s*$`)

// source resolves "NAME" or "NAME[start:stop]".
func (b *builder) source(t Text, what string) (soma.Group, error) {
	m := sourcePattern.FindStringSubmatch(t.S)
	if m == nil {
		return nil, b.textErr(t, what, fmt.Errorf("expected a group name or a slice NAME[start:stop], got '%s'", t.S))
	}
	g, ok := b.groups[m[1]]
	if !ok {
		var names []string
		for _, x := range b.spec.Groups {
			names = append(names, x.Name)
		}
		msg := fmt.Sprintf("unknown group '%s'", m[1])
		if s := suggest(m[1], names); s != "" {
			msg += fmt.Sprintf(" (did you mean '%s'?)", s)
		} else if len(names) > 0 {
			msg += fmt.Sprintf(" (groups: %s)", strings.Join(names, ", "))
		}
		return nil, b.textErr(t, what, errors.New(msg))
	}
	if !strings.Contains(t.S, "[") {
		return g.Group, nil
	}
	// A bound's errors point into the source text, which starts at t.Col.
	idx := sourcePattern.FindStringSubmatchIndex(t.S)
	bound := func(k int, def int) (int, error) {
		s := t.S[idx[2*k]:idx[2*k+1]]
		if strings.TrimSpace(s) == "" {
			return def, nil
		}
		v, err := b.evalInt(Text{S: s, Line: t.Line, Col: t.Col + idx[2*k]}, what)
		if e, ok := err.(*Error); ok {
			e.Text = strings.TrimSpace(t.S)
		}
		return v, err
	}
	start, err := bound(2, 0)
	if err != nil {
		return nil, err
	}
	stop, err := bound(3, g.Group.Size())
	if err != nil {
		return nil, err
	}
	if g.Neurons == nil {
		return nil, b.textErr(t, what, fmt.Errorf("only neuron groups can be sliced"))
	}
	sub, err := g.Neurons.Slice(start, stop)
	if err != nil {
		return nil, b.textErr(t, what, err)
	}
	return sub, nil
}

func (b *builder) monitor(ms *MonitorSpec) error {
	what := fmt.Sprintf("monitor '%s'", ms.Name)
	var src soma.Group
	var order []int
	for _, syn := range b.m.Synapses {
		if syn.Spec.Name == strings.TrimSpace(ms.Source.S) {
			src, order = syn.Syn, syn.order
		}
	}
	if src == nil {
		var err error
		if src, err = b.source(ms.Source, what+" source"); err != nil {
			return err
		}
	}
	var err error
	opts := []soma.Option{soma.Name(ms.Name)}
	orderOpt, err := b.orderOption(ms.Order, what)
	if err != nil {
		return err
	}
	opts = append(opts, orderOpt...)
	if ms.When.IsSet() {
		opts = append(opts, soma.When(strings.TrimSpace(ms.When.S)))
	}
	if ms.DT.IsSet() {
		dt, err := b.evalDim(ms.DT, what+" dt", second)
		if err != nil {
			return err
		}
		opts = append(opts, soma.DT(dt))
	}
	if ms.MaxSamples.IsSet() {
		n, err := b.evalInt(ms.MaxSamples, what+" max_samples")
		if err != nil {
			return err
		}
		if n < 1 {
			return b.textErr(ms.MaxSamples, what+" max_samples", fmt.Errorf("must be at least 1, got %d", n))
		}
		if ms.Stream {
			return b.textErr(ms.StreamText, what, fmt.Errorf("max_samples keeps the recording bounded, it cannot also stream"))
		}
		opts = append(opts, soma.MaxSamples(n))
	}
	var vars []string
	for _, v := range ms.Variables {
		vars = append(vars, strings.TrimSpace(v.S))
	}
	mon := &Monitor{Spec: ms, Source: src, synOrder: order}
	switch ms.Type {
	case "spike", "event":
		if len(vars) > 0 {
			opts = append(opts, soma.Variables(vars...))
		}
		if ms.Type == "spike" {
			mon.Spikes, err = b.m.Net.SpikeMonitor(src, opts...)
		} else {
			mon.Spikes, err = b.m.Net.EventMonitor(src, strings.TrimSpace(ms.Event.S), opts...)
		}
	case "state":
		var inv []int
		if order != nil {
			inv = inverse(order)
		}
		switch {
		case ms.RecordAll && inv != nil:
			// Every synapse, in the file's numbering.
			opts = append(opts, soma.Record(inv...))
		case !ms.RecordAll && len(ms.Record) > 0:
			var idx []int
			for _, r := range ms.Record {
				k, err := b.evalInt(r, what+" record")
				if err != nil {
					return err
				}
				if inv != nil && k >= 0 && k < len(inv) {
					k = inv[k]
				}
				idx = append(idx, k)
			}
			opts = append(opts, soma.Record(idx...))
		}
		mon.State, err = b.m.Net.StateMonitor(src, vars, opts...)
	case "rate":
		mon.Rate, err = b.m.Net.PopulationRateMonitor(src, opts...)
	}
	if err != nil {
		return b.monitorErr(ms, what, err)
	}
	b.m.Monitors = append(b.m.Monitors, mon)
	return nil
}

var optionNotApplying = regexp.MustCompile(`option (\w+) does not apply`)

// monitorErr places an error of monitor construction at the key it comes
// from where that is clear: an option the monitor type does not take, or
// a variable it cannot record.
func (b *builder) monitorErr(ms *MonitorSpec, what string, err error) error {
	msg := err.Error()
	if m := optionNotApplying.FindStringSubmatch(msg); m != nil {
		field := map[string]Text{"DT": ms.DT, "When": ms.When, "MaxSamples": ms.MaxSamples}[m[1]]
		if m[1] == "Variables" && len(ms.Variables) > 0 {
			field = ms.Variables[0]
		}
		if field.IsSet() {
			return b.textErr(field, what, err)
		}
	}
	for _, v := range ms.Variables {
		if name := strings.TrimSpace(v.S); name != "" && strings.Contains(msg, "'"+name+"'") {
			return b.textErr(v, what, err)
		}
	}
	return &Error{Line: ms.Line, Msg: what + ": " + msg}
}

func (b *builder) segments() error {
	if len(b.spec.Run) == 0 {
		return nil
	}
	for _, seg := range b.spec.Run {
		d, err := b.evalDim(seg.Duration, "run duration", second)
		if err != nil {
			return err
		}
		if d < 0 {
			return b.textErr(seg.Duration, "run duration", fmt.Errorf("must not be negative"))
		}
		for _, s := range seg.Set {
			if _, _, err := b.target(s); err != nil {
				return err
			}
		}
		b.m.Segments = append(b.m.Segments, Segment{Duration: d, Set: seg.Set})
	}
	return nil
}

// target resolves a "GROUP.variable" assignment of a run segment.
func (b *builder) target(s NamedText) (*soma.NeuronGroup, string, error) {
	gname, vname, ok := strings.Cut(s.Name, ".")
	if !ok {
		return nil, "", b.textErr(s.Text, "set", fmt.Errorf("expected GROUP.variable as the key, got '%s'", s.Name))
	}
	g, ok := b.groups[gname]
	if !ok || g.Neurons == nil {
		return nil, "", b.textErr(s.Text, "set", fmt.Errorf("unknown neuron group '%s'", gname))
	}
	if g.Neurons.Var(vname) == nil {
		return nil, "", b.textErr(s.Text, "set", fmt.Errorf("group '%s' has no variable '%s'", gname, vname))
	}
	return g.Neurons, vname, nil
}

// Duration returns the total simulated time of the run segments.
func (m *Model) Duration() float64 {
	d := 0.0
	for _, s := range m.Segments {
		d += s.Duration
	}
	return d
}

// NeuronGroup returns the neuron group with the given name, or nil.
func (m *Model) NeuronGroup(name string) *soma.NeuronGroup {
	for _, g := range m.Groups {
		if g.Spec.Name == name {
			return g.Neurons
		}
	}
	return nil
}
