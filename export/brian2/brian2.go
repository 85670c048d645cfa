// Package brian2 writes a soma model file as a Brian2 script: the same
// constants, groups, equations, synapses, inputs, monitors and run
// segments, for Brian2 2.5 (runtime targets numpy or cython), saving the
// files 'soma run' writes (one .npz per monitor and per synapses object
// with 'save', and summary.json) so that a model can be cross-checked
// against Brian2. What the script cannot express is refused with an error
// that names the object and the feature; nothing is dropped silently.
package brian2

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/soma-sim/soma/equations"
	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/model"
	"github.com/soma-sim/soma/units"
)

// Options controls an export.
type Options struct {
	// Sets are the --set overrides (NAME=EXPR) of constants, seed or dt,
	// applied as 'soma run' applies them.
	Sets []string
	// Command, when set, is the command line written in the script's
	// header ("soma export --brian2 examples/cuba/cuba.yaml").
	Command string
}

// Script returns the Brian2 script of a decoded model file.
func Script(spec *model.Spec, opts Options) ([]byte, error) {
	x := &exporter{spec: spec, opts: opts, names: newNamer()}
	if err := x.prepare(); err != nil {
		return nil, err
	}
	if err := x.write(); err != nil {
		return nil, err
	}
	return x.out.Bytes(), nil
}

// Export reads the model file at path and returns its Brian2 script.
func Export(path string, opts Options) ([]byte, error) {
	spec, err := model.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Script(spec, opts)
}

type exporter struct {
	spec  *model.Spec
	opts  Options
	m     *model.Model // the model built without connecting synapses
	ns    expr.MapNamespace
	names *namer
	out   bytes.Buffer

	constText map[string]model.Text // constant texts after --set
	groups    map[string]*groupInfo
	synapses  map[string]*synInfo
	objects   []string // Python variables of everything in the network
}

type groupInfo struct {
	spec *model.GroupSpec
	py   string
	size int
}

type synInfo struct {
	spec *model.SynapsesSpec
	py   string
}

// refuse is the error for something the export cannot express.
func (x *exporter) refuse(line int, what, format string, args ...any) error {
	return &model.Error{File: x.spec.File, Line: line, Msg: fmt.Sprintf("%s: cannot export to Brian2: %s", what, fmt.Sprintf(format, args...))}
}

func (x *exporter) refuseAt(t model.Text, line int, what, format string, args ...any) error {
	e := x.refuse(line, what, format, args...).(*model.Error)
	if t.Line > 0 {
		e.Line, e.Col = t.Line, t.Col
	}
	if !strings.Contains(t.S, "\n") {
		e.Text = strings.TrimSpace(t.S)
	}
	return e
}

// prepare checks the model as 'soma check' would (without connecting
// synapses, which a large model makes slow) and evaluates its constants.
func (x *exporter) prepare() error {
	if err := x.checkFields(); err != nil {
		return err
	}
	light := *x.spec
	synNames := map[string]bool{}
	light.Synapses = nil
	for _, s := range x.spec.Synapses {
		c := *s
		c.Connect = nil
		// Without synapses, arrays of values per synapse cannot fit.
		c.Init = nil
		for _, in := range s.Init {
			if in.Array == nil {
				c.Init = append(c.Init, in)
			}
		}
		light.Synapses = append(light.Synapses, &c)
		synNames[s.Name] = true
	}
	light.Monitors = nil
	for _, mon := range x.spec.Monitors {
		c := *mon
		if synNames[strings.TrimSpace(mon.Source.S)] {
			// No synapses exist in this check, so none can be recorded.
			c.Record, c.RecordAll = nil, false
		}
		light.Monitors = append(light.Monitors, &c)
	}
	m, err := model.Build(&light, x.opts.Sets)
	if err != nil {
		return err
	}
	x.m = m
	if len(m.Segments) == 0 {
		return &model.Error{File: x.spec.File, Msg: "the model has no 'run' duration"}
	}
	// The texts of the constants as --set leaves them, for their types.
	x.constText = map[string]model.Text{}
	for _, c := range x.spec.Constants {
		x.constText[c.Name] = c.Text
	}
	for _, s := range x.opts.Sets {
		name, value, _ := strings.Cut(s, "=")
		name = strings.TrimSpace(name)
		if _, ok := x.constText[name]; ok {
			x.constText[name] = model.Text{S: value, Line: -1}
		}
	}
	x.ns = expr.MapNamespace{}
	for _, c := range m.Constants {
		typ := expr.Float
		if n, err := expr.Parse(x.constText[c.Name].S); err == nil {
			if info, err := expr.Check(n, x.ns); err == nil && info.Type == expr.Integer && c.Value.IsDimensionless() &&
				c.Value.Value == math.Trunc(c.Value.Value) && math.Abs(c.Value.Value) < 1<<53 {
				typ = expr.Integer
			}
		}
		x.ns[c.Name] = expr.Symbol{Kind: expr.Constant, Dim: c.Value.Dim, Type: typ, Value: c.Value.Value}
	}
	x.groups = map[string]*groupInfo{}
	for k, g := range x.spec.Groups {
		x.groups[g.Name] = &groupInfo{spec: g, size: m.Groups[k].Group.Size()}
	}
	x.synapses = map[string]*synInfo{}
	for _, s := range x.spec.Synapses {
		x.synapses[s.Name] = &synInfo{spec: s}
	}
	if err := x.checkFunctions(); err != nil {
		return err
	}
	// Where connecting is cheap, build the model whole, so that errors in
	// connect conditions and synapse indices are found here too.
	pairs := 0.0
	for _, s := range m.Synapses {
		pairs += float64(s.Syn.Source().Size()) * float64(s.Syn.Target().Size())
	}
	if pairs <= fullCheckPairs {
		if _, err := model.Build(x.spec, x.opts.Sets); err != nil {
			return err
		}
	}
	return nil
}

