package soma

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"

	"github.com/soma-sim/soma/output"
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
	i64     []int64 // i as written to chunks
	// sealed are the earlier buffers of a recording held in memory (see
	// seal); the ones above hold its latest events.
	sealed spikeSegments
	streaming
}

// spikeSegments are full buffers of a recording, in order. A recording in
// memory grows by starting new buffers twice the size of the last and
// keeping the full ones as they are, not by copying them into the new:
// a run of a million spikes a second spent most of its monitor time
// copying. join makes them one recording when something reads it.
type spikeSegments struct {
	steps  [][]int64
	t      [][]float64
	i      [][]int32
	values [][][]float64 // per variable
	n      int           // the events they hold
}

// SpikeMonitor records the spikes of g. Options: Name, Variables (values
// recorded at each spike), RecordNone (counts only), When, Order, Stream
// and ChunkSize.
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
	m.mark, m.chunk = math.MaxInt, cfg.chunk
	if cfg.streamDir != "" {
		if err := m.StreamTo(cfg.streamDir); err != nil {
			return nil, err
		}
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
	if !m.record || len(fired) == 0 || m.net.part != nil && m.net.part.rank != 0 && len(m.readers) == 0 {
		// In a distributed network, rank 0 records every rank's spikes
		// (the exchanged lists) and the others need not, unless they
		// read values that only they, the owners, have.
		return
	}
	if m.held()+len(fired) >= m.mark {
		m.atMark(fired)
		return
	}
	m.add(fired)
}

// held is the number of events the monitor holds in memory.
func (m *SpikeMonitor) held() int { return m.sealed.n + len(m.i) }

// add appends the events of fired to the recording.
func (m *SpikeMonitor) add(fired []int32) {
	if m.w == nil && len(m.i)+len(fired) > cap(m.i) {
		m.seal(len(fired))
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
		r.read(fired, t, m.values[v][n:])
	}
}

// seal keeps the current buffers of a recording in memory among the
// sealed ones and starts new ones, with room for at least k events and
// twice as many as the last.
func (m *SpikeMonitor) seal(k int) {
	c := max(2*cap(m.i), k, 256)
	if len(m.i) > 0 {
		s := &m.sealed
		s.steps, s.t, s.i = append(s.steps, m.steps), append(s.t, m.t), append(s.i, m.i)
		if s.values == nil {
			s.values = make([][][]float64, len(m.values))
		}
		for v := range m.values {
			s.values[v] = append(s.values[v], m.values[v])
		}
		s.n += len(m.i)
	}
	m.steps, m.t, m.i = bufferSlice[int64](c)[:0], bufferSlice[float64](c)[:0], bufferSlice[int32](c)[:0]
	for v := range m.values {
		m.values[v] = bufferSlice[float64](c)[:0]
	}
}

// join makes the sealed buffers and the current ones one recording.
func (m *SpikeMonitor) join() {
	s := &m.sealed
	if s.n == 0 {
		return
	}
	m.steps, m.t, m.i = joinSegments(s.steps, m.steps), joinSegments(s.t, m.t), joinSegments(s.i, m.i)
	for v := range m.values {
		m.values[v] = joinSegments(s.values[v], m.values[v])
	}
	*s = spikeSegments{}
}

// joinSegments returns the elements of sealed and then of last in one
// slice.
func joinSegments[T largeNumber](sealed [][]T, last []T) []T {
	n := len(last)
	for _, b := range sealed {
		n += len(b)
	}
	out := bufferSlice[T](n)[:0]
	for _, b := range sealed {
		out = append(out, b...)
	}
	return append(out, last...)
}

// atMark records fired once the recording reaches its mark: in pieces
// that fill the chunk, each written out when full, if the monitor
// streams; otherwise after asking the budget, which may make it stream.
func (m *SpikeMonitor) atMark(fired []int32) {
	if m.err != nil {
		return // the recording stopped
	}
	if m.w == nil && !m.overBudget(m, m.held()+len(fired)) {
		m.add(fired)
		return
	}
	for len(fired) > 0 && m.err == nil {
		k := min(m.size-len(m.i), len(fired))
		m.reserve(m.bufferRecords(max(2*cap(m.i), len(m.i)+k)))
		m.add(fired[:k])
		fired = fired[k:]
		if len(m.i) == m.size {
			m.flush()
		}
	}
	m.mark = cap(m.i)
}

