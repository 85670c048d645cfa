package soma

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/soma-sim/soma/expr"
)

// SpikeGeneratorGroup emits spikes at given times, like Brian2's
// SpikeGeneratorGroup: a spike at time t is emitted, in the thresholds
// slot, in the step whose time bin [k*dt, (k+1)*dt) contains it (with
// Brian2's shift of 1e-3*dt, so that multiples of dt never fall into the
// bin before). With a period the spikes repeat every period.
type SpikeGeneratorGroup struct {
	net         *Network
	name        string
	n           int
	clock       *Clock
	when, order float64

	// The spikes, sorted by time and then by index, as Brian2 sorts them.
	indices []int32
	times   []float64
	period  float64

	bins       []int64 // the time bin of each spike for the current dt
	periodBins int64
	binsDT     float64 // the dt the bins were computed for (0: none yet)
	changed    bool    // spikes were set and not yet checked by a run
	lastIndex  int     // the first spike not yet emitted

	fired []int32
}

// Period makes a SpikeGeneratorGroup repeat its spikes with this period
// (seconds); 0, the default, means no repetition.
func Period(seconds float64) Option { return periodOption(seconds) }

type periodOption float64

func (periodOption) optionName() string { return "Period" }

// apply is reached only for objects other than a SpikeGeneratorGroup,
// which takes Period out of its options itself.
func (periodOption) apply(c *config) error {
	return fmt.Errorf("option Period does not apply to a %s", kindName(c.kind))
}

// SpikeGeneratorGroup creates n neurons that spike at the given times
// (seconds): neuron indices[k] spikes at times[k]. Times must not be
// negative, and a neuron may not spike twice in one time step. Options:
// Name, DT, When (default "thresholds"), Order, Period.
func (net *Network) SpikeGeneratorGroup(n int, indices []int, times []float64, opts ...Option) (*SpikeGeneratorGroup, error) {
	period := 0.0
	var rest []Option
	for _, o := range opts {
		if p, ok := o.(periodOption); ok {
			period = float64(p)
			continue
		}
		rest = append(rest, o)
	}
	cfg, err := newConfig("SpikeGeneratorGroup", rest)
	if err != nil {
		return nil, fmt.Errorf("SpikeGeneratorGroup: %w", err)
	}
	if n < 1 {
		return nil, fmt.Errorf("SpikeGeneratorGroup: the number of neurons must be at least 1, got %d", n)
	}
	g := &SpikeGeneratorGroup{net: net, n: n}
	g.name = net.uniqueName(cfg.name, "spikegeneratorgroup")
	if err := net.checkName(g.name); err != nil {
		return nil, err
	}
	if g.when, g.order, err = inputSchedule(cfg, "thresholds"); err != nil {
		return nil, fmt.Errorf("SpikeGeneratorGroup '%s': %w", g.name, err)
	}
	g.clock = net.newClock(cfg.dt)
	if err := g.SetSpikes(indices, times, period); err != nil {
		return nil, err
	}
	net.addClock(g.clock)
	net.add(g)
	return g, nil
}

// SetSpikes replaces the spikes, for the next run, as Brian2's set_spikes:
// spikes at times before the current time are ignored. period (seconds)
// repeats the spikes; 0 means no repetition.
func (g *SpikeGeneratorGroup) SetSpikes(indices []int, times []float64, period float64) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("SpikeGeneratorGroup '%s': "+format, append([]any{g.name}, args...)...)
	}
	if len(indices) != len(times) {
		return fail("the indices and times must have the same length, but %d != %d", len(indices), len(times))
	}
	dt := g.clock.dt
	switch {
	case period < 0 || math.IsNaN(period):
		return fail("the period must not be negative, got %g s", period)
	case len(times) > 0 && period != 0 && !math.IsInf(period, 1):
		// Binned as in the simulation (Brian2's check).
		if expr.Timestep(slices.Max(times), dt) >= math.RoundToEven(period/dt) {
			return fail("the period (%g s) has to be greater than the largest spike time (%g s)", period, slices.Max(times))
		}
	}
	for k, t := range times {
		if t < 0 || math.IsNaN(t) || math.IsInf(t, 0) {
			return fail("spike times must be finite and not negative, but spike %d is at %g s", k, t)
		}
	}
	for k, i := range indices {
		if i < 0 || i >= g.n {
			return fail("spike %d: the index %d is outside the group's range [0, %d]", k, i, g.n-1)
		}
	}
	order := make([]int, len(times))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool {
		ta, tb := times[order[a]], times[order[b]]
		if ta != tb {
			return ta < tb
		}
		return indices[order[a]] < indices[order[b]]
	})
	g.indices = make([]int32, len(order))
	g.times = make([]float64, len(order))
	for k, o := range order {
		g.indices[k], g.times[k] = int32(indices[o]), times[o]
	}
	g.period = period
	g.changed = true
	return nil
}

// Name returns the group's name.
func (g *SpikeGeneratorGroup) Name() string { return g.name }

// Size returns the number of neurons.
func (g *SpikeGeneratorGroup) Size() int { return g.n }

// Clock returns the group's clock.
func (g *SpikeGeneratorGroup) Clock() *Clock { return g.clock }

// Period returns the period in seconds (0: the spikes do not repeat).
func (g *SpikeGeneratorGroup) Period() float64 { return g.period }

// Spikes returns the neurons that spiked in the last step.
func (g *SpikeGeneratorGroup) Spikes() []int32 { return append([]int32(nil), g.fired...) }