// fullCheckPairs bounds the (source, target) pairs of a model that the
// export builds whole to check it.
const fullCheckPairs = 2e7

// eval evaluates a constant expression; ok is false when it is not one
// (it uses i, j, rand() or a variable).
func (x *exporter) eval(s string) (units.Quantity, bool) {
	n, err := expr.Parse(s)
	if err != nil {
		return units.Quantity{}, false
	}
	q, err := expr.Eval(n, x.ns)
	if err != nil {
		return units.Quantity{}, false
	}
	return q, true
}

// evalInt evaluates an integer constant expression (model.Build has
// checked it).
func (x *exporter) evalInt(t model.Text, line int, what string) (int, error) {
	q, ok := x.eval(t.S)
	if !ok || !q.IsDimensionless() || q.Value != math.Trunc(q.Value) {
		return 0, x.refuseAt(t, line, what, "expected an integer constant, got '%s'", t.S)
	}
	return int(q.Value), nil
}

// literal writes a constant expression as a Python value with soma's
// float64 (SI units); ok is false when s is not constant.
func (x *exporter) literal(s string) (string, bool) {
	q, ok := x.eval(s)
	if !ok {
		return "", false
	}
	return pyQuantity(q), true
}

func (x *exporter) p(format string, args ...any) {
	fmt.Fprintf(&x.out, format, args...)
}

