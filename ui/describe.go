package ui

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/units"
)

// VarInfo describes one variable the page shows.
type VarInfo struct {
	Name string `json:"name"`
	displayUnit
	Dim string `json:"dim"`
}

// GroupInfo describes a neuron group: its size, grid and variables.
type GroupInfo struct {
	Name   string    `json:"name"`
	N      int       `json:"n"`
	Cols   int       `json:"cols"`
	Rows   int       `json:"rows"`
	Spikes bool      `json:"spikes"`
	Vars   []VarInfo `json:"vars"`
}

// SynapsesInfo describes a synapses object whose weights the page shows.
// Source and Target name whole groups; a subgroup starts at SourceStart
// or TargetStart of it.
type SynapsesInfo struct {
	Name        string    `json:"name"`
	Source      string    `json:"source"`
	SourceStart int       `json:"sourceStart"`
	Target      string    `json:"target"`
	TargetStart int       `json:"targetStart"`
	N           int       `json:"n"`
	Vars        []VarInfo `json:"vars"`
}

// Param is an editable value: a constant or a neuron group's parameter.
type Param struct {
	ID       string `json:"id"`
	Scope    string `json:"scope"` // "constant" or "variable"
	Group    string `json:"group,omitempty"`
	Name     string `json:"name"`
	Value    string `json:"value"`
	Unit     string `json:"unit"`
	Dim      string `json:"dim"`
	Editable bool   `json:"editable"`
	Varies   bool   `json:"varies,omitempty"`
}

// ModuleInfo is a behaviour or object that can be switched on and off.
type ModuleInfo struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Kind   string  `json:"kind"`
	Owner  string  `json:"owner,omitempty"`
	Key    float64 `json:"key,omitempty"`
	Active bool    `json:"active"`
}

// squaredDim returns PymoNNto's get_squared_dim: the largest divisor of n
// not above its square root is the width.
func squaredDim(n int) (cols, rows int) {
	if n <= 0 {
		return 0, 0
	}
	d := int(math.Sqrt(float64(n)))
	for n%d != 0 {
		d--
	}
	return d, n / d
}

// group is a group the page shows, with what the recorder needs.
type group struct {
	info   GroupInfo
	g      soma.Group
	ng     *soma.NeuronGroup // nil for input groups
	vars   []*soma.Variable  // parallel to info.Vars
	spiker interface{ Spikes() []int32 }
}

// synapses is a synapses object whose weights the page shows.
type synapses struct {
	info SynapsesInfo
	s    *soma.Synapses
	vars []*soma.Variable
	// byTarget lists the synapses of each target neuron (relative to the
	// target), built when first needed.
	byTargetPtr []int32
	byTarget    []int32
	preAbs      []int32 // source index of each synapse in the whole source group
	builtFor    int
}

// whole returns the group a population belongs to and its first index in it.
func whole(g soma.Group) (soma.Group, int) {
	if p, ok := g.(interface {
		Parent() (*soma.NeuronGroup, int)
	}); ok {
		parent, start := p.Parent()
		return parent, start
	}
	return g, 0
}

// collect finds the groups and synapses of the network that the page shows.
func collect(net *soma.Network, opts Options) ([]*group, []*synapses) {
	var groups []*group
	var syns []*synapses
	for _, o := range net.Objects() {
		switch x := o.(type) {
		case *soma.NeuronGroup:
			g := &group{g: x, ng: x, spiker: x}
			g.info = GroupInfo{Name: x.Name(), N: x.Size(), Spikes: slices.Contains(x.EventNames(), "spike")}
			for _, name := range groupVariables(x, opts.Variables) {
				v := x.Var(name)
				g.vars = append(g.vars, v)
				g.info.Vars = append(g.info.Vars, VarInfo{Name: name, displayUnit: unitFor(v.Dim), Dim: v.Dim.Symbol()})
			}
			groups = append(groups, g)
		case *soma.PoissonGroup, *soma.SpikeGeneratorGroup:
			grp := x.(soma.Group)
			g := &group{g: grp, spiker: x.(interface{ Spikes() []int32 })}
			g.info = GroupInfo{Name: grp.Name(), N: grp.Size(), Spikes: true}
			groups = append(groups, g)
		case *soma.Synapses:
			names := opts.Synapses
			if len(names) == 0 {
				names = []string{"w"}
			}
			s := &synapses{s: x}
			for _, name := range names {
				if v := x.Var(name); v != nil && v.Type == expr.Float && !v.Shared {
					s.vars = append(s.vars, v)
					s.info.Vars = append(s.info.Vars, VarInfo{Name: name, displayUnit: unitFor(v.Dim), Dim: v.Dim.Symbol()})
				}
			}
			if len(s.vars) == 0 {
				continue
			}
			src, srcStart := whole(x.Source())
			tgt, tgtStart := whole(x.Target())
			s.info = SynapsesInfo{Name: x.Name(), Source: src.Name(), SourceStart: srcStart, Target: tgt.Name(),
				TargetStart: tgtStart, N: x.Len(), Vars: s.info.Vars}
			syns = append(syns, s)
		}
	}
	for _, g := range groups {
		g.info.Cols, g.info.Rows = squaredDim(g.info.N)
	}
	return groups, syns
}

