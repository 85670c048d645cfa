package soma

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/soma-sim/soma/expr"
)

// Comm is what a network spread over several processes (ranks) needs from
// them: the package dist provides one over MPI and one for goroutines of
// one process. Every rank calls the collectives in the same order.
type Comm interface {
	Rank() int
	Size() int
	// AllgatherInt32 sends this rank's send and returns the concatenation,
	// in rank order, of every rank's, and how many elements each sent;
	// recv and counts are buffers it may reuse.
	AllgatherInt32(send, recv []int32, counts []int) ([]int32, []int)
	// AllgatherFloat64 is AllgatherInt32 for float64 values.
	AllgatherFloat64(send, recv []float64, counts []int) ([]float64, []int)
	// MinInt32 returns the smallest of every rank's v.
	MinInt32(v int32) int32
}

// partition is a network's share of a distributed run: every rank holds
// every neuron, but owns a block of each NeuronGroup — only its spikes
// count, only its synapses (those onto its neurons) are kept, and, where
// the group allows it, only its neurons are updated. The spikes are
// exchanged after the thresholds, every step or once per window of steps,
// so that every rank then sees the same spikes as one process would.
type partition struct {
	comm       Comm
	rank, size int
	recv       []int32
	counts     []int
	msg        spikeMessage // this rank's spikes, sent and received
	stats      Exchange     // for the measurements of communication
	win        window       // the exchange once per window (distribute_window.go)
	gathered   bool         // Gather brought the synapses to rank 0
	// synRecorded holds, for monitors of synaptic variables, which of
	// their recorded synapses this rank holds (positions in the record).
	synRecorded map[*StateMonitor][]int
}

// block is the part of n elements that rank owns: blocks in rank order.
func block(n, rank, size int) (lo, hi int) {
	return n * rank / size, n * (rank + 1) / size
}

// globalSynapses remembers, for synapses kept on one rank, where they sit
// among all of them, so that Gather can put them back in one process's
// order.
type globalSynapses struct {
	rank, size int     // whose share was kept
	n          int     // all synapses
	ptr        []int64 // the row pointers of all synapses
	idx        []int64 // the index among all synapses of each kept one
}

// Distribute makes this network one rank's share of a network spread over
// the ranks of c: it keeps only the synapses whose target neuron the rank
// owns (a block of each NeuronGroup, in rank order) and from then on
// exchanges spikes with the other ranks, once per window of the shortest
// delay (distribute_window.go). Every rank must
// build the same network, with the same seed, and call Distribute before
// its first run; results are then the same as in one process (Gather
// brings them together). A rank updates only its own neurons of a group
// whose updates and thresholds draw no random numbers (and feeds only
// them from PoissonInput, whose blocks of neurons have streams of their
// own); the neurons of other groups it updates all, so that the group's
// random stream advances as in one process. The synapses, their memory
// and their propagation are always divided.
//
// Refused, with an error naming the object: synaptic code that reads or
// writes the dynamic variables of a NeuronGroup on the source side (they
// are exact only on the source's rank) or draws random numbers (their
// order would depend on the ranks), summed variables into the source,
// linked variables, streaming monitors that record values, and Go
// behaviours.
func (net *Network) Distribute(c Comm) error {
	if net.part != nil {
		return errors.New("the network is already distributed")
	}
	if c.Size() < 1 || c.Rank() < 0 || c.Rank() >= c.Size() {
		return fmt.Errorf("rank %d of %d is not a valid rank", c.Rank(), c.Size())
	}
	if _, err := net.Schedule(); err != nil { // compiles everything, to check it
		return err
	}
	for _, o := range net.objects {
		if err := distributable(o); err != nil {
			return fmt.Errorf("cannot distribute the network over ranks: %w", err)
		}
		s, ok := o.(*Synapses)
		switch {
		case !ok:
		case s.global != nil && (s.global.rank != c.Rank() || s.global.size != c.Size()):
			return fmt.Errorf("Synapses '%s' kept the share of rank %d of %d, but this is rank %d of %d",
				s.name, s.global.rank, s.global.size, c.Rank(), c.Size())
		case s.built != nil && (s.built.rank != c.Rank() || s.built.size != c.Size()):
			return fmt.Errorf("Synapses '%s' were built as the share of rank %d of %d, but this is rank %d of %d",
				s.name, s.built.rank, s.built.size, c.Rank(), c.Size())
		case s.inFlightAdded():
			return fmt.Errorf("cannot distribute the network over ranks: Synapses '%s': %w", s.name, errInFlightDistributed)
		}
	}
	net.part = &partition{comm: c, rank: c.Rank(), size: c.Size(), synRecorded: map[*StateMonitor][]int{}}
	var syns []*Synapses
	for _, o := range net.objects {
		if s, ok := o.(*Synapses); ok {
			switch {
			case s.built != nil:
				if err := s.placeShare(c); err != nil {
					return err
				}
			case s.global == nil:
				s.keepShare(net.part.rank, net.part.size)
			}
			syns = append(syns, s)
		}
	}
	for _, o := range net.objects {
		if g, ok := o.(*NeuronGroup); ok && g.partitionable(syns) {
			lo, hi := block(g.n, net.part.rank, net.part.size)
			g.shard = &[2]int{lo, hi}
		}
	}
	for _, o := range net.objects {
		if m, ok := o.(*StateMonitor); ok {
			if s, ok := m.src.(*Synapses); ok {
				net.part.recordLocal(m, s)
			}
		}
	}
	return nil
}

