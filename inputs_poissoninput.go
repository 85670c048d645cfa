package soma

import (
	"fmt"
	"math/rand/v2"
	"unsafe"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/kernel"
	"github.com/soma-sim/soma/units"
)

// PoissonInput adds independent Poisson input to a variable of every
// neuron of a group, like Brian2's PoissonInput: in each step (in the
// synapses slot by default) each neuron's variable grows by weight times
// the number of n inputs at the given rate that spiked, a binomial
// B(n, rate*dt) count drawn independently per neuron. No spike sources or
// synapses are stored.
//
// Brian2 draws the count from a normal approximation when n*p > 5 and
// n*(1-p) > 5; here it is always drawn exactly, with the same mean and
// variance.
type PoissonInput struct {
	net         *Network
	name        string
	when, order float64
	rng         *rand.Rand

	group    *NeuronGroup
	lo, hi   int            // the neurons of the group that receive input
	own      []poissonBlock // in a region: this rank's blocks (ownBlocks)
	target   endpoint
	variable string
	v        *Variable
	cond     *Variable // not_refractory for (unless refractory) variables

	n          int
	rateSpec   any
	rate       float64 // Hz
	weightSpec any
	weight     float64      // when constant
	weightEx   *kernel.Expr // when an expression
	sampler    binomial

	// The neurons are drawn in blocks of poissonBlockSize, each from its own
	// random stream, so that threads can draw blocks at the same time and
	// the counts do not depend on how many there are.
	stream   uint64 // the input's stream number, from which the blocks' derive
	blocks   []poissonBlock
	seededAt uint64 // the network's seeding the blocks' streams follow
}

// poissonBlockSize is the size of a block of neurons with a random stream
// of its own: small enough to share a group evenly between threads, and
// between ranks of a distributed network, each of which draws the blocks
// that hold its neurons whole (with 1024, a rank of the microcircuit on
// 128 ranks, 600 neurons, drew 8 blocks of 1024 and spent 60% of its step
// on it). Changing it changes the counts a seed gives.
const poissonBlockSize = 128

// A poissonBlock is a block of neurons drawn from one stream, with the
// counts of its last step. Threads draw neighbouring blocks at the same
// time, and each draw writes the stream's state: a block keeps its state
// in itself and is padded to a multiple of 128 bytes, so that the states
// of two blocks are two cache lines apart and threads never write one
// line.
type poissonBlock struct {
	blockDraw
	_ [(128 - unsafe.Sizeof(blockDraw{})%128) % 128]byte
}

type blockDraw struct {
	lo, hi int // neurons of the group
	src    rand.PCG
	rng    *rand.Rand // reading src, which therefore must not move
	idx    []int32    // neurons with a nonzero count in this step
	counts []float64
	wbuf   []float64 // their weights, when the weight is an expression
}

// PoissonInput adds input to variable of target (a NeuronGroup or a
// Subgroup) from n independent Poisson sources firing at rate each, every
// spike adding weight. rate is a float64 in Hz, a units.Quantity in Hz or
// a constant expression such as "5*Hz". weight is a units.Quantity with
// the variable's unit, a plain number for a dimensionless variable, or a
// string expression evaluated for each neuron in the group's context
// ("J", "0.1*mV*(1 + i)"). Options: Name, When (default "synapses"),
// Order.
func (net *Network) PoissonInput(target Group, variable string, n int, rate any, weight any, opts ...Option) (*PoissonInput, error) {
	cfg, err := newConfig("PoissonInput", opts)
	if err != nil {
		return nil, fmt.Errorf("PoissonInput: %w", err)
	}
	p := &PoissonInput{net: net, variable: variable, n: n, rateSpec: rate, weightSpec: weight}
	p.name = net.uniqueName(cfg.name, "poissoninput")
	if err := net.checkName(p.name); err != nil {
		return nil, err
	}
	fail := func(err error) (*PoissonInput, error) {
		return nil, fmt.Errorf("PoissonInput '%s': %w", p.name, err)
	}
	if p.when, p.order, err = inputSchedule(cfg, "synapses"); err != nil {
		return fail(err)
	}
	switch g := target.(type) {
	case *NeuronGroup:
		p.group, p.lo, p.hi = g, 0, g.n
	case *Subgroup:
		p.group, p.lo, p.hi = g.parent, g.start, g.stop
	default:
		return fail(fmt.Errorf("the target must be a NeuronGroup or a Subgroup, not %T", target))
	}
	p.target = target.(endpoint)
	if n < 0 {
		return fail(fmt.Errorf("the number of inputs must not be negative, got %d", n))
	}
	v, ok := p.group.vars[variable]
	switch {
	case !ok:
		return fail(fmt.Errorf("'%s' is not a variable of %s", variable, target.Name()))
	case v.Constant:
		return fail(fmt.Errorf("cannot add input to '%s': it is a constant", variable))
	case v.Shared:
		return fail(fmt.Errorf("cannot add input to '%s': it is a shared variable", variable))
	case v.Type != expr.Float:
		return fail(fmt.Errorf("cannot add input to '%s': it is %s, not a floating-point variable", variable, v.Type))
	}
	p.v = v
	if err := p.prepare(); err != nil {
		return fail(err)
	}
	p.stream = uint64(len(net.streams))
	p.rng = net.newRNG()
	p.blocks = make([]poissonBlock, (p.hi-p.lo+poissonBlockSize-1)/poissonBlockSize)
	for k := range p.blocks {
		b := &p.blocks[k]
		b.lo = p.lo + k*poissonBlockSize
		b.hi = min(b.lo+poissonBlockSize, p.hi)
		b.rng = rand.New(&b.src)
	}
	p.seedBlocks()
	net.add(p)
	return p, nil
}

