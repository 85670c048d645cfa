package model

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/output"
	"github.com/soma-sim/soma/units"
)

// ArrayRef names one array of a .npz file: {file: state.npz, array: v}.
// A relative file is found in the model file's folder.
type ArrayRef struct {
	File  Text
	Array Text // the array's name; the variable's name when absent
}

// ConnectFile is a connect rule whose pairs come from two arrays of a .npz
// file: {file: conn.npz, i: i, j: j}. The arrays hold integers (or whole
// numbers) counted from the start of the source and target.
type ConnectFile struct {
	File Text
	I, J Text // array names; "i" and "j" when absent
}

// inits decodes an init mapping whose values are expressions or array
// references ({file: ..., array: ...}).
func (d *decoder) inits(n *yamlNode, owner, what string) []NamedText {
	var out []NamedText
	for _, e := range d.mapping(n, what) {
		if e.value.kind == yamlMap {
			ref := &ArrayRef{}
			d.fields(e.value, fmt.Sprintf("%s %s '%s'", owner, what, e.key), map[string]func(*yamlNode){
				"file":  func(n *yamlNode) { ref.File = d.scalar(n, "file") },
				"array": func(n *yamlNode) { ref.Array = d.scalar(n, "array") },
			})
			if d.err == nil && !ref.File.IsSet() {
				d.fail(e.value, "%s %s '%s': an array needs 'file' (and optionally 'array')", owner, what, e.key)
			}
			out = append(out, NamedText{Name: e.key, Text: Text{Line: e.value.line, Col: e.value.col}, Array: ref})
			continue
		}
		t := d.scalar(e.value, what+"."+e.key)
		out = append(out, NamedText{Name: e.key, Text: t})
	}
	return out
}

// connectFile decodes connect: {file: ..., i: ..., j: ...}.
func (d *decoder) connectFile(n *yamlNode) *ConnectFile {
	c := &ConnectFile{}
	d.fields(n, "connect (from a file)", map[string]func(*yamlNode){
		"file": func(n *yamlNode) { c.File = d.scalar(n, "file") },
		"i":    func(n *yamlNode) { c.I = d.scalar(n, "i") },
		"j":    func(n *yamlNode) { c.J = d.scalar(n, "j") },
	})
	return c
}

// InFlightSpec gives a pathway's spikes on their way at the start, as a
// previous run saved them (save: [in_flight]): {file: S.npz, synapses:
// pre_in_flight, steps: pre_in_flight_steps}, the synapse each reaches and
// in how many steps from the first one.
type InFlightSpec struct {
	Pathway         string
	Line, Col       int
	File            Text
	Synapses, Steps Text // array names; PATHWAY_in_flight and PATHWAY_in_flight_steps when absent
}

// inFlight decodes in_flight: {PATHWAY: {file: ..., synapses: ..., steps: ...}}.
func (d *decoder) inFlight(n *yamlNode, owner string) []InFlightSpec {
	var out []InFlightSpec
	for _, e := range d.mapping(n, "in_flight") {
		f := InFlightSpec{Pathway: e.key, Line: e.value.line, Col: e.value.col}
		d.fields(e.value, fmt.Sprintf("synapses '%s' in_flight '%s'", owner, e.key), map[string]func(*yamlNode){
			"file":     func(n *yamlNode) { f.File = d.scalar(n, "file") },
			"synapses": func(n *yamlNode) { f.Synapses = d.scalar(n, "synapses") },
			"steps":    func(n *yamlNode) { f.Steps = d.scalar(n, "steps") },
		})
		if d.err == nil && !f.File.IsSet() {
			d.fail(e.value, "synapses '%s' in_flight '%s': needs 'file' (and optionally 'synapses' and 'steps', the names of its arrays)", owner, e.key)
		}
		out = append(out, f)
	}
	return out
}

// inFlightArray is the default name of an array of in_flight and save.
func inFlightArray(pathway string, steps bool) string {
	if steps {
		return pathway + "_in_flight_steps"
	}
	return pathway + "_in_flight"
}

// addInFlight reads the spikes in flight of the synapses' spec and queues
// them.
func (b *builder) addInFlight(ms *Synapses, what string) error {
	ss, syn := ms.Spec, ms.Syn
	var inv []int
	if ms.order != nil {
		inv = inverse(ms.order)
	}
	for _, f := range ss.InFlight {
		fw := fmt.Sprintf("%s in_flight '%s'", what, f.Pathway)
		at := Text{S: f.Pathway, Line: f.Line, Col: f.Col}
		if b.share != nil {
			return b.textErr(at, fw, fmt.Errorf("spikes in flight cannot be given to a network spread over ranks"))
		}
		names := [2]Text{f.Synapses, f.Steps}
		var vals [2][]int32
		for k := range names {
			if !names[k].IsSet() {
				names[k] = Text{S: inFlightArray(f.Pathway, k == 1), Line: f.File.Line, Col: f.File.Col}
			}
			want := -1
			if k == 1 {
				want = len(vals[0])
			}
			xs, err := b.readArray(f.File, names[k], fw, want)
			if err != nil {
				return err
			}
			for _, x := range xs {
				if x != math.Trunc(x) || math.Abs(x) > math.MaxInt32 {
					return b.textErr(names[k], fw, fmt.Errorf("array '%s' holds %g, not an integer", strings.TrimSpace(names[k].S), x))
				}
				vals[k] = append(vals[k], int32(x))
			}
		}
		for n, x := range vals[0] {
			if inv != nil && x >= 0 && int(x) < len(inv) {
				vals[0][n] = int32(inv[x])
			}
		}
		if err := syn.AddInFlight(f.Pathway, vals[0], vals[1]); err != nil {
			return b.textErr(at, fw, err)
		}
	}
	return nil
}

