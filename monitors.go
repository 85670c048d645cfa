package soma

import (
	"fmt"
	"math"
	"slices"
)

// SpikeMonitor records the spikes (or another event) of a population: the
// time and index of each, the count per neuron, and optionally the values
// of variables at each spike. By default it runs right after the event's
// thresholder (thresholds slot for spikes, after_thresholds for custom
// events, with the group's order + 1), as in Brian2, so recorded values
// are those after the threshold crossing and before the reset.
type SpikeMonitor struct {
	net    *Network
	name   string
	src    source
	event  string
	record bool
	clock  *Clock
	order  float64
	when   float64

	steps   []int64
	t       []float64 // recorded as times too: dt may change between runs
	i       []int32
	count   []int
	varList []string
	readers []valueReader
	values  [][]float64
	buf     []int32
}

// SpikeMonitor records the spikes of g. Options: Name, Variables (values
// recorded at each spike), RecordNone (counts only), When, Order.
func (net *Network) SpikeMonitor(g Group, opts ...Option) (*SpikeMonitor, error) {
	return net.eventMonitor(g, "spike", "spikemonitor", opts)
}

// EventMonitor records a custom event of g (see the Event option), with
// the same options as SpikeMonitor.
func (net *Network) EventMonitor(g Group, event string, opts ...Option) (*SpikeMonitor, error) {
	return net.eventMonitor(g, event, "eventmonitor", opts)
}

func (net *Network) eventMonitor(g Group, event, base string, opts []Option) (*SpikeMonitor, error) {
	what := "SpikeMonitor"
	if base == "eventmonitor" {
		what = "EventMonitor"
	}
	cfg, err := newConfig(base, opts)
	if err != nil {
		return nil, fmt.Errorf("%s of %s: %w", what, g.Name(), err)
	}
	src, err := asSource(g)
	if err != nil {
		return nil, err
	}
	if _, ok := src.firedRel(event, nil); !ok {
		if event == "spike" {
			return nil, fmt.Errorf("%s: %s has no threshold, so it has no spikes to record (did you forget Threshold?)", what, g.Name())
		}
		return nil, fmt.Errorf("%s: %s has no event '%s'", what, g.Name(), event)
	}
	m := &SpikeMonitor{net: net, src: src, event: event, record: cfg.record == nil || !cfg.record.off,
		clock: src.clockOf(), count: make([]int, g.Size()), when: slot("thresholds"), order: 1}
	// Right after the thresholder that produces the event.
	if ng, ok := src.ownerOf().(*NeuronGroup); ok {
		if ev := ng.event(event); ev != nil {
			m.when, m.order = ev.when, ng.order+1
		}
	}
	if in, ok := src.ownerOf().(interface{ spikeSlot() (float64, float64) }); ok {
		when, order := in.spikeSlot()
		m.when, m.order = when, order+1
	}
	m.name = net.uniqueName(cfg.name, base)
	if err := net.checkName(m.name); err != nil {
		return nil, err
	}
	if cfg.when != nil {
		if m.when, err = SlotPosition(*cfg.when); err != nil {
			return nil, err
		}
		m.order = 0
	}
	if cfg.order != nil {
		m.order = *cfg.order
	}
	for _, v := range cfg.variables {
		r, err := newValueReader(src, v)
		if err != nil {
			return nil, fmt.Errorf("%s of %s: %w", what, g.Name(), err)
		}
		m.varList = append(m.varList, v)
		m.readers = append(m.readers, r)
		m.values = append(m.values, nil)
	}
	net.add(m)
	return m, nil
}

// Name returns the monitor's name.
func (m *SpikeMonitor) Name() string { return m.name }

// Event returns the name of the recorded event ("spike" for a SpikeMonitor).
func (m *SpikeMonitor) Event() string { return m.event }

func (m *SpikeMonitor) operations() []*operation {
	return []*operation{{name: m.name, owner: m.name, when: m.when, order: m.order, clock: m.clock, run: m.step}}
}

func (m *SpikeMonitor) step() {
	fired, _ := m.src.firedRel(m.event, m.buf)
	m.buf = fired[:0]
	for _, k := range fired {
		m.count[k]++
	}
	if !m.record || len(fired) == 0 {
		return
	}
	step, t := m.clock.step, m.clock.T()
	n := len(m.i)
	m.steps, m.t, m.i = extend(m.steps, len(fired)), extend(m.t, len(fired)), extend(m.i, len(fired))
	for j, k := range fired {
		m.steps[n+j], m.t[n+j], m.i[n+j] = step, t, k
	}
	for v, r := range m.readers {
		n := len(m.values[v])
		m.values[v] = extend(m.values[v], len(fired))
		r.read(fired, m.clock.T(), m.values[v][n:])
	}
}