// reserve gives a streaming monitor's buffers room for c events.
func (m *SpikeMonitor) reserve(c int) {
	m.steps, m.t, m.i = growCap(m.steps, c), growCap(m.t, c), growCap(m.i, c)
	for v := range m.values {
		m.values[v] = growCap(m.values[v], c)
	}
}

// spikeRecordBytes is the size of one event in a chunk: t, i, _step and
// the variables.
func (m *SpikeMonitor) spikeRecordBytes() int { return 24 + 8*len(m.readers) }

// StreamTo makes the monitor write its recording to the folder dir (made
// if needed; one of its own) while it runs, instead of holding it in
// memory: it keeps at most one chunk (see ChunkSize) and writes each full
// chunk as the .npz file chunk-NNNNNN.npz, numbered from 0, with the
// arrays t (float64 seconds), i (int64), one float64 array per variable,
// and _step (int64), for the chunk's events in order. Each chunk file
// appears complete or not at all, so a killed run leaves a readable
// recording up to its last chunk (output.ReadChunks reads it whole).
// What the monitor held is written first; chunk files of an earlier
// stream in dir are removed.
//
// The monitor's methods (T, I, Values...) read the chunks back, so they
// need memory for the whole recording; output.ConcatChunks reads it one
// chunk at a time. Flush writes the part of a chunk still in memory.
func (m *SpikeMonitor) StreamTo(dir string) error {
	m.join()
	if err := m.startStream(m.name, dir, m.spikeRecordBytes()); err != nil {
		return err
	}
	return m.rechunk()
}

// rechunk writes the whole chunks of what a streaming monitor holds and
// keeps the rest in buffers of one chunk.
func (m *SpikeMonitor) rechunk() error {
	m.join()
	n := len(m.i)
	full := n - n%m.size
	for lo := 0; lo < full; lo += m.size {
		if err := m.writeChunk(lo, lo+m.size); err != nil {
			return err
		}
	}
	c := m.bufferRecords(n - full)
	m.steps, m.t, m.i = rebuffer(m.steps, full, c), rebuffer(m.t, full, c), rebuffer(m.i, full, c)
	for v := range m.values {
		m.values[v] = rebuffer(m.values[v], full, c)
	}
	m.mark = c
	return nil
}

// writeChunk writes the events lo to hi of the recording as the next
// chunk.
func (m *SpikeMonitor) writeChunk(lo, hi int) error {
	m.i64 = growCap(m.i64[:0], hi-lo)[:hi-lo]
	for k, x := range m.i[lo:hi] {
		m.i64[k] = int64(x)
	}
	z := output.NewNPZ()
	err := z.Add("t", output.Array{Data: m.t[lo:hi]})
	if err == nil {
		err = z.Add("i", output.Array{Data: m.i64})
	}
	for v, name := range m.varList {
		if err == nil {
			err = z.Add(name, output.Array{Data: m.values[v][lo:hi]})
		}
	}
	if err == nil {
		err = z.Add("_step", output.Array{Data: m.steps[lo:hi]})
	}
	if err == nil {
		err = m.write(z)
	}
	if err != nil {
		m.fail(m.name, err)
	}
	return err
}

// flush writes what a streaming monitor holds as a chunk.
func (m *SpikeMonitor) flush() error {
	if len(m.i) == 0 {
		return nil
	}
	if err := m.writeChunk(0, len(m.i)); err != nil {
		return err
	}
	m.steps, m.t, m.i = m.steps[:0], m.t[:0], m.i[:0]
	for v := range m.values {
		m.values[v] = m.values[v][:0]
	}
	return nil
}

