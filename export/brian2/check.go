package brian2

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/soma-sim/soma/model"
)

// exported lists, per part of a model file, the fields of the decoded spec
// the export writes. A field it does not know (a feature added to the
// model format later) is refused when a model sets it, rather than left
// out of the script.
var exported = map[reflect.Type][]string{
	reflect.TypeOf(model.Spec{}): {"File", "Name", "DT", "Seed", "Method", "Constants", "Groups", "Synapses",
		"Inputs", "Monitors", "Run", "RunLine", "Precision"},
	reflect.TypeOf(model.GroupSpec{}): {"Name", "Line", "Type", "N", "Model", "Threshold", "Reset", "Refractory",
		"Method", "DT", "Events", "Init", "Indices", "Times", "Period", "Rates", "Precision", "Save"},
	reflect.TypeOf(model.SynapsesSpec{}): {"Name", "Line", "Source", "Target", "Model", "OnPre", "OnPost", "Delay",
		"Delays", "Method", "Connect", "Init", "Save", "Precision"},
	reflect.TypeOf(model.ConnectSpec{}): {"Line", "Condition", "P", "N", "I", "J", "JExpr", "SkipIfInvalid", "File"},
	reflect.TypeOf(model.InputSpec{}):   {"Line", "Target", "Variable", "N", "Rate", "Weight"},
	reflect.TypeOf(model.MonitorSpec{}): {"Name", "Line", "Type", "Source", "Variables", "RecordAll", "Record",
		"Event", "When", "DT", "Stream", "StreamText", "MaxSamples"},
	reflect.TypeOf(model.RunSegment{}):  {"Line", "Duration", "Set"},
	reflect.TypeOf(model.NamedText{}):   {"Name", "Text", "Array"},
	reflect.TypeOf(model.Text{}):        {"S", "Line", "Col", "Block"},
	reflect.TypeOf(model.ArrayRef{}):    {"File", "Array"},
	reflect.TypeOf(model.ConnectFile{}): {"File", "I", "J"},
}

// checkedApart are the parts checkFields checks one by one (with their
// names in the message); checkStruct goes into every other part.
var checkedApart = map[reflect.Type]bool{
	reflect.TypeOf(model.GroupSpec{}): true, reflect.TypeOf(model.SynapsesSpec{}): true,
	reflect.TypeOf(model.ConnectSpec{}): true, reflect.TypeOf(model.InputSpec{}): true,
	reflect.TypeOf(model.MonitorSpec{}): true, reflect.TypeOf(model.RunSegment{}): true,
}

// checkStruct refuses a part of a model (a pointer to a spec struct)
// that sets a field the export does not know.
func (x *exporter) checkStruct(v any, line int, what string) error {
	return x.checkValue(reflect.Indirect(reflect.ValueOf(v)), line, what)
}

