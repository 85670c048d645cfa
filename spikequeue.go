package soma

// spikeQueue holds spikes in flight. Delays are whole steps; the queue is a
// ring of slots, one per step of the longest delay. With one delay for all
// synapses a slot holds the source neurons that spiked (their synapses are
// a contiguous range); with per-synapse delays it holds synapse indices.
// Spikes are queued at emission time, so changing delays later does not
// move spikes already in flight (as in Brian2).
type spikeQueue struct {
	slots [][]int32
}

// resize makes room for delays of up to maxDelay steps, keeping what is
// queued (re-filed by its remaining delay, and room kept for the furthest).
func (q *spikeQueue) resize(maxDelay int, step int64) {
	for d := len(q.slots) - 1; d > maxDelay; d-- {
		if len(q.slots[int((step+int64(d))%int64(len(q.slots)))]) > 0 {
			maxDelay = d
		}
	}
	if len(q.slots) == maxDelay+1 {
		return
	}
	old := q.slots
	q.slots = make([][]int32, maxDelay+1)
	if len(old) == 0 {
		return
	}
	for d := 0; d < len(old); d++ {
		from := old[int((step+int64(d))%int64(len(old)))]
		if len(from) == 0 {
			continue
		}
		to := int((step + int64(d)) % int64(len(q.slots)))
		q.slots[to] = append(q.slots[to], from...)
	}
}

// push files items to be delivered delay steps after step.
func (q *spikeQueue) push(step int64, delay int, items []int32) {
	k := int((step + int64(delay)) % int64(len(q.slots)))
	n := len(q.slots[k])
	q.slots[k] = extend(q.slots[k], len(items))
	copy(q.slots[k][n:], items)
}

// pushOne files one item.
func (q *spikeQueue) pushOne(step int64, delay int, item int32) {
	q.pushAt(q.slotOf(step), delay, item)
}

// slotOf returns the slot of the items due at step, for pushAt: the
// division is done once per batch instead of once per item.
func (q *spikeQueue) slotOf(step int64) int { return int(step % int64(len(q.slots))) }

// pushAt files one item to be delivered delay steps after the step whose
// slot is at.
func (q *spikeQueue) pushAt(at, delay int, item int32) {
	k := at + delay
	if k >= len(q.slots) {
		k -= len(q.slots)
		if k >= len(q.slots) { // a delay beyond the ring, as modulo would
			k %= len(q.slots)
		}
	}
	// extend doubles, where append adds a quarter to a large slice: a
	// burst of spikes (the first step of a network started above
	// threshold) files millions of items, and growing by quarters copied
	// each slot many times.
	b := extend(q.slots[k], 1)
	b[len(b)-1] = item
	q.slots[k] = b
}

// due returns the items due at step, leaving them queued.
func (q *spikeQueue) due(step int64) []int32 {
	return q.slots[int(step%int64(len(q.slots)))]
}

// pop returns the items due at step and empties their slot; the returned
// slice stays valid until the next push to that slot.
func (q *spikeQueue) pop(step int64) []int32 {
	k := int(step % int64(len(q.slots)))
	items := q.slots[k]
	q.slots[k] = items[:0]
	return items
}

func (q *spikeQueue) snapshot() [][]int32 {
	out := make([][]int32, len(q.slots))
	for k, s := range q.slots {
		out[k] = append([]int32(nil), s...)
	}
	return out
}

func (q *spikeQueue) restore(s [][]int32) {
	q.slots = make([][]int32, len(s))
	for k, x := range s {
		q.slots[k] = append([]int32(nil), x...)
	}
}
