// Command izhikevich is PymoNNto's Izhikevich network written with soma's
// behaviours: 800 excitatory and 200 inhibitory neurons whose dynamics are
// two Go behaviours, Izhikevich_main and Izhikevich_input, connected all to
// all by GLUTAMATE and GABA synapse groups with uniform random weights.
// It runs 1000 steps of 0.5 ms, records v, u and fired, and writes the
// recordings (.npz) and a raster and trace figure.
//
//	go run ./examples/go/izhikevich -out /tmp/izh
//
// With -style brian it runs the same network written as Brian2 equations
// (NeuronGroup, Synapses with on_pre) instead, for comparison.
//
// With -ui it serves the network in the browser instead of running it, as
// PymoNNto's Network_UI(net, modules=get_default_UI_modules(['v', 'u',
// 'fired'], ['W'])).show():
//
//	go run ./examples/go/izhikevich -ui
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/plot"
	"github.com/soma-sim/soma/ui"
)

// IzhikevichMain is PymoNNto's Izhikevich_main: threshold, reset and one
// forward-Euler step of Izhikevich's model (2003), in ms and mV, with the
// network's time step.
type IzhikevichMain struct {
	a, b, c, d []float64
	v, u, I    []float64
	fired      []bool
}

// Initialize creates the neurons' variables from the parameters.
func (m *IzhikevichMain) Initialize(ctx *soma.Context) error {
	m.a = ctx.NewVector("a", ctx.Param("a", 0.02))
	m.b = ctx.NewVector("b", ctx.Param("b", 0.2))
	m.c = ctx.NewVector("c", ctx.Param("c", -65.0))
	m.d = ctx.NewVector("d", ctx.Param("d", 8.0))
	// PymoNNto draws v from '0;-65' and multiplies by uniform(0, 1) again.
	m.v = ctx.NewVector("v", ctx.Param("v", "-65*rand()*rand()"))
	m.u = ctx.NewVector("u", ctx.Param("u", "-8*rand()*rand()"))
	m.I = ctx.NewVector("I", 0)
	m.fired = ctx.NewBools("fired")
	ctx.NewSpikeEvent() // the spikes synapses, monitors and recorders see
	return nil
}

// Iteration fires, resets and integrates.
func (m *IzhikevichMain) Iteration(ctx *soma.Context) {
	dt := ctx.DT() / soma.Millisecond
	for k := range m.v {
		m.fired[k] = m.v[k] > 30
		if m.fired[k] {
			m.v[k] = m.c[k]
			m.u[k] += m.d[k]
			ctx.Spike(k)
		}
		v := m.v[k]
		v += dt * (0.04*v*v + 5*v + 140 - m.u[k] + m.I[k])
		m.v[k] = v
		m.u[k] += dt * m.a[k] * (m.b[k]*v - m.u[k])
	}
}

// IzhikevichInput is PymoNNto's Izhikevich_input: noise plus the summed
// weights of the spiking excitatory (halved) and inhibitory sources.
type IzhikevichInput struct {
	I []float64
}

// Initialize gives every afferent synapse group a uniform weight matrix
// (connecting it all to all) and finds the input current.
func (in *IzhikevichInput) Initialize(ctx *soma.Context) error {
	for _, s := range ctx.Afferent() {
		ctx.NewMatrix(s, "w", "uniform(0, 1)")
	}
	in.I = ctx.Vector("I")
	return nil
}

// Iteration sets the input for the next step.
func (in *IzhikevichInput) Iteration(ctx *soma.Context) {
	ctx.Fill(in.I, "uniform(0, 20)")
	for _, s := range ctx.Afferent("GLUTAMATE") {
		s.AddSpikeSum(in.I, "w", 0.5)
	}
	for _, s := range ctx.Afferent("GABA") {
		s.AddSpikeSum(in.I, "w", -1)
	}
}

// sizes of the two populations.
const nE, nI = 800, 200

// dt is PymoNNto's n.dt = 0.5, in ms.
const dt = 0.5 * soma.Millisecond