// recordLocal makes a monitor of synaptic variables record those of its
// synapses that this rank holds.
func (p *partition) recordLocal(m *StateMonitor, s *Synapses) {
	var cols []int
	var rel []int32
	for c, k := range m.record {
		if at, ok := slices.BinarySearch(s.global.idx, int64(k)); ok {
			cols = append(cols, c)
			rel = append(rel, int32(at))
		}
	}
	p.synRecorded[m], m.rel = cols, rel
}

// Total returns the number of synapses on all ranks: Len, unless the
// network is distributed.
func (s *Synapses) Total() int {
	if s.global != nil {
		return s.global.n
	}
	return s.n
}

// Rank returns this process's rank and the number of ranks (0 and 1 unless
// the network is distributed).
func (net *Network) Rank() (rank, size int) {
	if net.part == nil {
		return 0, 1
	}
	return net.part.rank, net.part.size
}

// Comm returns the communicator the network is distributed over, or nil.
func (net *Network) Comm() Comm {
	if net.part == nil {
		return nil
	}
	return net.part.comm
}

// Exchange measures a distributed network's spike exchange so far.
type Exchange struct {
	Collectives int64         // allgathers made: one per window of steps (distribute_window.go)
	Window      int           // steps per window in the last run (1: every step)
	Sent        int64         // spikes this rank sent
	Received    int64         // spikes of all ranks, this one's included
	Bytes       int64         // bytes this rank sent, counts included
	Time        time.Duration // spent in the exchange, waiting for the others included
}

// Exchanged returns the measurements of the spike exchange (zero unless
// the network is distributed).
func (net *Network) Exchanged() Exchange {
	if net.part == nil {
		return Exchange{}
	}
	return net.part.stats
}

// ownerGroup returns the NeuronGroup that holds an endpoint's neurons.
func ownerGroup(e any) (*NeuronGroup, bool) {
	switch g := e.(type) {
	case *NeuronGroup:
		return g, true
	case *Subgroup:
		return g.parent, true
	}
	return nil, false
}

// preReadable are the source variables synaptic code may read in a
// distributed network: the thresholder sets them from the exchanged
// spikes, so they are the same on every rank.
var preReadable = map[string]bool{"lastspike": true, "not_refractory": true}

func distributable(o object) error {
	switch x := o.(type) {
	case *Module:
		return fmt.Errorf("'%s' is a Go behaviour: behaviours run on every rank and may touch any neuron", x.Name())
	case *NeuronGroup:
		for _, name := range x.varNames {
			if v := x.vars[name]; v.col.Index != nil {
				return fmt.Errorf("NeuronGroup '%s': the linked variable '%s' reads neurons of another rank", x.name, name)
			}
		}
	case *Synapses:
		return x.distributable()
	case *StateMonitor:
		if x.w != nil {
			return fmt.Errorf("StateMonitor '%s' streams: values are gathered from the ranks at the end, so it must keep them in memory", x.name)
		}
	case *SpikeMonitor:
		if len(x.readers) > 0 && x.w != nil {
			return fmt.Errorf("%s '%s' streams the values it records: they are gathered from the ranks at the end, so it must keep them in memory", monitorKind(x), x.name)
		}
	}
	return nil
}

