package soma

import (
	"fmt"
	"strings"
)

// The schedule is one numeric axis. Brian2's slots sit at fixed points on
// it; before_X and after_X lie just before and after X (slotOffset away),
// so that after_X still comes before before_Y of the next slot. Behaviours written
// in Go may use any position on the same axis, so both worlds interleave
// in one well-defined order.
var slotPositions = map[string]float64{
	"start":      0,
	"groups":     10,
	"thresholds": 20,
	"synapses":   30,
	"resets":     40,
	"end":        50,
}

// slotOffset separates before_X and after_X from X; slots are 10 apart.
const slotOffset = 3

// SlotNames lists Brian2's schedule in order.
var SlotNames = []string{"start", "groups", "thresholds", "synapses", "resets", "end"}

// SlotPosition returns the position of a slot name on the schedule axis.
func SlotPosition(when string) (float64, error) {
	base, offset := when, 0.0
	switch {
	case strings.HasPrefix(when, "before_"):
		base, offset = strings.TrimPrefix(when, "before_"), -slotOffset
	case strings.HasPrefix(when, "after_"):
		base, offset = strings.TrimPrefix(when, "after_"), slotOffset
	}
	p, ok := slotPositions[base]
	if !ok {
		return 0, fmt.Errorf("unknown schedule slot '%s' (one of %s, optionally with before_ or after_)", when, strings.Join(SlotNames, ", "))
	}
	return p + offset, nil
}

// slotName is the inverse of SlotPosition for printing.
func slotName(p float64) string {
	for _, s := range SlotNames {
		switch q := slotPositions[s]; p {
		case q:
			return s
		case q - slotOffset:
			return "before_" + s
		case q + slotOffset:
			return "after_" + s
		}
	}
	return fmt.Sprintf("%g", p)
}

// operation is one scheduled piece of work: a state updater, a
// thresholder, a monitor's recording.
// Within a slot, operations run by order, then by name, as in Brian2.
type operation struct {
	name  string
	owner string // the object it belongs to, for messages
	when  float64
	order float64
	clock *Clock
	run   func()
	// seq is a behaviour's insertion number (from 1) and 0 for built-in
	// operations: at one position, built-in operations run first, by
	// order and name as in Brian2, then behaviours in insertion order.
	seq int64
	// fuseNext, when set, offers to do this operation and the next one in
	// one function, and how the two run in a region (fuseKey tells the
	// next one what it is).
	fuseNext func(next *operation) (func(), *partwise, bool)
	fuseKey  any
	// parts, when set, is how the operation runs in a region (region.go)
	// when the network uses several threads.
	parts *partwise
	// fires is set for thresholders of NeuronGroups, whose events a
	// distributed network exchanges; exchanges, for the operation that
	// exchanges them.
	fires     *firing
	exchanges []firing
}

// fuseOperations switches fuse on; tests turn it off to compare.
var fuseOperations = true

// fuse merges adjacent operations that offer it (a state update and its
// threshold); the schedule keeps its order.
func fuse(ops []*operation) []*operation {
	var out []*operation
	for i := 0; i < len(ops); i++ {
		op := ops[i]
		if op.fuseNext != nil && i+1 < len(ops) {
			if run, parts, ok := op.fuseNext(ops[i+1]); ok {
				merged := *op
				merged.name += "+" + ops[i+1].name
				merged.run, merged.parts = run, parts
				merged.fires = ops[i+1].fires
				out = append(out, &merged)
				i++
				continue
			}
		}
		out = append(out, op)
	}
	return out
}

// ScheduleEntry describes one scheduled operation, for printing.
type ScheduleEntry struct {
	When  string
	Order float64
	Name  string
	DT    float64
}

// slot is SlotPosition for names known to be valid.
func slot(when string) float64 {
	p, err := SlotPosition(when)
	if err != nil {
		panic(err)
	}
	return p
}
