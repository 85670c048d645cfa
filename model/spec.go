// Package model reads soma model files (YAML) and builds networks from them.
// The file format is documented in docs/model-format.md.
package model

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Text is a piece of text from the model file with the position where it
// starts, so later stages (expression and equation parsers) can report
// errors at the right line.
type Text struct {
	S     string
	Line  int
	Col   int
	Block bool // from a YAML block scalar: S starts at column Col of line Line
}

// IsSet reports whether the text was given, in the file or with --set
// (which marks it with a negative line).
func (t Text) IsSet() bool { return t.Line != 0 }

// NamedText is an ordered "name: text" entry (constants, init, set).
type NamedText struct {
	Name string
	Text
	// Array, when not nil, gives the values from an array of a .npz file
	// instead of the expression Text (init: {v: {file: state.npz, array: v}}).
	Array *ArrayRef
}

// Spec is a model file as written, before anything is evaluated.
type Spec struct {
	File      string
	Name      string
	DT        Text
	Seed      Text
	Method    Text
	Constants []NamedText
	Groups    []*GroupSpec
	Synapses  []*SynapsesSpec
	Inputs    []*InputSpec
	Monitors  []*MonitorSpec
	Run       []RunSegment
	RunLine   int

	Precision Text // float64 (the default) or float32, for every group and synapses

	TimedArrays []*TimedArraySpec // functions of time given by sampled values
}

// GroupSpec describes one group: neurons, spikegenerator or poisson.
type GroupSpec struct {
	Name       string
	Line       int
	Type       string // "neurons", "spikegenerator" or "poisson"
	N          Text
	Model      Text
	Threshold  Text
	Reset      Text
	Refractory Text
	Method     Text
	DT         Text
	Events     []NamedText
	Init       []NamedText
	Indices    []Text // spikegenerator
	Times      []Text // spikegenerator
	Period     Text   // spikegenerator
	Rates      Text   // poisson
	Save       []Text // neurons: variables written to <name>.npz after the run

	Precision Text // neurons: float64 or float32
	Order     Text // within a slot of the schedule, as Brian2's order=
}

// SynapsesSpec describes one Synapses object.
type SynapsesSpec struct {
	Name    string
	Line    int
	Source  Text
	Target  Text
	Model   Text
	OnPre   []NamedText // pathway name -> code; "pre" when a plain string
	OnPost  []NamedText // pathway name -> code; "post" when a plain string
	Delay   Text        // one delay for the pre pathway (a time or a per-synapse expression)
	Delays  []NamedText // or a delay per pathway: pathway name -> time
	Method  Text
	Connect []ConnectSpec
	Init    []NamedText
	Save    []Text // "in_flight" saves each pathway's spikes on their way
	// InFlight gives spikes on their way at the start, per pathway, from
	// arrays of a .npz file (npzinput.go).
	InFlight []InFlightSpec

	Precision Text // float64 or float32
	Order     Text // within the synapses slot, as Brian2's order=
}

// ConnectSpec is one connect call.
type ConnectSpec struct {
	Line          int
	Condition     Text
	P             Text
	N             Text
	I             []Text // explicit indices (with J as a list)
	J             []Text
	JExpr         Text // j as an expression ("i", generator syntax)
	SkipIfInvalid bool
	// File, when not nil, connects the pairs of two arrays of a .npz file:
	// connect: {file: conn.npz, i: i, j: j}.
	File *ConnectFile
}

// InputSpec is a PoissonInput-style external drive.
type InputSpec struct {
	Line     int
	Target   Text
	Variable Text
	N        Text
	Rate     Text
	Weight   Text
	Order    Text // within the synapses slot, as Brian2's order=
}

// MonitorSpec is one monitor.
type MonitorSpec struct {
	Name      string
	Line      int
	Type      string // spike, state, rate, event
	Source    Text
	Variables []Text
	RecordAll bool
	Record    []Text
	Event     Text
	When      Text
	Order     Text // within its slot, as Brian2's order=
	DT        Text
	// Stream makes the monitor write its recording to disk while it runs
	// (stream: true), see RunOptions.StreamDir.
	Stream     bool
	StreamText Text
	MaxSamples Text // state monitors: keep only the last samples
}

// RunSegment is one segment of the run: assignments, then a duration.
type RunSegment struct {
	Line     int
	Duration Text
	Set      []NamedText
}

