package dist

import (
	"slices"
	"sync"
)

// Local is one rank of a communicator between goroutines of one process:
// a network spread over Local ranks runs the same code as over MPI, in an
// ordinary test. Each rank must be used by one goroutine.
type Local struct {
	hub  *hub
	rank int
}

// hub is what the ranks of a Local communicator share: a slot per rank for
// the data of the current collective and a barrier.
type hub struct {
	size  int
	i32   [][]int32
	f64   [][]float64
	mu    sync.Mutex
	cond  *sync.Cond
	count int
	gen   int
}

// NewLocal returns the ranks 0..size-1 of a new communicator.
func NewLocal(size int) []*Local {
	h := &hub{size: size, i32: make([][]int32, size), f64: make([][]float64, size)}
	h.cond = sync.NewCond(&h.mu)
	ranks := make([]*Local, size)
	for r := range ranks {
		ranks[r] = &Local{hub: h, rank: r}
	}
	return ranks
}

func (l *Local) Rank() int { return l.rank }
func (l *Local) Size() int { return l.hub.size }

// barrier returns when every rank has reached it.
func (h *hub) barrier() {
	h.mu.Lock()
	gen := h.gen
	h.count++
	if h.count == h.size {
		h.count, h.gen = 0, h.gen+1
		h.cond.Broadcast()
	} else {
		for gen == h.gen {
			h.cond.Wait()
		}
	}
	h.mu.Unlock()
}

// AllgatherInt32 returns every rank's send, concatenated in rank order, and
// how many elements each sent.
func (l *Local) AllgatherInt32(send, recv []int32, counts []int) ([]int32, []int) {
	return allgather(l, l.hub.i32, send, recv, counts)
}

// AllgatherFloat64 is AllgatherInt32 for float64 values.
func (l *Local) AllgatherFloat64(send, recv []float64, counts []int) ([]float64, []int) {
	return allgather(l, l.hub.f64, send, recv, counts)
}

// MinInt32 returns the smallest of every rank's v.
func (l *Local) MinInt32(v int32) int32 {
	all, _ := l.AllgatherInt32([]int32{v}, nil, nil)
	return slices.Min(all)
}

// allgather publishes send in the rank's slot, copies every slot once all
// are published, and waits until all have copied before send may change.
func allgather[T any](l *Local, slots [][]T, send, recv []T, counts []int) ([]T, []int) {
	h := l.hub
	slots[l.rank] = send
	h.barrier()
	recv, counts = recv[:0], counts[:0]
	for _, s := range slots {
		recv = append(recv, s...)
		counts = append(counts, len(s))
	}
	h.barrier()
	return recv, counts
}