// buildBehaviours builds the network as in PymoNNto, with recorders
// (tagged my_recorder and spikes) when record is set.
func buildBehaviours(net *soma.Network, record bool) error {
	if err := net.SetDT(dt); err != nil {
		return err
	}
	E, err := net.NeuronGroup(nE, "", soma.Name("E"), soma.Tags("excitatory_neurons"))
	if err != nil {
		return err
	}
	I, err := net.NeuronGroup(nI, "", soma.Name("I"), soma.Tags("inhibitory_neurons"))
	if err != nil {
		return err
	}
	params := soma.Params{"a": 0.02, "b": 0.2, "c": -65, "d": 8.0}
	for _, g := range []*soma.NeuronGroup{E, I} {
		if _, err := g.AddBehaviour(1, &IzhikevichMain{}, params); err != nil {
			return err
		}
		if _, err := g.AddBehaviour(2, &IzhikevichInput{}); err != nil {
			return err
		}
		if !record {
			continue
		}
		if _, err := g.AddBehaviour(9, soma.NewRecorder("v", "u", "fired"), soma.Tags("my_recorder")); err != nil {
			return err
		}
		if _, err := g.AddBehaviour(9, soma.NewEventRecorder("spike"), soma.Tags("spikes")); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		src, tgt *soma.NeuronGroup
		tag      string
	}{{E, E, "GLUTAMATE"}, {E, I, "GLUTAMATE"}, {I, E, "GABA"}, {I, I, "GABA"}} {
		if _, err := net.Synapses(c.src, c.tgt, "", soma.Tags(c.tag)); err != nil {
			return err
		}
	}
	return net.Initialize()
}

// buildBrian builds the same network in Brian2's terms: the model as
// equations integrated by forward Euler, input noise as a (constant over
// dt) subexpression, and each spike adding dt times its input to v at
// once (on_pre). The order of operations within a step follows Brian2,
// so the numbers differ from buildBehaviours' while the work is the same.
func buildBrian(net *soma.Network, record bool) ([]*soma.SpikeMonitor, error) {
	if err := net.SetDT(dt); err != nil {
		return nil, err
	}
	model := `
		dv/dt = (0.04*v**2 + 5*v + 140 - u + I)/ms : 1
		du/dt = a*(b*v - u)/ms : 1
		I = 20*rand() : 1 (constant over dt)
		a : 1 (constant)
		b : 1 (constant)
		c : 1 (constant)
		d : 1 (constant)`
	var groups []*soma.NeuronGroup
	var mons []*soma.SpikeMonitor
	for _, g := range []struct {
		name string
		n    int
	}{{"E", nE}, {"I", nI}} {
		G, err := net.NeuronGroup(g.n, model, soma.Name(g.name), soma.Threshold("v > 30"),
			soma.Reset("v = c; u += d"), soma.Method("euler"))
		if err != nil {
			return nil, err
		}
		// In a fixed order: v and u draw random numbers.
		for _, p := range []struct {
			name  string
			value any
		}{{"a", 0.02}, {"b", 0.2}, {"c", -65.0}, {"d", 8.0}, {"v", "-65*rand()*rand()"}, {"u", "-8*rand()*rand()"}} {
			if err := G.Set(p.name, p.value); err != nil {
				return nil, err
			}
		}
		groups = append(groups, G)
		if record {
			if _, err := net.StateMonitor(G, []string{"v", "u"}); err != nil {
				return nil, err
			}
			m, err := net.SpikeMonitor(G)
			if err != nil {
				return nil, err
			}
			mons = append(mons, m)
		}
	}
	E, I := groups[0], groups[1]
	for _, c := range []struct {
		src, tgt *soma.NeuronGroup
		code     string
	}{{E, E, "v_post += 0.25*w"}, {E, I, "v_post += 0.25*w"}, {I, E, "v_post -= 0.5*w"}, {I, I, "v_post -= 0.5*w"}} {
		S, err := net.Synapses(c.src, c.tgt, "w : 1", soma.OnPre(c.code))
		if err != nil {
			return nil, err
		}
		if err := S.Connect(soma.Connection{}); err != nil {
			return nil, err
		}
		if err := S.Set("w", "rand()"); err != nil {
			return nil, err
		}
	}
	return mons, nil
}

