package model

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/units"
)

// Describe prints what check reports: constants, groups with their sizes,
// variables and units, the integration method chosen for each and its
// update code, synapses with the number created, inputs, monitors, the
// schedule of one step, and the run.
func (m *Model) Describe(w io.Writer) error {
	p := &printer{w: w}
	p.printf("model %s (%s)\n", m.Spec.Name, m.Spec.File)
	p.printf("dt %s, seed %d\n", seconds(m.DT), m.Seed)
	neurons, synapses := 0, 0
	for _, g := range m.Groups {
		neurons += g.Group.Size()
	}
	for _, s := range m.Synapses {
		synapses += s.Syn.Len()
	}
	p.printf("%s in %s, %s\n", plural(neurons, "neuron"), plural(len(m.Groups), "group"), plural(synapses, "synapse"))
	if len(m.Constants) > 0 {
		p.printf("\nconstants:\n")
		for _, c := range m.Constants {
			p.printf("  %s = %s\n", c.Name, c.Value)
		}
	}
	if len(m.Groups) > 0 {
		p.printf("\ngroups:\n")
	}
	for _, g := range m.Groups {
		m.describeGroup(p, g)
	}
	if len(m.Synapses) > 0 {
		// Connecting happens when the model is built, before check
		// prints anything, so even probabilistic connects are counted.
		p.printf("\nsynapses (connected when the model is built: the counts are exact):\n")
	}
	for _, s := range m.Synapses {
		describeSynapses(p, s)
	}
	if len(m.Inputs) > 0 {
		p.printf("\ninputs:\n")
		for _, in := range m.Inputs {
			p.printf("  %s: %s at %s onto %s.%s, weight %s\n", in.Input.Name(), plural(in.Input.N(), "Poisson source"),
				units.Quantity{Value: in.Input.Rate(), Dim: hertz}, strings.TrimSpace(in.Spec.Target.S),
				in.Input.Variable(), strings.TrimSpace(in.Spec.Weight.S))
		}
	}
	if len(m.Monitors) > 0 {
		p.printf("\nmonitors:\n")
		for _, mon := range m.Monitors {
			p.printf("  %s: %s\n", mon.Spec.Name, describeMonitor(mon))
		}
	}
	sched, err := m.Net.Schedule()
	if err != nil {
		return err
	}
	if len(sched) > 0 {
		p.printf("\nschedule of one step (slot, order, operation, clock):\n")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, e := range sched {
			fmt.Fprintf(tw, "  %s\t%g\t%s\tdt %s\n", e.When, e.Order, e.Name, seconds(e.DT))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(m.Segments) > 0 {
		p.printf("\nrun:\n")
		for _, s := range m.Segments {
			for _, a := range s.Set {
				p.printf("  set %s = %s\n", a.Name, a.S)
			}
			steps := math.Round(s.Duration / m.DT)
			p.printf("  run %s (%g steps of dt)\n", seconds(s.Duration), steps)
		}
	}
	return p.err
}

func (m *Model) describeGroup(p *printer, g *Group) {
	name := g.Spec.Name
	clock := ""
	if c, ok := g.Group.(interface{ Clock() *soma.Clock }); ok && g.Spec.DT.IsSet() {
		clock = ", dt " + seconds(c.Clock().DT())
	}
	switch src := g.Group.(type) {
	case *soma.PoissonGroup:
		p.printf("  %s: Poisson group, %s, rates %s%s\n", name, plural(src.Size(), "neuron"), strings.TrimSpace(src.RatesExpr()), clock)
		return
	case *soma.SpikeGeneratorGroup:
		desc := fmt.Sprintf("  %s: spike generator, %s, %s", name, plural(src.Size(), "neuron"), plural(len(g.Spec.Times), "spike"))
		if src.Period() > 0 {
			desc += ", repeated every " + seconds(src.Period())
		}
		p.printf("%s%s\n", desc, clock)
		return
	}
	ng := g.Neurons
	if ng == nil {
		p.printf("  %s: %s, %s%s\n", name, g.Spec.Type, plural(g.Group.Size(), "neuron"), clock)
		return
	}
	method := ng.Method()
	if method == "" {
		method = "none (no differential equations)"
	} else if !g.Spec.Method.IsSet() && !m.Spec.Method.IsSet() {
		method += " (chosen automatically)"
	}
	p.printf("  %s: %s, method %s%s\n", name, plural(ng.Size(), "neuron"), method, clock)
	var vars []string
	for _, name := range ng.VariableNames() {
		v := ng.Var(name)
		desc := name + " (" + v.Dim.Name()
		if v.Type.String() != "float" {
			desc += ", " + v.Type.String()
		}
		if v.Shared {
			desc += ", shared"
		}
		vars = append(vars, desc+")")
	}
	p.printf("    variables: %s\n", strings.Join(vars, ", "))
	if g.Spec.Threshold.IsSet() {
		p.printf("    threshold: %s\n", g.Spec.Threshold.S)
	}
	if g.Spec.Reset.IsSet() && strings.TrimSpace(g.Spec.Reset.S) != "" {
		p.printf("    reset: %s\n", oneLine(g.Spec.Reset.S))
	}
	if g.Spec.Refractory.IsSet() {
		p.printf("    refractory: %s\n", g.Spec.Refractory.S)
	}
	for _, ev := range g.Spec.Events {
		p.printf("    event %s: %s\n", ev.Name, ev.S)
	}
	if code := strings.TrimSpace(ng.UpdateCode()); code != "" {
		p.printf("    state update:\n")
		for _, line := range strings.Split(code, "\n") {
			p.printf("      %s\n", line)
		}
	}
}

func describeSynapses(p *printer, s *Synapses) {
	p.printf("  %s: %s -> %s, %s", s.Spec.Name, strings.TrimSpace(s.Spec.Source.S), strings.TrimSpace(s.Spec.Target.S), plural(s.Syn.Len(), "synapse"))
	if method := s.Syn.Method(); method != "" {
		p.printf(", method %s", method)
	}
	p.printf("\n")
	for _, c := range s.Spec.Connect {
		p.printf("    connect: %s\n", describeConnect(c))
	}
	if vars := s.Syn.VariableNames(); len(vars) > 0 {
		var vs []string
		for _, v := range vars {
			d, _ := s.Syn.Unit(v)
			vs = append(vs, fmt.Sprintf("%s (%s)", v, d.Name()))
		}
		p.printf("    variables: %s\n", strings.Join(vs, ", "))
	}
	for _, pw := range s.Spec.OnPre {
		p.printf("    on_pre %s: %s\n", pw.Name, oneLine(pw.S))
	}
	for _, pw := range s.Spec.OnPost {
		if strings.TrimSpace(pw.S) != "" {
			p.printf("    on_post %s: %s\n", pw.Name, oneLine(pw.S))
		}
	}
	if s.Spec.Delay.IsSet() {
		p.printf("    delay: %s\n", s.Spec.Delay.S)
	}
	for _, d := range s.Spec.Delays {
		p.printf("    delay %s: %s\n", d.Name, d.S)
	}
	if len(s.Spec.Save) > 0 {
		var vs []string
		for _, v := range s.Spec.Save {
			vs = append(vs, strings.TrimSpace(v.S))
		}
		p.printf("    save: %s\n", strings.Join(vs, ", "))
	}
}

// describeConnect prints a connect rule in Brian2's words.
func describeConnect(c ConnectSpec) string {
	var parts []string
	texts := func(ts []Text) string {
		var s []string
		for _, t := range ts {
			s = append(s, strings.TrimSpace(t.S))
		}
		return "[" + strings.Join(s, ", ") + "]"
	}
	if c.Condition.IsSet() {
		parts = append(parts, "condition='"+strings.TrimSpace(c.Condition.S)+"'")
	}
	if len(c.I) > 0 {
		parts = append(parts, "i="+texts(c.I), "j="+texts(c.J))
	}
	if c.JExpr.IsSet() {
		parts = append(parts, "j='"+strings.TrimSpace(c.JExpr.S)+"'")
	}
	if c.P.IsSet() {
		parts = append(parts, "p="+strings.TrimSpace(c.P.S))
	}
	if c.N.IsSet() {
		parts = append(parts, "n="+strings.TrimSpace(c.N.S))
	}
	if c.SkipIfInvalid {
		parts = append(parts, "skip_if_invalid=True")
	}
	if len(parts) == 0 {
		return "all pairs"
	}
	return strings.Join(parts, ", ")
}

func describeMonitor(mon *Monitor) string {
	desc := fmt.Sprintf("%s monitor of %s", mon.Spec.Type, mon.Source.Name())
	if mon.Spec.Type == "event" {
		desc += fmt.Sprintf(" (event %s)", strings.TrimSpace(mon.Spec.Event.S))
	}
	if len(mon.Spec.Variables) > 0 {
		var vs []string
		for _, v := range mon.Spec.Variables {
			vs = append(vs, strings.TrimSpace(v.S))
		}
		desc += ", variables " + strings.Join(vs, ", ")
	}
	if mon.State != nil {
		rec := mon.State.RecordedIndices()
		switch {
		case mon.Spec.RecordAll || len(mon.Spec.Record) == 0:
			desc += fmt.Sprintf(", all %d recorded", len(rec))
		case len(rec) <= 10:
			desc += fmt.Sprintf(", recording %v", rec)
		default:
			desc += fmt.Sprintf(", recording %d indices", len(rec))
		}
	}
	if mon.Spec.DT.IsSet() {
		desc += ", dt " + strings.TrimSpace(mon.Spec.DT.S)
	}
	if mon.Spec.When.IsSet() {
		desc += ", when " + strings.TrimSpace(mon.Spec.When.S)
	}
	if mon.Spec.MaxSamples.IsSet() {
		desc += ", last " + strings.TrimSpace(mon.Spec.MaxSamples.S) + " samples"
	}
	if mon.Spec.Stream {
		desc += ", streamed to disk"
	}
	return desc
}

func seconds(t float64) string { return units.Quantity{Value: t, Dim: second}.String() }

// plural prints "1 neuron", "3 neurons".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}

// printer writes formatted text and remembers the first error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}
