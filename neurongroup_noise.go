package soma

import (
	"math/rand/v2"

	"github.com/soma-sim/soma/kernel"
)

// Random numbers of neuron updates by block. A group whose update draws
// random numbers (noise, xi) or whose threshold calls rand() draws each
// block of noiseBlock neurons from a stream of its own, element by
// element: the numbers a neuron gets do not depend on which thread or
// rank updates it, so such groups can be split between ranks (and
// threads) like the others. A rank updates the whole blocks its neurons
// fall in, so that a block shared by two ranks advances alike on both.

// noiseBlock is the number of neurons per stream (a power of two: a
// neuron's block is k >> noiseShift).
const (
	noiseShift = 7
	noiseBlock = 1 << noiseShift
)

// noiseStreamTag sets the block streams apart from the network's others.
const noiseStreamTag = 1 << 61

// usesBlockNoise reports whether the group's update or a threshold draws
// random numbers.
func (g *NeuronGroup) usesBlockNoise() bool {
	if g.updater != nil && g.updater.UsesRNG() {
		return true
	}
	for _, ev := range g.events {
		if !ev.external && hasRandomCall(ev.cond) {
			return true
		}
	}
	return false
}

// prepareNoise makes the block streams, from the network's seed, when the
// group needs them and has none for the current seed.
func (g *NeuronGroup) prepareNoise() {
	if !g.usesBlockNoise() {
		g.noise = nil
		return
	}
	if g.noise != nil && g.noiseSeeding == g.net.seeding && len(g.noise.streams) == (g.n+noiseBlock-1)/noiseBlock {
		return
	}
	streams := make([]rand.PCG, (g.n+noiseBlock-1)/noiseBlock)
	for b := range streams {
		streams[b].Seed(g.net.seed, mix64(noiseStreamTag|uint64(g.rngIndex)<<32|uint64(b)))
	}
	g.noise = &streamRNG{streams: streams, shift: noiseShift, rands: make([]*rand.Rand, len(streams))}
	g.noise.Rand = rand.New(&g.noise.src)
	for b := range streams {
		g.noise.rands[b] = rand.New(&streams[b])
	}
	g.noiseSeeding = g.net.seeding
}

// drawRNG is what the group's updates and thresholds draw from.
func (g *NeuronGroup) drawRNG() kernel.RNG {
	if g.noise != nil {
		return g.noise
	}
	return g.rng
}

// noiseSpan widens a rank's shard to whole blocks.
func (g *NeuronGroup) noiseSpan() (lo, hi int) {
	lo, hi = g.Shard()
	return lo &^ (noiseBlock - 1), min((hi+noiseBlock-1)&^(noiseBlock-1), g.n)
}

// noiseSnapshot copies the block streams' states (nil without them).
func (g *NeuronGroup) noiseSnapshot() []rand.PCG {
	if g.noise == nil {
		return nil
	}
	return append([]rand.PCG(nil), g.noise.streams...)
}

// restoreNoise brings back the states noiseSnapshot copied: none means
// the streams start afresh from the seed, as they had not drawn yet.
func (g *NeuronGroup) restoreNoise(s []rand.PCG) {
	if s == nil {
		g.noise = nil
		return
	}
	g.prepareNoise()
	if g.noise != nil && len(g.noise.streams) == len(s) {
		copy(g.noise.streams, s)
	}
}
