package soma

import "github.com/soma-sim/soma/kernel"

// A step of a network is many pieces of work: the update of each group,
// each threshold, each pathway, each PoissonInput. Handing each piece to
// the threads on its own costs a hand-over per piece, and a network of
// dozens of pathways (the cortical microcircuit has 64) then spends more
// on hand-overs than the threads save. Neighbouring pieces that split the
// same way run in one hand-over instead, a region: each thread runs its
// part of every piece of the region, in schedule order.
//
// Two kinds of pieces split the same way:
//
//   - pieces that touch only their own group's neurons (state updates,
//     thresholds): every piece of one group in a region cuts the group at
//     the same places (groupPart), so a neuron is touched by one thread only;
//   - pieces that write the neurons of a target group (pathways split by
//     target, PoissonInput): each cuts every target group at the same
//     places (targetPart), counted in the whole group even when the
//     target is a subgroup, so two pieces writing one neuron do it on the
//     same thread, in schedule order.
//
// A neuron therefore sees the same operations in the same order as on one
// thread, and the result does not depend on the number of threads. The
// cuts are made in Network.Threads() parts ("fine parts"), whatever the
// number of threads a step uses (the automatic choice switches between
// one and all): a thread takes a run of consecutive fine parts.

// partwise is how an operation runs in a region.
type partwise struct {
	// group is set for pieces that touch only its own neurons (own);
	// nil for pieces that write parts of target groups (target).
	group *NeuronGroup
	// begin runs first, on one thread, in schedule order. It returns the
	// work of the parts this step (in element-instructions, as kernels
	// count them); 0: no parts run. Nil: always work.
	begin func() int
	// own does the neurons lo..hi-1 of group, its sub-th part (of
	// groupParts).
	own func(sub, lo, hi int)
	// target does fine part k of parts.
	target func(k, parts int)
	// end runs after all parts of the region, on one thread, in schedule
	// order, whether parts ran or not.
	end func()
}

// groupParts is the number of parts a region cuts a group's own neurons
// lo..hi-1 into, for parts fine parts: as many as have a kernel chunk each.
func groupParts(lo, hi, parts int) int {
	return max(1, min(parts, (hi-lo)/kernel.ChunkSize))
}

// groupPart returns the neurons of fine part k (of parts) that a region
// gives a group's own pieces, and their sub-part; ok is false when fine
// part k has none. A group too small to cut goes whole to fine part home.
func groupPart(lo, hi, k, parts, home int) (sub, a, b int, ok bool) {
	m := groupParts(lo, hi, parts)
	if m == 1 {
		return 0, lo, hi, k == home%parts
	}
	if k >= m {
		return 0, 0, 0, false
	}
	per := partSize(hi-lo, m)
	a, b = lo+min(k*per, hi-lo), lo+min((k+1)*per, hi-lo)
	if k == m-1 {
		b = hi
	}
	return k, a, b, true
}

// targetPart returns the neurons of fine part k (of parts) of a target
// group of whole neurons; the last one goes up to the end.
func targetPart(whole, k, parts int) (lo, hi int) {
	per := max(partSize(whole, parts), partAlign)
	lo, hi = min(k*per, whole), min((k+1)*per, whole)
	if k == parts-1 {
		hi = whole
	}
	return lo, hi
}

// targetPartOf returns the fine part (of parts) that target neuron j of a
// group of whole neurons is in.
func targetPartOf(j, whole, parts int) int {
	per := max(partSize(whole, parts), partAlign)
	return min(j/per, parts-1)
}

// region is neighbouring partwise operations run with one hand-over.
type region struct {
	net   *Network
	ops   []*partwise
	homes []int // per operation, the fine part of a group too small to cut
	work  []int // per operation, begin's answer this step
	body  func(thread, lo, hi int)
}

func newRegion(net *Network, ops []*partwise) *region {
	r := &region{net: net, ops: ops, homes: make([]int, len(ops)), work: make([]int, len(ops))}
	home := map[*NeuronGroup]int{}
	for k, op := range ops {
		if op.group == nil {
			continue
		}
		h, ok := home[op.group]
		if !ok {
			h = len(home)
			home[op.group] = h
		}
		r.homes[k] = h
	}
	r.body = func(_, lo, hi int) {
		parts := r.net.Threads()
		for k := lo; k < hi; k++ {
			for j, op := range r.ops {
				if r.work[j] == 0 {
					continue
				}
				if op.group == nil {
					op.target(k, parts)
					continue
				}
				glo, ghi := op.group.span(true)
				if sub, a, b, ok := groupPart(glo, ghi, k, parts, r.homes[j]); ok {
					op.own(sub, a, b)
				}
			}
		}
	}
	return r
}

// run runs one step of the region's operations.
func (r *region) run() {
	total := 0
	for k, op := range r.ops {
		w := 1
		if op.begin != nil {
			w = op.begin()
		}
		r.work[k] = w
		total += w
	}
	if total > 0 {
		parts := r.net.Threads()
		threads := min(r.net.active(), parts)
		if threads > 1 && total >= 2*minWorkPerPart {
			b := r.net.bounds[:0]
			for q := 0; q < threads; q++ {
				b = append(b, q*parts/threads)
			}
			r.net.bounds = append(b, parts)
			r.net.pool.run(r.body, r.net.bounds)
		} else {
			r.body(0, 0, parts)
		}
	}
	for _, op := range r.ops {
		if op.end != nil {
			op.end()
		}
	}
}

// regions replaces runs of neighbouring partwise operations of one kind
// and clock by one operation each. With join false (operations timed one
// by one) each partwise operation becomes a region of its own.
func (net *Network) regions(ops []*operation, join bool) []*operation {
	var out []*operation
	for i := 0; i < len(ops); {
		op := ops[i]
		if op.parts == nil {
			out = append(out, op)
			i++
			continue
		}
		j := i + 1
		for join && j < len(ops) && ops[j].parts != nil && ops[j].clock == op.clock &&
			(ops[j].parts.group == nil) == (op.parts.group == nil) {
			j++
		}
		pieces := make([]*partwise, 0, j-i)
		merged := *op
		for k, o := range ops[i:j] {
			pieces = append(pieces, o.parts)
			if k > 0 {
				merged.name += "+" + o.name
			}
		}
		merged.run = newRegion(net, pieces).run
		merged.parts = nil
		out = append(out, &merged)
		i = j
	}
	return out
}
