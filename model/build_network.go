package model

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/soma-sim/soma"
)

// Synapses is a built Synapses object with its spec.
type Synapses struct {
	Spec *SynapsesSpec
	Syn  *soma.Synapses
	// order, when not nil, numbers the synapses as the file of their one
	// connect does (connect: {file: ...}): soma keeps synapses sorted by
	// source, and synapse k of soma is pair order[k] of the file. Arrays
	// read for the synapses (init, in_flight), their monitors' record and
	// what save writes follow the file's numbering.
	order []int
}

// fileOrder returns Synapses.order for synapses connected by one connect
// from a file whose pairs are not sorted by source (nil otherwise).
func fileOrder(ss *SynapsesSpec, conns []soma.Connection, syn *soma.Synapses) ([]int, error) {
	if len(ss.Connect) != 1 || ss.Connect[0].File == nil {
		return nil, nil
	}
	is, js := conns[0].I, conns[0].J
	if sort.IntsAreSorted(is) {
		return nil, nil
	}
	order := make([]int, len(is))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool { return is[order[a]] < is[order[b]] })
	si, sj := syn.I(), syn.J()
	for k, f := range order {
		if k >= len(si) || int(si[k]) != is[f] || int(sj[k]) != js[f] {
			return nil, fmt.Errorf("the synapses are not stored in the order of their file, sorted by source")
		}
	}
	return order, nil
}

// fromFile returns per-synapse values given in the file's numbering in
// soma's.
func (s *Synapses) fromFile(vals []float64) []float64 {
	if s.order == nil || len(vals) != len(s.order) {
		return vals
	}
	out := make([]float64, len(vals))
	for k, f := range s.order {
		out[k] = vals[f]
	}
	return out
}

// toFile returns per-synapse values in soma's numbering in the file's.
func toFile[T any](order []int, vals []T) []T {
	if order == nil || len(vals) != len(order) {
		return vals
	}
	out := make([]T, len(vals))
	for k, f := range order {
		out[f] = vals[k]
	}
	return out
}

// inverse returns, for each synapse of the file, soma's index of it.
func inverse(order []int) []int {
	inv := make([]int, len(order))
	for k, f := range order {
		inv[f] = k
	}
	return inv
}

// Input is a built PoissonInput with its spec.
type Input struct {
	Spec  *InputSpec
	Input *soma.PoissonInput
}

// inputGroup builds a spikegenerator or poisson group.
func (b *builder) inputGroup(gs *GroupSpec, n int) (soma.Group, error) {
	what := fmt.Sprintf("group '%s'", gs.Name)
	opts := []soma.Option{soma.Name(gs.Name)}
	order, err := b.orderOption(gs.Order, what)
	if err != nil {
		return nil, err
	}
	opts = append(opts, order...)
	if gs.DT.IsSet() {
		dt, err := b.evalDim(gs.DT, what+" dt", second)
		if err != nil {
			return nil, err
		}
		opts = append(opts, soma.DT(dt))
	}
	switch gs.Type {
	case "spikegenerator":
		if len(gs.Indices) != len(gs.Times) {
			return nil, &Error{Line: gs.Line, Msg: fmt.Sprintf("%s: 'indices' has %d entries but 'times' has %d", what, len(gs.Indices), len(gs.Times))}
		}
		indices := make([]int, len(gs.Indices))
		times := make([]float64, len(gs.Times))
		for k := range gs.Indices {
			var err error
			if indices[k], err = b.evalInt(gs.Indices[k], what+" indices"); err != nil {
				return nil, err
			}
			if times[k], err = b.evalDim(gs.Times[k], what+" times", second); err != nil {
				return nil, err
			}
		}
		if gs.Period.IsSet() {
			p, err := b.evalDim(gs.Period, what+" period", second)
			if err != nil {
				return nil, err
			}
			opts = append(opts, soma.Period(p))
		}
		g, err := b.m.Net.SpikeGeneratorGroup(n, indices, times, opts...)
		if err != nil {
			return nil, &Error{Line: gs.Line, Msg: what + ": " + err.Error()}
		}
		return g, nil
	case "poisson":
		if !gs.Rates.IsSet() {
			return nil, &Error{Line: gs.Line, Msg: what + " has no 'rates'"}
		}
		g, err := b.m.Net.PoissonGroup(n, gs.Rates.S, opts...)
		if err != nil {
			return nil, b.textErr(gs.Rates, what+" rates", err)
		}
		return g, nil
	}
	return nil, &Error{Line: gs.Line, Msg: fmt.Sprintf("%s: unknown type '%s'", what, gs.Type)}
}

