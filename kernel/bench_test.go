package kernel

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// Reproduce with:
//
//	go test ./kernel/ -run '^$' -bench . -count 5
//
// ns/neuron is the time per neuron per simulation step.

const benchN = 100000

// perNeuron measures a benchmark's loop; its report method gives wall
// and thread CPU time per neuron per step.
type perNeuron struct {
	b   *testing.B
	cpu time.Duration
}

func measure(b *testing.B) *perNeuron {
	runtime.LockOSThread()
	b.Cleanup(runtime.UnlockOSThread)
	b.ResetTimer()
	return &perNeuron{b: b, cpu: threadCPU()}
}

func (m *perNeuron) report(n int, unit string) {
	b := m.b
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*b.N), "ns/"+unit)
	if cpu := threadCPU() - m.cpu; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(n*b.N), "cpu-ns/"+unit)
	}
}

func uniformColumn(n int, lo, hi float64, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	c := make([]float64, n)
	for i := range c {
		c[i] = lo + (hi-lo)*r.Float64()
	}
	return c
}

// BenchmarkExactLIF is one step of an exactly integrated leaky
// integrate-and-fire group: update, threshold, reset. El lies above the
// threshold, so neurons fire regularly (about 0.4% per step).
func BenchmarkExactLIF(b *testing.B) {
	const (
		El, Vt, Vr = -49e-3, -50e-3, -60e-3
		tau, dt    = 10e-3, 0.1e-3
	)
	lay := Layout{
		Columns: map[string]*Column{"v": {F: uniformColumn(benchN, Vr, Vt, 1)}},
		Consts:  map[string]float64{"El": El, "Vt": Vt, "Vr": Vr, "tau": tau, "dt": dt},
	}
	benchLIFStep(b, lay, "_v = El + (v - El)*exp(-dt/tau)\nv = _v", "v > Vt", "v = Vr", func() {})
}

// benchLIFStep times steps of update, threshold and reset over benchN
// neurons, calling advance after each, and reports spikes per neuron.
func benchLIFStep(b *testing.B, lay Layout, update, threshold, reset string, advance func()) {
	up, err := Compile(mustStatements(b, update), lay)
	if err != nil {
		b.Fatal(err)
	}
	th, err := CompileCondition(mustParse(b, threshold), lay)
	if err != nil {
		b.Fatal(err)
	}
	re, err := Compile(mustStatements(b, reset), lay)
	if err != nil {
		b.Fatal(err)
	}
	spikes := make([]int32, 0, benchN)
	total := 0
	m := measure(b)
	for range b.N {
		up.Run(0, benchN, nil)
		spikes = th.Collect(0, benchN, spikes[:0], nil)
		re.RunIndices(spikes, nil)
		total += len(spikes)
		advance()
	}
	m.report(benchN, "neuron")
	b.ReportMetric(float64(total)/float64(b.N*benchN), "spikes/neuron")
}

// BenchmarkRefractoryLIF is BenchmarkExactLIF with a refractory period as
// Brian generates it: the refractoriness update, the exact update masked
// by not_refractory, the threshold "and not_refractory", and a reset that
// also records the spike time. t and dt are run-time parameters.
func BenchmarkRefractoryLIF(b *testing.B) {
	const Vr, Vt = -60e-3, -50e-3
	t, dt := 0.0, 0.1e-3
	lay := Layout{
		Columns: map[string]*Column{
			"v":              {F: uniformColumn(benchN, Vr, Vt, 1)},
			"lastspike":      {F: uniformColumn(benchN, -1e4, -1e4, 1)},
			"not_refractory": {B: make([]bool, benchN)},
		},
		Params: map[string]*float64{"t": &t, "dt": &dt},
		Consts: map[string]float64{"El": -49e-3, "Vt": Vt, "Vr": Vr, "tau": 10e-3, "ref": 2e-3},
	}
	benchLIFStep(b, lay, `
not_refractory = timestep(t - lastspike, dt) >= timestep(ref, dt)
_v = El - El*exp(-dt*int(not_refractory)/tau) + v*exp(-dt*int(not_refractory)/tau)
v = _v`, "v > Vt and not_refractory", "v = Vr\nlastspike = t\nnot_refractory = False", func() { t += dt })
}

// BenchmarkExactLIFUpdate is the state update of BenchmarkExactLIF alone.
func BenchmarkExactLIFUpdate(b *testing.B) {
	lay := Layout{
		Columns: map[string]*Column{"v": {F: uniformColumn(benchN, -60e-3, -50e-3, 1)}},
		Consts:  map[string]float64{"El": -49e-3, "tau": 10e-3, "dt": 0.1e-3},
	}
	update, err := Compile(mustStatements(b, "_v = El + (v - El)*exp(-dt/tau)\nv = _v"), lay)
	if err != nil {
		b.Fatal(err)
	}
	m := measure(b)
	for range b.N {
		update.Run(0, benchN, nil)
	}
	m.report(benchN, "neuron")
}

