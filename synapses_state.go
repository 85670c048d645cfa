package soma

import (
	"fmt"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/kernel"
	"github.com/soma-sim/soma/units"
)

// Set assigns a synaptic variable for all synapses: a string expression of
// i, j, constants, synaptic variables and both sides' variables
// ("rand()*w_max", "exp(-(x_pre-x_post)**2/(2*s**2))"), a units.Quantity,
// a plain number for dimensionless variables, or a []float64 in SI units.
// "delay" sets the delay of the pre pathway: one value keeps a single
// delay for all synapses, an expression or array gives each its own.
func (s *Synapses) Set(name string, value any) error {
	if name == "delay" {
		return s.setDelay(value)
	}
	v, ok := s.vars[name]
	if !ok {
		return fmt.Errorf("Synapses '%s' have no variable '%s'", s.name, name)
	}
	if code, ok := value.(string); ok {
		return s.setExpr(v, code)
	}
	return setValue(v, 0, v.Len(), value)
}

// setValue assigns a non-expression value to elements lo..hi-1.
func setValue(v *Variable, lo, hi int, value any) error {
	switch x := value.(type) {
	case units.Quantity:
		if x.Dim != v.Dim {
			return fmt.Errorf("cannot set '%s' (unit %s) to %s: the units do not match", v.Name, v.Dim.Name(), x)
		}
		return fill(v, lo, hi, x.Value)
	case float64, float32, int, int32, int64:
		if !v.Dim.IsDimensionless() {
			return fmt.Errorf("cannot set '%s' (unit %s) to a plain number: use a units.Quantity or a string such as \"%v*%s\"",
				v.Name, v.Dim.Name(), x, v.Dim.Name())
		}
		return fill(v, lo, hi, toFloat(x))
	case bool:
		if v.Type != expr.Boolean {
			return fmt.Errorf("cannot set '%s' to a boolean: it is %s", v.Name, v.Type)
		}
		return fill(v, lo, hi, map[bool]float64{false: 0, true: 1}[x])
	case []float64:
		if len(x) != hi-lo {
			return fmt.Errorf("cannot set '%s': %d values given for %d elements", v.Name, len(x), hi-lo)
		}
		for k, val := range x {
			v.setAt(lo+k, val)
		}
		return nil
	}
	return fmt.Errorf("cannot set '%s' to a value of type %T", v.Name, value)
}

func (s *Synapses) setDelay(value any) error {
	pre := s.prePathway()
	if pre == nil {
		return fmt.Errorf("Synapses '%s' have no on_pre pathway to delay", s.name)
	}
	code, isExpr := value.(string)
	if isExpr {
		if val, isConst, err := s.constantOf(value, 0); err == nil && isConst {
			_ = val
		} else {
			isExpr = true
		}
	}
	_, isArray := value.([]float64)
	if !isArray && !isExpr {
		sec, err := timeValue(value, s)
		if err != nil {
			return fmt.Errorf("delay: %w", err)
		}
		pre.delay.variable, pre.delay.seconds = "", sec
		return nil
	}
	v, ok := s.vars["delay"]
	if !ok {
		v = newVariable("delay", secondDim, expr.Float, s.n, false)
		if s.cfg.float32 {
			toFloat32(v)
		}
		s.addVar(v)
		s.dirty = true
	}
	pre.delay.variable = "delay"
	if isArray {
		return setValue(v, 0, s.n, value)
	}
	return s.setExpr(v, code)
}

func (s *Synapses) prePathway() *pathway {
	for _, p := range s.pathways {
		if p.name == "pre" {
			return p
		}
	}
	for _, p := range s.pathways {
		if !p.fromPost {
			return p
		}
	}
	return nil
}

func (s *Synapses) setExpr(v *Variable, code string) error {
	n, err := expr.Parse(code)
	if err != nil {
		return fmt.Errorf("'%s': %w", code, err)
	}
	n = s.substitute(n)
	sc := s.scope()
	info, err := expr.Check(n, sc)
	if err != nil {
		return fmt.Errorf("'%s': %w", code, scopeErr(sc, err))
	}
	if info.Dim != v.Dim && !(v.Type == expr.Boolean && info.Type == expr.Boolean) {
		return fmt.Errorf("cannot set '%s' (unit %s) to '%s' (unit %s)", v.Name, v.Dim.Name(), code, info.Dim.Name())
	}
	return s.setEach(v, sc, n)
}

func (s *Synapses) evalAll(sc *scope, n expr.Node) ([]float64, error) {
	lay, err := s.layout(sc, n)
	if err != nil {
		return nil, err
	}
	s.t = s.clock.T()
	e, err := kernel.CompileExpr(n, lay)
	if err != nil {
		return nil, err
	}
	out := make([]float64, s.n)
	e.Eval(0, s.n, out, s.rng)
	return out, nil
}

// Values returns a copy of a synaptic variable, a subexpression, or
// "delay", for every synapse (SI units).
func (s *Synapses) Values(name string) ([]float64, error) {
	if v, ok := s.vars[name]; ok {
		out := make([]float64, s.n)
		for k := range out {
			out[k] = v.at(k)
		}
		return out, nil
	}
	if name == "delay" {
		out := make([]float64, s.n)
		if pre := s.prePathway(); pre != nil {
			for k := range out {
				out[k] = pre.delay.seconds
			}
		}
		return out, nil
	}
	if n, ok := s.subexprs[name]; ok {
		return s.evalAll(s.scope(), n)
	}
	return nil, fmt.Errorf("Synapses '%s' have no variable '%s'", s.name, name)
}

// Unit returns the dimension of a synaptic variable.
func (s *Synapses) Unit(name string) (units.Dimension, bool) {
	if v, ok := s.vars[name]; ok {
		return v.Dim, true
	}
	if eq, ok := s.eqs.Get(name); ok {
		return eq.Dim, true
	}
	if name == "delay" {
		return secondDim, true
	}
	return units.Dimensionless, false
}

// Synapses can be recorded by a StateMonitor (indices are synapses).
func (s *Synapses) clockOf() *Clock { return s.clock }
func (s *Synapses) ownerOf() object { return s }

func (s *Synapses) firedRel(string, []int32) ([]int32, bool) { return nil, false }

func (s *Synapses) reader(name string) (func(k int) float64, error) {
	if v, ok := s.vars[name]; ok {
		return v.at, nil
	}
	if _, ok := s.subexprs[name]; ok || name == "delay" {
		return func(k int) float64 {
			vals, err := s.Values(name)
			if err != nil || k >= len(vals) {
				return 0
			}
			return vals[k]
		}, nil
	}
	return nil, fmt.Errorf("Synapses '%s' have no variable '%s'", s.name, name)
}