func (m *SpikeMonitor) beforeRun() error {
	for _, r := range m.readers {
		if err := r.prepare(); err != nil {
			return fmt.Errorf("monitor '%s': %w", m.name, err)
		}
	}
	return nil
}

func (m *SpikeMonitor) markDirty() {}

// T returns the spike times in seconds, in the order they occurred.
func (m *SpikeMonitor) T() []float64 { return slices.Clone(m.t) }

// Steps returns the spike times as step numbers of the source's clock (of
// its dt at the time of each spike).
func (m *SpikeMonitor) Steps() []int64 { return slices.Clone(m.steps) }

// I returns the index of the neuron of each spike (within the monitored
// population: a subgroup's neurons count from 0).
func (m *SpikeMonitor) I() []int32 { return slices.Clone(m.i) }

// Count returns the number of spikes of each neuron.
func (m *SpikeMonitor) Count() []int { return slices.Clone(m.count) }

// NumSpikes returns the total number of spikes.
func (m *SpikeMonitor) NumSpikes() int {
	n := 0
	for _, c := range m.count {
		n += c
	}
	return n
}

// Variables lists the variables recorded at each spike.
func (m *SpikeMonitor) Variables() []string { return slices.Clone(m.varList) }

// Values returns a recorded variable's value at each spike (SI units), in
// the order of T and I.
func (m *SpikeMonitor) Values(name string) ([]float64, error) {
	for k, v := range m.varList {
		if v == name {
			return slices.Clone(m.values[k]), nil
		}
	}
	return nil, fmt.Errorf("monitor '%s' does not record '%s' (it records %v)", m.name, name, m.varList)
}

// SpikeTrains returns the spike times of every neuron, as Brian2's
// spike_trains(): neurons without spikes have an empty train.
func (m *SpikeMonitor) SpikeTrains() map[int][]float64 {
	out := make(map[int][]float64, len(m.count))
	for k, c := range m.count {
		out[k] = make([]float64, 0, c)
	}
	for k, t := range m.t {
		out[int(m.i[k])] = append(out[int(m.i[k])], t)
	}
	return out
}

type spikeSnapshot struct {
	steps  []int64
	t      []float64
	i      []int32
	count  []int
	values [][]float64
}

// snapshot and restoreSnapshot copy, so that the monitor never writes into
// a stored state that may be restored again.
func (m *SpikeMonitor) snapshot() any {
	return spikeSnapshot{steps: slices.Clone(m.steps), t: slices.Clone(m.t), i: slices.Clone(m.i), count: slices.Clone(m.count), values: cloneAll(m.values)}
}

func (m *SpikeMonitor) restoreSnapshot(x any) {
	s := x.(spikeSnapshot)
	m.steps, m.t, m.i, m.count, m.values = slices.Clone(s.steps), slices.Clone(s.t), slices.Clone(s.i), slices.Clone(s.count), cloneAll(s.values)
}

