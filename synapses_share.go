package soma

import (
	"errors"
	"fmt"
)

// Building synapses as one rank's share. Connect by probability draws the
// sources of each target from the target's own stream, and Set draws the
// random values of a target's synapses from another (connect_parallel.go),
// so a rank that draws only the targets it owns gets exactly their
// synapses in one process, in the same order within each row and call.
// Where its synapses sit among all ranks' is learnt at Distribute, from
// every rank's count per source row and connect.

// builtShare is what synapses built as a share remember until Distribute:
// the rank, and each connect's count of the rank's synapses per source row.
type builtShare struct {
	rank, size int
	calls      [][]int32
}

// BuildShare makes the synapses be built as the share of rank among size
// ranks: Connect creates only the synapses onto the rank's own neurons (a
// block of the target's NeuronGroup, as Distribute divides it), and Set
// gives them the values they have in one process. Unlike KeepShare, the
// other ranks' synapses are never drawn, so building is divided between
// the ranks. It must be called before the first Connect; every Connect
// must then be by probability (CanBuildShare), and the network must be
// distributed over ranks of the same rank and size.
func (s *Synapses) BuildShare(rank, size int) error {
	if err := s.canShare(rank, size); err != nil {
		return err
	}
	if s.n > 0 {
		return fmt.Errorf("Synapses '%s' are connected already: BuildShare comes before Connect", s.name)
	}
	s.built = &builtShare{rank: rank, size: size}
	return nil
}

// canShare refuses a share that BuildShare and KeepShare cannot make.
func (s *Synapses) canShare(rank, size int) error {
	switch {
	case size < 1 || rank < 0 || rank >= size:
		return fmt.Errorf("Synapses '%s': rank %d of %d is not a valid rank", s.name, rank, size)
	case s.global != nil:
		return fmt.Errorf("Synapses '%s' keeps the share of rank %d of %d already", s.name, s.global.rank, s.global.size)
	case s.built != nil:
		return fmt.Errorf("Synapses '%s' are built as the share of rank %d of %d already", s.name, s.built.rank, s.built.size)
	}
	if s.inFlightAdded() {
		return fmt.Errorf("Synapses '%s': %w", s.name, errInFlightDistributed)
	}
	if _, ok := ownerGroup(s.tgt); !ok {
		return fmt.Errorf("Synapses '%s': the target %s is not a NeuronGroup", s.name, s.tgt.Name())
	}
	return nil
}

// CanBuildShare reports whether Connect(c) can be drawn as a rank's share:
// by probability, with p and n constant and a condition that draws no
// random numbers, which is how large networks are connected. Lists of
// pairs, j expressions and random conditions are drawn in one sequence
// over all pairs; synapses connected so must be built whole and kept
// with KeepShare.
func (s *Synapses) CanBuildShare(c Connection) bool {
	if c.I != nil || c.J != nil || c.JExpr != "" {
		return false
	}
	if _, isConst, err := s.constantOf(c.P, 1); err != nil || !isConst {
		return false
	}
	if _, isConst, err := s.constantOf(c.N, 1); err != nil || !isConst {
		return false
	}
	_, ok, err := s.sampledCondition(c.Condition)
	return ok && err == nil
}

// add records a connect's counts of synapses per source row (none: nil).
func (b *builtShare) add(counts []int64, nSrc int) {
	if b == nil {
		return
	}
	c := make([]int32, nSrc)
	for i, n := range counts {
		c[i] = int32(n)
	}
	b.calls = append(b.calls, c)
}

// ownTargets returns the targets (relative to the target endpoint) that
// the synapses are built for: all of them, or the share's.
func (s *Synapses) ownTargets() (lo, hi int) {
	n := s.tgt.Size()
	if s.built == nil {
		return 0, n
	}
	owner, _ := ownerGroup(s.tgt)
	a, b := block(owner.n, s.built.rank, s.built.size)
	off := s.tgt.offset()
	lo, hi = min(max(a-off, 0), n), min(max(b-off, 0), n)
	return lo, max(lo, hi)
}

// placeShare learns, from every rank's counts, where each of this rank's
// synapses sits among all (globalSynapses): row by row, each connect's
// synapses of lower ranks come first, since their targets are lower.
func (s *Synapses) placeShare(c Comm) error {
	b := s.built
	nSrc, calls := s.src.Size(), len(b.calls)
	send := make([]int32, 0, calls*nSrc)
	for _, cl := range b.calls {
		send = append(send, cl...)
	}
	all, counts := c.AllgatherInt32(send, nil, nil)
	for _, n := range counts {
		if n != len(send) {
			return fmt.Errorf("Synapses '%s': the ranks connected them %d and %d times", s.name, len(send)/max(nSrc, 1), n/max(nSrc, 1))
		}
	}
	count := func(r, call, i int) int64 { return int64(all[(r*calls+call)*nSrc+i]) }
	g := &globalSynapses{rank: b.rank, size: b.size, ptr: make([]int64, nSrc+1), idx: make([]int64, s.n)}
	for i := range nSrc {
		at, local := g.ptr[i], s.ptr[i]
		for call := range calls {
			var before, total int64
			for r := range b.size {
				n := count(r, call, i)
				if r < b.rank {
					before += n
				}
				total += n
			}
			for q := range count(b.rank, call, i) {
				g.idx[local] = at + before + q
				local++
			}
			at += total
		}
		if local != s.ptr[i+1] {
			return errors.New("Synapses '" + s.name + "': the synapses changed since they were built as a share")
		}
		g.ptr[i+1] = at
	}
	g.n = int(g.ptr[nSrc])
	s.global, s.built = g, nil
	return nil
}