// Flush writes the part of a chunk that a streaming monitor holds in
// memory, so that its folder holds the whole recording so far. It does
// nothing for a monitor that does not stream.
func (m *SpikeMonitor) Flush() error {
	if m.w == nil || m.err != nil {
		return m.err
	}
	return m.flush()
}

// HeldBytes returns the memory the recording holds, in bytes (of a
// streaming monitor: its buffers of one chunk).
func (m *SpikeMonitor) HeldBytes() int64 {
	n := 8*cap(m.steps) + 8*cap(m.t) + 4*cap(m.i) + 8*cap(m.i64)
	for _, v := range m.values {
		n += 8 * cap(v)
	}
	s := &m.sealed
	for k := range s.i {
		n += 8*cap(s.steps[k]) + 8*cap(s.t[k]) + 4*cap(s.i[k])
		for v := range s.values {
			n += 8 * cap(s.values[v][k])
		}
	}
	return int64(n)
}

func (m *SpikeMonitor) watched(b *MonitorBudget) { m.streaming.watched(b) }

// recording returns the whole recording: what the monitor holds, after
// what it streamed, of the chunks' arrays named (all if none are named;
// of the others, only what the monitor holds). A failure to read the
// chunks is kept for Err, and only what the monitor holds is returned.
func (m *SpikeMonitor) recording(names ...string) (steps []int64, t []float64, i []int32, values [][]float64) {
	m.join()
	if m.w == nil {
		return m.steps, m.t, m.i, m.values
	}
	z, err := output.ReadChunks(m.w.Dir(), names...)
	if err != nil {
		m.fail(m.name, err)
		return m.steps, m.t, m.i, m.values
	}
	steps = append(chunkArray[int64](z, "_step"), m.steps...)
	t = append(chunkArray[float64](z, "t"), m.t...)
	for _, x := range chunkArray[int64](z, "i") {
		i = append(i, int32(x))
	}
	i = append(i, m.i...)
	for v, name := range m.varList {
		values = append(values, append(chunkArray[float64](z, name), m.values[v]...))
	}
	return steps, t, i, values
}

// chunkArray returns the data of array name of z (nil if there is none).
func chunkArray[T any](z *output.NPZ, name string) []T {
	a, _ := z.Get(name)
	d, _ := a.Data.([]T)
	return d
}

func (m *SpikeMonitor) beforeRun() error {
	if m.err != nil {
		return m.err
	}
	for _, r := range m.readers {
		if err := r.prepare(); err != nil {
			return fmt.Errorf("monitor '%s': %w", m.name, err)
		}
	}
	return nil
}

func (m *SpikeMonitor) markDirty() {}

// T returns the spike times in seconds, in the order they occurred.
func (m *SpikeMonitor) T() []float64 {
	_, t, _, _ := m.recording("t")
	return slices.Clone(t)
}

// Steps returns the spike times as step numbers of the source's clock (of
// its dt at the time of each spike).
func (m *SpikeMonitor) Steps() []int64 {
	steps, _, _, _ := m.recording("_step")
	return slices.Clone(steps)
}

// I returns the index of the neuron of each spike (within the monitored
// population: a subgroup's neurons count from 0).
func (m *SpikeMonitor) I() []int32 {
	_, _, i, _ := m.recording("i")
	return slices.Clone(i)
}

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
			_, _, _, values := m.recording(name)
			return slices.Clone(values[k]), nil
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
	_, times, idx, _ := m.recording("t", "i")
	for k, t := range times {
		out[int(idx[k])] = append(out[int(idx[k])], t)
	}
	return out
}

type spikeSnapshot struct {
	steps  []int64
	t      []float64
	i      []int32
	count  []int
	values [][]float64
	chunks chunkMark // of a streaming monitor
}

// snapshot and restoreSnapshot copy, so that the monitor never writes into
// a stored state that may be restored again. A streaming monitor keeps
// the number of chunks it wrote, and a restore removes those written
// since.
func (m *SpikeMonitor) snapshot() any {
	m.join()
	s := spikeSnapshot{steps: slices.Clone(m.steps), t: slices.Clone(m.t), i: slices.Clone(m.i), count: slices.Clone(m.count), values: cloneAll(m.values)}
	s.chunks = m.chunkMark()
	return s
}