// groupVariables chooses the variables shown for a group: those asked for
// that it has, or by default its differential-equation variables, or for a
// group made of behaviours, its float and boolean per-neuron variables.
func groupVariables(g *soma.NeuronGroup, asked []string) []string {
	var out []string
	if len(asked) > 0 {
		for _, name := range asked {
			if v := g.Var(name); v != nil && !v.Shared {
				out = append(out, name)
			}
		}
		return out
	}
	if eqs := g.Equations(); eqs != nil && len(eqs.Diff()) > 0 {
		for _, eq := range eqs.Diff() {
			out = append(out, eq.Var)
		}
		return out
	}
	for _, name := range g.VariableNames() {
		if v := g.Var(name); v != nil && !v.Shared && v.Type != expr.Integer && !internalVariable(name) {
			out = append(out, name)
		}
	}
	return out
}

// internalVariable reports the variables soma keeps for refractoriness.
func internalVariable(name string) bool {
	return name == "lastspike" || name == "not_refractory"
}

// describeParams lists the network's constants and the groups' parameters.
func describeParams(net *soma.Network, groups []*group, order []string) []Param {
	out := []Param{}
	names := slices.Clone(order)
	var rest []string
	for name := range net.Namespace {
		if !slices.Contains(names, name) {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	names = append(names, rest...)
	for _, name := range names {
		q, ok := quantityOf(net.Namespace[name])
		if !ok {
			continue
		}
		u := unitFor(q.Dim)
		out = append(out, Param{ID: "const/" + name, Scope: "constant", Name: name, Value: format(q.Value, q.Dim),
			Unit: u.Unit, Dim: q.Dim.Symbol(), Editable: true})
	}
	for _, g := range groups {
		if g.ng == nil {
			continue
		}
		for _, name := range groupParameters(g.ng, g.info.Vars) {
			v := g.ng.Var(name)
			val, varies := summarise(v)
			u := unitFor(v.Dim)
			out = append(out, Param{ID: "var/" + g.info.Name + "/" + name, Scope: "variable", Group: g.info.Name, Name: name,
				Value: format(val, v.Dim), Unit: u.Unit, Dim: v.Dim.Symbol(), Editable: true, Varies: varies})
		}
	}
	return out
}

// groupParameters lists a group's parameters: the parameters of its
// equations, or for a group made of behaviours, its float variables that
// are not shown as state.
func groupParameters(g *soma.NeuronGroup, shown []VarInfo) []string {
	var out []string
	if eqs := g.Equations(); eqs != nil && eqs.Len() > 0 {
		for _, eq := range eqs.Parameters() {
			if v := g.Var(eq.Var); v != nil && v.Type == expr.Float {
				out = append(out, eq.Var)
			}
		}
		return out
	}
	for _, name := range g.VariableNames() {
		v := g.Var(name)
		if v == nil || v.Type != expr.Float || internalVariable(name) || slices.ContainsFunc(shown, func(s VarInfo) bool { return s.Name == name }) {
			continue
		}
		out = append(out, name)
	}
	return out
}

// summarise returns a variable's value when all neurons share it, else
// its mean and true.
func summarise(v *soma.Variable) (float64, bool) {
	n := v.Len()
	if n == 0 {
		return 0, false
	}
	first, sum, same := v.At(0), 0.0, true
	for k := range n {
		x := v.At(k)
		sum += x
		same = same && x == first
	}
	if same {
		return first, false
	}
	return sum / float64(n), true
}

// quantityOf reads a Namespace value as a quantity.
func quantityOf(x any) (units.Quantity, bool) {
	switch v := x.(type) {
	case units.Quantity:
		return v, true
	case float64:
		return units.Number(v), true
	case float32:
		return units.Number(float64(v)), true
	case int:
		return units.Number(float64(v)), true
	case int64:
		return units.Number(float64(v)), true
	}
	return units.Quantity{}, false
}

// describeModules lists the behaviours and objects with their state.
func describeModules(net *soma.Network, own *soma.Module) ([]ModuleInfo, []*soma.Module) {
	out := []ModuleInfo{}
	var mods []*soma.Module
	for _, m := range net.Behaviours() {
		if m == own {
			continue
		}
		owner := ""
		if o, ok := m.Owner().(interface{ Name() string }); ok {
			owner = o.Name()
		}
		out = append(out, ModuleInfo{ID: fmt.Sprintf("b/%d", len(mods)), Name: m.Name(), Kind: "behaviour", Owner: owner,
			Key: m.Key(), Active: m.Active()})
		mods = append(mods, m)
	}
	for _, o := range net.Objects() {
		kind := ""
		switch o.(type) {
		case *soma.Module:
			continue
		case *soma.NeuronGroup:
			kind = "neurons"
		case *soma.Synapses:
			kind = "synapses"
		case *soma.PoissonGroup, *soma.SpikeGeneratorGroup:
			kind = "input group"
		case *soma.PoissonInput:
			kind = "input"
		case *soma.SpikeMonitor, *soma.StateMonitor, *soma.PopulationRateMonitor:
			kind = "monitor"
		default:
			kind = "object"
		}
		n, ok := o.(interface{ Name() string })
		if !ok {
			continue
		}
		out = append(out, ModuleInfo{ID: "o/" + n.Name(), Name: n.Name(), Kind: kind, Active: net.Active(n.Name())})
	}
	return out, mods
}
