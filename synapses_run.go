package soma

import (
	"fmt"
	"math"
	"slices"
)

// trigger is the group whose spikes the pathway takes: the source for
// on_pre, the target for on_post.
func (p *pathway) trigger() endpoint {
	if p.fromPost {
		return p.syn.tgt
	}
	return p.syn.src
}

// clock is the clock the pathway runs on, as in Brian2: its trigger's, so
// that a spike of a group on a coarser clock than the synapses is queued
// once, and delays are whole steps of that clock.
func (p *pathway) clock() *Clock { return p.trigger().clockOf() }

// delayBlock is the number of synapses per block of work in prepareDelays.
const delayBlock = 1 << 16

// prepareDelays converts the delays to whole steps before a run, rounding
// like Brian2 (numpy's round, half to even).
func (p *pathway) prepareDelays() {
	s := p.syn
	d := p.delay
	dt, step := p.clock().dt, p.clock().step
	if d.variable == "" {
		d.scalar = true
		d.steps = int(math.RoundToEven(d.seconds / dt))
		p.queue.resize(d.steps, step)
		p.queueArriving(step)
		return
	}
	d.scalar = false
	v := s.vars[d.variable]
	// The passes go over every synapse (3e8 in the cortical
	// microcircuit), in blocks on the network's threads.
	threads := s.buildThreads()
	blocks := (s.n + delayBlock - 1) / delayBlock
	bufs := make([][]float64, threads)
	values := func(w, b int) (int, []float64) {
		lo, hi := b*delayBlock, min((b+1)*delayBlock, s.n)
		if bufs[w] == nil {
			bufs[w] = make([]float64, delayBlock)
		}
		return lo, v.load(lo, hi, bufs[w])
	}
	// One pass converts into bytes and finds the longest delay in steps;
	// only delays past 255 steps take a second pass, into int32.
	d.perSyn.small = grow(d.perSyn.small, s.n)
	most := make([]int, threads)
	forBlocks(threads, blocks, func(w, b int) {
		lo, vals := values(w, b)
		out := d.perSyn.small[lo : lo+len(vals)]
		m := most[w]
		for k, sec := range vals {
			n := delaySteps(sec, dt)
			out[k] = uint8(n)
			m = max(m, n)
		}
		most[w] = m
	})
	maxSteps := slices.Max(most)
	if maxSteps <= math.MaxUint8 {
		d.perSyn.large = nil
	} else {
		d.perSyn.small = nil
		d.perSyn.large = grow(d.perSyn.large, s.n)
		forBlocks(threads, blocks, func(w, b int) {
			lo, vals := values(w, b)
			out := d.perSyn.large[lo : lo+len(vals)]
			for k, sec := range vals {
				out[k] = int32(delaySteps(sec, dt))
			}
		})
	}
	p.queue.resize(maxSteps, step)
	for k := range p.partQueues {
		p.partQueues[k].resize(maxSteps, step)
	}
	p.queueArriving(step)
}

// delaySteps is a per-synapse delay of sec seconds in whole steps of dt,
// rounded as Brian2 rounds it (half to even), and never negative.
func delaySteps(sec, dt float64) int { return max(int(math.RoundToEven(sec/dt)), 0) }

func (s *Synapses) operations() []*operation {
	var ops []*operation
	for _, sv := range s.summed {
		sv := sv
		ops = append(ops, &operation{name: s.name + "_summed_" + sv.target, owner: s.name, when: slotPositions["groups"], order: -1, clock: s.clock,
			run: func() {
				s.t = s.clock.T()
				if c := sv.col.col; c.F32 != nil {
					clear(c.F32[sv.lo:sv.hi])
				} else {
					clear(c.F[sv.lo:sv.hi])
				}
				sv.kernel.Run(0, s.n, s.rng)
			}})
	}
	if s.updater != nil {
		ops = append(ops, &operation{name: s.name + "_stateupdater", owner: s.name, when: slotPositions["groups"], order: s.order, clock: s.clock,
			run: func() {
				s.t = s.clock.T()
				s.updater.Run(0, s.n, s.rng)
			}})
	}
	for _, p := range s.pathways {
		p := p
		ops = append(ops, &operation{name: s.name + "_" + p.name, owner: s.name, when: slotPositions["synapses"], order: s.order + p.order, clock: p.clock(),
			run: p.step, parts: p.partwise()})
	}
	return ops
}