func monitorKind(m *SpikeMonitor) string {
	if m.event == "spike" {
		return "SpikeMonitor"
	}
	return "EventMonitor"
}

// codePart is a piece of synaptic code that runs every step: its
// expressions (before substitution) and the variables it assigns.
type codePart struct {
	what   string
	nodes  []expr.Node
	writes []string
}

// codeParts lists the synapses' pathways, summed variables and
// integrated equations.
func (s *Synapses) codeParts() []codePart {
	var parts []codePart
	for _, p := range s.pathways {
		var writes []string
		for _, st := range p.stmts {
			writes = append(writes, st.Target)
		}
		parts = append(parts, codePart{"on_" + p.name, stmtNodes(p.stmts), writes})
	}
	for _, sv := range s.summed {
		parts = append(parts, codePart{"the summed variable '" + sv.target + "'", []expr.Node{sv.expr}, nil})
	}
	var eqs []expr.Node
	for _, v := range s.clockVars {
		if eq, ok := s.eqs.Get(v); ok {
			eqs = append(eqs, eq.Expr)
		}
	}
	return append(parts, codePart{"the synaptic equations", eqs, nil})
}

// sourceReads calls read with each variable of the source neurons (its
// name in the code and without the suffix) that part reads; read returns
// false to stop.
func (s *Synapses) sourceReads(part codePart, read func(name, base string) bool) {
	for _, n := range part.nodes {
		for _, name := range expr.Names(s.substitute(n)) {
			if side, base, pre := s.sideOf(name); side != nil && pre && !read(name, base) {
				return
			}
		}
	}
}

func (s *Synapses) distributable() error {
	_, srcIsGroup := ownerGroup(s.src)
	for _, part := range s.codeParts() {
		for _, name := range part.writes {
			if side, _, pre := s.sideOf(name); side != nil && pre {
				return fmt.Errorf("Synapses '%s': %s writes '%s', a variable of the source neurons, which live on other ranks", s.name, part.what, name)
			}
		}
		for _, n := range part.nodes {
			if hasRandomCall(n) {
				return fmt.Errorf("Synapses '%s': %s draws random numbers, whose order would depend on the ranks", s.name, part.what)
			}
		}
		var err error
		s.sourceReads(part, func(name, base string) bool {
			if srcIsGroup && !preReadable[base] {
				err = fmt.Errorf("Synapses '%s': %s reads '%s', a variable of the source neurons, which is exact only on their own rank", s.name, part.what, name)
			}
			return err == nil
		})
		if err != nil {
			return err
		}
	}
	if s.updater != nil && s.updater.UsesRNG() {
		return fmt.Errorf("Synapses '%s': the synaptic equations draw random numbers, whose order would depend on the ranks", s.name)
	}
	for _, eq := range s.eqs.Subexpressions() {
		if eq.HasFlag("summed") && strings.HasSuffix(eq.Var, "_pre") {
			return fmt.Errorf("Synapses '%s': the summed variable '%s' sums into the source neurons, which live on other ranks", s.name, eq.Var)
		}
	}
	return nil
}

// KeepShare drops, before the network is distributed, the synapses that
// rank will not hold among size ranks: those whose target is outside the
// rank's block of its group. Calling it on each Synapses once it is
// connected and its values set, instead of leaving it to Distribute,
// bounds the memory of building: a rank then holds at most one whole
// Synapses besides its shares of the others. Distribute must then be
// called with a communicator of the same rank and size. Connect is
// refused afterwards, as after Distribute; a random Set draws what one
// process draws (each target's synapses from the target's stream).
func (s *Synapses) KeepShare(rank, size int) error {
	if err := s.canShare(rank, size); err != nil {
		return err
	}
	s.keepShare(rank, size)
	return nil
}

func (s *Synapses) keepShare(rank, size int) {
	owner, _ := ownerGroup(s.tgt)
	lo, hi := block(owner.n, rank, size)
	s.keepTargets(int32(lo), int32(hi))
	s.global.rank, s.global.size = rank, size
}