func (m *SpikeMonitor) restoreSnapshot(x any) {
	s := x.(spikeSnapshot)
	m.steps, m.t, m.i, m.count, m.values = slices.Clone(s.steps), slices.Clone(s.t), slices.Clone(s.i), slices.Clone(s.count), cloneAll(s.values)
	m.sealed = spikeSegments{}
	m.restoreChunks(m.name, s.chunks, m.rechunk)
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
	data    [][]float64 // per variable, time-major: data[v][sample*len(record)+r]
	max     int         // MaxSamples: a ring of this many samples (0: all)
	next    int         // the ring's oldest sample, once it is full
	streaming
}

// StateMonitor records the named variables (stored variables or
// subexpressions) of g. Options: Record(indices) or RecordAll() (the
// default), DT for its own sampling step, When, Order, Name, MaxSamples
// (keep only the last samples), Stream and ChunkSize.
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
	m.mark, m.chunk = math.MaxInt, cfg.chunk
	switch {
	case cfg.maxSamples < 0:
		return nil, fmt.Errorf("StateMonitor of %s: MaxSamples must be positive, got %d", g.Name(), cfg.maxSamples)
	case cfg.maxSamples > 0 && cfg.streamDir != "":
		return nil, fmt.Errorf("StateMonitor of %s: MaxSamples keeps the recording bounded, it cannot also Stream", g.Name())
	case cfg.maxSamples > 0:
		m.max, m.mark = cfg.maxSamples, cfg.maxSamples
	case cfg.streamDir != "":
		if err := m.StreamTo(cfg.streamDir); err != nil {
			return nil, err
		}
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
	if len(m.t) >= m.mark && m.atMark() {
		return
	}
	m.t = append(m.t, m.clock.T())
	nr := len(m.rel)
	for v, r := range m.readers {
		n := len(m.data[v])
		m.data[v] = extend(m.data[v], nr)
		r.read(m.rel, m.clock.T(), m.data[v][n:])
	}
}

// atMark is called when the recording reaches its mark, before a sample:
// a full ring takes the sample in place of its oldest, a full chunk is
// written out, a recording under a budget may start streaming. It
// reports whether the sample was taken (or dropped after a failure).
func (m *StateMonitor) atMark() bool {
	switch {
	case m.err != nil:
		return true // the recording stopped
	case m.max > 0:
		if cap(m.t) > m.max { // just filled: give back what growing took beyond it
			m.t = exact(m.t)
			for v := range m.data {
				m.data[v] = exact(m.data[v])
			}
		}
		k, nr := m.next, len(m.rel)
		m.t[k] = m.clock.T()
		for v, r := range m.readers {
			r.read(m.rel, m.t[k], m.data[v][k*nr:(k+1)*nr])
		}
		m.next = (k + 1) % m.max
		return true
	case m.w != nil && len(m.t) < m.size: // the buffers are full, not the chunk
		m.reserve(m.bufferRecords(2 * len(m.t)))
		return false
	case m.w != nil:
		return m.flush() != nil
	default:
		return m.overBudget(m, len(m.t)) && m.err != nil
	}
}

// reserve gives a streaming monitor's buffers room for c samples.
func (m *StateMonitor) reserve(c int) {
	m.t = growCap(m.t, c)
	for v := range m.data {
		m.data[v] = growCap(m.data[v], c*len(m.rel))
	}
	m.mark = c
}

// stateRecordBytes is the size of one sample in a chunk.
func (m *StateMonitor) stateRecordBytes() int { return 8 + 8*len(m.readers)*len(m.rel) }