// step queues this step's spikes and runs the code for those that arrive.
func (p *pathway) step() {
	s := p.syn
	if p.fromPost {
		b := p.take()[0] // on_post spikes are always this step's
		p.stepPost(b.fired, b.step)
		return
	}
	if p.delay.scalar {
		if p.arrivals() > 0 {
			p.ranges = p.ranges[:0]
			for _, k := range p.due {
				if lo, hi := s.ptr[k], s.ptr[k+1]; hi > lo {
					p.ranges = append(p.ranges, [2]int{int(lo), int(hi)})
				}
			}
			p.kernel.RunRanges(p.ranges, s.rng)
		}
		return
	}
	p.pend = p.take()
	if parts := p.queueParts(); parts > 1 {
		for part := 0; part < parts; part++ {
			p.stepPart(part, parts)
		}
		return
	}
	for _, b := range p.pend {
		at := p.queue.slotOf(b.step)
		for _, k := range b.fired {
			for syn := s.ptr[k]; syn < s.ptr[k+1]; syn++ {
				p.queue.pushAt(at, p.delay.perSyn.at(syn), int32(syn))
			}
		}
	}
	if due := p.queue.pop(p.clock().step); len(due) > 0 {
		p.kernel.RunIndices(due, s.rng)
	}
}

// spikeBatch is one step's spikes of a pathway's trigger (relative to the
// trigger), queued as spikes of that step.
type spikeBatch struct {
	step  int64
	fired []int32
}

// take returns the trigger's spikes to queue now and sets the synapses'
// time: this step's spikes, or, when a distributed network exchanges
// spikes once per window of steps (distribute_window.go), each step's of
// the window once it ends, and none before.
func (p *pathway) take() []spikeBatch {
	c := p.clock()
	p.syn.t = c.T()
	if p.late {
		return p.lateBatches
	}
	fired, _ := p.trigger().firedRel("spike", p.buf)
	p.buf = fired[:0]
	p.one[0] = spikeBatch{c.step, fired}
	return p.one[:]
}

// addLate adds the trigger's spikes of step, which the window's exchange
// has just put in place, to those the pathway queues at this step.
func (p *pathway) addLate(step int64) {
	fired, _ := p.trigger().firedRel("spike", p.buf)
	p.buf = fired[:0]
	k := len(p.lateBatches)
	if k == len(p.lateBufs) {
		p.lateBufs = append(p.lateBufs, nil)
	}
	p.lateBufs[k] = append(p.lateBufs[k][:0], fired...)
	p.lateBatches = append(p.lateBatches, spikeBatch{step, p.lateBufs[k]})
}

// arrivals queues this step's spikes of a pathway with one delay and sets
// p.due to the source neurons whose spikes arrive now; it returns about
// how many synapses they have (rowSynapsesAbout).
func (p *pathway) arrivals() int {
	for _, b := range p.take() {
		if len(b.fired) > 0 {
			p.queue.push(b.step, p.delay.steps, b.fired)
		}
	}
	p.due = p.queue.pop(p.clock().step)
	return p.syn.rowSynapsesAbout(p.due)
}

// rowSynapsesAbout is about how many synapses the rows of the source
// neurons sources hold: their number times the average row's, and at
// least one when there are sources. It only weighs a step's work (whether
// to split it), so it does not read the rows' lengths: on the thread that
// hands the work out, that was a cache miss per spike.
func (s *Synapses) rowSynapsesAbout(sources []int32) int {
	if len(sources) == 0 {
		return 0
	}
	perRow := float64(s.n) / float64(max(len(s.ptr)-1, 1))
	return max(1, int(float64(len(sources))*perRow))
}

// synapseWork is the work of one synaptic event, in the element-
// instructions of minWorkPerPart.
const synapseWork = 8