// ReadFile reads and decodes a model file.
func ReadFile(path string) (*Spec, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Decode(path, src)
}

// Decode decodes the model file text src; file is used in error messages.
func Decode(file string, src []byte) (*Spec, error) {
	spec, err := decode(src)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.File = file
		}
		return nil, err
	}
	spec.File = file
	if spec.Name == "" {
		base := filepath.Base(file)
		spec.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	return spec, nil
}

func decode(src []byte) (*Spec, error) {
	root, err := parseYAML(src)
	if err != nil {
		return nil, err
	}
	if root.kind != yamlMap {
		return nil, nodeErr(root, "a model file must be a mapping of keys (name, dt, constants, groups, ...), found %s", root.kind)
	}
	d := &decoder{}
	s := &Spec{}
	d.fields(root, "the model", map[string]func(*yamlNode){
		"name":      func(n *yamlNode) { s.Name = d.scalar(n, "name").S },
		"dt":        func(n *yamlNode) { s.DT = d.scalar(n, "dt") },
		"seed":      func(n *yamlNode) { s.Seed = d.scalar(n, "seed") },
		"method":    func(n *yamlNode) { s.Method = d.scalar(n, "method") },
		"precision": func(n *yamlNode) { s.Precision = d.precision(n) },
		"constants": func(n *yamlNode) { s.Constants = d.namedTexts(n, "constants") },
		"timed_arrays": func(n *yamlNode) {
			for _, e := range d.mapping(n, "timed_arrays") {
				s.TimedArrays = append(s.TimedArrays, d.timedArray(e))
			}
		},
		"groups": func(n *yamlNode) {
			for _, e := range d.mapping(n, "groups") {
				s.Groups = append(s.Groups, d.group(e))
			}
		},
		"synapses": func(n *yamlNode) {
			for _, e := range d.mapping(n, "synapses") {
				s.Synapses = append(s.Synapses, d.synapses(e))
			}
		},
		"inputs": func(n *yamlNode) {
			for _, item := range d.list(n, "inputs") {
				s.Inputs = append(s.Inputs, d.input(item))
			}
		},
		"monitors": func(n *yamlNode) {
			for _, e := range d.mapping(n, "monitors") {
				s.Monitors = append(s.Monitors, d.monitor(e))
			}
		},
		"run": func(n *yamlNode) { s.RunLine = n.line; s.Run = d.run(n) },
	})
	if d.err != nil {
		return nil, d.err
	}
	return s, nil
}

// decoder records the first error and makes every later call a no-op, so
// the decoding code reads straight through without error plumbing.
type decoder struct {
	err error
}

