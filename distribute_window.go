package soma

import "slices"

// Exchanging spikes once per window of steps. A spike that reaches the
// synapses of other ranks only after a delay of D steps can travel late:
// when every pathway fed by exchanged spikes has a delay of at least W
// steps, the ranks exchange the spikes of W steps at once, at the end of
// the window, and each pathway then queues each step's spikes as spikes
// of that step (spikeQueue files by emission step), so that they arrive
// when and in the order they would in one process. Within the window a
// rank sees only the spikes its thresholders found, which is all that its
// own neurons need: their refractoriness, their resets, and the on_post
// pathways of their synapses. The monitors of exchanged events run for
// each step of the window once it ends, with the clock set back to that
// step, so their recordings are those of one process.
//
// Windows of one step, the exchange of every step, remain where a late
// spike would be seen early or late: a pathway with a delay of 0 or 1
// step, synaptic code that reads lastspike_pre (other ranks' spikes set
// it), monitors that record values at each event (the values of that
// step), code run on exchanged events that draws random numbers (a reset
// with rand(): the group's stream must advance alike on every rank), more
// than one exchange per step, and any reader of the spikes scheduled
// before the exchange or on another clock.

// maxWindow bounds a window (steps), so that a rank holds a bounded
// number of its spikes while it waits to send them.
const maxWindow = 256

// window is the state of the exchange once per window of steps.
type window struct {
	steps   int    // W: steps per exchange, 1 for the exchange of every step
	start   int64  // the first step of the current window
	clock   *Clock // the clock of the exchange and of every reader of its spikes
	monitor []*operation
	paths   []*pathway
}

// prepareWindow decides, before a run, how many steps of spikes the ranks
// exchange at once, and sets up the exchange: the monitors of exchanged
// events leave the schedule to run at the window's end, and the pathways
// they feed take their spikes late. It may make one collective call (the
// shortest per-synapse delay of all ranks), on every rank alike.
func (net *Network) prepareWindow(ops []*operation) []*operation {
	p := net.part
	w := &p.win
	*w = window{steps: 1, start: net.clock.step}
	defer func() { p.stats.Window = w.steps }()
	for _, o := range net.objects {
		if s, ok := o.(*Synapses); ok {
			for _, pw := range s.pathways {
				pw.late, pw.lateBatches = false, pw.lateBatches[:0]
			}
		}
	}
	plan, ok := net.windowPlan(ops)
	if !ok {
		return ops
	}
	steps := min(plan.delay, int(p.comm.MinInt32(int32(plan.localDelay))))
	if steps < 2 {
		return ops
	}
	w.steps, w.clock, w.paths = steps, ops[plan.exchange].clock, plan.paths
	for _, pw := range plan.paths {
		pw.late = true
	}
	var out []*operation
	for k, op := range ops {
		switch {
		case plan.monitors[k]:
			w.monitor = append(w.monitor, op)
		case k == plan.exchange:
			fs := op.exchanges
			out = append(out, &operation{name: op.name, owner: op.owner, when: op.when, order: op.order, clock: op.clock,
				exchanges: fs, run: func() { p.exchangeWindow(fs) }})
		default:
			out = append(out, op)
		}
	}
	return out
}

// windowPlan is what a run's schedule allows: the exchange operation, the
// monitors and pathways that read exchanged spikes, and the shortest delay
// of those pathways (in steps; per-synapse delays of this rank's synapses
// apart, in localDelay).
type windowPlan struct {
	exchange   int          // index of the exchange in the schedule
	monitors   map[int]bool // indices of the monitors of exchanged events
	paths      []*pathway
	delay      int
	localDelay int
}

// windowPlan returns the plan for a run, or false where the spikes must be
// exchanged every step. Everything it looks at is alike on every rank, so
// every rank decides alike.
func (net *Network) windowPlan(ops []*operation) (windowPlan, bool) {
	plan := windowPlan{exchange: -1, monitors: map[int]bool{}, delay: maxWindow, localDelay: maxWindow}
	exchanged := map[*event]bool{}
	index := map[string]int{}
	for k, op := range ops {
		if op.exchanges != nil {
			if plan.exchange >= 0 {
				return plan, false
			}
			plan.exchange = k
			for _, f := range op.exchanges {
				exchanged[f.ev] = true
			}
		}
		index[op.name] = k
	}
	if plan.exchange < 0 {
		return plan, false
	}
	// reads reports whether the event of an endpoint is exchanged.
	reads := func(e any, name string) bool {
		g, ok := ownerGroup(e)
		return ok && exchanged[g.event(name)]
	}
	// after marks an operation that must follow the exchange, on its clock.
	after := func(name string) bool {
		k, ok := index[name]
		return ok && k > plan.exchange && ops[k].clock == ops[plan.exchange].clock
	}
	for _, o := range net.objects {
		switch x := o.(type) {
		case *NeuronGroup:
			// Code run on events (resets) sees only this rank's spikes
			// within a window: random draws there would advance the
			// group's stream differently on each rank.
			for _, c := range x.onEvent {
				if ev := x.event(c.event); exchanged[ev] && c.run != nil && c.run.UsesRNG() {
					return plan, false
				}
			}
		case *SpikeMonitor:
			if !reads(x.src, x.event) {
				continue
			}
			if len(x.readers) > 0 || !after(x.name) {
				return plan, false
			}
			plan.monitors[index[x.name]] = true
		case *PopulationRateMonitor:
			if !reads(x.src, "spike") {
				continue
			}
			if !after(x.name) {
				return plan, false
			}
			plan.monitors[index[x.name]] = true
		case *Synapses:
			if reads(x.src, "spike") && x.readsSource("lastspike") {
				return plan, false
			}
			for _, pw := range x.pathways {
				if pw.fromPost || !reads(pw.trigger(), "spike") {
					continue
				}
				if !after(x.name + "_" + pw.name) {
					return plan, false
				}
				plan.paths = append(plan.paths, pw)
				if pw.delay.scalar {
					plan.delay = min(plan.delay, pw.delay.steps)
				} else {
					plan.localDelay = min(plan.localDelay, pw.delay.perSyn.shortest(x.n))
				}
			}
		}
	}
	return plan, true
}

// shortest returns the shortest of the first n delays (a large number
// when n is 0).
func (d *synapseSteps) shortest(n int) int {
	switch {
	case n == 0:
		return maxWindow
	case d.small != nil:
		return int(slices.Min(d.small[:n]))
	default:
		return int(slices.Min(d.large[:n]))
	}
}

// exchangeWindow is the exchange of a window's spikes: at every step it
// records the refractoriness of the neurons whose spikes this rank found
// and keeps its own spikes; at the window's last step (or the run's) it
// sends them, puts each step's spikes of all ranks in place in turn, in
// one process's order, runs the monitors for that step and hands the
// spikes to the pathways, which queue them at this step.
func (p *partition) exchangeWindow(fs []firing) {
	w := &p.win
	c := w.clock
	for _, pw := range w.paths {
		pw.lateBatches = pw.lateBatches[:0]
	}
	m := &p.msg
	if c.step == w.start {
		m.reset()
	}
	for _, f := range fs {
		f.g.fired(f.ev)
	}
	m.addOwn(p, fs)
	steps := int(c.step-w.start) + 1
	if steps < w.steps && c.step+1 < c.end {
		return
	}
	p.sendSpikes(m)
	now := c.step
	for s := range steps {
		c.step = w.start + int64(s)
		m.nextStep(p, fs)
		for _, op := range w.monitor {
			op.run()
		}
		for _, pw := range w.paths {
			pw.addLate(c.step)
		}
	}
	c.step = now
	w.start = now + 1
}