// Name returns the input's name.
func (p *PoissonInput) Name() string { return p.name }

// N returns the number of inputs per neuron.
func (p *PoissonInput) N() int { return p.n }

// Rate returns the rate of each input in Hz.
func (p *PoissonInput) Rate() float64 { return p.rate }

// Variable returns the name of the variable that receives the input.
func (p *PoissonInput) Variable() string { return p.variable }

// prepare checks the rate and weight and builds the sampler; it runs again
// before each run, so changed constants and dt take effect.
func (p *PoissonInput) prepare() error {
	g := p.group
	sc := g.scope()
	q, err := sc.toQuantity("rate", p.rateSpec)
	if err != nil {
		return err
	}
	switch {
	case isFloat(p.rateSpec) && q.Dim.IsDimensionless():
	case q.Dim != hertzDim:
		return fmt.Errorf("the rate must have unit Hz, got %s", q)
	}
	if !(q.Value >= 0) {
		return fmt.Errorf("the rate must not be negative, got %g Hz", q.Value)
	}
	dt := g.clock.dt
	if q.Value*dt > 1 {
		return fmt.Errorf("the rate (%g Hz) times dt (%g s) is a probability above 1", q.Value, dt)
	}
	if err := p.prepareWeight(); err != nil {
		return err
	}
	p.rate = q.Value
	p.sampler = newBinomial(p.n, q.Value*dt)
	p.cond = p.target.writeCondition(p.variable)
	return nil
}

func (p *PoissonInput) prepareWeight() error {
	g, v := p.group, p.v
	switch w := p.weightSpec.(type) {
	case string:
		n, err := expr.Parse(w)
		if err != nil {
			return codeErr("weight", w, err)
		}
		n = g.substitute(n)
		sc := g.scope()
		info, err := expr.Check(n, sc)
		if err != nil {
			return codeErr("weight", w, scopeErr(sc, err))
		}
		if info.Dim != v.Dim {
			return codeErr("weight", w, fmt.Errorf("the weight must have the unit of '%s' (%s), but it has unit %s", p.variable, v.Dim.Name(), info.Dim.Name()))
		}
		lay, err := g.layoutFor(sc, p.lo, p.hi-p.lo, n)
		if err != nil {
			return codeErr("weight", w, err)
		}
		if p.weightEx, err = kernel.CompileExpr(n, lay); err != nil {
			return codeErr("weight", w, err)
		}
	case units.Quantity:
		if w.Dim != v.Dim {
			return fmt.Errorf("the weight (%s) must have the unit of '%s' (%s)", w, p.variable, v.Dim.Name())
		}
		p.weight = w.Value
	case float64, float32, int, int32, int64:
		if !v.Dim.IsDimensionless() {
			return fmt.Errorf("the weight is a plain number, but '%s' has unit %s: use a units.Quantity or a string such as \"%v*%s\"",
				p.variable, v.Dim.Name(), w, v.Dim.Name())
		}
		p.weight = toFloat(w)
	default:
		return fmt.Errorf("the weight must be a units.Quantity, a number or a string expression, got %T", p.weightSpec)
	}
	return nil
}

// seedBlocks starts the blocks' streams from the network's seed. Their
// numbers lie above any stream number an object can get.
func (p *PoissonInput) seedBlocks() {
	for k := range p.blocks {
		p.blocks[k].src.Seed(p.net.seed, 1<<63|p.stream<<24|uint64(k))
	}
	p.seededAt = p.net.seeding
}

func (p *PoissonInput) beforeRun() error {
	if p.seededAt != p.net.seeding {
		p.seedBlocks()
	}
	if err := p.prepare(); err != nil {
		return fmt.Errorf("PoissonInput '%s': %w", p.name, err)
	}
	return nil
}

func (p *PoissonInput) markDirty() {}

