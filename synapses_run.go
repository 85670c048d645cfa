package soma

import (
	"fmt"
	"math"
	"slices"

	"github.com/soma-sim/soma/kernel"
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
		return
	}
	d.scalar = false
	v := s.vars[d.variable]
	steps := func(k int) int {
		return max(int(math.RoundToEven(v.at(k)/dt)), 0)
	}
	longest := 0.0 // rounding keeps the order: the longest delay has the most steps
	for k := 0; k < s.n; k++ {
		longest = max(longest, v.at(k))
	}
	maxSteps := max(int(math.RoundToEven(longest/dt)), 0)
	if maxSteps <= math.MaxUint8 {
		d.perSyn.large = nil
		d.perSyn.small = slices.Grow(d.perSyn.small[:0], s.n)[:s.n]
		for k := range d.perSyn.small {
			d.perSyn.small[k] = uint8(steps(k))
		}
	} else {
		d.perSyn.small = nil
		d.perSyn.large = slices.Grow(d.perSyn.large[:0], s.n)[:s.n]
		for k := range d.perSyn.large {
			d.perSyn.large[k] = int32(steps(k))
		}
	}
	p.queue.resize(maxSteps, step)
	for k := range p.partQueues {
		p.partQueues[k].resize(maxSteps, step)
	}
}

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
		ops = append(ops, &operation{name: s.name + "_" + p.name, owner: s.name, when: slotPositions["synapses"], order: s.order + p.order, clock: p.clock(), run: p.step})
	}
	return ops
}

// step queues this step's spikes and runs the code for those that arrive.
func (p *pathway) step() {
	s := p.syn
	fired, _ := p.trigger().firedRel("spike", p.buf)
	p.buf = fired[:0]
	c := p.clock()
	step := c.step
	s.t = c.T()
	if p.fromPost {
		p.stepPost(fired, step)
		return
	}
	if p.delay.scalar {
		if len(fired) > 0 {
			p.queue.push(step, p.delay.steps, fired)
		}
		p.ranges = p.ranges[:0]
		p.due = p.queue.pop(step)
		for _, k := range p.due {
			if lo, hi := s.ptr[k], s.ptr[k+1]; hi > lo {
				p.ranges = append(p.ranges, [2]int{int(lo), int(hi)})
			}
		}
		if len(p.ranges) > 0 {
			p.run(p.ranges)
		}
		return
	}
	if cuts, parts := p.queueParts(); parts > 1 {
		p.stepParts(fired, step, cuts, parts)
		return
	}
	for _, k := range fired {
		for syn := s.ptr[k]; syn < s.ptr[k+1]; syn++ {
			p.queue.pushOne(step, p.delay.perSyn.at(syn), int32(syn))
		}
	}
	if due := p.queue.pop(step); len(due) > 0 {
		p.kernel.RunIndices(due, s.rng)
	}
}

// queueParts returns into how many queues, one per part of the target
// group, spikes with per-synapse delays are filed, and the row cuts of
// those parts: several when the run may use several threads and the code
// is local to each target, one otherwise. Spikes in flight move when that
// changes.
func (p *pathway) queueParts() ([]int32, int) {
	s := p.syn
	var cuts []int32
	parts := 1
	if p.byTarget && s.net.Threads() > 1 && s.rowsSortedByTarget() {
		cuts, parts = s.targetCuts(s.net.Threads())
		parts = max(parts, 1)
	}
	if have := max(len(p.partQueues), 1); have != parts {
		p.regroup(parts)
	}
	return cuts, parts
}