func (b *builder) synapses(ss *SynapsesSpec) error {
	what := fmt.Sprintf("synapses '%s'", ss.Name)
	src, err := b.source(ss.Source, what+" source")
	if err != nil {
		return err
	}
	tgt, err := b.source(ss.Target, what+" target")
	if err != nil {
		return err
	}
	opts := []soma.Option{soma.Name(ss.Name)}
	order, err := b.orderOption(ss.Order, what)
	if err != nil {
		return err
	}
	opts = append(opts, order...)
	for _, p := range ss.OnPre {
		opts = append(opts, soma.Pathway(p.Name, p.S, false))
	}
	for _, p := range ss.OnPost {
		if strings.TrimSpace(p.S) != "" {
			opts = append(opts, soma.Pathway(p.Name, p.S, true))
		}
	}
	method := ss.Method
	if !method.IsSet() {
		method = b.spec.Method
	}
	if method.IsSet() {
		opts = append(opts, soma.Method(strings.TrimSpace(method.S)))
	}
	opts = append(opts, b.precision(ss.Precision)...)
	// A constant delay is the fast single-delay path; an expression of
	// i, j or rand() gives each synapse its own, set after connecting.
	perSynapseDelay := false
	if ss.Delay.IsSet() {
		if d, err := b.evalDim(ss.Delay, what+" delay", second); err == nil {
			opts = append(opts, soma.Delay(d))
		} else {
			perSynapseDelay = true
		}
	}
	for _, pd := range ss.Delays {
		if !hasPathway(ss, pd.Name) {
			return b.textErr(pd.Text, what+" delay", fmt.Errorf("no pathway '%s' (pathways: %s)", pd.Name, strings.Join(pathwayNames(ss), ", ")))
		}
		d, err := b.evalDim(pd.Text, fmt.Sprintf("%s delay of '%s'", what, pd.Name), second)
		if err != nil {
			return err
		}
		opts = append(opts, soma.PathwayDelay(pd.Name, d))
	}
	syn, err := b.m.Net.Synapses(src, tgt, ss.Model.S, opts...)
	if err != nil {
		return b.synapsesErr(ss, err)
	}
	conns := make([]soma.Connection, len(ss.Connect))
	for k, c := range ss.Connect {
		if c.File != nil {
			conns[k].I, conns[k].J, err = b.connectFromFile(c.File, what, src.Size(), tgt.Size())
		} else {
			conns[k], err = b.connection(c, what)
		}
		if err != nil {
			return err
		}
	}
	shared := b.share != nil && b.drawnAsShare(ss, syn, conns)
	if shared {
		if err := syn.BuildShare(b.share[0], b.share[1]); err != nil {
			return b.synapsesErr(ss, err)
		}
	}
	for k, c := range ss.Connect {
		if c.File != nil && len(conns[k].I) == 0 {
			continue
		}
		if err := syn.Connect(conns[k]); err != nil {
			line := c.Line
			if line == 0 {
				line = ss.Line
			}
			return &Error{Line: line, Msg: fmt.Sprintf("%s connect #%d: %v", what, k+1, unwrapConnect(err))}
		}
	}
	ms := &Synapses{Spec: ss, Syn: syn}
	if ms.order, err = fileOrder(ss, conns, syn); err != nil {
		return b.synapsesErr(ss, err)
	}
	if perSynapseDelay {
		if err := syn.Set("delay", ss.Delay.S); err != nil {
			return b.textErr(ss.Delay, what+" delay", err)
		}
	}
	for _, in := range ss.Init {
		iw := fmt.Sprintf("%s init '%s'", what, in.Name)
		value, err := b.initValue(in, iw, syn.Len())
		if err != nil {
			return err
		}
		if vals, ok := value.([]float64); ok {
			value = ms.fromFile(vals)
		}
		if err := syn.Set(in.Name, value); err != nil {
			return b.textErr(in.Text, iw, err)
		}
	}
	if err := b.addInFlight(ms, what); err != nil {
		return err
	}
	for _, v := range ss.Save {
		name := strings.TrimSpace(v.S)
		if name == "in_flight" && b.share != nil {
			return b.textErr(v, what+" save", fmt.Errorf("the spikes in flight of a network spread over ranks are on the ranks: 'in_flight' cannot be saved"))
		}
		if name == "i" || name == "j" || name == "in_flight" {
			continue
		}
		if _, ok := syn.Unit(name); !ok {
			return b.textErr(v, what+" save", fmt.Errorf("no synaptic variable '%s'", name))
		}
	}
	if b.share != nil && !shared && !b.monitored(ss.Name) {
		if err := syn.KeepShare(b.share[0], b.share[1]); err != nil {
			return b.synapsesErr(ss, err)
		}
	}
	b.m.Synapses = append(b.m.Synapses, ms)
	return nil
}

// drawnAsShare reports whether a rank can draw just its own synapses of
// ss (soma.Synapses.BuildShare): every connect is by probability, no value
// comes from a file (its arrays follow the order of all synapses), and no
// monitor records them.
func (b *builder) drawnAsShare(ss *SynapsesSpec, syn *soma.Synapses, conns []soma.Connection) bool {
	if b.monitored(ss.Name) {
		return false
	}
	for k, c := range ss.Connect {
		if c.File != nil || !syn.CanBuildShare(conns[k]) {
			return false
		}
	}
	for _, in := range ss.Init {
		if in.Array != nil {
			return false
		}
	}
	return true
}