func (p *PoissonInput) operations() []*operation {
	op := &operation{name: p.name, owner: p.name, when: p.when, order: p.order, clock: p.group.clock, run: p.step}
	if p.lo%poissonBlockSize == 0 {
		// Blocks then start at multiples of the block size, and the
		// parts of a region (cut at multiples of it, partAlign) cut
		// between blocks.
		op.parts = &partwise{begin: p.beginParts, target: p.stepPart}
	}
	return []*operation{op}
}

// step draws the counts of all neurons and adds them, times the weight,
// to the variable; like any write to an (unless refractory) variable, it
// skips refractory neurons.
func (p *PoissonInput) step() {
	p.group.t = p.group.clock.T()
	blocks := p.ownBlocks()
	for k := range blocks {
		p.stepBlock(&blocks[k])
	}
}

// beginParts starts a step in a region, whose parts draw the blocks of
// their neurons (stepPart): each block has its own stream, so which
// thread draws it changes nothing.
func (p *PoissonInput) beginParts() int {
	p.group.t = p.group.clock.T()
	p.own = p.ownBlocks()
	return len(p.own) * max(1, int(poissonBlockSize*p.sampler.workPerNeuron()))
}

// stepPart draws the blocks that start in fine part k of the group.
func (p *PoissonInput) stepPart(k, parts int) {
	if len(p.own) == 0 {
		return
	}
	lo, hi := targetPart(p.group.n, k, parts)
	first := p.own[0].lo
	block := func(i int) int { // the first block starting at or after neuron i
		return min(max(0, (i-first+poissonBlockSize-1)/poissonBlockSize), len(p.own))
	}
	for b := block(lo); b < block(hi); b++ {
		p.stepBlock(&p.own[b])
	}
}

// ownBlocks returns the blocks with neurons this rank updates: all of
// them, unless the network is distributed and the target group
// partitioned. Each block has its own stream, so the blocks left out
// change nothing in the others; a block across the edge of the rank's
// neurons is drawn whole.
func (p *PoissonInput) ownBlocks() []poissonBlock {
	if p.group.shard == nil {
		return p.blocks
	}
	lo, hi := p.group.Shard()
	lo, hi = max(lo, p.lo)-p.lo, min(hi, p.hi)-p.lo
	if lo >= hi {
		return nil
	}
	return p.blocks[lo/poissonBlockSize : (hi+poissonBlockSize-1)/poissonBlockSize]
}

func (p *PoissonInput) stepBlock(b *poissonBlock) {
	b.draw(&p.sampler)
	if len(b.idx) == 0 {
		return
	}
	f := p.v.col.F
	w := p.weight
	if p.weightEx != nil {
		b.wbuf = grow(b.wbuf, len(b.idx))
		p.weightEx.EvalIndices(b.idx, b.wbuf, b.rng)
	}
	for k, i := range b.idx {
		if p.cond != nil && !p.cond.col.B[i] {
			continue
		}
		if p.weightEx != nil {
			w = b.wbuf[k]
		}
		if f == nil { // a float32 variable (Float32)
			f32 := p.v.col.F32
			f32[i] = float32(float64(f32[i]) + b.counts[k]*w)
			continue
		}
		f[i] += b.counts[k] * w
	}
}

// draw collects the block's neurons with a nonzero count. When most counts
// are zero it skips from one nonzero count to the next with geometric gaps
// and draws only those counts, conditioned on being positive.
func (b *poissonBlock) draw(s *binomial) {
	// Appending to locals keeps the block's slice headers out of the loop.
	idx, counts, rng := b.idx[:0], b.counts[:0], b.rng
	if s.canSkip() && s.p0 < directAbove {
		skipper := newGeometric(s.p0)
		n := b.hi - b.lo
		for k := skipper.next(-1, n, rng); k < n; k = skipper.next(k, n, rng) {
			idx = append(idx, int32(b.lo+k))
			counts = append(counts, float64(s.drawPositive(rng)))
		}
	} else {
		for i := b.lo; i < b.hi; i++ {
			if x := s.draw(rng); x != 0 {
				idx = append(idx, int32(i))
				counts = append(counts, float64(x))
			}
		}
	}
	b.idx, b.counts = idx, counts
}

// A PoissonInput's state is where its blocks' random streams are.
func (p *PoissonInput) snapshot() any {
	out := make([][]byte, len(p.blocks))
	for k, b := range p.blocks {
		out[k], _ = b.src.MarshalBinary()
	}
	return out
}

func (p *PoissonInput) restoreSnapshot(x any) {
	if s, ok := x.([][]byte); ok {
		for k, b := range s {
			if k < len(p.blocks) {
				_ = p.blocks[k].src.UnmarshalBinary(b)
			}
		}
	}
}