// path resolves a file name of the model file against its folder.
func (b *builder) path(name string) string {
	name = strings.TrimSpace(name)
	if filepath.IsAbs(name) || b.spec.File == "" {
		return name
	}
	return filepath.Join(filepath.Dir(b.spec.File), name)
}

// readArray reads array name of file as float64 values. what and at place
// the errors; want, when not negative, is the length the array must have.
func (b *builder) readArray(file, name Text, what string, want int) ([]float64, error) {
	vals, shape, err := b.readArrayShaped(file, name, what)
	if err != nil {
		return nil, err
	}
	if len(shape) > 1 {
		return nil, b.textErr(name, what, fmt.Errorf("array '%s' of '%s' has shape %v, expected one dimension", strings.TrimSpace(name.S), strings.TrimSpace(file.S), shape))
	}
	if want >= 0 && len(vals) != want {
		return nil, b.textErr(name, what, fmt.Errorf("array '%s' of '%s' has %d values, expected %d", strings.TrimSpace(name.S), strings.TrimSpace(file.S), len(vals), want))
	}
	return vals, nil
}

// readArrayShaped reads array name of file as float64 values (in C order)
// with its shape.
func (b *builder) readArrayShaped(file, name Text, what string) ([]float64, []int, error) {
	arrName := strings.TrimSpace(name.S)
	at := name
	if !at.IsSet() {
		at = file
	}
	z, err := output.ReadNPZ(b.path(file.S))
	if err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "output: ")
		return nil, nil, b.textErr(file, what, fmt.Errorf("cannot read '%s': %s", strings.TrimSpace(file.S), msg))
	}
	a, ok := z.Get(arrName)
	if !ok {
		names := z.Names()
		sort.Strings(names)
		msg := fmt.Sprintf("'%s' has no array '%s'", strings.TrimSpace(file.S), arrName)
		if s := suggest(arrName, names); s != "" {
			msg += fmt.Sprintf(" (did you mean '%s'?)", s)
		} else {
			msg += fmt.Sprintf(" (arrays: %s)", strings.Join(names, ", "))
		}
		return nil, nil, b.textErr(at, what, fmt.Errorf("%s", msg))
	}
	var vals []float64
	switch x := a.Data.(type) {
	case []float64:
		vals = x
	case []float32:
		vals = convert(x)
	case []int64:
		vals = convert(x)
	case []int32:
		vals = convert(x)
	case []uint8:
		vals = convert(x)
	case []bool:
		vals = make([]float64, len(x))
		for k, v := range x {
			if v {
				vals[k] = 1
			}
		}
	default:
		return nil, nil, b.textErr(at, what, fmt.Errorf("array '%s' of '%s' has an unsupported type %T", arrName, strings.TrimSpace(file.S), a.Data))
	}
	return vals, a.Shape, nil
}

func convert[T float32 | int64 | int32 | uint8](x []T) []float64 {
	out := make([]float64, len(x))
	for k, v := range x {
		out[k] = float64(v)
	}
	return out
}

// initValue is what an init entry sets for n elements: its expression, or
// the values of its array (named after the variable unless given).
func (b *builder) initValue(in NamedText, what string, n int) (any, error) {
	if in.Array == nil {
		return in.S, nil
	}
	name := in.Array.Array
	if !name.IsSet() {
		name = Text{S: in.Name, Line: in.Array.File.Line, Col: in.Array.File.Col}
	}
	return b.readArray(in.Array.File, name, what, n)
}