func (x *exporter) write() error {
	x.header()
	x.p("# Constants, in SI units with soma's float64 values (the model's text in the comment).\n")
	x.p("namespace = {\n")
	for _, c := range x.m.Constants {
		val := pyQuantity(c.Value)
		if x.ns[c.Name].Type == expr.Integer {
			val = pyInt(c.Value.Value)
		}
		x.p("    %s: %s,", pyQuote(c.Name), val)
		if t := x.constText[c.Name]; t.Line < 0 {
			x.p("  # --set %s=%s", c.Name, oneLine(t.S))
		} else if s := strings.TrimSpace(t.S); s != "" && s != val {
			x.p("  # %s", oneLine(s))
		}
		x.p("\n")
	}
	x.p("}\n\n")
	for _, g := range x.spec.Groups {
		if err := x.group(g); err != nil {
			return err
		}
	}
	for _, s := range x.spec.Synapses {
		if err := x.synapsesObj(s); err != nil {
			return err
		}
	}
	for k, in := range x.spec.Inputs {
		if err := x.input(k, in); err != nil {
			return err
		}
	}
	mons := make([]monitorInfo, 0, len(x.spec.Monitors))
	for _, ms := range x.spec.Monitors {
		mi, err := x.monitor(ms)
		if err != nil {
			return err
		}
		mons = append(mons, mi)
	}
	if err := x.run(); err != nil {
		return err
	}
	x.outputs(mons)
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// docText is s for the script's docstring: one line, without what would
// end the docstring or start an escape.
func docText(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(oneLine(s))
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func (x *exporter) header() {
	spec := x.spec
	x.p("#!/usr/bin/env python3\n")
	x.p("\"\"\"Brian2 script of the soma model '%s' (%s).\n\n", docText(spec.Name), docText(spec.File))
	if x.opts.Command != "" {
		x.p("Written by: %s\n", docText(x.opts.Command))
	} else {
		x.p("Written by soma export --brian2")
		for _, s := range x.opts.Sets {
			x.p(" --set %s", docText(s))
		}
		x.p(".\n")
	}
	x.p(`
Run it with Brian2 2.5 (Debian: python3-brian):

    python3 %s.py [--out DIR] [--target numpy|cython] [--seed N] [--report]

It writes the files 'soma run' writes, with the same names and arrays: one
.npz per monitor (and per synapses object with 'save') and summary.json,
values in SI base units. Brian2 draws other random numbers than soma, so
models with rand(), randn(), xi, Poisson inputs or random connectivity
agree with soma in their statistics, deterministic ones spike for spike.
"""
import argparse
import json
import os
import time

import numpy as np
from brian2 import *

`, pyIdent(spec.Name))
	seed := "None"
	seedSet := spec.Seed.IsSet()
	for _, s := range x.opts.Sets {
		if name, _, _ := strings.Cut(s, "="); strings.TrimSpace(name) == "seed" {
			seedSet = true
		}
	}
	if seedSet {
		seed = strconv.FormatUint(x.m.Seed, 10)
	}
	x.p("parser = argparse.ArgumentParser(description=%s)\n", pyQuote("Brian2 version of the soma model '"+spec.Name+"'"))
	x.p("parser.add_argument('--out', default=%s, help='output folder (default: %%(default)s)')\n", pyQuote("results/"+spec.Name+"_brian2"))
	x.p("parser.add_argument('--target', default='numpy', choices=['numpy', 'cython'], help='Brian2 code generation target')\n")
	x.p("parser.add_argument('--seed', type=int, default=%s, help='random seed (default: the model\\'s; drawn when it has none)')\n", seed)
	x.p("parser.add_argument('--report', action='store_true', help='print the progress of the run')\n")
	x.p("args = parser.parse_args()\n\n")
	x.p("prefs.codegen.target = args.target\n")
	dtComment := ""
	if spec.DT.IsSet() {
		dtComment = "  # " + oneLine(spec.DT.S)
	}
	for _, s := range x.opts.Sets {
		if name, value, _ := strings.Cut(s, "="); strings.TrimSpace(name) == "dt" {
			dtComment = "  # --set dt=" + oneLine(value)
		}
	}
	x.p("defaultclock.dt = %s%s\n", pyQuantity(units.New(x.m.DT, units.Dimension{units.Time: 1})), dtComment)
	x.p("seed_value = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), 'little')\n")
	x.p("seed(seed_value %% 2**32)  # numpy takes seeds below 2**32\n\n")
}

// pyIdent is a file-name friendly form of the model name.
func pyIdent(s string) string {
	return regexp.MustCompile(`[^A-Za-z0-9_.-]`).ReplaceAllString(s, "_")
}

// method returns the integration method of an object: its own, else the
// model's; "" for Brian2's automatic choice (soma's too).
func (x *exporter) method(own model.Text) string {
	if own.IsSet() {
		return strings.TrimSpace(own.S)
	}
	if x.spec.Method.IsSet() {
		return strings.TrimSpace(x.spec.Method.S)
	}
	return ""
}

func (x *exporter) isFloat32(own model.Text) bool {
	p := own
	if !p.IsSet() {
		p = x.spec.Precision
	}
	return p.IsSet() && strings.TrimSpace(p.S) == "float32"
}

// dtypes is the dtype argument for float32 state: the model's stored
// variables (differential equations and parameters), not Brian2's own
// lastspike, which a single dtype=float32 would make float32 too.
func dtypes(modelText string) (string, error) {
	eqs, err := equations.Parse(modelText)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, eq := range eqs.Eqs() {
		if eq.Kind == equations.Subexpression {
			continue
		}
		if eq.Type != expr.Float {
			continue
		}
		parts = append(parts, pyQuote(eq.Var)+": float32")
	}
	if len(parts) == 0 {
		return "", nil
	}
	return "{" + strings.Join(parts, ", ") + "}", nil
}

type kwargs []string

func (k *kwargs) add(name, value string) { *k = append(*k, name+"="+value) }

// dtypeArg adds the dtype argument that gives a float32 model's variables
// Brian2's float32 type.
func (x *exporter) dtypeArg(kw *kwargs, eqs model.Text, line int, what string) error {
	d, err := dtypes(eqs.S)
	if err != nil {
		return x.refuseAt(eqs, line, what, "%v", err)
	}
	if d != "" {
		kw.add("dtype", d)
	}
	return nil
}

// call writes "var = Func(args, kwargs)" with one keyword argument per line
// when it is long.
func (x *exporter) call(v, fn string, args []string, kw kwargs) {
	all := append(append([]string{}, args...), kw...)
	line := fmt.Sprintf("%s = %s(%s)", v, fn, strings.Join(all, ", "))
	if len(line) <= 100 && !strings.Contains(line, "\n") {
		x.p("%s\n", line)
		return
	}
	// The positional arguments on the first line, one keyword argument
	// per line after it.
	indent := strings.Repeat(" ", len(v)+len(fn)+4)
	x.p("%s = %s(%s", v, fn, strings.Join(args, ", "))
	for k, a := range kw {
		if k > 0 || len(args) > 0 {
			x.p(",\n%s", indent)
		}
		x.p("%s", a)
	}
	x.p(")\n")
}

func (x *exporter) groupDT(g *model.GroupSpec, kw *kwargs) {
	if g.DT.IsSet() {
		if v, ok := x.literal(g.DT.S); ok {
			kw.add("dt", v)
		}
	}
}

func (x *exporter) group(g *model.GroupSpec) error {
	info := x.groups[g.Name]
	info.py = x.names.name(g.Name, "group")
	x.objects = append(x.objects, info.py)
	what := fmt.Sprintf("group '%s'", g.Name)
	var kw kwargs
	switch g.Type {
	case "neurons":
		if info.size < 1 {
			return x.refuseAt(g.N, g.Line, what, "Brian2's NeuronGroup needs at least one neuron, N is %d", info.size)
		}
		x.p("# group '%s': %s\n", g.Name, plural(info.size, "neuron"))
		if strings.TrimSpace(g.Threshold.S) != "" {
			kw.add("threshold", pyStr(strings.TrimSpace(g.Threshold.S)))
		}
		if strings.TrimSpace(g.Reset.S) != "" {
			kw.add("reset", pyStr(codeText(g.Reset.S)))
		}
		if strings.TrimSpace(g.Refractory.S) != "" {
			kw.add("refractory", pyStr(strings.TrimSpace(g.Refractory.S)))
		}
		if m := x.method(g.Method); m != "" {
			kw.add("method", pyQuote(m))
		}
		if len(g.Events) > 0 {
			var ev []string
			for _, e := range g.Events {
				ev = append(ev, pyQuote(e.Name)+": "+pyStr(strings.TrimSpace(e.S)))
			}
			kw.add("events", "{"+strings.Join(ev, ", ")+"}")
		}
		x.groupDT(g, &kw)
		if x.isFloat32(g.Precision) {
			if err := x.dtypeArg(&kw, g.Model, g.Line, what); err != nil {
				return err
			}
		}
		kw.add("namespace", "namespace")
		kw.add("name", pyQuote(info.py))
		x.call(info.py, "NeuronGroup", []string{strconv.Itoa(info.size), pyStr(equationText(g.Model.S))}, kw)
		x.inits(info.py, g.Init)
	case "spikegenerator":
		x.p("# group '%s': a spike generator of %s\n", g.Name, plural(info.size, "neuron"))
		var idx, times []string
		for k := range g.Indices {
			i, err := x.evalInt(g.Indices[k], g.Line, what+" indices")
			if err != nil {
				return err
			}
			q, ok := x.eval(g.Times[k].S)
			if !ok {
				return x.refuseAt(g.Times[k], g.Line, what+" times", "expected a constant time")
			}
			idx = append(idx, strconv.Itoa(i))
			times = append(times, pyFloat(q.Value))
		}
		idxVar, timesVar := x.names.name(info.py+"_indices", "array"), x.names.name(info.py+"_times", "array")
		x.p("%s = np.array([%s], dtype=int)\n", idxVar, strings.Join(idx, ", "))
		x.p("%s = np.array([%s], dtype=float)*second\n", timesVar, strings.Join(times, ", "))
		if g.Period.IsSet() {
			if v, ok := x.literal(g.Period.S); ok {
				kw.add("period", v)
			}
		}
		x.groupDT(g, &kw)
		kw.add("name", pyQuote(info.py))
		x.call(info.py, "SpikeGeneratorGroup", []string{strconv.Itoa(info.size), idxVar, timesVar}, kw)
	case "poisson":
		x.p("# group '%s': %s\n", g.Name, plural(info.size, "Poisson neuron"))
		rates, ok := x.literal(g.Rates.S)
		if !ok {
			rates = pyStr(strings.TrimSpace(g.Rates.S))
		}
		x.groupDT(g, &kw)
		kw.add("namespace", "namespace")
		kw.add("name", pyQuote(info.py))
		x.call(info.py, "PoissonGroup", []string{strconv.Itoa(info.size), rates}, kw)
	default:
		return x.refuse(g.Line, what, "unknown group type '%s'", g.Type)
	}
	x.p("\n")
	return nil
}

// equationText is a model's equations as written, without the trailing
// newline of a YAML block.
func equationText(s string) string {
	s = strings.TrimRight(s, " \t\n")
	if strings.Contains(s, "\n") {
		return "\n" + s + "\n"
	}
	return s
}

var sourcePattern = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[(.*):(.*)\])?\s*$`)

// source writes the Python of a group or slice NAME[start:stop] and
// returns its size.
func (x *exporter) source(t model.Text, line int, what string) (string, int, error) {
	m := sourcePattern.FindStringSubmatch(t.S)
	if m == nil {
		return "", 0, x.refuseAt(t, line, what, "expected a group name or a slice NAME[start:stop], got '%s'", t.S)
	}
	g, ok := x.groups[m[1]]
	if !ok {
		return "", 0, x.refuseAt(t, line, what, "unknown group '%s'", m[1])
	}
	if !strings.Contains(t.S, "[") {
		return g.py, g.size, nil
	}
	bound := func(s string, def int) (int, error) {
		if strings.TrimSpace(s) == "" {
			return def, nil
		}
		return x.evalInt(model.Text{S: s, Line: t.Line, Col: t.Col}, line, what)
	}
	start, err := bound(m[2], 0)
	if err != nil {
		return "", 0, err
	}
	stop, err := bound(m[3], g.size)
	if err != nil {
		return "", 0, err
	}
	return fmt.Sprintf("%s[%d:%d]", g.py, start, stop), stop - start, nil
}

// codeText is on_pre/on_post code for Brian2.
func codeText(s string) string {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "\n") {
		return "\n" + s + "\n"
	}
	return s
}

func (x *exporter) synapsesObj(s *model.SynapsesSpec) error {
	info := x.synapses[s.Name]
	info.py = x.names.name(s.Name, "synapses")
	x.objects = append(x.objects, info.py)
	what := fmt.Sprintf("synapses '%s'", s.Name)
	src, nSrc, err := x.source(s.Source, s.Line, what+" source")
	if err != nil {
		return err
	}
	tgt, nTgt, err := x.source(s.Target, s.Line, what+" target")
	if err != nil {
		return err
	}
	x.p("# synapses '%s': %s -> %s\n", s.Name, strings.TrimSpace(s.Source.S), strings.TrimSpace(s.Target.S))
	var kw kwargs
	if strings.TrimSpace(s.Model.S) != "" {
		kw.add("model", pyStr(equationText(s.Model.S)))
	}
	pathways := func(ps []model.NamedText, def string) (string, []string) {
		var names []string
		var items []string
		for _, p := range ps {
			if strings.TrimSpace(p.S) == "" {
				continue
			}
			names = append(names, p.Name)
			items = append(items, pyQuote(p.Name)+": "+pyStr(codeText(p.S)))
		}
		switch {
		case len(items) == 0:
			return "", nil
		case len(items) == 1 && names[0] == def:
			for _, p := range ps {
				if p.Name == def {
					return pyStr(codeText(p.S)), names
				}
			}
		}
		return "{" + strings.Join(items, ", ") + "}", names
	}
	onPre, preNames := pathways(s.OnPre, "pre")
	onPost, _ := pathways(s.OnPost, "post")
	if onPre != "" {
		kw.add("on_pre", onPre)
	}
	if onPost != "" {
		kw.add("on_post", onPost)
	}
	// Delays: soma's single delay holds for every pre pathway (a
	// constant) or is set per synapse after connecting (an expression);
	// a mapping gives each pathway a constant delay.
	perSynapseDelay := ""
	if s.Delay.IsSet() {
		v, ok := x.literal(s.Delay.S)
		switch {
		case ok && len(preNames) == 1 && preNames[0] == "pre":
			kw.add("delay", v)
		case ok:
			var delays []string
			for _, name := range preNames {
				delays = append(delays, pyQuote(name)+": "+v)
			}
			kw.add("delay", "{"+strings.Join(delays, ", ")+"}")
		case len(preNames) != 1 || preNames[0] != "pre":
			return x.refuseAt(s.Delay, s.Line, what+" delay",
				"a per-synapse delay is the delay of the pathway 'pre' in Brian2 (S.delay), but the pre pathways are %s; give each pathway a constant delay instead", strings.Join(preNames, ", "))
		default:
			perSynapseDelay = strings.TrimSpace(s.Delay.S)
		}
	}
	if len(s.Delays) > 0 {
		var delays []string
		for _, d := range s.Delays {
			v, ok := x.literal(d.S)
			if !ok {
				return x.refuseAt(d.Text, s.Line, what+" delay", "the delay of pathway '%s' is not a constant", d.Name)
			}
			delays = append(delays, pyQuote(d.Name)+": "+v)
		}
		kw.add("delay", "{"+strings.Join(delays, ", ")+"}")
	}
	if m := x.method(s.Method); m != "" {
		kw.add("method", pyQuote(m))
	}
	if x.isFloat32(s.Precision) && strings.TrimSpace(s.Model.S) != "" {
		if err := x.dtypeArg(&kw, s.Model, s.Line, what); err != nil {
			return err
		}
	}
	kw.add("namespace", "namespace")
	kw.add("name", pyQuote(info.py))
	x.call(info.py, "Synapses", []string{src, tgt}, kw)
	if x.mayReorder(s) {
		x.p("# soma numbers synapses by presynaptic neuron, Brian2 in the order connect creates them:\n")
		x.p("# with several connect calls (or unsorted i) a synapse index, as in a monitor's record or the\n")
		x.p("# order of saved arrays, may name another synapse here than in soma.\n")
	}
	for k, c := range s.Connect {
		if c.File != nil {
			iName, jName := strings.TrimSpace(c.File.I.S), strings.TrimSpace(c.File.J.S)
			if iName == "" {
				iName = "i"
			}
			if jName == "" {
				jName = "j"
			}
			pairs := x.names.name(info.py+"_pairs", "array")
			x.p("%s = np.load(%s)\n", pairs, pyQuote(x.dataPath(c.File.File.S)))
			x.p("if len(%s[%s]) > 0:\n", pairs, pyQuote(iName))
			x.p("    %s.connect(i=np.asarray(%s[%s], dtype=int), j=np.asarray(%s[%s], dtype=int))\n",
				info.py, pairs, pyQuote(iName), pairs, pyQuote(jName))
			continue
		}
		args, err := x.connect(c, k, s, nSrc, nTgt)
		if err != nil {
			return err
		}
		x.p("%s.connect(%s)\n", info.py, strings.Join(args, ", "))
	}
	if perSynapseDelay != "" {
		x.p("%s.delay = %s\n", info.py, pyStr(perSynapseDelay))
	}
	x.inits(info.py, s.Init)
	x.p("\n")
	return nil
}

// inits writes init entries: string assignments in order, or the values
// of an array of a .npz file (in SI units, as soma reads them).
func (x *exporter) inits(obj string, inits []model.NamedText) {
	for _, in := range inits {
		if in.Array == nil {
			x.p("%s.%s = %s\n", obj, in.Name, pyStr(strings.TrimSpace(in.S)))
			continue
		}
		array := strings.TrimSpace(in.Array.Array.S)
		if array == "" {
			array = in.Name
		}
		x.p("%s.%s_ = np.asarray(np.load(%s)[%s], dtype=np.float64)\n", obj, in.Name, pyQuote(x.dataPath(in.Array.File.S)), pyQuote(array))
	}
}

// dataPath is a .npz file of the model as an absolute path (a relative one
// is in the model file's folder), so that the script runs from anywhere.
func (x *exporter) dataPath(name string) string {
	name = strings.TrimSpace(name)
	if !filepath.IsAbs(name) && x.spec.File != "" {
		name = filepath.Join(filepath.Dir(x.spec.File), name)
	}
	if abs, err := filepath.Abs(name); err == nil {
		return abs
	}
	return name
}

// mayReorder reports whether Brian2 may create the synapses in an order
// other than soma's (by presynaptic neuron).
func (x *exporter) mayReorder(s *model.SynapsesSpec) bool {
	if len(s.Connect) > 1 {
		return true
	}
	for _, c := range s.Connect {
		if c.File != nil {
			return true // pairs in the file's order
		}
		prev := math.Inf(-1)
		for _, t := range c.I {
			q, ok := x.eval(t.S)
			if !ok || q.Value < prev {
				return true
			}
			prev = q.Value
		}
	}
	return false
}

func (x *exporter) connect(c model.ConnectSpec, k int, s *model.SynapsesSpec, nSrc, nTgt int) ([]string, error) {
	what := fmt.Sprintf("synapses '%s' connect #%d", s.Name, k+1)
	line := c.Line
	if line == 0 {
		line = s.Line
	}
	var args []string
	hasCond := strings.TrimSpace(c.Condition.S) != ""
	if hasCond && (len(c.I) > 0 || c.JExpr.IsSet()) {
		return nil, x.refuse(line, what, "Brian2's connect cannot combine a 'condition' with 'i' or 'j'; write the condition into the 'j' expression ('k for k in ... if ...')")
	}
	if hasCond {
		args = append(args, "condition="+pyStr(strings.TrimSpace(c.Condition.S)))
	}
	if len(c.I) > 0 {
		var is, js []int
		for _, t := range c.I {
			v, err := x.evalInt(t, line, what+" i")
			if err != nil {
				return nil, err
			}
			is = append(is, v)
		}
		for _, t := range c.J {
			v, err := x.evalInt(t, line, what+" j")
			if err != nil {
				return nil, err
			}
			js = append(js, v)
		}
		if len(is) == 1 && len(js) > 1 {
			is = repeat(is[0], len(js))
		} else if len(js) == 1 && len(is) > 1 {
			js = repeat(js[0], len(is))
		}
		if len(is) != len(js) {
			return nil, x.refuse(line, what, "'i' has %d entries, 'j' %d", len(is), len(js))
		}
		if c.SkipIfInvalid {
			// Brian2 takes skip_if_invalid only with string syntax: the
			// pairs outside the groups are dropped here instead.
			var fi, fj []int
			for n := range is {
				if is[n] >= 0 && is[n] < nSrc && js[n] >= 0 && js[n] < nTgt {
					fi, fj = append(fi, is[n]), append(fj, js[n])
				}
			}
			is, js = fi, fj
		}
		args = append(args, "i="+intList(is), "j="+intList(js))
		if c.N.IsSet() {
			v, ok := x.eval(c.N.S)
			if !ok || !v.IsDimensionless() || v.Value != math.Trunc(v.Value) {
				return nil, x.refuseAt(c.N, line, what+" n", "Brian2 takes only a constant integer 'n' with explicit 'i' and 'j'")
			}
			args = append(args, "n="+pyInt(v.Value))
		}
		if c.P.IsSet() {
			args = append(args, "p="+x.pOrString(c.P.S))
		}
		return args, nil
	}
	if c.JExpr.IsSet() {
		args = append(args, "j="+pyStr(strings.TrimSpace(c.JExpr.S)))
	}
	if c.P.IsSet() {
		args = append(args, "p="+x.pOrString(c.P.S))
	}
	if c.N.IsSet() {
		v, ok := x.eval(c.N.S)
		if ok && v.IsDimensionless() && v.Value == math.Trunc(v.Value) {
			args = append(args, "n="+pyInt(v.Value))
		} else {
			args = append(args, "n="+pyStr(strings.TrimSpace(c.N.S)))
		}
	}
	if c.SkipIfInvalid {
		args = append(args, "skip_if_invalid=True")
	}
	return args, nil
}

// pOrString is a connection probability: soma's value when it is a
// constant, the expression otherwise.
func (x *exporter) pOrString(s string) string {
	if q, ok := x.eval(s); ok && q.IsDimensionless() {
		return pyFloat(q.Value)
	}
	return pyStr(strings.TrimSpace(s))
}

func intList(v []int) string {
	s := make([]string, len(v))
	for k, x := range v {
		s[k] = strconv.Itoa(x)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func repeat(x, n int) []int {
	out := make([]int, n)
	for k := range out {
		out[k] = x
	}
	return out
}

func (x *exporter) input(k int, in *model.InputSpec) error {
	what := fmt.Sprintf("input #%d", k+1)
	tgt, _, err := x.source(in.Target, in.Line, what+" target")
	if err != nil {
		return err
	}
	n, err := x.evalInt(in.N, in.Line, what+" N")
	if err != nil {
		return err
	}
	rate, ok := x.literal(in.Rate.S)
	if !ok {
		return x.refuseAt(in.Rate, in.Line, what+" rate", "Brian2's PoissonInput takes a constant rate")
	}
	weight, ok := x.literal(in.Weight.S)
	if !ok {
		weight = pyStr(strings.TrimSpace(in.Weight.S))
	}
	v := x.names.name(fmt.Sprintf("input_%d", k+1), "input")
	x.objects = append(x.objects, v)
	x.p("# input #%d: Poisson input to %s.%s\n", k+1, strings.TrimSpace(in.Target.S), strings.TrimSpace(in.Variable.S))
	x.call(v, "PoissonInput", []string{tgt, pyQuote(strings.TrimSpace(in.Variable.S)), strconv.Itoa(n), rate}, kwargs{"weight=" + weight})
	x.p("\n")
	return nil
}

type monitorInfo struct {
	spec       *model.MonitorSpec
	py         string
	vars       []string
	maxSamples int
	group      string // the group whose summary it gives, if any
}

func (x *exporter) monitor(ms *model.MonitorSpec) (monitorInfo, error) {
	mi := monitorInfo{spec: ms, py: x.names.name(ms.Name, "monitor")}
	x.objects = append(x.objects, mi.py)
	what := fmt.Sprintf("monitor '%s'", ms.Name)
	srcName := strings.TrimSpace(ms.Source.S)
	var src string
	if s, ok := x.synapses[srcName]; ok {
		src = s.py
	} else {
		var err error
		if src, _, err = x.source(ms.Source, ms.Line, what+" source"); err != nil {
			return mi, err
		}
		if _, ok := x.groups[srcName]; ok && ms.Type == "spike" {
			mi.group = srcName
		}
	}
	for _, v := range ms.Variables {
		mi.vars = append(mi.vars, strings.TrimSpace(v.S))
	}
	var kw kwargs
	if ms.When.IsSet() {
		kw.add("when", pyQuote(strings.TrimSpace(ms.When.S)))
	}
	if ms.DT.IsSet() {
		if v, ok := x.literal(ms.DT.S); ok {
			kw.add("dt", v)
		}
	}
	if ms.MaxSamples.IsSet() {
		n, err := x.evalInt(ms.MaxSamples, ms.Line, what+" max_samples")
		if err != nil {
			return mi, err
		}
		mi.maxSamples = n
	}
	varList := func() string {
		q := make([]string, len(mi.vars))
		for k, v := range mi.vars {
			q[k] = pyQuote(v)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	x.p("# monitor '%s'", ms.Name)
	if ms.Stream {
		x.p(" (stream: true in soma, which writes the same file; Brian2 records in memory)")
	}
	if mi.maxSamples > 0 {
		x.p(" (max_samples: %d; the last samples are kept when writing)", mi.maxSamples)
	}
	x.p("\n")
	switch ms.Type {
	case "spike":
		if len(mi.vars) > 0 {
			kw.add("variables", varList())
		}
		kw.add("name", pyQuote(mi.py))
		x.call(mi.py, "SpikeMonitor", []string{src}, kw)
	case "event":
		if len(mi.vars) > 0 {
			kw.add("variables", varList())
		}
		kw.add("name", pyQuote(mi.py))
		x.call(mi.py, "EventMonitor", []string{src, pyQuote(strings.TrimSpace(ms.Event.S))}, kw)
	case "state":
		record := "True"
		if !ms.RecordAll && len(ms.Record) > 0 {
			var idx []int
			for _, r := range ms.Record {
				k, err := x.evalInt(r, ms.Line, what+" record")
				if err != nil {
					return mi, err
				}
				idx = append(idx, k)
			}
			record = intList(idx)
		}
		kw = append(kwargs{"record=" + record}, kw...)
		kw.add("name", pyQuote(mi.py))
		x.call(mi.py, "StateMonitor", []string{src, varList()}, kw)
	case "rate":
		kw.add("name", pyQuote(mi.py))
		x.call(mi.py, "PopulationRateMonitor", []string{src}, kw)
	default:
		return mi, x.refuse(ms.Line, what, "unknown monitor type '%s'", ms.Type)
	}
	x.p("\n")
	return mi, nil
}

func (x *exporter) run() error {
	x.p("net = Network(%s)\n\n", strings.Join(x.objects, ", "))
	x.p("# The run: %s\n", plural(len(x.m.Segments), "segment"))
	x.p("run_seconds = 0.0\n")
	for k, seg := range x.spec.Run {
		for _, s := range seg.Set {
			gname, vname, _ := strings.Cut(s.Name, ".")
			g, ok := x.groups[gname]
			if !ok {
				return x.refuseAt(s.Text, seg.Line, "set", "unknown group '%s'", gname)
			}
			x.p("%s.%s = %s\n", g.py, vname, pyStr(strings.TrimSpace(s.S)))
		}
		d := units.New(x.m.Segments[k].Duration, units.Dimension{units.Time: 1})
		x.p("began = time.time()\n")
		x.p("net.run(%s, namespace=namespace, report='text' if args.report else None)  # %s\n", pyQuantity(d), oneLine(seg.Duration.S))
		x.p("run_seconds += time.time() - began\n")
	}
	x.p("\n")
	return nil
}

func (x *exporter) outputs(mons []monitorInfo) {
	x.p(`# The files 'soma run' writes, in SI base units.
os.makedirs(args.out, exist_ok=True)


def save(name, arrays):
    np.savez(os.path.join(args.out, name + '.npz'), **arrays)


def values(x):
    # C order, as soma writes (Brian2's state monitors hold the transpose).
    return np.ascontiguousarray(np.asarray(x, dtype=np.float64))


`)
	for _, mi := range mons {
		name := pyQuote(mi.spec.Name)
		m := mi.py
		switch mi.spec.Type {
		case "spike", "event":
			x.p("save(%s, {'t': values(%s.t_), 'i': np.asarray(%s.i[:], dtype=np.int64)", name, m, m)
			if mi.spec.Type == "spike" {
				x.p(", 'count': np.asarray(%s.count[:], dtype=np.int64)", m)
			}
			for _, v := range mi.vars {
				x.p(",\n      %s: values(getattr(%s, %s))", pyQuote(v), m, pyQuote(v))
			}
			x.p("})\n")
		case "state":
			sl := ""
			if mi.maxSamples > 0 {
				sl = fmt.Sprintf("[..., -%d:]", mi.maxSamples)
			}
			x.p("save(%s, {'t': values(%s.t_)%s, 'record': np.asarray(%s.record, dtype=np.int64).reshape(-1)", name, m, sl, m)
			for _, v := range mi.vars {
				x.p(",\n      %s: values(getattr(%s, %s))%s", pyQuote(v), m, pyQuote(v), sl)
			}
			x.p("})\n")
		case "rate":
			x.p("save(%s, {'t': values(%s.t_), 'rate': values(%s.rate_)})\n", name, m, m)
		}
	}
	for _, g := range x.spec.Groups {
		if len(g.Save) == 0 {
			continue
		}
		var items []string
		for _, v := range g.Save {
			n := strings.TrimSpace(v.S)
			items = append(items, fmt.Sprintf("%s: values(getattr(%s, %s)[:])", pyQuote(n), x.groups[g.Name].py, pyQuote(n)))
		}
		x.p("save(%s, {%s})\n", pyQuote(g.Name), strings.Join(items, ",\n      "))
	}
	for _, s := range x.spec.Synapses {
		if len(s.Save) == 0 {
			continue
		}
		py := x.synapses[s.Name].py
		var items []string
		for _, v := range s.Save {
			n := strings.TrimSpace(v.S)
			if n == "i" || n == "j" {
				items = append(items, fmt.Sprintf("%s: np.asarray(%s.%s[:], dtype=np.int64)", pyQuote(n), py, n))
			} else {
				items = append(items, fmt.Sprintf("%s: values(getattr(%s, %s)[:])", pyQuote(n), py, pyQuote(n)))
			}
		}
		x.p("save(%s, {%s})\n", pyQuote(s.Name), strings.Join(items, ",\n      "))
	}
	duration := x.m.Duration()
	x.p("\nduration = %s\n", pyFloat(duration))
	x.p(`

def group_summary(n, monitor):
    if monitor is None:
        return {'N': n, 'spikes': None, 'mean_rate_hz': None}
    spikes = int(monitor.num_spikes)
    rate = spikes / n / duration if n > 0 and duration > 0 else 0.0
    return {'N': n, 'spikes': spikes, 'mean_rate_hz': rate}


`)
	x.p("summary = {\n")
	x.p("    'name': %s,\n", pyQuote(x.spec.Name))
	x.p("    'seed': seed_value,\n")
	x.p("    'dt': %s,\n", pyFloat(x.m.DT))
	x.p("    'duration': duration,\n")
	x.p("    'wall_seconds': run_seconds,\n")
	x.p("    'groups': {\n")
	for _, g := range x.spec.Groups {
		mon := "None"
		for _, mi := range mons {
			if mi.group == g.Name {
				mon = mi.py
				break
			}
		}
		x.p("        %s: group_summary(%d, %s),\n", pyQuote(g.Name), x.groups[g.Name].size, mon)
	}
	x.p("    },\n")
	x.p("    'synapses': {\n")
	for _, s := range x.spec.Synapses {
		x.p("        %s: {'count': int(len(%s))},\n", pyQuote(s.Name), x.synapses[s.Name].py)
	}
	x.p("    },\n")
	x.p("}\n")
	x.p("with open(os.path.join(args.out, 'summary.json'), 'w') as f:\n")
	x.p("    json.dump(summary, f, indent=2)\n")
}