func cloneAll(x [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	for k, v := range x {
		out[k] = slices.Clone(v)
	}
	return out
}

// StateMonitor records variables of a population over time. It runs in
// the start slot by default, i.e. it sees the values at the beginning of
// each step, before integration, as in Brian2.
type StateMonitor struct {
	net     *Network
	name    string
	src     source
	clock   *Clock
	when    float64
	order   float64
	varList []string
	readers []valueReader
	record  []int
	rel     []int32 // record, as the readers take it
	t       []float64
	data    [][]float64 // per variable, time-major: data[v][step*len(record)+r]
}

// StateMonitor records the named variables (stored variables or
// subexpressions) of g. Options: Record(indices) or RecordAll() (the
// default), DT for its own sampling step, When, Order, Name.
func (net *Network) StateMonitor(g Group, variables []string, opts ...Option) (*StateMonitor, error) {
	cfg, err := newConfig("statemonitor", opts)
	if err != nil {
		return nil, fmt.Errorf("StateMonitor of %s: %w", g.Name(), err)
	}
	src, err := asSource(g)
	if err != nil {
		return nil, err
	}
	if len(variables) == 0 {
		return nil, fmt.Errorf("StateMonitor of %s: no variables to record", g.Name())
	}
	m := &StateMonitor{net: net, src: src, clock: src.clockOf()}
	if cfg.dtSet {
		m.clock = net.newClock(cfg.dt)
	}
	m.name = net.uniqueName(cfg.name, "statemonitor")
	if err := net.checkName(m.name); err != nil {
		return nil, err
	}
	if cfg.when != nil {
		if m.when, err = SlotPosition(*cfg.when); err != nil {
			return nil, err
		}
	}
	if cfg.order != nil {
		m.order = *cfg.order
	}
	switch {
	case cfg.record == nil || cfg.record.all:
		m.record = make([]int, g.Size())
		for k := range m.record {
			m.record[k] = k
		}
	default:
		for _, k := range cfg.record.indices {
			if k < 0 || k >= g.Size() {
				return nil, fmt.Errorf("StateMonitor of %s: the index %d to record is outside the range [0, %d] of the group", g.Name(), k, g.Size()-1)
			}
		}
		m.record = slices.Clone(cfg.record.indices)
	}
	for _, k := range m.record {
		m.rel = append(m.rel, int32(k))
	}
	for _, v := range variables {
		r, err := newValueReader(src, v)
		if err != nil {
			return nil, fmt.Errorf("StateMonitor of %s: %w", g.Name(), err)
		}
		m.varList = append(m.varList, v)
		m.readers = append(m.readers, r)
		m.data = append(m.data, nil)
	}
	net.addClock(m.clock)
	net.add(m)
	return m, nil
}

// Name returns the monitor's name.
func (m *StateMonitor) Name() string { return m.name }

func (m *StateMonitor) operations() []*operation {
	return []*operation{{name: m.name, owner: m.name, when: m.when, order: m.order, clock: m.clock, run: m.step}}
}

func (m *StateMonitor) step() {
	m.t = append(m.t, m.clock.T())
	nr := len(m.rel)
	for v, r := range m.readers {
		n := len(m.data[v])
		m.data[v] = extend(m.data[v], nr)
		r.read(m.rel, m.clock.T(), m.data[v][n:])
	}
}

func (m *StateMonitor) beforeRun() error {
	for _, r := range m.readers {
		if err := r.prepare(); err != nil {
			return fmt.Errorf("monitor '%s': %w", m.name, err)
		}
	}
	return nil
}

func (m *StateMonitor) markDirty() {}

// Clock returns the clock the monitor records on (the source's, unless
// it was given its own DT).
func (m *StateMonitor) Clock() *Clock { return m.clock }

// T returns the recording times in seconds.
func (m *StateMonitor) T() []float64 { return slices.Clone(m.t) }

// RecordedIndices returns the recorded neuron indices.
func (m *StateMonitor) RecordedIndices() []int { return slices.Clone(m.record) }

// Variables lists the recorded variables.
func (m *StateMonitor) Variables() []string { return slices.Clone(m.varList) }

// Values returns a variable's recording as [recorded neuron][time]
// (Brian2's M.v: row k is the k-th recorded neuron), in SI units.
func (m *StateMonitor) Values(name string) ([][]float64, error) {
	for v, n := range m.varList {
		if n != name {
			continue
		}
		nr, nt := len(m.record), len(m.t)
		out := make([][]float64, nr)
		for r := range out {
			out[r] = make([]float64, nt)
			for t := 0; t < nt; t++ {
				out[r][t] = m.data[v][t*nr+r]
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("monitor '%s' does not record '%s' (it records %v)", m.name, name, m.varList)
}

// Of returns the recording of one neuron, by its index in the monitored
// population (Brian2's M[k].v).
func (m *StateMonitor) Of(name string, neuron int) ([]float64, error) {
	r := slices.Index(m.record, neuron)
	if r < 0 {
		return nil, fmt.Errorf("monitor '%s' does not record neuron %d", m.name, neuron)
	}
	vals, err := m.Values(name)
	if err != nil {
		return nil, err
	}
	return vals[r], nil
}

type stateSnapshot struct {
	t    []float64
	data [][]float64
}

func (m *StateMonitor) snapshot() any {
	return stateSnapshot{t: slices.Clone(m.t), data: cloneAll(m.data)}
}

func (m *StateMonitor) restoreSnapshot(x any) {
	s := x.(stateSnapshot)
	m.t, m.data = slices.Clone(s.t), cloneAll(s.data)
}

// PopulationRateMonitor records the instantaneous firing rate of a
// population in each step (spikes / (N dt)), in the end slot.
type PopulationRateMonitor struct {
	net   *Network
	name  string
	src   source
	clock *Clock
	when  float64
	order float64
	t     []float64
	rate  []float64
	buf   []int32
}

// PopulationRateMonitor records the population rate of g. Options: Name,
// When, Order.
func (net *Network) PopulationRateMonitor(g Group, opts ...Option) (*PopulationRateMonitor, error) {
	cfg, err := newConfig("ratemonitor", opts)
	if err != nil {
		return nil, fmt.Errorf("PopulationRateMonitor of %s: %w", g.Name(), err)
	}
	src, err := asSource(g)
	if err != nil {
		return nil, err
	}
	if _, ok := src.firedRel("spike", nil); !ok {
		return nil, fmt.Errorf("PopulationRateMonitor: %s has no threshold, so it has no rate (did you forget Threshold?)", g.Name())
	}
	m := &PopulationRateMonitor{net: net, src: src, clock: src.clockOf(), when: slot("end")}
	m.name = net.uniqueName(cfg.name, "ratemonitor")
	if err := net.checkName(m.name); err != nil {
		return nil, err
	}
	if cfg.when != nil {
		if m.when, err = SlotPosition(*cfg.when); err != nil {
			return nil, err
		}
	}
	if cfg.order != nil {
		m.order = *cfg.order
	}
	net.add(m)
	return m, nil
}

// Name returns the monitor's name.
func (m *PopulationRateMonitor) Name() string { return m.name }

func (m *PopulationRateMonitor) operations() []*operation {
	return []*operation{{name: m.name, owner: m.name, when: m.when, order: m.order, clock: m.clock, run: m.step}}
}

func (m *PopulationRateMonitor) step() {
	fired, _ := m.src.firedRel("spike", m.buf)
	m.buf = fired[:0]
	m.t = append(m.t, m.clock.T())
	r := 0.0
	if n := m.src.Size(); n > 0 {
		r = float64(len(fired)) / (float64(n) * m.clock.dt)
	}
	m.rate = append(m.rate, r)
}

func (m *PopulationRateMonitor) beforeRun() error { return nil }
func (m *PopulationRateMonitor) markDirty()       {}

// T returns the times in seconds.
func (m *PopulationRateMonitor) T() []float64 { return slices.Clone(m.t) }

// Rate returns the rate in Hz in each step.
func (m *PopulationRateMonitor) Rate() []float64 { return slices.Clone(m.rate) }

// SmoothRate returns the rate smoothed with a window of width seconds,
// exactly as Brian2's smooth_rate:
//   - "gaussian": width is the standard deviation; the window has
//     2*round(2*width/dt)+1 samples, i.e. it spans about 4*width+dt;
//   - "flat": a rectangle of int(width/(2*dt))*2+1 samples, the width
//     rounded to an odd number of steps so the rate is not shifted in time.
//
// The result has one value per recorded step, like Rate.
func (m *PopulationRateMonitor) SmoothRate(window string, width float64) ([]float64, error) {
	if !(width > 0) || math.IsInf(width, 0) {
		return nil, fmt.Errorf("the width of the smoothing window must be a positive time, got %g s", width)
	}
	dt := m.clock.dt
	var w []float64
	switch window {
	case "gaussian":
		half := int(math.RoundToEven(2 * width / dt)) // numpy rounds half to even
		sd := width / dt
		for k := -half; k <= half; k++ {
			w = append(w, math.Exp(-float64(k*k)*1./(2*sd*sd)))
		}
	case "flat":
		n := int(width/2/dt)*2 + 1
		for k := 0; k < n; k++ {
			w = append(w, 1)
		}
	default:
		return nil, fmt.Errorf("unknown window '%s' (gaussian or flat; SmoothRateWindow takes any window)", window)
	}
	return m.SmoothRateWindow(w)
}

// SmoothRateWindow smooths the rate with a given window of an odd number of
// samples, normalised to a sum of 1 (Brian2's smooth_rate with an array).
// The window is centred on each step; beyond the recording the rate counts
// as zero.
func (m *PopulationRateMonitor) SmoothRateWindow(window []float64) ([]float64, error) {
	if len(window)%2 != 1 {
		return nil, fmt.Errorf("the smoothing window must have an odd number of values, got %d", len(window))
	}
	total := 0.0
	for _, x := range window {
		total += x
	}
	if total == 0 || math.IsNaN(total) || math.IsInf(total, 0) {
		return nil, fmt.Errorf("the smoothing window must have a finite, non-zero sum")
	}
	// As numpy: the window is normalised first, then convolved.
	w := make([]float64, len(window))
	for k, x := range window {
		w[k] = x * 1. / total
	}
	half := len(w) / 2
	out := make([]float64, len(m.rate))
	for t := range m.rate {
		s := 0.0
		for k, x := range w {
			if j := t + half - k; j >= 0 && j < len(m.rate) {
				s += x * m.rate[j]
			}
		}
		out[t] = s
	}
	return out, nil
}

type rateSnapshot struct {
	t    []float64
	rate []float64
}

func (m *PopulationRateMonitor) snapshot() any {
	return rateSnapshot{slices.Clone(m.t), slices.Clone(m.rate)}
}

func (m *PopulationRateMonitor) restoreSnapshot(x any) {
	s := x.(rateSnapshot)
	m.t, m.rate = slices.Clone(s.t), slices.Clone(s.rate)
}

// extend lengthens s by n elements, doubling its capacity when it runs
// out. append grows large slices by a quarter at a time, and every
// growth is a fresh allocation the kernel must map and zero: recordings
// of millions of spikes spent more time growing than recording.
func extend[T any](s []T, n int) []T {
	if len(s)+n > cap(s) {
		grown := make([]T, len(s), max(2*cap(s), len(s)+n, 256))
		copy(grown, s)
		s = grown
	}
	return s[:len(s)+n]
}
