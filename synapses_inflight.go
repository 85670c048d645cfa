package soma

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Spikes in flight between runs of separate processes. Within one
// process, spikes on their way stay queued from one Run to the next (and
// Store keeps them); InFlight and AddInFlight carry them to another
// process, as a Brian2 script that runs several times on soma needs.

// inFlight is a spike on its way: the item it reaches (a synapse, or for
// a pathway with one delay a source neuron) and in how many steps from
// the next one.
type inFlight struct {
	item  int32
	steps int
}

// pathwayNamed returns the pathway called name.
func (s *Synapses) pathwayNamed(name string) (*pathway, error) {
	var names []string
	for _, p := range s.pathways {
		if p.name == name {
			return p, nil
		}
		names = append(names, p.name)
	}
	return nil, fmt.Errorf("Synapses '%s' have no pathway '%s' (pathways: %s)", s.name, name, strings.Join(names, ", "))
}

// PathwayNames lists the synapses' pathways ("pre", "post", ...).
func (s *Synapses) PathwayNames() []string {
	var out []string
	for _, p := range s.pathways {
		out = append(out, p.name)
	}
	return out
}

// InFlight returns the spikes of a pathway that are on their way after
// the last step: for each, the synapse it reaches and in how many steps
// from the next one (0: in the next step), in the order they arrive.
func (s *Synapses) InFlight(pathway string) (synapses []int32, steps []int32, err error) {
	p, err := s.pathwayNamed(pathway)
	if err != nil {
		return nil, nil, err
	}
	if s.global != nil || s.gathered {
		return nil, nil, fmt.Errorf("Synapses '%s': the spikes in flight of a distributed network are spread over the ranks", s.name)
	}
	for _, f := range p.arriving {
		synapses, steps = p.appendItem(synapses, steps, f.item, f.steps)
	}
	if len(p.partQueues) > 0 {
		p.regroup(1)
	}
	n := int64(len(p.queue.slots))
	step := p.clock().step
	for r := range n {
		for _, item := range p.queue.slots[(step+r)%n] {
			synapses, steps = p.appendItem(synapses, steps, item, int(r))
		}
	}
	return synapses, steps, nil
}

// rowQueue reports whether the pathway queues source neurons (one delay
// for all synapses) rather than synapses.
func (p *pathway) rowQueue() bool { return !p.fromPost && p.delay.variable == "" }

// appendItem appends the synapses a queued item reaches.
func (p *pathway) appendItem(syns, steps []int32, item int32, r int) ([]int32, []int32) {
	if !p.rowQueue() {
		return append(syns, item), append(steps, int32(r))
	}
	for k := p.syn.ptr[item]; k < p.syn.ptr[item+1]; k++ {
		syns, steps = append(syns, int32(k)), append(steps, int32(r))
	}
	return syns, steps
}

// AddInFlight queues spikes on a pathway to arrive in the next run, as
// InFlight gives them: the synapse each reaches and in how many steps
// from the first step of the run. A pathway with one delay for all its
// synapses delivers a spike to every synapse of its source neuron, so
// the spikes given for it must reach whole rows, in order (as InFlight
// gives them).
func (s *Synapses) AddInFlight(pathway string, synapses, steps []int32) error {
	p, err := s.pathwayNamed(pathway)
	if err != nil {
		return err
	}
	if s.global != nil || s.built != nil {
		return fmt.Errorf("Synapses '%s': spikes in flight cannot be added to a network spread over ranks", s.name)
	}
	if len(synapses) != len(steps) {
		return fmt.Errorf("Synapses '%s', pathway '%s': %d synapses but %d steps for the spikes in flight", s.name, pathway, len(synapses), len(steps))
	}
	for k, syn := range synapses {
		if syn < 0 || int(syn) >= s.n {
			return fmt.Errorf("Synapses '%s', pathway '%s': a spike in flight reaches synapse %d, but there are %d synapses", s.name, pathway, syn, s.n)
		}
		if steps[k] < 0 {
			return fmt.Errorf("Synapses '%s', pathway '%s': a spike in flight arrives in %d steps, which is in the past", s.name, pathway, steps[k])
		}
	}
	if !p.rowQueue() {
		for k, syn := range synapses {
			p.arriving = append(p.arriving, inFlight{syn, int(steps[k])})
		}
		return nil
	}
	for k := 0; k < len(synapses); {
		syn, r := int64(synapses[k]), steps[k]
		row, _ := slices.BinarySearch(s.ptr, syn+1)
		row-- // the source whose synapses ptr[row].. include syn
		lo, hi := s.ptr[row], s.ptr[row+1]
		whole := syn == lo && k+int(hi-lo) <= len(synapses)
		for q := 0; whole && q < int(hi-lo); q++ {
			whole = int64(synapses[k+q]) == lo+int64(q) && steps[k+q] == r
		}
		if !whole {
			return fmt.Errorf("Synapses '%s', pathway '%s': the spikes in flight reach some of the synapses of source neuron %d, not all in order; the pathway has one delay for all synapses and delivers a spike to all of them",
				s.name, pathway, row)
		}
		p.arriving = append(p.arriving, inFlight{int32(row), int(r)})
		k += int(hi - lo)
	}
	return nil
}

// queueArriving files the spikes AddInFlight gave into the queue, at the
// start of a run (after the delays are prepared).
func (p *pathway) queueArriving(step int64) {
	if len(p.arriving) == 0 {
		return
	}
	if len(p.partQueues) > 0 {
		p.regroup(1)
	}
	longest := 0
	for _, f := range p.arriving {
		longest = max(longest, f.steps)
	}
	p.queue.resize(max(longest, len(p.queue.slots)-1), step)
	for _, f := range p.arriving {
		p.queue.pushOne(step, f.steps, f.item)
	}
	p.arriving = nil
}

// inFlightAdded reports whether AddInFlight gave spikes not yet queued.
func (s *Synapses) inFlightAdded() bool {
	for _, p := range s.pathways {
		if len(p.arriving) > 0 {
			return true
		}
	}
	return false
}

// errInFlightDistributed refuses to distribute a network with spikes
// given to AddInFlight and not yet queued.
var errInFlightDistributed = errors.New("spikes in flight were added (AddInFlight): a network spread over ranks cannot take them")
