package soma

import (
	crand "crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// object is anything a network runs: groups, synapses, monitors.
type object interface {
	Name() string
	operations() []*operation
	beforeRun() error
	markDirty()
	snapshot() any
	restoreSnapshot(any)
}

// Network holds groups, synapses and monitors and runs them on Brian2's
// schedule: in each step the slots start, groups, thresholds, synapses,
// resets and end, each object in its slot by order, then by name.
type Network struct {
	// Namespace holds constants visible to every object's code; a
	// group's own Namespace takes precedence. Changing it takes effect at
	// the next Run.
	Namespace Namespace

	objects   []object
	names     map[string]int
	counters  map[string]int
	clock     *Clock   // the default clock
	clocks    []*Clock // every clock in use, default first
	t         float64
	seed      uint64
	streams   []*rand.PCG
	seeding   uint64 // counts calls of Seed, for streams that follow it
	inactive  map[string]bool
	stored    map[string]*networkSnapshot
	report    func(Progress)
	period    time.Duration
	ran       bool
	lastSched []ScheduleEntry
	nsSeen    string // Namespace as of the last run, to notice changes
	// summedClaims records which Synapses sum into which variables.
	summedClaims map[*Variable][]summedClaim
	// threads is the number of cores a run may use (AutoThreads: chosen);
	// pool holds their workers during a run.
	threads int
	using   int // threads the current step uses (threadChooser)
	pool    *pool
	bounds  []int // the parts of the current split
	// mod holds the behaviours' bookkeeping: tags, initialisation, timing.
	mod modular
	// part is this rank's share of a distributed network (Distribute).
	part *partition
}

// NewNetwork returns an empty network with Brian2's default time step of
// 0.1 ms and a random seed (see Seed).
func NewNetwork() *Network {
	net := &Network{
		Namespace: Namespace{},
		names:     map[string]int{},
		counters:  map[string]int{},
		inactive:  map[string]bool{},
		stored:    map[string]*networkSnapshot{},
		clock:     &Clock{dt: 1e-4},
		threads:   1,
	}
	net.clocks = []*Clock{net.clock}
	var b [8]byte
	if _, err := crand.Read(b[:]); err == nil {
		net.seed = binary.LittleEndian.Uint64(b[:])
	} else {
		net.seed = uint64(time.Now().UnixNano())
	}
	return net
}

// DT returns the default clock's time step in seconds.
func (net *Network) DT() float64 { return net.clock.dt }

// SetDT changes the default time step. The current time must be a whole
// number of new steps, as in Brian2.
func (net *Network) SetDT(dt float64) error {
	if !(dt > 0) || math.IsInf(dt, 0) {
		return fmt.Errorf("dt must be a positive time, got %g s", dt)
	}
	step := timestepOf(net.t, dt)
	if math.Abs(float64(step)*dt-net.t) > epsilonDT*dt {
		return fmt.Errorf("cannot set dt from %g s to %g s: the time %g s is not a multiple of %g s", net.clock.dt, dt, net.t, dt)
	}
	net.clock.dt = dt
	net.clock.step = step
	for _, o := range net.objects {
		o.markDirty()
	}
	return nil
}

// T returns the network's current time in seconds.
func (net *Network) T() float64 { return net.t }

// Seed seeds every random stream of the network: runs with the same seed
// and model give the same result. Objects draw from their own streams, so
// adding a monitor does not change the random numbers of a group.
func (net *Network) Seed(seed uint64) {
	net.seed = seed
	net.seeding++
	for k, s := range net.streams {
		s.Seed(seed, uint64(k))
	}
}

// SeedValue returns the seed in use (drawn at random unless Seed was called).
func (net *Network) SeedValue() uint64 { return net.seed }

// newRNG returns the next random stream.
func (net *Network) newRNG() *rand.Rand {
	src := rand.NewPCG(net.seed, uint64(len(net.streams)))
	net.streams = append(net.streams, src)
	return rand.New(src)
}

// newClock returns the default clock when dt is 0, otherwise a new clock
// with its own dt, which addClock makes part of the network.
func (net *Network) newClock(dt float64) *Clock {
	if dt == 0 {
		return net.clock
	}
	return &Clock{dt: dt, step: timestepOf(net.t, dt)}
}

// clockFor is newClock followed by addClock.
func (net *Network) clockFor(dt float64) *Clock {
	c := net.newClock(dt)
	net.addClock(c)
	return c
}

func (net *Network) addClock(c *Clock) {
	if c != net.clock {
		net.clocks = append(net.clocks, c)
	}
}

// uniqueName returns name, or an automatic name such as "neurongroup_1".
func (net *Network) uniqueName(name, base string) string {
	if name != "" {
		return name
	}
	for {
		net.counters[base]++
		n := fmt.Sprintf("%s_%d", base, net.counters[base])
		if _, taken := net.names[n]; !taken {
			return n
		}
	}
}

func (net *Network) add(o object) {
	net.names[o.Name()] = len(net.objects)
	net.objects = append(net.objects, o)
}

// checkName reports whether a name is still free.
func (net *Network) checkName(name string) error {
	if _, taken := net.names[name]; taken {
		return fmt.Errorf("the name '%s' is already used by another object of the network", name)
	}
	return nil
}

// SetActive switches an object (by name) on or off; an inactive object
// does nothing during runs.
func (net *Network) SetActive(name string, active bool) error {
	if _, ok := net.names[name]; !ok {
		return fmt.Errorf("the network has no object named '%s'", name)
	}
	net.inactive[name] = !active
	return nil
}

// Active reports whether the object with this name runs (see SetActive).
func (net *Network) Active(name string) bool {
	_, ok := net.names[name]
	return ok && !net.inactive[name]
}

// Objects returns the network's objects in the order they were added:
// groups, synapses, monitors, input groups and behaviours' modules.
func (net *Network) Objects() []any {
	out := make([]any, len(net.objects))
	for k, o := range net.objects {
		out[k] = o
	}
	return out
}

// schedule returns the operations of all active objects in run order.
func (net *Network) schedule() []*operation {
	var ops []*operation
	for _, o := range net.objects {
		if net.inactive[o.Name()] {
			continue
		}
		ops = append(ops, o.operations()...)
	}
	sort.SliceStable(ops, func(a, b int) bool {
		x, y := ops[a], ops[b]
		if x.when != y.when {
			return x.when < y.when
		}
		if (x.seq == 0) != (y.seq == 0) {
			return x.seq == 0
		}
		if x.seq != y.seq {
			return x.seq < y.seq
		}
		if x.order != y.order {
			return x.order < y.order
		}
		return x.name < y.name
	})
	return net.withExchanges(ops)
}

// noticeNamespace marks every object for recompilation when the network's
// Namespace changed since the last look: constants are folded into kernels.
func (net *Network) noticeNamespace() {
	keys := make([]string, 0, len(net.Namespace))
	for k := range net.Namespace {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%T:%#v;", k, net.Namespace[k], net.Namespace[k])
	}
	if seen := b.String(); seen != net.nsSeen {
		net.nsSeen = seen
		for _, o := range net.objects {
			o.markDirty()
		}
	}
}

// Schedule lists what runs in each step, in order.
func (net *Network) Schedule() ([]ScheduleEntry, error) {
	if err := net.Initialize(); err != nil {
		return nil, err
	}
	net.noticeNamespace()
	for _, o := range net.objects {
		if err := o.beforeRun(); err != nil {
			return nil, err
		}
	}
	var out []ScheduleEntry
	for _, op := range net.schedule() {
		out = append(out, ScheduleEntry{When: slotName(op.when), Order: op.order, Name: op.name, DT: op.clock.dt})
	}
	return out, nil
}

// Progress is reported during a run (see Report).
type Progress struct {
	Fraction  float64       // of the run completed, 0 to 1
	T         float64       // simulated time, seconds
	Duration  float64       // simulated duration of this run, seconds
	Elapsed   time.Duration // wall time since the run started
	Remaining time.Duration // estimated wall time left
}

// Report makes Run call fn at the start, every period of wall time, and at
// the end of each run.
func (net *Network) Report(period time.Duration, fn func(Progress)) {
	net.period, net.report = period, fn
}

// Run simulates the network for duration seconds, continuing from the
// current state.
func (net *Network) Run(duration float64) error {
	if duration < 0 || math.IsNaN(duration) {
		return fmt.Errorf("run duration must not be negative, got %g s", duration)
	}
	if net.part != nil && net.part.gathered {
		return errors.New("the distributed network cannot run on: Gather brought its synapses to rank 0")
	}
	if err := net.Initialize(); err != nil {
		return err
	}
	net.noticeNamespace()
	for _, o := range net.objects {
		if err := o.beforeRun(); err != nil {
			return err
		}
	}
	ops := net.schedule()
	if net.part != nil {
		ops = net.prepareWindow(ops)
	}
	// Per-operation timing wants every operation on its own.
	alone := net.mod.timing != nil
	if !alone && fuseOperations {
		ops = fuse(ops)
	}
	// The automatic choice runs the steps it gives one thread without
	// regions: cutting the groups into parts costs bookkeeping that only
	// several threads pay back. Either list gives the same results.
	plain := ops
	if net.Threads() > 1 {
		ops = net.regions(ops, !alone)
	}
	ops = net.mod.timing.wrap(ops)
	start, end := net.t, net.t+duration
	for _, c := range net.clocks {
		c.setInterval(start, end)
	}
	began := time.Now()
	nextReport := began
	report := func(t float64, force bool) {
		if net.report == nil {
			return
		}
		if !force && t >= end {
			return // the final report follows
		}
		now := time.Now()
		if !force && now.Before(nextReport) {
			return
		}
		nextReport = now.Add(net.period)
		p := Progress{T: t, Duration: duration, Elapsed: now.Sub(began), Fraction: 1}
		if duration > 0 {
			p.Fraction = math.Min(1, (t-start)/duration)
		}
		if p.Fraction > 0 {
			p.Remaining = time.Duration(float64(p.Elapsed) * (1 - p.Fraction) / p.Fraction)
		}
		net.report(p)
	}
	report(start, true)
	if workers := net.Threads() - 1; workers > 0 {
		net.pool, net.using = newPool(workers), workers+1
		defer func() { net.pool.close(); net.pool = nil }()
	}
	if len(net.clocks) == 1 || net.singleClock(ops) {
		var chooser *threadChooser
		if net.pool != nil && net.ThreadsAuto() {
			chooser = newThreadChooser(net.using, net.clock.step)
			chooser.plain = net.mod.timing.wrap(plain)
		}
		net.runSingleClock(ops, report, chooser)
	} else {
		net.runClocks(ops, report)
	}
	net.t = end
	net.ran = true
	report(end, true)
	return nil
}

// singleClock reports whether every operation uses the default clock.
func (net *Network) singleClock(ops []*operation) bool {
	for _, op := range ops {
		if op.clock != net.clock {
			return false
		}
	}
	return true
}

// reportEvery is how many steps (or clock iterations) pass between looks at
// the wall clock while a progress callback is set.
const reportEvery = 64

// runSingleClock is the common case: every object on one clock.
func (net *Network) runSingleClock(ops []*operation, report func(float64, bool), chooser *threadChooser) {
	c := net.clock
	for c.step < c.end {
		run := ops
		if chooser != nil {
			chooser.tick(net, c.step)
			if net.using == 1 {
				run = chooser.plain
			}
		}
		for _, op := range run {
			op.run()
		}
		c.step++
		if net.report != nil && c.step%reportEvery == 0 && c.step < c.end {
			report(c.T(), false)
		}
	}
	for _, other := range net.clocks[1:] {
		other.step = other.end
	}
}

// runClocks advances several clocks: in each iteration, the clocks whose
// next time is the earliest run their operations, as in Brian2.
func (net *Network) runClocks(ops []*operation, report func(float64, bool)) {
	// As Brian2: a clock is current if its time is the earliest one, up to
	// epsilonDT of the smaller of the two steps.
	current := func(c *Clock, t, dt float64) bool {
		return c.step < c.end && (c.T() == t || math.Abs(c.T()-t) < epsilonDT*math.Min(dt, c.dt))
	}
	for iter := 1; ; iter++ {
		minT, minDT := math.Inf(1), 0.0
		for _, c := range net.clocks {
			if c.step < c.end && c.T() < minT {
				minT, minDT = c.T(), c.dt
			}
		}
		if math.IsInf(minT, 1) {
			return
		}
		for _, op := range ops {
			if current(op.clock, minT, minDT) {
				op.run()
			}
		}
		for _, c := range net.clocks {
			if current(c, minT, minDT) {
				c.step++
			}
		}
		if net.report != nil && iter%reportEvery == 0 {
			report(minT+minDT, false)
		}
	}
}

type networkSnapshot struct {
	t       float64
	steps   []int64
	objects map[string]any
	rng     [][]byte
}

// Store saves the state of the whole network (variables, monitors, clocks
// and random streams) under a name; Restore brings it back.
func (net *Network) Store(name string) {
	s := &networkSnapshot{t: net.t, objects: map[string]any{}}
	for _, c := range net.clocks {
		s.steps = append(s.steps, c.step)
	}
	for _, o := range net.objects {
		s.objects[o.Name()] = o.snapshot()
	}
	for _, r := range net.streams {
		b, _ := r.MarshalBinary()
		s.rng = append(s.rng, b)
	}
	net.stored[name] = s
}

// Restore returns the network to the state saved by Store(name).
func (net *Network) Restore(name string) error {
	s, ok := net.stored[name]
	if !ok {
		return fmt.Errorf("no stored state named '%s'", name)
	}
	net.t = s.t
	for k, c := range net.clocks {
		if k < len(s.steps) {
			c.step = s.steps[k]
		} else {
			c.step = timestepOf(s.t, c.dt)
		}
	}
	for _, o := range net.objects {
		if snap, ok := s.objects[o.Name()]; ok {
			o.restoreSnapshot(snap)
		}
	}
	for k, b := range s.rng {
		if k < len(net.streams) {
			_ = net.streams[k].UnmarshalBinary(b)
		}
	}
	return nil
}