// beforeRun checks the spikes against dt and finds where to continue, as
// Brian2's before_run does. Nothing changes when it fails.
func (g *SpikeGeneratorGroup) beforeRun() error {
	dt := g.clock.dt
	if g.period != 0 && g.period < dt {
		return fmt.Errorf("SpikeGeneratorGroup '%s': the period (%g s) is smaller than dt (%g s)", g.name, g.period, dt)
	}
	last := g.lastIndex
	if g.changed {
		// Spikes before the current time are skipped.
		now := int64(expr.Timestep(g.clock.T(), dt))
		last = 0
		for k := len(g.times) - 1; k >= 0; k-- {
			if int64(expr.Timestep(g.times[k], dt)) < now {
				last = k + 1
				break
			}
		}
	}
	if g.binsDT == dt && !g.changed {
		return nil
	}
	bins := make([]int64, len(g.times))
	for k, t := range g.times {
		bins[k] = int64(expr.Timestep(t, dt))
	}
	// One spike per neuron and step. Brian2 only compares neighbours in
	// time order and so misses two spikes of a neuron in one step with
	// another neuron's spike between them; every pair is checked here.
	for lo := 0; lo < len(bins); {
		hi := lo + 1
		for hi < len(bins) && bins[hi] == bins[lo] {
			hi++
		}
		if hi-lo > 1 {
			seen := map[int32]bool{}
			for _, i := range g.indices[lo:hi] {
				if seen[i] {
					return fmt.Errorf("SpikeGeneratorGroup '%s': using a dt of %g s, neuron %d spikes more than once in the time step at %g s",
						g.name, dt, i, float64(bins[lo])*dt)
				}
				seen[i] = true
			}
		}
		lo = hi
	}
	// An infinite (or practically infinite) period means no repetition.
	var periodBins int64
	if pb := math.RoundToEven(g.period / dt); pb < 1<<53 {
		periodBins = int64(pb)
		if math.Abs(pb*dt-g.period) > g.period*epsilon64 {
			return fmt.Errorf("SpikeGeneratorGroup '%s': the period (%g s) is not a whole multiple of dt (%g s)", g.name, g.period, dt)
		}
	}
	g.lastIndex = last
	g.bins, g.periodBins, g.binsDT, g.changed = bins, periodBins, dt, false
	return nil
}

// epsilon64 is the machine epsilon of float64, numpy's finfo(float).eps.
const epsilon64 = 0x1p-52

func (g *SpikeGeneratorGroup) markDirty() {}

func (g *SpikeGeneratorGroup) operations() []*operation {
	return []*operation{{name: g.name, owner: g.name, when: g.when, order: g.order, clock: g.clock, run: g.step}}
}

// step emits the spikes of the current time bin: those after the last
// emitted one whose bin is not later than the current one. With a period,
// the bin is taken modulo the period, and the search starts over when
// the period wraps around (Brian2's spikegenerator template).
func (g *SpikeGeneratorGroup) step() {
	bin := g.clock.step
	last := g.lastIndex
	if g.periodBins > 0 {
		bin %= g.periodBins
		if last > 0 && g.bins[last-1] >= bin {
			last = 0
		}
	}
	end := last
	for end < len(g.bins) && g.bins[end] <= bin {
		end++
	}
	g.lastIndex = end
	g.fired = append(g.fired[:0], g.indices[last:end]...)
}

type spikeGenSnapshot struct {
	indices    []int32
	times      []float64
	period     float64
	bins       []int64
	periodBins int64
	binsDT     float64
	changed    bool
	lastIndex  int
}

// snapshot keeps the spikes too: SetSpikes replaces the slices, never
// changes them, so sharing them is safe.
func (g *SpikeGeneratorGroup) snapshot() any {
	return spikeGenSnapshot{g.indices, g.times, g.period, g.bins, g.periodBins, g.binsDT, g.changed, g.lastIndex}
}

func (g *SpikeGeneratorGroup) restoreSnapshot(x any) {
	s := x.(spikeGenSnapshot)
	g.indices, g.times, g.period, g.bins, g.periodBins, g.binsDT, g.changed, g.lastIndex =
		s.indices, s.times, s.period, s.bins, s.periodBins, s.binsDT, s.changed, s.lastIndex
	g.fired = g.fired[:0]
}

// source and endpoint: a SpikeGeneratorGroup has no variables.

func (g *SpikeGeneratorGroup) clockOf() *Clock                  { return g.clock }
func (g *SpikeGeneratorGroup) ownerOf() object                  { return g }
func (g *SpikeGeneratorGroup) variables() map[string]*Variable  { return map[string]*Variable{} }
func (g *SpikeGeneratorGroup) offset() int                      { return 0 }
func (g *SpikeGeneratorGroup) wholeSize() int                   { return g.Size() }
func (g *SpikeGeneratorGroup) writeCondition(string) *Variable  { return nil }
func (g *SpikeGeneratorGroup) spikeSlot() (when, order float64) { return g.when, g.order }

// firedRel returns the spikes of this step in Brian2's order (by time
// within the step, then by index), which need not be sorted by index.
func (g *SpikeGeneratorGroup) firedRel(event string, _ []int32) ([]int32, bool) {
	if event != "spike" {
		return nil, false
	}
	return g.fired, true
}

func (g *SpikeGeneratorGroup) reader(name string) (func(k int) float64, error) {
	return nil, fmt.Errorf("SpikeGeneratorGroup '%s' has no variable '%s' (it has no variables)", g.name, name)
}
