// Command intro walks through Brian2's "Introduction to Brian part 1:
// Neurons" with soma's Go API: a simple model, spikes, refractoriness,
// many neurons, the v0 parameter sweep (its firing-rate curve drawn as
// text), noise, and the adaptive-threshold network.
//
//	go run ./examples/go/intro
package main

import (
	"fmt"
	"log"
	"math"
	"strings"

	"github.com/soma-sim/soma"
)

// tau is the membrane time constant used throughout the tutorial.
var tau = soma.Namespace{"tau": "10*ms"}

func main() {
	simpleModel()
	spikes()
	refractoriness()
	manyNeurons()
	v0Sweep()
	noisySweep()
	adaptiveThreshold()
}

// check stops the program at the first error: a tutorial has no use for
// recovery.
func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// simpleModel integrates dv/dt = (1-v)/tau exactly and compares v with the
// analytic solution 1 - exp(-t/tau).
func simpleModel() {
	fmt.Println("== A simple model: dv/dt = (1-v)/tau")
	net := soma.NewNetwork()
	G, err := net.NeuronGroup(1, "dv/dt = (1-v)/tau : 1", soma.Method("exact"), tau)
	check(err)
	M, err := net.StateMonitor(G, []string{"v"}, soma.Record(0))
	check(err)
	check(net.Run(100 * soma.Millisecond))
	v, err := M.Of("v", 0)
	check(err)
	t := M.T()
	for _, k := range []int{0, 100, 200, 500, 999} {
		fmt.Printf("  t = %5.1f ms  v = %.6f  1-exp(-t/tau) = %.6f\n", t[k]*1e3, v[k], 1-math.Exp(-t[k]/0.01))
	}
	fmt.Printf("  integration method: %s\n\n", G.Method())
}

// spikes adds a threshold and a reset.
func spikes() {
	fmt.Println("== Adding spikes: threshold v > 0.8, reset v = 0")
	net := soma.NewNetwork()
	G, err := net.NeuronGroup(1, "dv/dt = (1-v)/tau : 1",
		soma.Threshold("v > 0.8"), soma.Reset("v = 0"), soma.Method("exact"), tau)
	check(err)
	S, err := net.SpikeMonitor(G)
	check(err)
	check(net.Run(50 * soma.Millisecond))
	fmt.Printf("  spike times: %s\n\n", milliseconds(S.T()))
}

// refractoriness holds v at 0 for 5 ms after each spike with
// (unless refractory); without that flag, v keeps integrating but the
// neuron cannot fire again for 15 ms.
func refractoriness() {
	fmt.Println("== Refractoriness")
	for _, c := range []struct {
		model      string
		refractory float64
	}{
		{"dv/dt = (1-v)/tau : 1 (unless refractory)", 5 * soma.Millisecond},
		{"dv/dt = (1-v)/tau : 1", 15 * soma.Millisecond},
	} {
		net := soma.NewNetwork()
		G, err := net.NeuronGroup(1, c.model, soma.Threshold("v > 0.8"), soma.Reset("v = 0"),
			soma.Refractory(c.refractory), soma.Method("exact"), tau)
		check(err)
		S, err := net.SpikeMonitor(G)
		check(err)
		check(net.Run(50 * soma.Millisecond))
		fmt.Printf("  %-45s refractory %2.0f ms: spikes at %s\n", c.model, c.refractory*1e3, milliseconds(S.T()))
	}
	fmt.Println()
}

// manyNeurons starts 100 neurons at random voltages.
func manyNeurons() {
	fmt.Println("== Multiple neurons: 100 neurons, v starting at rand()")
	net := soma.NewNetwork()
	net.Seed(1)
	G, err := net.NeuronGroup(100, "dv/dt = (2-v)/tau : 1",
		soma.Threshold("v > 1"), soma.Reset("v = 0"), soma.Method("exact"), tau)
	check(err)
	check(G.Set("v", "rand()"))
	S, err := net.SpikeMonitor(G)
	check(err)
	check(net.Run(50 * soma.Millisecond))
	fmt.Printf("  %d spikes; each neuron fires every %.2f ms (tau*ln 2)\n\n", S.NumSpikes(), 10*math.Ln2)
}

