package model

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/soma-sim/soma/expr"
)

// Build once, run many: a parameter sweep builds a model once and runs it
// again for each new set of constants, restoring the state it had after
// building, as long as the new constants change nothing that building
// evaluated (sizes, connectivity, initial values, delays, inputs, monitors,
// durations, dt, seed). Constants used only in equations, thresholds,
// resets, events and synaptic code are folded into kernels, which the
// network recompiles when its Namespace changes.

// builtState names the state stored right after building.
const builtState = "model:built"

// ConstantsWith evaluates a spec's constants with --set overrides, without
// building anything. The spec is not changed.
func (s *Spec) ConstantsWith(sets []string) ([]Constant, error) {
	b := &builder{spec: s.copy(), m: &Model{Spec: s}, consts: expr.MapNamespace{}}
	if err := b.applySets(sets); err != nil {
		return nil, err
	}
	if err := b.constants(); err != nil {
		var e *Error
		if errors.As(err, &e) && e.File == "" {
			e.File = s.File
		}
		return nil, err
	}
	return b.m.Constants, nil
}

// copy returns a copy that applySets may change.
func (s *Spec) copy() *Spec {
	c := *s
	c.Constants = append([]NamedText(nil), s.Constants...)
	return &c
}

var identifierIn = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// BuildTimeNames returns every name that building evaluates: a superset
// (any identifier in those texts) so that it errs on the side of building
// again.
func (s *Spec) BuildTimeNames() map[string]bool {
	names := map[string]bool{}
	add := func(ts ...Text) {
		for _, t := range ts {
			for _, n := range identifierIn.FindAllString(t.S, -1) {
				names[n] = true
			}
		}
	}
	addNamed := func(ns []NamedText) {
		for _, n := range ns {
			add(n.Text)
		}
	}
	add(s.DT, s.Seed, s.Method, s.Precision)
	for _, g := range s.Groups {
		add(g.N, g.Refractory, g.Method, g.DT, g.Period, g.Rates, g.Precision)
		add(g.Indices...)
		add(g.Times...)
		addNamed(g.Init)
	}
	for _, sy := range s.Synapses {
		add(sy.Source, sy.Target, sy.Delay, sy.Method, sy.Precision)
		addNamed(sy.Delays)
		addNamed(sy.Init)
		for _, c := range sy.Connect {
			add(c.Condition, c.P, c.N, c.JExpr)
			add(c.I...)
			add(c.J...)
		}
	}
	for _, in := range s.Inputs {
		add(in.Target, in.Variable, in.N, in.Rate, in.Weight)
	}
	for _, m := range s.Monitors {
		add(m.Source, m.Event, m.When, m.DT, m.MaxSamples)
		add(m.Record...)
		add(m.Variables...)
	}
	for _, r := range s.Run {
		add(r.Duration)
	}
	return names
}

// Reuse prepares a built model to run again with other --set overrides
// instead of being built anew: when they change only constants that
// building did not use, it restores the state after building (variables,
// synapses, spike queues, monitors, clocks and random streams), gives the
// network the new constants and returns true; the model then runs exactly
// as a fresh build with those overrides would. Otherwise it changes nothing
// and returns false, naming the constant that needs a new build.
func (m *Model) Reuse(sets []string) (bool, string, error) {
	for _, s := range sets {
		name, value, _ := strings.Cut(s, "=")
		switch strings.TrimSpace(name) {
		case "seed":
			// The random streams after building depend on the seed.
			if seed, err := strconv.ParseUint(strings.TrimSpace(value), 10, 64); err != nil || seed != m.Seed {
				return false, "seed", nil
			}
		case "dt":
			return false, "dt", nil
		}
	}
	consts, err := m.Spec.ConstantsWith(sets)
	if err != nil {
		return false, "", err
	}
	if len(consts) != len(m.Constants) {
		return false, "", fmt.Errorf("the model's constants changed")
	}
	structural := m.Spec.BuildTimeNames()
	for k, c := range consts {
		if c.Value != m.Constants[k].Value && structural[c.Name] {
			return false, c.Name, nil
		}
	}
	if err := m.Net.Restore(builtState); err != nil {
		return false, "", err
	}
	for _, c := range consts {
		m.Net.Namespace[c.Name] = c.Value
	}
	m.Constants = consts
	return true, "", nil
}

// Keep stores the state after building, for Reuse. Call it once, before
// the first run.
func (m *Model) Keep() { m.Net.Store(builtState) }