// connectFromFile reads the (i, j) pairs of a connect rule from a file.
func (b *builder) connectFromFile(c *ConnectFile, what string, nSource, nTarget int) (is, js []int, err error) {
	iName, jName := c.I, c.J
	if !iName.IsSet() {
		iName = Text{S: "i", Line: c.File.Line, Col: c.File.Col}
	}
	if !jName.IsSet() {
		jName = Text{S: "j", Line: c.File.Line, Col: c.File.Col}
	}
	iv, err := b.readArray(c.File, iName, what+" connect i", -1)
	if err != nil {
		return nil, nil, err
	}
	jv, err := b.readArray(c.File, jName, what+" connect j", len(iv))
	if err != nil {
		return nil, nil, err
	}
	toInts := func(v []float64, name Text, n int) ([]int, error) {
		out := make([]int, len(v))
		for k, x := range v {
			if x != float64(int(x)) || x < 0 || int(x) >= n {
				return nil, b.textErr(name, what+" connect", fmt.Errorf("entry %d of array '%s' is %g, not an index from 0 to %d", k, strings.TrimSpace(name.S), x, n-1))
			}
			out[k] = int(x)
		}
		return out, nil
	}
	if is, err = toInts(iv, iName, nSource); err != nil {
		return nil, nil, err
	}
	if js, err = toInts(jv, jName, nTarget); err != nil {
		return nil, nil, err
	}
	return is, js, nil
}

// groupArrays adds the arrays a group's save lists to z.
func groupArrays(g *Group, z *output.NPZ) error {
	for _, t := range g.Spec.Save {
		name := strings.TrimSpace(t.S)
		vals, err := g.Neurons.Values(name)
		if err != nil {
			return err
		}
		if err := z.Add(name, output.Array{Data: vals}); err != nil {
			return err
		}
	}
	return nil
}

// checkGroupSave checks that a group's save names its variables.
func (b *builder) checkGroupSave(g *Group) error {
	for _, v := range g.Spec.Save {
		name := strings.TrimSpace(v.S)
		if _, ok := g.Neurons.Unit(name); !ok {
			return b.textErr(v, fmt.Sprintf("group '%s' save", g.Spec.Name), fmt.Errorf("no variable '%s'", name))
		}
	}
	return nil
}

// TimedArraySpec is a function of time (and of the neuron index for a 2-D
// array) given by sampled values, as Brian2's TimedArray:
//
//	timed_arrays:
//	  stimulus: {file: stim.npz, array: values, dt: 10*ms, unit: amp}
//
// A 1-D array is called as stimulus(t), a 2-D array of shape
// (samples, neurons) as stimulus(t, i).
type TimedArraySpec struct {
	Name string
	Line int
	File Text
	Arr  Text // the array's name; the timed array's name when absent
	DT   Text
	Unit Text // an expression whose dimension the values have; 1 when absent
}

func (d *decoder) timedArray(e yamlEntry) *TimedArraySpec {
	ta := &TimedArraySpec{Name: e.key, Line: e.line}
	what := fmt.Sprintf("timed array '%s'", e.key)
	d.fields(e.value, what, map[string]func(*yamlNode){
		"file":  func(n *yamlNode) { ta.File = d.scalar(n, "file") },
		"array": func(n *yamlNode) { ta.Arr = d.scalar(n, "array") },
		"dt":    func(n *yamlNode) { ta.DT = d.scalar(n, "dt") },
		"unit":  func(n *yamlNode) { ta.Unit = d.scalar(n, "unit") },
	})
	if d.err == nil && !ta.File.IsSet() {
		d.fail(e.value, "%s needs 'file' (and optionally 'array')", what)
	}
	if d.err == nil && !ta.DT.IsSet() {
		d.fail(e.value, "%s needs 'dt'", what)
	}
	return ta
}

// timedArrays builds the timed arrays into the network's namespace.
func (b *builder) timedArrays() error {
	for _, ts := range b.spec.TimedArrays {
		what := fmt.Sprintf("timed array '%s'", ts.Name)
		if err := checkConstantName(ts.Name); err != nil {
			return &Error{Line: ts.Line, Msg: what + ": " + err.Error()}
		}
		for _, c := range b.m.Constants {
			if c.Name == ts.Name {
				return &Error{Line: ts.Line, Msg: fmt.Sprintf("%s: a constant has the same name", what)}
			}
		}
		dt, err := b.evalDim(ts.DT, what+" dt", second)
		if err != nil {
			return err
		}
		unit := units.Dimensionless
		if ts.Unit.IsSet() {
			q, err := b.eval(ts.Unit, what+" unit")
			if err != nil {
				return err
			}
			unit = q.Dim
		}
		name := ts.Arr
		if !name.IsSet() {
			name = Text{S: ts.Name, Line: ts.File.Line, Col: ts.File.Col}
		}
		vals, shape, err := b.readArrayShaped(ts.File, name, what)
		if err != nil {
			return err
		}
		var ta *soma.TimedArray
		switch len(shape) {
		case 0, 1:
			ta, err = soma.NewTimedArray(vals, dt, unit)
		case 2:
			rows := make([][]float64, shape[0])
			for k := range rows {
				rows[k] = vals[k*shape[1] : (k+1)*shape[1]]
			}
			ta, err = soma.NewTimedArray2D(rows, dt, unit)
		default:
			err = fmt.Errorf("the array has shape %v, expected one or two dimensions", shape)
		}
		if err != nil {
			return b.textErr(name, what, err)
		}
		b.m.Net.Namespace[ts.Name] = ta
	}
	return nil
}