// v0Sweep gives each of 100 neurons its own drive v0 and draws the firing
// rate as a function of v0.
func v0Sweep() {
	fmt.Println("== Parameters: the firing rate as a function of v0")
	sweep(0, `
		dv/dt = (v0 - v)/tau : 1 (unless refractory)
		v0 : 1`, "exact", soma.Namespace{"tau": "10*ms", "v0_max": 3.0})
}

// noisySweep is the same sweep with noise: neurons with v0 < 1 now fire too.
func noisySweep() {
	fmt.Println("== Stochastic neurons: the sweep with noise (sigma = 0.2)")
	sweep(2, `
		dv/dt = (v0 - v)/tau + sigma*xi*tau**-0.5 : 1 (unless refractory)
		v0 : 1`, "euler", soma.Namespace{"tau": "10*ms", "v0_max": 3.0, "sigma": 0.2})
}

// sweep runs 100 neurons of model, with v0 from 0 to v0_max, for one
// second and draws their firing rates against v0. A seed of 0 leaves the
// network's default.
func sweep(seed uint64, model, method string, ns soma.Namespace) {
	net := soma.NewNetwork()
	if seed != 0 {
		net.Seed(seed)
	}
	G, err := net.NeuronGroup(100, model,
		soma.Threshold("v > 1"), soma.Reset("v = 0"), soma.Refractory(5*soma.Millisecond),
		soma.Method(method), ns)
	check(err)
	check(G.Set("v0", "i*v0_max/(N-1)"))
	S, err := net.SpikeMonitor(G)
	check(err)
	check(net.Run(1 * soma.Second))
	v0, err := G.Values("v0")
	check(err)
	rateCurve(v0, S.Count(), 1.0)
}

// adaptiveThreshold is the tutorial's final example: 1000 noisy neurons
// whose threshold jumps at each spike and relaxes back.
func adaptiveThreshold() {
	fmt.Println("== The end of the tutorial: an adaptive threshold")
	net := soma.NewNetwork()
	net.Seed(3)
	G, err := net.NeuronGroup(1000, `
		dv/dt = (v_drive + vr - v)/tau + sigma*xi*tau**-0.5 : volt
		dvt/dt = (vt0 - vt)/tau_t : volt`,
		soma.Threshold("v > vt"), soma.Reset("v = vr\nvt += delta_vt0"),
		soma.Refractory(5*soma.Millisecond), soma.Method("euler"),
		soma.Namespace{"tau": "10*ms", "vr": "-70*mV", "vt0": "-50*mV", "delta_vt0": "5*mV",
			"tau_t": "100*ms", "sigma": "0.5*(vt0-vr)", "v_drive": "2*(vt0-vr)"})
	check(err)
	check(G.Set("v", "rand()*(vt0-vr)+vr"))
	check(G.Set("vt", "vt0"))
	S, err := net.SpikeMonitor(G)
	check(err)
	R, err := net.PopulationRateMonitor(G)
	check(err)
	check(net.Run(100 * soma.Millisecond))
	smooth, err := R.SmoothRate("flat", 5*soma.Millisecond)
	check(err)
	fmt.Printf("  mean rate %.1f Hz (%d spikes)\n", float64(S.NumSpikes())/(1000*0.1), S.NumSpikes())
	fmt.Println("  population rate, smoothed over 5 ms:")
	t := R.T()
	for k := 0; k < len(smooth); k += 100 {
		fmt.Printf("  %5.1f ms %6.1f Hz %s\n", t[k]*1e3, smooth[k], strings.Repeat("#", int(smooth[k]/10)))
	}
}

// rateCurve draws firing rate against v0 as a text plot, one line for
// every fifth neuron.
func rateCurve(v0 []float64, counts []int, duration float64) {
	for i := 0; i < len(v0); i += 5 {
		rate := float64(counts[i]) / duration
		fmt.Printf("  v0 = %4.2f %5.0f Hz %s\n", v0[i], rate, strings.Repeat("#", int(rate/4)))
	}
	fmt.Println()
}

// milliseconds prints times given in seconds.
func milliseconds(t []float64) string {
	parts := make([]string, len(t))
	for k, x := range t {
		parts[k] = fmt.Sprintf("%.1f", x*1e3)
	}
	return "[" + strings.Join(parts, " ") + "] ms"
}
