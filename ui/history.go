package ui

import (
	"sort"
	"sync"
)

// timeline is a sequence of values stamped with steps, in step order.
// Entries before head are dropped; they are reclaimed by moving the live
// ones to the front once they are half of the slice, so dropping and
// appending cost O(1) per entry and memory stays about twice what is kept.
type timeline[T any] struct {
	steps []int64
	vals  []T
	head  int
}

func (l *timeline[T]) add(step int64, v T) {
	l.steps = append(l.steps, step)
	l.vals = append(l.vals, v)
}

func (l *timeline[T]) addAll(step int64, vs []T) {
	for range vs {
		l.steps = append(l.steps, step)
	}
	l.vals = append(l.vals, vs...)
}

// index returns the first live position whose step is at least step.
func (l *timeline[T]) index(step int64) int {
	live := l.steps[l.head:]
	return l.head + sort.Search(len(live), func(k int) bool { return live[k] >= step })
}

// span returns the entries with steps in [from, to).
func (l *timeline[T]) span(from, to int64) ([]int64, []T) {
	a, b := l.index(from), l.index(to)
	return l.steps[a:b], l.vals[a:b]
}

// dropBefore forgets the entries before step.
func (l *timeline[T]) dropBefore(step int64) {
	l.head = l.index(step)
	if l.head > len(l.steps)/2 {
		n := copy(l.steps, l.steps[l.head:])
		copy(l.vals, l.vals[l.head:])
		l.steps, l.vals, l.head = l.steps[:n], l.vals[:n], 0
	}
}

// truncate forgets the entries at or after step.
func (l *timeline[T]) truncate(step int64) {
	k := l.index(step)
	l.steps, l.vals = l.steps[:k], l.vals[:k]
}

func (l *timeline[T]) clear() { l.steps, l.vals, l.head = l.steps[:0], l.vals[:0], 0 }

func (l *timeline[T]) appendFrom(o *timeline[T]) {
	l.steps = append(l.steps, o.steps[o.head:]...)
	l.vals = append(l.vals, o.vals[o.head:]...)
}

// histogram is a weight histogram of one synaptic variable.
type histogram struct {
	lo, hi  float64
	counts  []int32
	version int
}

// history is what the page can show: the recent past of spikes and traces
// and the latest grids, weights and histograms. The simulation writes it
// between chunks of steps; the tabs' writers read it. mu guards it.
type history struct {
	mu   sync.Mutex
	keep int64 // steps of history kept

	now   int64 // data is complete for steps before now
	first int64 // the oldest step still held

	spikes map[string]*timeline[int32]   // group -> neuron indices
	traces map[string]*timeline[float32] // "G/VAR/K" or "G/VAR/mean"

	grid     map[string][]float32 // "G/VAR" -> values at gridStep
	gridStep int64
	gridVer  int

	weights    map[string][]float32 // "S/VAR/in/K" -> values
	weightsVer int

	hists map[string]*histogram // "S/VAR"

	status  Status
	params  []Param
	modules []ModuleInfo

	changed chan struct{} // closed and replaced when something new arrives
}

func newHistory(keep int64) *history {
	return &history{keep: keep, spikes: map[string]*timeline[int32]{}, traces: map[string]*timeline[float32]{},
		grid: map[string][]float32{}, weights: map[string][]float32{}, hists: map[string]*histogram{},
		changed: make(chan struct{})}
}

// notify wakes the writers; call with mu held.
func (h *history) notify() {
	close(h.changed)
	h.changed = make(chan struct{})
}

// trim forgets what is older than the kept span; call with mu held.
func (h *history) trim() {
	if h.now-h.keep <= h.first {
		return
	}
	h.first = h.now - h.keep
	for _, l := range h.spikes {
		l.dropBefore(h.first)
	}
	for _, l := range h.traces {
		l.dropBefore(h.first)
	}
}

// truncate forgets everything at or after step (after a load); call with
// mu held.
func (h *history) truncate(step int64) {
	for _, l := range h.spikes {
		l.truncate(step)
	}
	for _, l := range h.traces {
		l.truncate(step)
	}
	h.now = step
	if h.first > step {
		h.first = step
	}
}