// StreamTo makes the monitor write its recording to the folder dir (made
// if needed) while it runs, as SpikeMonitor.StreamTo does; a chunk here
// holds samples: the arrays t (float64 seconds) and one float64 array per
// variable of shape (samples, recorded indices), time-major unlike
// Values. The folder also holds record.npy, the recorded indices
// (int64). A monitor with MaxSamples cannot stream.
func (m *StateMonitor) StreamTo(dir string) error {
	if m.max > 0 {
		return fmt.Errorf("monitor '%s' keeps its last %d samples (MaxSamples), it cannot stream", m.name, m.max)
	}
	if err := m.startStream(m.name, dir, m.stateRecordBytes()); err != nil {
		return err
	}
	rec := make([]int64, len(m.record))
	for k, x := range m.record {
		rec[k] = int64(x)
	}
	if err := output.WriteNPYFile(filepath.Join(dir, "record.npy"), output.Array{Data: rec}); err != nil {
		m.fail(m.name, err)
		return m.err
	}
	return m.rechunk()
}

// rechunk writes the whole chunks of what a streaming monitor holds and
// keeps the rest in buffers of one chunk.
func (m *StateMonitor) rechunk() error {
	n, nr := len(m.t), len(m.rel)
	full := n - n%m.size
	for lo := 0; lo < full; lo += m.size {
		if err := m.writeChunk(lo, lo+m.size); err != nil {
			return err
		}
	}
	c := m.bufferRecords(n - full)
	m.t = rebuffer(m.t, full, c)
	for v := range m.data {
		m.data[v] = rebuffer(m.data[v], full*nr, c*nr)
	}
	m.mark = c
	return nil
}

// writeChunk writes the samples lo to hi as the next chunk.
func (m *StateMonitor) writeChunk(lo, hi int) error {
	nr := len(m.rel)
	z := output.NewNPZ()
	err := z.Add("t", output.Array{Data: m.t[lo:hi]})
	for v, name := range m.varList {
		if err == nil {
			err = z.Add(name, output.Array{Data: m.data[v][lo*nr : hi*nr], Shape: []int{hi - lo, nr}})
		}
	}
	if err == nil {
		err = m.write(z)
	}
	if err != nil {
		m.fail(m.name, err)
	}
	return err
}

func (m *StateMonitor) flush() error {
	if len(m.t) == 0 {
		return nil
	}
	if err := m.writeChunk(0, len(m.t)); err != nil {
		return err
	}
	m.t = m.t[:0]
	for v := range m.data {
		m.data[v] = m.data[v][:0]
	}
	return nil
}

// Flush writes the part of a chunk that a streaming monitor holds in
// memory (see SpikeMonitor.Flush).
func (m *StateMonitor) Flush() error {
	if m.w == nil || m.err != nil {
		return m.err
	}
	return m.flush()
}

// HeldBytes returns the memory the recording holds, in bytes.
func (m *StateMonitor) HeldBytes() int64 {
	n := 8 * cap(m.t)
	for _, d := range m.data {
		n += 8 * cap(d)
	}
	return int64(n)
}

// ProjectedBytes estimates the memory the recording will hold after
// duration more seconds of running if it does not stream; StreamedBytes
// if it streams (from now on), up to a chunk.
func (m *StateMonitor) ProjectedBytes(duration float64) int64 {
	samples := len(m.t) + int(math.Ceil(duration/m.clock.dt-1e-9))
	if m.max > 0 {
		samples = min(samples, m.max)
	}
	return int64(samples) * int64(m.stateRecordBytes())
}

// StreamedBytes: see ProjectedBytes.
func (m *StateMonitor) StreamedBytes(duration float64) int64 {
	return m.streamedBytes(m.ProjectedBytes(duration)/int64(m.stateRecordBytes()), m.stateRecordBytes())
}

// A StateMonitor with MaxSamples counts under a budget but never streams.
func (m *StateMonitor) watched(b *MonitorBudget) {
	if m.max > 0 {
		m.budget = b
		return
	}
	m.streaming.watched(b)
}

