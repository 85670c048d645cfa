package soma

import (
	"math"
	"testing"
)

// TestDelayStepsOnThreads: the per-synapse delays converted to steps on
// several threads, over many blocks, in float64 and float32 storage and
// past 255 steps, are each delay rounded as Brian2 rounds it, and the
// queue reaches the longest.
func TestDelayStepsOnThreads(t *testing.T) {
	for _, c := range []struct {
		name    string
		delay   string
		float32 bool
	}{
		{"short", "0.2*ms + 3*ms*rand()", false},
		{"short float32", "0.2*ms + 3*ms*rand()", true},
		{"long", "60*ms*rand()", false},
	} {
		for _, threads := range []int{1, 3} {
			net := NewNetwork()
			net.Seed(4)
			net.SetThreads(threads)
			G := need(net.NeuronGroup(2000, "v : 1", Threshold("False")))
			opts := []Option{OnPre("v += 1")}
			if c.float32 {
				opts = append(opts, Float32())
			}
			S := need(net.Synapses(G, G, "", opts...))
			noErr(t, S.Connect(Connection{P: 0.06})) // about 240 000 synapses, 4 blocks
			noErr(t, S.Set("delay", c.delay))
			noErr(t, net.Run(net.DT()))
			p, v, dt := S.pathways[0], S.vars["delay"], net.DT()
			longest := 0
			for k := range S.n {
				want := max(int(math.RoundToEven(v.at(k)/dt)), 0)
				if got := p.delay.perSyn.at(int64(k)); got != want {
					t.Fatalf("%s, threads=%d: synapse %d of %d delayed %d steps, want %d", c.name, threads, k, S.n, got, want)
				}
				longest = max(longest, want)
			}
			if S.n < 3*delayBlock {
				t.Fatalf("%s: %d synapses, fewer than 3 blocks", c.name, S.n)
			}
			if got := len(p.queue.slots); len(p.partQueues) == 0 && got != longest+1 {
				t.Errorf("%s, threads=%d: a queue of %d slots for delays up to %d steps", c.name, threads, got, longest)
			}
			for q := range p.partQueues {
				if got := len(p.partQueues[q].slots); got != longest+1 {
					t.Errorf("%s, threads=%d: part %d's queue of %d slots for delays up to %d steps", c.name, threads, q, got, longest)
				}
			}
			if large := p.delay.perSyn.large != nil; large != (longest > math.MaxUint8) {
				t.Errorf("%s, threads=%d: delays up to %d steps stored in int32: %v", c.name, threads, longest, large)
			}
		}
	}
}