func nodeErr(n *yamlNode, format string, args ...any) *Error {
	return &Error{Line: n.line, Col: n.col, Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) fail(n *yamlNode, format string, args ...any) {
	if d.err == nil {
		d.err = nodeErr(n, format, args...)
	}
}

// fields dispatches the keys of mapping n to handlers; unknown keys are an
// error that suggests the closest known key.
func (d *decoder) fields(n *yamlNode, what string, handlers map[string]func(*yamlNode)) {
	if d.err != nil {
		return
	}
	if n.kind != yamlMap {
		d.fail(n, "%s must be a mapping, found %s", what, n.kind)
		return
	}
	for _, e := range n.entries {
		h, ok := handlers[e.key]
		if !ok {
			known := make([]string, 0, len(handlers))
			for k := range handlers {
				known = append(known, k)
			}
			sort.Strings(known)
			msg := fmt.Sprintf("unknown key '%s' in %s", e.key, what)
			if s := suggest(e.key, known); s != "" {
				msg += fmt.Sprintf(" (did you mean '%s'?)", s)
			} else {
				msg += fmt.Sprintf(" (known keys: %s)", strings.Join(known, ", "))
			}
			d.err = &Error{Line: e.line, Col: e.col, Msg: msg}
			return
		}
		h(e.value)
		if d.err != nil {
			return
		}
	}
}

func (d *decoder) scalar(n *yamlNode, what string) Text {
	if d.err != nil {
		return Text{}
	}
	if n.kind != yamlScalar {
		d.fail(n, "'%s' must be a single value, found %s", what, n.kind)
		return Text{}
	}
	return Text{S: n.text, Line: n.line, Col: n.col, Block: n.block}
}

// code reads a string that may also be empty (null), such as on_post: "".
func (d *decoder) code(n *yamlNode, what string) Text {
	if n.kind == yamlNull {
		return Text{Line: n.line, Col: n.col}
	}
	return d.scalar(n, what)
}

func (d *decoder) mapping(n *yamlNode, what string) []yamlEntry {
	if d.err != nil {
		return nil
	}
	if n.kind == yamlNull {
		return nil
	}
	if n.kind != yamlMap {
		d.fail(n, "'%s' must be a mapping of name: value, found %s", what, n.kind)
		return nil
	}
	return n.entries
}

func (d *decoder) list(n *yamlNode, what string) []*yamlNode {
	if d.err != nil {
		return nil
	}
	switch n.kind {
	case yamlNull:
		return nil
	case yamlSeq:
		return n.items
	}
	d.fail(n, "'%s' must be a list, found %s", what, n.kind)
	return nil
}

func (d *decoder) texts(n *yamlNode, what string) []Text {
	var out []Text
	for _, item := range d.list(n, what) {
		out = append(out, d.scalar(item, what))
	}
	return out
}

func (d *decoder) namedTexts(n *yamlNode, what string) []NamedText {
	var out []NamedText
	for _, e := range d.mapping(n, what) {
		t := d.scalar(e.value, what+"."+e.key)
		out = append(out, NamedText{Name: e.key, Text: t})
	}
	return out
}

func (d *decoder) group(e yamlEntry) *GroupSpec {
	g := &GroupSpec{Name: e.key, Line: e.line, Type: "neurons"}
	if t := e.value.get("type"); t != nil {
		g.Type = d.scalar(t, "type").S
	}
	what := fmt.Sprintf("group '%s'", e.key)
	common := map[string]func(*yamlNode){
		"type":  func(*yamlNode) {},
		"N":     func(n *yamlNode) { g.N = d.scalar(n, "N") },
		"dt":    func(n *yamlNode) { g.DT = d.scalar(n, "dt") },
		"order": func(n *yamlNode) { g.Order = d.scalar(n, "order") },
	}
	switch g.Type {
	case "neurons":
		common["model"] = func(n *yamlNode) { g.Model = d.scalar(n, "model") }
		common["threshold"] = func(n *yamlNode) { g.Threshold = d.scalar(n, "threshold") }
		common["reset"] = func(n *yamlNode) { g.Reset = d.code(n, "reset") }
		common["refractory"] = func(n *yamlNode) { g.Refractory = d.scalar(n, "refractory") }
		common["method"] = func(n *yamlNode) { g.Method = d.scalar(n, "method") }
		common["precision"] = func(n *yamlNode) { g.Precision = d.precision(n) }
		common["events"] = func(n *yamlNode) { g.Events = d.namedTexts(n, "events") }
		common["init"] = func(n *yamlNode) { g.Init = d.inits(n, what, "init") }
		common["save"] = func(n *yamlNode) { g.Save = d.texts(n, "save") }
	case "spikegenerator":
		common["indices"] = func(n *yamlNode) { g.Indices = d.texts(n, "indices") }
		common["times"] = func(n *yamlNode) { g.Times = d.texts(n, "times") }
		common["period"] = func(n *yamlNode) { g.Period = d.scalar(n, "period") }
	case "poisson":
		common["rates"] = func(n *yamlNode) { g.Rates = d.scalar(n, "rates") }
	default:
		if d.err == nil {
			n := e.value.get("type")
			msg := fmt.Sprintf("unknown group type '%s' (known: neurons, spikegenerator, poisson)", g.Type)
			if s := suggest(g.Type, []string{"neurons", "spikegenerator", "poisson"}); s != "" {
				msg = fmt.Sprintf("unknown group type '%s' (did you mean '%s'?)", g.Type, s)
			}
			d.err = &Error{Line: n.line, Col: n.col, Msg: msg}
		}
		return g
	}
	d.fields(e.value, what, common)
	if d.err == nil && !g.N.IsSet() {
		d.err = &Error{Line: e.line, Col: e.col, Msg: fmt.Sprintf("group '%s' has no size: add 'N: <number>'", e.key)}
	}
	if d.err == nil && g.Type == "neurons" && !g.Model.IsSet() {
		d.err = &Error{Line: e.line, Col: e.col, Msg: fmt.Sprintf("group '%s' has no 'model' equations", e.key)}
	}
	return g
}

func (d *decoder) pathways(n *yamlNode, what, def string) []NamedText {
	if n.kind == yamlMap {
		return d.namedTexts(n, what)
	}
	return []NamedText{{Name: def, Text: d.code(n, what)}}
}

func (d *decoder) synapses(e yamlEntry) *SynapsesSpec {
	s := &SynapsesSpec{Name: e.key, Line: e.line}
	d.fields(e.value, fmt.Sprintf("synapses '%s'", e.key), map[string]func(*yamlNode){
		"source":  func(n *yamlNode) { s.Source = d.scalar(n, "source") },
		"target":  func(n *yamlNode) { s.Target = d.scalar(n, "target") },
		"model":   func(n *yamlNode) { s.Model = d.code(n, "model") },
		"on_pre":  func(n *yamlNode) { s.OnPre = d.pathways(n, "on_pre", "pre") },
		"on_post": func(n *yamlNode) { s.OnPost = d.pathways(n, "on_post", "post") },
		"delay": func(n *yamlNode) {
			if n.kind == yamlMap {
				s.Delays = d.namedTexts(n, "delay")
			} else {
				s.Delay = d.scalar(n, "delay")
			}
		},
		"method":    func(n *yamlNode) { s.Method = d.scalar(n, "method") },
		"init":      func(n *yamlNode) { s.Init = d.inits(n, fmt.Sprintf("synapses '%s'", e.key), "init") },
		"save":      func(n *yamlNode) { s.Save = d.texts(n, "save") },
		"in_flight": func(n *yamlNode) { s.InFlight = d.inFlight(n, e.key) },
		"order":     func(n *yamlNode) { s.Order = d.scalar(n, "order") },
		"connect": func(n *yamlNode) {
			items := []*yamlNode{n}
			if n.kind == yamlSeq {
				items = n.items
			}
			for _, item := range items {
				s.Connect = append(s.Connect, d.connect(item))
			}
		},
		"precision": func(n *yamlNode) { s.Precision = d.precision(n) },
	})
	if d.err == nil && !s.Source.IsSet() {
		d.err = &Error{Line: e.line, Col: e.col, Msg: fmt.Sprintf("synapses '%s' have no 'source'", e.key)}
	}
	if d.err == nil && !s.Target.IsSet() {
		s.Target = s.Source
	}
	return s
}

func (d *decoder) connect(n *yamlNode) ConnectSpec {
	c := ConnectSpec{Line: n.line}
	if n.kind == yamlNull {
		return c // connect: (nothing) connects all pairs
	}
	if n.kind == yamlMap && n.get("file") != nil {
		c.File = d.connectFile(n)
		return c
	}
	var jNode *yamlNode
	d.fields(n, "connect", map[string]func(*yamlNode){
		"condition": func(n *yamlNode) { c.Condition = d.scalar(n, "condition") },
		"p":         func(n *yamlNode) { c.P = d.scalar(n, "p") },
		"n":         func(n *yamlNode) { c.N = d.scalar(n, "n") },
		"i": func(n *yamlNode) {
			if n.kind == yamlSeq {
				c.I = d.texts(n, "i")
			} else {
				c.I = []Text{d.scalar(n, "i")}
			}
		},
		"j": func(n *yamlNode) { jNode = n },
		"skip_if_invalid": func(n *yamlNode) {
			v := d.scalar(n, "skip_if_invalid")
			c.SkipIfInvalid = v.S == "true" || v.S == "True"
		},
	})
	if jNode != nil && d.err == nil {
		switch {
		case jNode.kind == yamlSeq:
			c.J = d.texts(jNode, "j")
		case len(c.I) > 0:
			c.J = []Text{d.scalar(jNode, "j")}
		default:
			c.JExpr = d.scalar(jNode, "j")
		}
	}
	return c
}

func (d *decoder) input(n *yamlNode) *InputSpec {
	in := &InputSpec{Line: n.line}
	d.fields(n, "an input", map[string]func(*yamlNode){
		"target":   func(n *yamlNode) { in.Target = d.scalar(n, "target") },
		"variable": func(n *yamlNode) { in.Variable = d.scalar(n, "variable") },
		"N":        func(n *yamlNode) { in.N = d.scalar(n, "N") },
		"rate":     func(n *yamlNode) { in.Rate = d.scalar(n, "rate") },
		"weight":   func(n *yamlNode) { in.Weight = d.scalar(n, "weight") },
		"order":    func(n *yamlNode) { in.Order = d.scalar(n, "order") },
	})
	for _, req := range []struct {
		t    Text
		name string
	}{{in.Target, "target"}, {in.Variable, "variable"}, {in.N, "N"}, {in.Rate, "rate"}, {in.Weight, "weight"}} {
		if d.err == nil && !req.t.IsSet() {
			d.fail(n, "input has no '%s'", req.name)
		}
	}
	return in
}

func (d *decoder) monitor(e yamlEntry) *MonitorSpec {
	m := &MonitorSpec{Name: e.key, Line: e.line}
	d.fields(e.value, fmt.Sprintf("monitor '%s'", e.key), map[string]func(*yamlNode){
		"type":      func(n *yamlNode) { m.Type = d.scalar(n, "type").S },
		"source":    func(n *yamlNode) { m.Source = d.scalar(n, "source") },
		"variables": func(n *yamlNode) { m.Variables = d.texts(n, "variables") },
		"event":     func(n *yamlNode) { m.Event = d.scalar(n, "event") },
		"when":      func(n *yamlNode) { m.When = d.scalar(n, "when") },
		"order":     func(n *yamlNode) { m.Order = d.scalar(n, "order") },
		"dt":        func(n *yamlNode) { m.DT = d.scalar(n, "dt") },
		"stream": func(n *yamlNode) {
			m.StreamText = d.scalar(n, "stream")
			switch m.StreamText.S {
			case "true", "True":
				m.Stream = true
			case "false", "False":
			default:
				if d.err == nil {
					d.fail(n, "monitor '%s' stream must be true or false, got '%s'", e.key, m.StreamText.S)
				}
			}
		},
		"max_samples": func(n *yamlNode) { m.MaxSamples = d.scalar(n, "max_samples") },
		"record": func(n *yamlNode) {
			if n.kind == yamlScalar && (n.text == "true" || n.text == "True") {
				m.RecordAll = true
				return
			}
			m.Record = d.texts(n, "record")
		},
	})
	if d.err != nil {
		return m
	}
	known := []string{"spike", "state", "rate", "event"}
	switch {
	case m.Type == "":
		d.err = &Error{Line: e.line, Col: e.col, Msg: fmt.Sprintf("monitor '%s' has no 'type' (one of %s)", e.key, strings.Join(known, ", "))}
	case !contains(known, m.Type):
		msg := fmt.Sprintf("monitor '%s' has unknown type '%s' (one of %s)", e.key, m.Type, strings.Join(known, ", "))
		if s := suggest(m.Type, known); s != "" {
			msg = fmt.Sprintf("monitor '%s' has unknown type '%s' (did you mean '%s'?)", e.key, m.Type, s)
		}
		d.err = &Error{Line: e.value.get("type").line, Col: e.value.get("type").col, Msg: msg}
	case !m.Source.IsSet():
		d.err = &Error{Line: e.line, Col: e.col, Msg: fmt.Sprintf("monitor '%s' has no 'source'", e.key)}
	case m.Type == "state" && len(m.Variables) == 0:
		d.err = &Error{Line: e.line, Col: e.col, Msg: fmt.Sprintf("state monitor '%s' needs 'variables'", e.key)}
	case m.Type == "event" && !m.Event.IsSet():
		d.err = &Error{Line: e.line, Col: e.col, Msg: fmt.Sprintf("event monitor '%s' needs 'event'", e.key)}
	}
	return m
}

func (d *decoder) run(n *yamlNode) []RunSegment {
	if n.kind == yamlScalar {
		return []RunSegment{{Line: n.line, Duration: d.scalar(n, "run")}}
	}
	var segs []RunSegment
	for _, item := range d.list(n, "run") {
		seg := RunSegment{Line: item.line}
		d.fields(item, "a run segment", map[string]func(*yamlNode){
			"duration": func(n *yamlNode) { seg.Duration = d.scalar(n, "duration") },
			"set":      func(n *yamlNode) { seg.Set = d.namedTexts(n, "set") },
		})
		if d.err == nil && !seg.Duration.IsSet() {
			d.fail(item, "run segment has no 'duration'")
		}
		segs = append(segs, seg)
	}
	return segs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggest returns the known word closest to s by edit distance, if it is
// close enough to be a plausible typo.
func suggest(s string, known []string) string {
	best, bestDist := "", len(s)/2+2
	for _, k := range known {
		if dist := editDistance(strings.ToLower(s), strings.ToLower(k)); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