// recording returns the times and the time-major data of the whole
// recording, oldest first (see SpikeMonitor.recording).
func (m *StateMonitor) recording(names ...string) (t []float64, data [][]float64) {
	switch {
	case m.max > 0 && len(m.t) == m.max && m.next > 0:
		nr := len(m.rel)
		t = append(slices.Clone(m.t[m.next:]), m.t[:m.next]...)
		for _, d := range m.data {
			data = append(data, append(slices.Clone(d[m.next*nr:]), d[:m.next*nr]...))
		}
		return t, data
	case m.w == nil:
		return m.t, m.data
	}
	z, err := output.ReadChunks(m.w.Dir(), names...)
	if err != nil {
		m.fail(m.name, err)
		return m.t, m.data
	}
	t = append(chunkArray[float64](z, "t"), m.t...)
	for v, name := range m.varList {
		data = append(data, append(chunkArray[float64](z, name), m.data[v]...))
	}
	return t, data
}

func (m *StateMonitor) beforeRun() error {
	if m.err != nil {
		return m.err
	}
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
func (m *StateMonitor) T() []float64 {
	t, _ := m.recording("t")
	return slices.Clone(t)
}

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
		times, data := m.recording("t", name)
		nr, nt := len(m.record), len(times)
		out := make([][]float64, nr)
		for r := range out {
			out[r] = make([]float64, nt)
			for t := 0; t < nt; t++ {
				out[r][t] = data[v][t*nr+r]
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
	t      []float64
	data   [][]float64
	next   int
	chunks chunkMark
}

func (m *StateMonitor) snapshot() any {
	s := stateSnapshot{t: slices.Clone(m.t), data: cloneAll(m.data), next: m.next}
	s.chunks = m.chunkMark()
	return s
}

func (m *StateMonitor) restoreSnapshot(x any) {
	s := x.(stateSnapshot)
	m.t, m.data, m.next = slices.Clone(s.t), cloneAll(s.data), s.next
	m.restoreChunks(m.name, s.chunks, m.rechunk)
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
	streaming
}

// PopulationRateMonitor records the population rate of g. Options: Name,
// When, Order, Stream and ChunkSize.
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
	m.mark, m.chunk = math.MaxInt, cfg.chunk
	if cfg.streamDir != "" {
		if err := m.StreamTo(cfg.streamDir); err != nil {
			return nil, err
		}
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
	if len(m.t) >= m.mark && m.atMark() {
		return
	}
	m.t = append(m.t, m.clock.T())
	r := 0.0
	if n := m.src.Size(); n > 0 {
		r = float64(len(fired)) / (float64(n) * m.clock.dt)
	}
	m.rate = append(m.rate, r)
}

// atMark is called when the recording reaches its mark, before a sample
// (see StateMonitor.atMark).
func (m *PopulationRateMonitor) atMark() bool {
	switch {
	case m.err != nil:
		return true
	case m.w != nil && len(m.t) < m.size: // the buffers are full, not the chunk
		c := m.bufferRecords(2 * len(m.t))
		m.t, m.rate, m.mark = growCap(m.t, c), growCap(m.rate, c), c
		return false
	case m.w != nil:
		return m.flush() != nil
	default:
		return m.overBudget(m, len(m.t)) && m.err != nil
	}
}

// StreamTo makes the monitor write its recording to the folder dir (made
// if needed) while it runs, as SpikeMonitor.StreamTo does; a chunk here
// holds the arrays t (float64 seconds) and rate (float64 Hz) of its steps.
func (m *PopulationRateMonitor) StreamTo(dir string) error {
	if err := m.startStream(m.name, dir, 16); err != nil {
		return err
	}
	return m.rechunk()
}

func (m *PopulationRateMonitor) rechunk() error {
	n := len(m.t)
	full := n - n%m.size
	for lo := 0; lo < full; lo += m.size {
		if err := m.writeChunk(lo, lo+m.size); err != nil {
			return err
		}
	}
	c := m.bufferRecords(n - full)
	m.t, m.rate, m.mark = rebuffer(m.t, full, c), rebuffer(m.rate, full, c), c
	return nil
}

func (m *PopulationRateMonitor) writeChunk(lo, hi int) error {
	z := output.NewNPZ()
	err := z.Add("t", output.Array{Data: m.t[lo:hi]})
	if err == nil {
		err = z.Add("rate", output.Array{Data: m.rate[lo:hi]})
	}
	if err == nil {
		err = m.write(z)
	}
	if err != nil {
		m.fail(m.name, err)
	}
	return err
}

func (m *PopulationRateMonitor) flush() error {
	if len(m.t) == 0 {
		return nil
	}
	if err := m.writeChunk(0, len(m.t)); err != nil {
		return err
	}
	m.t, m.rate = m.t[:0], m.rate[:0]
	return nil
}

// Flush writes the part of a chunk that a streaming monitor holds in
// memory (see SpikeMonitor.Flush).
func (m *PopulationRateMonitor) Flush() error {
	if m.w == nil || m.err != nil {
		return m.err
	}
	return m.flush()
}

// HeldBytes returns the memory the recording holds, in bytes.
func (m *PopulationRateMonitor) HeldBytes() int64 { return int64(8 * (cap(m.t) + cap(m.rate))) }

// ProjectedBytes estimates the memory the recording will hold after
// duration more seconds of running if it does not stream; StreamedBytes
// if it streams (from now on), up to a chunk.
func (m *PopulationRateMonitor) ProjectedBytes(duration float64) int64 {
	return int64(len(m.t)+int(math.Ceil(duration/m.clock.dt-1e-9))) * 16
}

// StreamedBytes: see ProjectedBytes.
func (m *PopulationRateMonitor) StreamedBytes(duration float64) int64 {
	return m.streamedBytes(m.ProjectedBytes(duration)/16, 16)
}

func (m *PopulationRateMonitor) watched(b *MonitorBudget) { m.streaming.watched(b) }

// recording returns the whole recording (see SpikeMonitor.recording).
func (m *PopulationRateMonitor) recording() (t, rate []float64) {
	if m.w == nil {
		return m.t, m.rate
	}
	z, err := output.ReadChunks(m.w.Dir())
	if err != nil {
		m.fail(m.name, err)
		return m.t, m.rate
	}
	return append(chunkArray[float64](z, "t"), m.t...), append(chunkArray[float64](z, "rate"), m.rate...)
}

func (m *PopulationRateMonitor) beforeRun() error { return m.err }
func (m *PopulationRateMonitor) markDirty()       {}

// T returns the times in seconds.
func (m *PopulationRateMonitor) T() []float64 {
	t, _ := m.recording()
	return slices.Clone(t)
}

// Rate returns the rate in Hz in each step.
func (m *PopulationRateMonitor) Rate() []float64 {
	_, rate := m.recording()
	return slices.Clone(rate)
}

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
	_, rate := m.recording()
	out := make([]float64, len(rate))
	for t := range rate {
		s := 0.0
		for k, x := range w {
			if j := t + half - k; j >= 0 && j < len(rate) {
				s += x * rate[j]
			}
		}
		out[t] = s
	}
	return out, nil
}

type rateSnapshot struct {
	t      []float64
	rate   []float64
	chunks chunkMark
}

func (m *PopulationRateMonitor) snapshot() any {
	s := rateSnapshot{t: slices.Clone(m.t), rate: slices.Clone(m.rate)}
	s.chunks = m.chunkMark()
	return s
}

func (m *PopulationRateMonitor) restoreSnapshot(x any) {
	s := x.(rateSnapshot)
	m.t, m.rate = slices.Clone(s.t), slices.Clone(s.rate)
	m.restoreChunks(m.name, s.chunks, m.rechunk)
}

// exact returns a copy of s with no capacity beyond its length.
func exact[T any](s []T) []T {
	out := make([]T, len(s))
	copy(out, s)
	return out
}

// extend lengthens s by n elements, doubling its capacity when it runs
// out. append grows large slices by a quarter at a time, and every
// growth is a fresh allocation the kernel must map and zero: recordings
// of millions of spikes, and spike queues in a burst, spent more time
// growing than filling.
func extend[T largeNumber](s []T, n int) []T {
	if len(s)+n > cap(s) {
		s = rebuffer(s, 0, max(2*cap(s), len(s)+n, 256))
	}
	return s[:len(s)+n]
}