// BenchmarkThreshold is the threshold of BenchmarkExactLIF alone.
func BenchmarkThreshold(b *testing.B) {
	lay := Layout{
		Columns: map[string]*Column{"v": {F: uniformColumn(benchN, -60e-3, -49.8e-3, 1)}},
		Consts:  map[string]float64{"Vt": -50e-3},
	}
	threshold, err := CompileCondition(mustParse(b, "v > Vt"), lay)
	if err != nil {
		b.Fatal(err)
	}
	spikes := make([]int32, 0, benchN)
	m := measure(b)
	for range b.N {
		spikes = threshold.Collect(0, benchN, spikes[:0], nil)
	}
	m.report(benchN, "neuron")
}

// BenchmarkEulerCUBA is the Euler update Brian generates for the CUBA
// model: dv/dt = (ge+gi-(v-El))/taum, dge/dt = -ge/taue, dgi/dt = -gi/taui.
func BenchmarkEulerCUBA(b *testing.B) { benchEulerCUBA(b, false) }

// BenchmarkEulerCUBAExact is BenchmarkEulerCUBA with Layout.Exact: the
// arithmetic exactly as written, divisions included.
func BenchmarkEulerCUBAExact(b *testing.B) { benchEulerCUBA(b, true) }

func benchEulerCUBA(b *testing.B, exact bool) {
	lay := Layout{
		Exact: exact,
		Columns: map[string]*Column{
			"v":  {F: uniformColumn(benchN, -60e-3, -50e-3, 1)},
			"ge": {F: uniformColumn(benchN, 0, 1e-3, 2)},
			"gi": {F: uniformColumn(benchN, -1e-3, 0, 3)},
		},
		Consts: map[string]float64{"El": -49e-3, "taum": 20e-3, "taue": 5e-3, "taui": 10e-3, "dt": 0.1e-3},
	}
	update, err := Compile(mustStatements(b, `
_ge = -dt*ge/taue + ge
_gi = -dt*gi/taui + gi
_v = dt*(El + ge + gi - v)/taum + v
ge = _ge
gi = _gi
v = _v`), lay)
	if err != nil {
		b.Fatal(err)
	}
	m := measure(b)
	for range b.N {
		update.Run(0, benchN, nil)
	}
	m.report(benchN, "neuron")
}

// BenchmarkNoisyAdEx is a step of adaptive exponential integrate-and-fire
// neurons driven by a constant current and white noise (Euler): exp and
// randn per element, then threshold and reset.
func BenchmarkNoisyAdEx(b *testing.B) {
	lay := Layout{
		Columns: map[string]*Column{
			"v": {F: uniformColumn(benchN, -70e-3, -50e-3, 1)},
			"w": {F: uniformColumn(benchN, 0, 1e-10, 2)},
		},
		Consts: map[string]float64{
			"C": 281e-12, "gL": 30e-9, "EL": -70.6e-3, "VT": -50.4e-3, "DeltaT": 2e-3, "Vr": -70.6e-3,
			"tauw": 144e-3, "a": 4e-9, "b": 0.0805e-9, "sigma": 5e-3, "tau": 10e-3, "dt": 0.1e-3, "I": 0.8e-9,
		},
	}
	update, err := Compile(mustStatements(b, `
xi = dt**0.5*randn()
_v = dt*(gL*(EL - v) + gL*DeltaT*exp((v - VT)/DeltaT) + I - w)/C + v + sigma*xi/sqrt(tau)
_w = dt*(a*(v - EL) - w)/tauw + w
v = _v
w = _w`), lay)
	if err != nil {
		b.Fatal(err)
	}
	threshold, err := CompileCondition(mustParse(b, "v > -40e-3"), lay)
	if err != nil {
		b.Fatal(err)
	}
	reset, err := Compile(mustStatements(b, "v = Vr\nw += b"), lay)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	spikes := make([]int32, 0, benchN)
	total := 0
	m := measure(b)
	for range b.N {
		update.Run(0, benchN, rng)
		spikes = threshold.Collect(0, benchN, spikes[:0], nil)
		reset.RunIndices(spikes, nil)
		total += len(spikes)
	}
	m.report(benchN, "neuron")
	b.ReportMetric(float64(total)/float64(b.N*benchN), "spikes/neuron")
}

// BenchmarkSynapticScatter is on_pre "ge_post += w" for 1000 spiking
// neurons with 100 synapses each.
func BenchmarkSynapticScatter(b *testing.B) {
	const syn = 100000
	post := make([]int32, syn)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range post {
		post[i] = int32(r.IntN(benchN))
	}
	lay := Layout{Columns: map[string]*Column{
		"ge_post": {F: make([]float64, benchN), Index: post},
		"w":       {F: uniformColumn(syn, 0, 1e-9, 3)},
	}}
	onPre, err := Compile(mustStatements(b, "ge_post += w"), lay)
	if err != nil {
		b.Fatal(err)
	}
	idx := make([]int32, 0, syn)
	for i := range int32(syn) {
		if i%7 < 2 {
			idx = append(idx, i)
		}
	}
	m := measure(b)
	for range b.N {
		onPre.RunIndices(idx, nil)
	}
	m.report(len(idx), "synapse")
}
