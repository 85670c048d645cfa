package dist

import (
	"fmt"
	"slices"
)

// Timing one rank's share of a run on many ranks, on one core: a run on a
// Recorder (one rank) keeps every spike exchange; a Replay then stands
// for rank r of size ranks and answers each exchange with the spikes that
// run had, so the rank's neurons see exactly the input they would on a
// real cluster, and its computation per step can be measured for any
// number of ranks without the others. Gather is not possible on either.

// Recording is the spike exchanges of a run, in order.
type Recording struct {
	messages [][]int32
	mins     []int32 // the results of MinInt32, in order
}

// Recorder is a communicator of one rank that records each exchange.
type Recorder struct {
	rec Recording
}

// NewRecorder returns a communicator of one rank that records.
func NewRecorder() *Recorder { return &Recorder{} }

func (c *Recorder) Rank() int { return 0 }
func (c *Recorder) Size() int { return 1 }

// Recording returns what was exchanged so far.
func (c *Recorder) Recording() *Recording { return &c.rec }

func (c *Recorder) AllgatherInt32(send, recv []int32, counts []int) ([]int32, []int) {
	c.rec.messages = append(c.rec.messages, slices.Clone(send))
	return append(recv[:0], send...), append(counts[:0], len(send))
}

func (c *Recorder) AllgatherFloat64(send, recv []float64, counts []int) ([]float64, []int) {
	return append(recv[:0], send...), append(counts[:0], len(send))
}

func (c *Recorder) MinInt32(v int32) int32 {
	c.rec.mins = append(c.rec.mins, v)
	return v
}

// Replay is rank Rank of Size ranks in a replay of a Recording.
type Replay struct {
	rec        *Recording
	rank, size int
	next       int
	nextMin    int
}

// NewReplay returns rank r of size ranks replaying rec: the network must
// be the one recorded (same model, seed and duration).
func NewReplay(rec *Recording, r, size int) *Replay {
	return &Replay{rec: rec, rank: r, size: size}
}

func (c *Replay) Rank() int { return c.rank }
func (c *Replay) Size() int { return c.size }

// AllgatherInt32 answers with the recorded exchange as if from three
// ranks: the spikes before this rank's, its own (checked against the
// recording) and those after. An exchange message is one count per event
// followed by the events' lists.
func (c *Replay) AllgatherInt32(send, recv []int32, counts []int) ([]int32, []int) {
	if c.next >= len(c.rec.messages) {
		panic("dist: the replay ran past its recording")
	}
	full := c.rec.messages[c.next]
	c.next++
	events := eventsIn(send, full)
	var parts [3][]int32
	for p := range parts {
		parts[p] = make([]int32, events, events+len(full))
	}
	atOwn, atFull := events, events
	for e := range events {
		own := send[atOwn : atOwn+int(send[e])]
		all := full[atFull : atFull+int(full[e])]
		atOwn, atFull = atOwn+len(own), atFull+len(all)
		a := len(all)
		if len(own) > 0 {
			a, _ = slices.BinarySearch(all, own[0])
			if a+len(own) > len(all) || !slices.Equal(all[a:a+len(own)], own) {
				panic(fmt.Sprintf("dist: the replay diverged from its recording at exchange %d", c.next-1))
			}
		}
		before, after := all[:a], all[min(a+len(own), len(all)):]
		for p, list := range [3][]int32{before, own, after} {
			parts[p][e] = int32(len(list))
			parts[p] = append(parts[p], list...)
		}
	}
	recv, counts = recv[:0], counts[:0]
	for _, p := range parts {
		recv = append(recv, p...)
		counts = append(counts, len(p))
	}
	return recv, counts
}

// eventsIn returns the number of events of two exchange messages: the
// smallest n for which both are n counts followed by lists of those
// lengths.
func eventsIn(a, b []int32) int {
	fits := func(m []int32, n int) bool {
		total := n
		for _, c := range m[:n] {
			total += int(c)
		}
		return total == len(m)
	}
	for n := 1; n <= min(len(a), len(b)); n++ {
		if fits(a, n) && fits(b, n) {
			return n
		}
	}
	panic("dist: an exchange message of an unknown form")
}

// MinInt32 answers with the recorded result: the smallest value of all
// ranks, which the one recorded rank had alone.
func (c *Replay) MinInt32(v int32) int32 {
	if c.nextMin >= len(c.rec.mins) {
		panic("dist: the replay ran past its recording")
	}
	c.nextMin++
	return c.rec.mins[c.nextMin-1]
}

// AllgatherFloat64 panics: a replayed run cannot be gathered.
func (c *Replay) AllgatherFloat64(send, recv []float64, counts []int) ([]float64, []int) {
	panic("dist: a replayed run cannot be gathered")
}