// readsSource reports whether the synapses' code reads the variable base
// of their source neurons.
func (s *Synapses) readsSource(base string) bool {
	for _, part := range s.codeParts() {
		found := false
		s.sourceReads(part, func(_, b string) bool {
			found = b == base
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// partitionable reports whether the group's updates and event checks can
// be left to the owners of its neurons: they write no shared variable,
// and no synapses read its not_refractory, which only the owners keep up
// to date (lastspike comes from the exchanged spikes). Random numbers do
// not stop it: they come from a stream per block of neurons
// (neurongroup_noise.go).
func (g *NeuronGroup) partitionable(syns []*Synapses) bool {
	if u := g.updater; u != nil && (u.WritesShared() || u.Sequential()) {
		return false
	}
	for _, s := range syns {
		if src, ok := ownerGroup(s.src); ok && src == g && s.readsSource("not_refractory") {
			return false
		}
	}
	return true
}

// keepTargets drops the synapses whose target (in the target owner's
// numbering) is outside lo..hi-1, remembering where the others were.
func (s *Synapses) keepTargets(lo, hi int32) {
	g := &globalSynapses{n: s.n, ptr: s.ptr}
	ptr := make([]int64, len(s.ptr))
	for row := 0; row+1 < len(s.ptr); row++ {
		for k := s.ptr[row]; k < s.ptr[row+1]; k++ {
			if j := s.jAbs[k]; j >= lo && j < hi {
				g.idx = append(g.idx, k)
			}
		}
		ptr[row+1] = int64(len(g.idx))
	}
	jAbs := make([]int32, len(g.idx))
	for k, x := range g.idx {
		jAbs[k] = s.jAbs[x]
	}
	for _, v := range s.vars {
		v.selectRows(g.idx)
	}
	s.global, s.ptr, s.jAbs, s.n = g, ptr, jAbs, len(jAbs)
	s.connectivityChanged()
}

// selectRows keeps the elements at keep (in increasing order).
func (v *Variable) selectRows(keep []int64) {
	if v.Shared || v.col.Index != nil {
		return
	}
	switch {
	case v.col.F32 != nil:
		v.col.F32 = pick(v.col.F32, keep)
	case v.col.I != nil:
		v.col.I = pick(v.col.I, keep)
	case v.col.B != nil:
		v.col.B = pick(v.col.B, keep)
	default:
		v.col.F = pick(v.col.F, keep)
	}
}

func pick[T any](x []T, keep []int64) []T {
	out := make([]T, len(keep))
	for k, p := range keep {
		out[k] = x[p]
	}
	return out
}

// firing is a NeuronGroup's event whose thresholder an operation runs.
type firing struct {
	g  *NeuronGroup
	ev *event
}

// withExchanges puts, after each run of thresholders on one clock, the
// operation that exchanges their events between the ranks.
func (net *Network) withExchanges(ops []*operation) []*operation {
	if net.part == nil {
		return ops
	}
	var out []*operation
	var batch []firing
	flush := func(c *Clock) {
		if len(batch) == 0 {
			return
		}
		fs := slices.Clone(batch)
		batch = batch[:0]
		last := out[len(out)-1]
		out = append(out, &operation{name: "spike_exchange", owner: "network", when: last.when, order: last.order, clock: c,
			run: func() { net.part.exchange(fs) }, exchanges: fs})
	}
	for k, op := range ops {
		out = append(out, op)
		if op.fires != nil {
			batch = append(batch, *op.fires)
		}
		if len(batch) > 0 && (k+1 == len(ops) || ops[k+1].fires == nil || ops[k+1].clock != op.clock) {
			flush(op.clock)
		}
	}
	return out
}

// exchange replaces each event's list by the spikes of its owners, from
// all ranks, in increasing order as one process finds them, and then
// records the refractoriness of the spiking neurons (which the
// thresholders leave to it in a distributed network).
func (p *partition) exchange(fs []firing) {
	m := &p.msg
	m.reset()
	m.addOwn(p, fs)
	p.sendSpikes(m)
	m.nextStep(p, fs)
	for _, f := range fs {
		f.g.fired(f.ev)
	}
}

// spikeMessage is this rank's own spikes of one step or more, as the ranks
// exchange them: a count per step and exchanged event, then the spikes of
// each in turn; and, once every rank's have arrived, where the next step's
// counts and spikes of each rank are.
type spikeMessage struct {
	counts, lists, send []int32
	heads, at           []int // per rank, in the receipt
}

func (m *spikeMessage) reset() { m.counts, m.lists = m.counts[:0], m.lists[:0] }

// addOwn adds this step's spikes of the neurons this rank owns.
func (m *spikeMessage) addOwn(p *partition, fs []firing) {
	for _, f := range fs {
		lo, hi := block(f.g.n, p.rank, p.size)
		local := ownedPart(f.ev.fired, int32(lo), int32(hi))
		m.counts = append(m.counts, int32(len(local)))
		m.lists = append(m.lists, local...)
	}
}

// sendSpikes exchanges the message with every rank's (one allgather).
func (p *partition) sendSpikes(m *spikeMessage) {
	began := time.Now()
	m.send = append(append(m.send[:0], m.counts...), m.lists...)
	p.stats.Collectives++
	p.stats.Sent += int64(len(m.lists))
	p.stats.Bytes += 4 * int64(len(m.send))
	p.recv, p.counts = p.comm.AllgatherInt32(m.send, p.recv, p.counts)
	p.stats.Received += int64(len(p.recv) - len(m.counts)*p.size)
	p.stats.Time += time.Since(began)
	m.heads, m.at = m.heads[:0], m.at[:0]
	start := 0
	for _, n := range p.counts {
		m.heads = append(m.heads, start)
		m.at = append(m.at, start+len(m.counts))
		start += n
	}
}

// nextStep makes each event's list the next step's spikes of all ranks, in
// rank order: in one process's order.
func (m *spikeMessage) nextStep(p *partition, fs []firing) {
	for _, f := range fs {
		f.ev.fired = f.ev.fired[:0]
		for r := range m.heads {
			n := int(p.recv[m.heads[r]])
			f.ev.fired = append(f.ev.fired, p.recv[m.at[r]:m.at[r]+n]...)
			m.heads[r]++
			m.at[r] += n
		}
	}
}

// ownedPart returns the elements of the increasing list fired within lo..hi-1.
func ownedPart(fired []int32, lo, hi int32) []int32 {
	a, _ := slices.BinarySearch(fired, lo)
	b, _ := slices.BinarySearch(fired, hi)
	return fired[a:b]
}

// Gather brings the results of a distributed run together: every rank
// gets the owners' values of all neuron variables, rank 0 gets the values
// that its monitors recorded on other ranks, and, for the synapses given,
// all synapses with their variables, in one process's order. Every rank
// must call it. The network can run on after a Gather without synapses;
// after one with synapses it cannot.
func (net *Network) Gather(syns ...*Synapses) error {
	p := net.part
	if p == nil {
		return nil
	}
	if p.gathered {
		return errors.New("the network was gathered with its synapses already")
	}
	for _, o := range net.objects {
		switch x := o.(type) {
		case *NeuronGroup:
			p.gatherGroup(x)
		case *StateMonitor:
			if _, ok := p.synRecorded[x]; ok {
				p.gatherSynapseMonitor(x)
				continue
			}
			p.gatherStateMonitor(x)
		case *SpikeMonitor:
			p.gatherSpikeMonitor(x)
		}
	}
	for _, s := range syns {
		p.gatherSynapses(s)
	}
	if len(syns) > 0 || len(p.synRecorded) > 0 {
		p.gathered = true
	}
	return nil
}

// allgather sends vals and calls put(rank, values) for each rank's part.
func (p *partition) allgather(vals []float64, put func(rank int, vals []float64)) {
	all, counts := p.comm.AllgatherFloat64(vals, nil, nil)
	at := 0
	for r, c := range counts {
		put(r, all[at:at+c])
		at += c
	}
}

func (p *partition) gatherGroup(g *NeuronGroup) {
	names := perElement(g.varNames, g.vars)
	lo, hi := block(g.n, p.rank, p.size)
	var send []float64
	for _, name := range names {
		for k := lo; k < hi; k++ {
			send = append(send, g.vars[name].at(k))
		}
	}
	p.allgather(send, func(r int, vals []float64) {
		lo, hi := block(g.n, r, p.size)
		at := 0
		for _, name := range names {
			v := g.vars[name]
			for k := lo; k < hi; k++ {
				v.setAt(k, vals[at])
				at++
			}
		}
	})
}

// perElement returns the variables among names that have a value per
// element (not shared, not linked): those a rank holds its own part of.
func perElement(names []string, vars map[string]*Variable) []string {
	var out []string
	for _, name := range names {
		if v := vars[name]; !v.Shared && v.col.Index == nil {
			out = append(out, name)
		}
	}
	return out
}

// ownerOfElement returns, for a monitor's source, which rank owns its
// element k; ok is false for sources every rank holds alike.
func (p *partition) ownerOfElement(src source) (func(k int32) int, bool) {
	e, ok := src.(endpoint)
	if !ok {
		return nil, false
	}
	g, ok := ownerGroup(e)
	if !ok {
		return nil, false
	}
	off := e.offset()
	return func(k int32) int {
		abs := int(k) + off
		for r := range p.size {
			if lo, hi := block(g.n, r, p.size); abs >= lo && abs < hi {
				return r
			}
		}
		return p.size - 1
	}, true
}

func (p *partition) gatherStateMonitor(m *StateMonitor) {
	owner, ok := p.ownerOfElement(m.src)
	if !ok {
		return
	}
	nr := len(m.rel)
	p.gatherOwned(owner, func(visit func(val *float64, k int32)) {
		for v := range m.data {
			for at := 0; at+nr <= len(m.data[v]); at += nr {
				for c, k := range m.rel {
					visit(&m.data[v][at+c], k)
				}
			}
		}
	})
}

func (p *partition) gatherSpikeMonitor(m *SpikeMonitor) {
	m.join()
	owner, ok := p.ownerOfElement(m.src)
	if !ok || len(m.values) == 0 {
		return
	}
	p.gatherOwned(owner, func(visit func(val *float64, k int32)) {
		for v := range m.values {
			for e, k := range m.i {
				visit(&m.values[v][e], k)
			}
		}
	})
}

// gatherOwned gives rank 0 each recorded value from the rank that owns its
// element: each calls visit with every value and its element, in the same
// order on every rank.
func (p *partition) gatherOwned(owner func(k int32) int, each func(visit func(val *float64, k int32))) {
	var send []float64
	each(func(val *float64, k int32) {
		if owner(k) == p.rank {
			send = append(send, *val)
		}
	})
	p.allgather(send, func(r int, vals []float64) {
		if p.rank != 0 {
			return
		}
		n := 0
		each(func(val *float64, k int32) {
			if owner(k) == r {
				*val = vals[n]
				n++
			}
		})
	})
}

// gatherSynapses gives rank 0 all synapses of s, in one process's order.
func (p *partition) gatherSynapses(s *Synapses) {
	g := s.global
	names := perElement(s.varNames, s.vars)
	send := make([]float64, 0, s.n*(2+len(names)))
	for k, x := range g.idx {
		send = append(send, float64(x), float64(s.jAbs[k]))
	}
	for _, name := range names {
		for k := range s.n {
			send = append(send, s.vars[name].at(k))
		}
	}
	var jAbs []int32
	if p.rank == 0 {
		jAbs = make([]int32, g.n)
		for _, name := range names {
			s.vars[name].resize(0)
			s.vars[name].resize(g.n)
		}
	}
	p.allgather(send, func(_ int, vals []float64) {
		if p.rank != 0 {
			return
		}
		n := len(vals) / (2 + len(names))
		for k := range n {
			jAbs[int64(vals[2*k])] = int32(vals[2*k+1])
		}
		for v, name := range names {
			col := vals[(2+v)*n : (3+v)*n]
			for k := range n {
				s.vars[name].setAt(int(vals[2*k]), col[k])
			}
		}
	})
	if p.rank == 0 {
		s.ptr, s.jAbs, s.n, s.global = g.ptr, jAbs, g.n, nil
		s.gathered = true
		s.connectivityChanged()
	}
}

// gatherSynapseMonitor gives rank 0 the samples of every recorded synapse,
// each from the rank that holds it: this rank sends which of the record
// it holds, then its samples.
func (p *partition) gatherSynapseMonitor(m *StateMonitor) {
	cols := p.synRecorded[m]
	send := []float64{float64(len(cols))}
	for _, c := range cols {
		send = append(send, float64(c))
	}
	for v := range m.data {
		send = append(send, m.data[v]...)
	}
	samples := len(m.t)
	full := len(m.record)
	var data [][]float64
	if p.rank == 0 {
		for range m.data {
			data = append(data, make([]float64, samples*full))
		}
	}
	p.allgather(send, func(_ int, vals []float64) {
		if p.rank != 0 {
			return
		}
		n := int(vals[0])
		at := 1 + n
		for v := range data {
			for smp := range samples {
				for c := range n {
					data[v][smp*full+int(vals[1+c])] = vals[at+smp*n+c]
				}
			}
			at += samples * n
		}
	})
	if p.rank == 0 {
		m.data, m.rel = data, m.rel[:0]
		for _, k := range m.record {
			m.rel = append(m.rel, int32(k))
		}
	}
}
