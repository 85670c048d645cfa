package soma

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// BenchmarkRefractorySet: saving and restoring the frozen variable of
// 400 refractory neurons out of 4000 (COBA's share) in one step, for the
// group whole and cut in two parts (as for two threads, both run here).
func BenchmarkRefractorySet(b *testing.B) {
	for _, parts := range []int{1, 2} {
		b.Run(fmt.Sprintf("parts=%d", parts), func(b *testing.B) { benchRefractorySet(b, parts) })
	}
}

func benchRefractorySet(b *testing.B, parts int) {
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
	r.bounds = nil // cut the lists filled here
	step := int64(1000)
	fired := make([]int32, 8)
	b.ResetTimer()
	for b.Loop() {
		r.prepare(g, step, 0, 4000, parts)
		for p := range parts {
			r.begin(g, step, p)
		}
		for p := range parts {
			r.end(step, p)
		}
		r.finish(step)
		// new spikes in place of those released, to keep 400 refractory
		for k := range fired {
			fired[k] = int32(rng.IntN(4000))
		}
		slices.Sort(fired)
		r.record(step, fired)
		step++
	}
}