// monitored reports whether a monitor records from the named object: its
// indices are those of all ranks, so it keeps its share only once the
// monitors exist.
func (b *builder) monitored(name string) bool {
	for _, ms := range b.spec.Monitors {
		if strings.TrimSpace(ms.Source.S) == name {
			return true
		}
	}
	return false
}

func pathwayNames(ss *SynapsesSpec) []string {
	var names []string
	for _, p := range append(append([]NamedText{}, ss.OnPre...), ss.OnPost...) {
		if strings.TrimSpace(p.S) != "" {
			names = append(names, p.Name)
		}
	}
	return names
}

func hasPathway(ss *SynapsesSpec, name string) bool {
	return contains(pathwayNames(ss), name)
}

// unwrapConnect drops the "Synapses 'x' connect:" prefix the model error
// already gives.
func unwrapConnect(err error) string {
	msg := err.Error()
	if k := strings.Index(msg, "connect: "); k >= 0 {
		return msg[k+len("connect: "):]
	}
	return msg
}

func (b *builder) connection(c ConnectSpec, what string) (soma.Connection, error) {
	conn := soma.Connection{Condition: c.Condition.S, JExpr: c.JExpr.S, SkipIfInvalid: c.SkipIfInvalid}
	if c.P.IsSet() {
		conn.P = c.P.S
	}
	if c.N.IsSet() {
		conn.N = c.N.S
	}
	ints := func(ts []Text, name string) ([]int, error) {
		out := make([]int, 0, len(ts))
		for _, t := range ts {
			v, err := b.evalInt(t, what+" connect "+name)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	var err error
	if len(c.I) > 0 {
		if conn.I, err = ints(c.I, "i"); err != nil {
			return conn, err
		}
		if len(c.J) == 0 {
			return conn, &Error{Line: c.Line, Msg: what + " connect: 'i' needs 'j'"}
		}
		if conn.J, err = ints(c.J, "j"); err != nil {
			return conn, err
		}
		// One i with several j, or several i with one j, pair up.
		if len(conn.I) == 1 && len(conn.J) > 1 {
			conn.I = repeat(conn.I[0], len(conn.J))
		} else if len(conn.J) == 1 && len(conn.I) > 1 {
			conn.J = repeat(conn.J[0], len(conn.I))
		}
	} else if len(c.J) > 0 {
		return conn, &Error{Line: c.Line, Msg: what + " connect: a list for 'j' needs 'i'"}
	}
	return conn, nil
}

func repeat(x, n int) []int {
	out := make([]int, n)
	for k := range out {
		out[k] = x
	}
	return out
}

// synapsesErr maps an error of Synapses construction to the field of the
// file it came from.
func (b *builder) synapsesErr(ss *SynapsesSpec, err error) error {
	what := fmt.Sprintf("synapses '%s'", ss.Name)
	var ce *soma.CodeError
	if !errors.As(err, &ce) {
		return &Error{Line: ss.Line, Msg: what + ": " + err.Error()}
	}
	var t Text
	switch ce.Field {
	case "model":
		t = ss.Model
	default:
		for _, p := range append(append([]NamedText{}, ss.OnPre...), ss.OnPost...) {
			field := fmt.Sprintf("pathway '%s'", p.Name)
			if p.Name == "pre" {
				field = "on_pre"
			} else if p.Name == "post" {
				field = "on_post"
			}
			if field == ce.Field {
				t = p.Text
			}
		}
	}
	if !t.IsSet() {
		return &Error{Line: ss.Line, Msg: what + ": " + err.Error()}
	}
	if ce.Field == "model" {
		method := ss.Method
		if !method.IsSet() {
			method = b.spec.Method
		}
		if e := b.methodErr(ss.Model, method, what, ce.Err); e != nil {
			return e
		}
	}
	return b.textErr(t, what+" "+ce.Field, ce.Err)
}

func (b *builder) input(in *InputSpec) error {
	what := "input"
	tgt, err := b.source(in.Target, what+" target")
	if err != nil {
		return err
	}
	n, err := b.evalInt(in.N, what+" N")
	if err != nil {
		return err
	}
	if _, err := b.evalDim(in.Rate, what+" rate", hertz); err != nil {
		return err
	}
	order, err := b.orderOption(in.Order, what)
	if err != nil {
		return err
	}
	pi, err := b.m.Net.PoissonInput(tgt, strings.TrimSpace(in.Variable.S), n, in.Rate.S, in.Weight.S, order...)
	if err != nil {
		return &Error{Line: in.Line, Msg: what + ": " + err.Error()}
	}
	b.m.Inputs = append(b.m.Inputs, &Input{Spec: in, Input: pi})
	return nil
}