func main() {
	steps := flag.Int("steps", 1000, "iterations to simulate")
	seed := flag.Uint64("seed", 1, "random seed")
	style := flag.String("style", "behaviours", "behaviours (PymoNNto) or brian (equations)")
	out := flag.String("out", "", "directory for the recordings and figures (none: no files)")
	web := flag.Bool("ui", false, "serve the network in the browser instead of running it")
	addr := flag.String("addr", ui.DefaultAddr, "address of the page with -ui")
	flag.Parse()
	net := soma.NewNetwork()
	net.Seed(*seed)
	if *web {
		if err := serve(net, *style, *addr); err != nil {
			log.Fatal(err)
		}
		return
	}
	switch *style {
	case "behaviours":
		if err := buildBehaviours(net, true); err != nil {
			log.Fatal(err)
		}
		timing, err := net.SimulateIterations(*steps, soma.PrintBlocks(os.Stderr), soma.MeasureTime())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(timing)
		if err := report(net, *out); err != nil {
			log.Fatal(err)
		}
	case "brian":
		mons, err := buildBrian(net, true)
		if err != nil {
			log.Fatal(err)
		}
		timing, err := net.SimulateIterations(*steps, soma.MeasureTime())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(timing)
		fmt.Printf("spikes: E %d, I %d\n", mons[0].NumSpikes(), mons[1].NumSpikes())
	default:
		log.Fatalf("unknown style %q", *style)
	}
}

// serve builds the network without recorders (the page records what it
// shows) and serves it until Ctrl-C.
func serve(net *soma.Network, style, addr string) error {
	var err error
	switch style {
	case "behaviours":
		err = buildBehaviours(net, false)
	case "brian":
		_, err = buildBrian(net, false)
	default:
		err = fmt.Errorf("unknown style %q", style)
	}
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return ui.Serve(ctx, net, ui.Options{Name: "Izhikevich (" + style + ")", Addr: addr,
		Variables: []string{"v", "u", "fired"}, Synapses: []string{"w"}})
}

// report prints the activity found through the recorders' tags and
// writes the recordings and figures into dir.
func report(net *soma.Network, dir string) error {
	spikes, err := soma.FindAll[*soma.EventRecorder](net, "spikes")
	if err != nil {
		return err
	}
	recs, err := soma.FindAll[*soma.Recorder](net, "my_recorder")
	if err != nil {
		return err
	}
	fmt.Printf("spikes: E %d, I %d\n", spikes[0].Len(), spikes[1].Len())
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// One raster of all 1000 neurons: the inhibitory ones above.
	var t []float64
	var idx []int64
	for k, s := range spikes {
		t = append(t, s.T()...)
		for _, i := range s.I() {
			idx = append(idx, int64(i)+int64(k*nE))
		}
	}
	if err := plot.Raster(filepath.Join(dir, "raster.png"), "Izhikevich network (PymoNNto behaviours)", t, idx, nE+nI); err != nil {
		return err
	}
	var traces [][]float64
	var labels []string
	for _, k := range []int{0, 1, 2} {
		v, err := recs[0].Trace("v", k)
		if err != nil {
			return err
		}
		// v is in mV, stored as a plain number; the plot shows it as is.
		traces = append(traces, v)
		labels = append(labels, fmt.Sprintf("E[%d]", k))
	}
	if err := plot.Traces(filepath.Join(dir, "v.png"), "membrane potential", "v (mV)", "1", recs[0].T(), traces, labels); err != nil {
		return err
	}
	for k, name := range []string{"E", "I"} {
		if err := recs[k].WriteNPZ(filepath.Join(dir, name+"_recorder.npz")); err != nil {
			return err
		}
		if err := spikes[k].WriteNPZ(filepath.Join(dir, name+"_spikes.npz")); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %s\n", dir)
	return nil
}
