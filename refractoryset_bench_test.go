package soma

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// BenchmarkRefractorySet: saving and restoring the frozen variable of
// 400 refractory neurons out of 4000 (COBA's share) in one step.
func BenchmarkRefractorySet(b *testing.B) {
	net := NewNetwork()
	g, err := net.NeuronGroup(4000, "dv/dt = -v/(10*ms) : volt (unless refractory)", Threshold("v > 1*volt"), Refractory("5*ms"), Method("exact"))
	if err != nil {
		b.Fatal(err)
	}
	if err := net.Run(0.1e-3); err != nil {
		b.Fatal(err)
	}
	r := g.refSet
	rng := rand.New(rand.NewPCG(1, 2))
	for s := range r.ring {
		r.ring[s] = r.ring[s][:0]
		for range 8 {
			r.ring[s] = append(r.ring[s], int32(rng.IntN(4000)))
		}
		slices.Sort(r.ring[s])
	}
	r.rebuild = false
	step := int64(1000)
	b.ResetTimer()
	for b.Loop() {
		r.begin(g, step, 0, 0, 4000)
		r.end(step, 0, 0, 4000)
		r.finish(step)
		// put back what begin released, to keep 400 refractory
		slot := step % r.steps
		for range 8 {
			r.ring[slot] = append(r.ring[slot], int32(rng.IntN(4000)))
		}
		slices.Sort(r.ring[slot])
		step++
	}
}