// partwise returns how the pathway runs in a region, split by target part:
// when its code is local to each target and each row is sorted by
// target, so that a part's synapses in a row are a contiguous range.
// Every target sees its synapses in the order one thread gives them.
func (p *pathway) partwise() *partwise {
	s := p.syn
	if !p.byTarget || !s.rowsSortedByTarget() {
		return nil
	}
	if p.delay.scalar {
		return &partwise{
			begin: func() int {
				n := p.arrivals()
				if n > 0 {
					parts := s.net.Threads()
					s.targetCuts(parts)
					for len(p.parts) < parts {
						p.parts = append(p.parts, nil)
					}
				}
				return n * synapseWork
			},
			target: p.runPart,
		}
	}
	return &partwise{
		begin: func() int {
			p.pend = p.take()
			p.queueParts()
			n, step := 0, p.clock().step
			for _, b := range p.pend {
				n += s.rowSynapsesAbout(b.fired)
			}
			for q := range p.partQueues {
				n += len(p.partQueues[q].due(step))
			}
			return n * synapseWork
		},
		target: p.stepPart,
	}
}

// runPart runs the synapses of the due spikes (p.due) onto fine part k of
// the target group.
func (p *pathway) runPart(k, parts int) {
	s := p.syn
	sub := p.parts[k][:0]
	for _, src := range p.due {
		at := int(src)*parts + k
		if a, b := s.cuts[at], s.cuts[at+1]; b > a {
			sub = append(sub, [2]int{int(a), int(b)})
		}
	}
	p.parts[k] = sub
	if len(sub) > 0 {
		p.kernel.RunRanges(sub, nil)
	}
}

// queueParts returns into how many queues, one per fine part of the
// target group, spikes with per-synapse delays are filed: Threads() when
// the pathway runs split by target, one otherwise. Spikes in flight move
// when that changes.
func (p *pathway) queueParts() int {
	s := p.syn
	parts := 1
	if p.byTarget && s.net.Threads() > 1 && s.rowsSortedByTarget() {
		parts = s.net.Threads()
		s.targetCuts(parts)
	}
	if have := max(len(p.partQueues), 1); have != parts {
		p.regroup(parts)
	}
	return parts
}

// stepPart files the spikes taken this step (p.pend) into the queue of
// fine part k of the target group and runs the part's due synapses.
func (p *pathway) stepPart(k, parts int) {
	s := p.syn
	q := &p.partQueues[k]
	for _, b := range p.pend {
		slot := q.slotOf(b.step)
		for _, src := range b.fired {
			at := int(src)*parts + k
			for syn := s.cuts[at]; syn < s.cuts[at+1]; syn++ {
				q.pushAt(slot, p.delay.perSyn.at(syn), int32(syn))
			}
		}
	}
	if due := q.pop(p.clock().step); len(due) > 0 {
		p.kernel.RunIndices(due, nil)
	}
}

// regroup moves the spikes in flight into parts queues (one: p.queue),
// keeping their order within each target.
func (p *pathway) regroup(parts int) {
	s := p.syn
	from := p.partQueues
	if len(from) == 0 {
		from = []spikeQueue{p.queue}
	}
	slots := len(from[0].slots)
	to := make([]spikeQueue, parts)
	for k := range to {
		to[k].slots = make([][]int32, slots)
	}
	whole := s.tgt.wholeSize()
	for _, q := range from {
		for slot, items := range q.slots {
			for _, syn := range items {
				part := targetPartOf(int(s.jAbs[syn]), whole, parts)
				to[part].slots[slot] = append(to[part].slots[slot], syn)
			}
		}
	}
	if parts == 1 {
		p.queue, p.partQueues = to[0], nil
		return
	}
	p.queue.slots, p.partQueues = make([][]int32, slots), to
}