// stepParts files the spikes of the fired sources into the queue of their
// target's part and runs the part's due synapses, each part on its own
// thread. A target sees its synapses in the order one queue gives them,
// so the result is the same.
func (p *pathway) stepParts(fired []int32, step int64, cuts []int32, parts int) {
	s := p.syn
	s.net.splitBlocks(parts, minWorkPerPart, func(_, lo, hi int) {
		for part := lo; part < hi; part++ {
			q := &p.partQueues[part]
			for _, k := range fired {
				row, c := s.ptr[k], cuts[int(k)*(parts+1):]
				for syn := row + int64(c[part]); syn < row+int64(c[part+1]); syn++ {
					q.pushOne(step, p.delay.perSyn.at(syn), int32(syn))
				}
			}
			if due := q.pop(step); len(due) > 0 {
				p.kernel.RunIndices(due, nil)
			}
		}
	})
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
	per := 0
	if parts > 1 {
		n := s.tgt.Size()
		per = partSize(n, parts)
	}
	off := s.tgt.offset()
	for _, q := range from {
		for slot, items := range q.slots {
			for _, syn := range items {
				part := 0
				if per > 0 {
					part = min((int(s.jAbs[syn])-off)/per, parts-1)
				}
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

// minSplitSynapses is the fewest due synapses worth splitting by target.
const minSplitSynapses = 2048

// run runs the pathway's code over ranges of synapses. With several
// threads and enough synapses, and code local to each target, each thread
// takes the synapses onto its own part of the target group, in the same
// order as one thread would: every target sees the same operations in the
// same order, so the result does not depend on the split. Each part is the
// part of the group the thread updates, so the targets stay in its cache.
func (p *pathway) run(ranges [][2]int) {
	s := p.syn
	net := s.net
	if !p.byTarget || net.active() < 2 || dueSynapses(ranges) < minSplitSynapses || !s.rowsSortedByTarget() {
		p.kernel.RunRanges(ranges, s.rng)
		return
	}
	cuts, parts := s.targetCuts(net.active())
	if parts < 2 {
		p.kernel.RunRanges(ranges, s.rng)
		return
	}
	if len(p.parts) < parts {
		p.parts = make([][][2]int, parts)
	}
	net.splitBlocks(parts, minWorkPerPart, func(_, lo, hi int) {
		for part := lo; part < hi; part++ {
			sub := p.parts[part][:0]
			for _, k := range p.due {
				c := cuts[int(k)*(parts+1):]
				if a, b := c[part], c[part+1]; b > a {
					row := int(s.ptr[k])
					sub = append(sub, [2]int{row + int(a), row + int(b)})
				}
			}
			p.parts[part] = sub
			if len(sub) > 0 {
				p.kernel.RunRanges(sub, nil)
			}
		}
	})
}

// targetCuts returns, for each source neuron k, where its synapses cross
// into each thread's part of the target group: the synapses of k in part
// q are ptr[k] plus cuts[k*(parts+1)+q] up to cuts[k*(parts+1)+q+1]. The parts are
// the ones split gives the target group's update. Computed once per
// connectivity and thread count, so propagation need not search rows.
func (s *Synapses) targetCuts(threads int) ([]int32, int) {
	n := s.tgt.Size()
	parts := min(threads, n/kernel.ChunkSize)
	if parts < 2 {
		return nil, parts
	}
	if s.cutParts == parts && s.cuts != nil {
		return s.cuts, parts
	}
	per := partSize(n, parts)
	off := int32(s.tgt.offset())
	nsrc := len(s.ptr) - 1
	cuts := make([]int32, nsrc*(parts+1))
	for k := 0; k < nsrc; k++ {
		row := s.jAbs[s.ptr[k]:s.ptr[k+1]]
		c := cuts[k*(parts+1) : (k+1)*(parts+1)]
		c[parts] = int32(len(row))
		for q := 1; q < parts; q++ {
			a, _ := slices.BinarySearch(row, off+int32(min(q*per, n)))
			c[q] = int32(a)
		}
	}
	s.cuts, s.cutParts = cuts, parts
	return cuts, parts
}

// dueSynapses counts the synapses in ranges.
func dueSynapses(ranges [][2]int) int {
	n := 0
	for _, r := range ranges {
		n += r[1] - r[0]
	}
	return n
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