func (x *exporter) checkValue(rv reflect.Value, line int, what string) error {
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		return x.checkValue(rv.Elem(), line, what)
	case reflect.Slice:
		for k := 0; k < rv.Len(); k++ {
			if err := x.checkValue(rv.Index(k), line, what); err != nil {
				return err
			}
		}
		return nil
	case reflect.Struct:
	default:
		return nil
	}
	known := exported[rv.Type()]
	for k := 0; k < rv.NumField(); k++ {
		f := rv.Type().Field(k)
		if !f.IsExported() || rv.Field(k).IsZero() {
			continue
		}
		if !slices.Contains(known, f.Name) {
			return x.refuse(line, what, "the export does not know the model's '%s' (a feature newer than the exporter)", strings.ToLower(f.Name))
		}
		// The parts within (init entries, array references), unless
		// checkFields checks them apart.
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && !checkedApart[ft] {
			if err := x.checkValue(rv.Field(k), line, what); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkFields refuses a model that sets a field the export does not know.
func (x *exporter) checkFields() error {
	check := x.checkStruct
	s := x.spec
	if err := check(s, 0, "the model"); err != nil {
		return err
	}
	for _, g := range s.Groups {
		if err := check(g, g.Line, fmt.Sprintf("group '%s'", g.Name)); err != nil {
			return err
		}
	}
	for _, syn := range s.Synapses {
		what := fmt.Sprintf("synapses '%s'", syn.Name)
		if err := check(syn, syn.Line, what); err != nil {
			return err
		}
		for k := range syn.Connect {
			if err := check(&syn.Connect[k], syn.Line, fmt.Sprintf("%s connect #%d", what, k+1)); err != nil {
				return err
			}
		}
	}
	for k, in := range s.Inputs {
		if err := check(in, in.Line, fmt.Sprintf("input #%d", k+1)); err != nil {
			return err
		}
	}
	for _, m := range s.Monitors {
		if err := check(m, m.Line, fmt.Sprintf("monitor '%s'", m.Name)); err != nil {
			return err
		}
	}
	for k := range s.Run {
		if err := check(&s.Run[k], s.Run[k].Line, fmt.Sprintf("run segment #%d", k+1)); err != nil {
			return err
		}
	}
	return nil
}

// brian2Functions are the functions of Brian2 2.5's equations and code
// (brian2.core.functions.DEFAULT_FUNCTIONS), and range and sample of its
// connect generator syntax.
var brian2Functions = map[string]bool{
	"abs": true, "arccos": true, "arcsin": true, "arctan": true, "ceil": true, "clip": true, "cos": true,
	"cosh": true, "exp": true, "expm1": true, "exprel": true, "floor": true, "int": true, "log": true,
	"log10": true, "log1p": true, "poisson": true, "rand": true, "randn": true, "sign": true, "sin": true,
	"sinh": true, "sqrt": true, "tan": true, "tanh": true, "timestep": true,
	"range": true, "sample": true,
}

var unitsAndFlags = regexp.MustCompile(`:[^\n]*`)

var callRE = regexp.MustCompile(`\b([A-Za-z_][A-Za-z0-9_]*)\s*\(`)

// checkFunctions refuses code that calls a function Brian2 does not have.
func (x *exporter) checkFunctions() error {
	check := func(t model.Text, line int, what string) error {
		code := t.S
		if strings.HasSuffix(what, " model") {
			// The units and flags after ':' are no calls.
			code = unitsAndFlags.ReplaceAllString(code, "")
		}
		for _, m := range callRE.FindAllStringSubmatch(code, -1) {
			if brian2Functions[m[1]] || slices.Contains(pyKeywords, m[1]) {
				continue
			}
			return x.refuseAt(t, line, what, "Brian2 has no function '%s'", m[1])
		}
		return nil
	}
	named := func(ns []model.NamedText, line int, what string) error {
		for _, n := range ns {
			if err := check(n.Text, line, fmt.Sprintf("%s '%s'", what, n.Name)); err != nil {
				return err
			}
		}
		return nil
	}
	s := x.spec
	for _, g := range s.Groups {
		what := fmt.Sprintf("group '%s'", g.Name)
		for _, f := range []struct {
			t    model.Text
			name string
		}{{g.Model, "model"}, {g.Threshold, "threshold"}, {g.Reset, "reset"}, {g.Refractory, "refractory"}, {g.Rates, "rates"}} {
			if err := check(f.t, g.Line, what+" "+f.name); err != nil {
				return err
			}
		}
		if err := named(g.Events, g.Line, what+" event"); err != nil {
			return err
		}
		if err := named(g.Init, g.Line, what+" init"); err != nil {
			return err
		}
	}
	for _, syn := range s.Synapses {
		what := fmt.Sprintf("synapses '%s'", syn.Name)
		for _, f := range []struct {
			t    model.Text
			name string
		}{{syn.Model, "model"}, {syn.Delay, "delay"}} {
			if err := check(f.t, syn.Line, what+" "+f.name); err != nil {
				return err
			}
		}
		for _, ns := range [][]model.NamedText{syn.OnPre, syn.OnPost} {
			if err := named(ns, syn.Line, what+" pathway"); err != nil {
				return err
			}
		}
		if err := named(syn.Init, syn.Line, what+" init"); err != nil {
			return err
		}
		for k, c := range syn.Connect {
			for _, t := range []model.Text{c.Condition, c.P, c.N, c.JExpr} {
				if err := check(t, syn.Line, fmt.Sprintf("%s connect #%d", what, k+1)); err != nil {
					return err
				}
			}
		}
	}
	for k, in := range s.Inputs {
		if err := check(in.Weight, in.Line, fmt.Sprintf("input #%d weight", k+1)); err != nil {
			return err
		}
	}
	for k, seg := range s.Run {
		if err := named(seg.Set, seg.Line, fmt.Sprintf("run segment #%d set", k+1)); err != nil {
			return err
		}
	}
	return nil
}