// targetCuts returns, for each source neuron k, where its synapses cross
// into each fine part of the target group (targetPart, counted in the
// whole group even for a subgroup target): the synapses of k in part q
// are cuts[k*parts+q] up to cuts[k*parts+q+1], as ptr bounds whole rows
// (cuts[k*parts] is ptr[k], and the last entry ptr's last). A thread
// finds its piece of a row in one place, usually one cache line, where
// ptr and offsets into the row would cost it two misses per row.
// Computed once per connectivity and thread count, by that many threads,
// so propagation need not search rows.
func (s *Synapses) targetCuts(parts int) []int64 {
	if s.cutParts == parts && s.cuts != nil {
		return s.cuts
	}
	whole := s.tgt.wholeSize()
	nsrc := len(s.ptr) - 1
	cuts := largeSlice[int64](nsrc*parts + 1)
	from := make([]int32, parts) // the first target of each part
	for q := range from {
		lo, _ := targetPart(whole, q, parts)
		from[q] = int32(lo)
	}
	s.forSourceRows(func(lo, hi int) {
		for k := lo; k < hi; k++ {
			row := s.jAbs[s.ptr[k]:s.ptr[k+1]]
			c := cuts[k*parts : (k+1)*parts]
			c[0] = s.ptr[k]
			for q := 1; q < parts; q++ {
				a, _ := slices.BinarySearch(row, from[q])
				c[q] = s.ptr[k] + int64(a)
			}
		}
	})
	cuts[nsrc*parts] = s.ptr[nsrc]
	s.cuts, s.cutParts = cuts, parts
	return cuts
}

// stepPost runs an on_post pathway: the synapses of target neurons that
// spiked (postsynaptic delays are scalar).
func (p *pathway) stepPost(fired []int32, step int64) {
	s := p.syn
	ptr, syn := s.byPost()
	var due []int32
	if len(fired) > 0 {
		for _, j := range fired {
			p.queue.push(step, p.delay.steps, syn[ptr[j]:ptr[j+1]])
		}
	}
	due = p.queue.pop(step)
	if len(due) > 0 {
		p.kernel.RunIndices(due, s.rng)
	}
}

type synapsesSnapshot struct {
	n      int
	ptr    []int64
	jAbs   []int32
	vars   map[string]any
	queues [][][]int32
}

func (s *Synapses) snapshot() any {
	snap := synapsesSnapshot{n: s.n, ptr: append([]int64(nil), s.ptr...), jAbs: append([]int32(nil), s.jAbs...), vars: map[string]any{}}
	for name, v := range s.vars {
		snap.vars[name] = v.snapshot()
	}
	for _, p := range s.pathways {
		p.regroup(1) // one queue to store; the next step files them by part again
		snap.queues = append(snap.queues, p.queue.snapshot())
	}
	return snap
}

func (s *Synapses) restoreSnapshot(x any) {
	snap := x.(synapsesSnapshot)
	if snap.n != s.n {
		// Synapses were created after Store: go back to the stored ones.
		s.n, s.ptr, s.jAbs = snap.n, append([]int64(nil), snap.ptr...), append([]int32(nil), snap.jAbs...)
		for _, v := range s.vars {
			v.resize(s.n)
		}
		s.connectivityChanged()
	}
	for name, v := range s.vars {
		if vs, ok := snap.vars[name]; ok {
			v.restore(vs)
		}
	}
	for k, p := range s.pathways {
		if k < len(snap.queues) {
			p.queue.restore(snap.queues[k])
			p.partQueues = nil
		}
	}
}

// claimSummed records that a Synapses object sums into a variable range
// and refuses a second one that overlaps, as Brian2 does.
func (net *Network) claimSummed(s *Synapses, target *Variable, lo, hi int, name string) error {
	if net.summedClaims == nil {
		net.summedClaims = map[*Variable][]summedClaim{}
	}
	for _, c := range net.summedClaims[target] {
		if c.owner != s && lo < c.hi && c.lo < hi {
			return fmt.Errorf("the summed variable '%s' targets '%s', which '%s' already sums into; two Synapses objects cannot sum into the same variable of the same neurons", name, target.Name, c.owner.name)
		}
	}
	claims := net.summedClaims[target][:0:0]
	for _, c := range net.summedClaims[target] {
		if c.owner != s {
			claims = append(claims, c)
		}
	}
	net.summedClaims[target] = append(claims, summedClaim{owner: s, lo: lo, hi: hi})
	return nil
}

type summedClaim struct {
	owner  *Synapses
	lo, hi int
}
