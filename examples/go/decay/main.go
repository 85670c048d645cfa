// Command decay is PymoNNto's equation example — 100 neurons whose
// voltage decays from 1 mV with tau = 100 ms, dv/dt = (0*mV - v)/tau,
// dt = 0.1 ms — built from Clock, Variable and Equation behaviours, and
// the same model as a Brian2-style NeuronGroup. Both run on soma's
// equation engine (unit checks, any integration method), so they agree
// exactly; both are compared with the analytic solution v(t) = 1 mV *
// exp(-t/tau).
//
//	go run ./examples/go/decay -method exact -duration 100ms
//
// With -ui both versions are served in the browser, paused, with the
// duration as the plan of "run":
//
//	go run ./examples/go/decay -ui
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"os/signal"
	"time"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/ui"
)

const n = 100

// behaviours builds PymoNNto's version: the behaviours' keys are those of
// Examples_Paper/Eqation/Equation_PymoNNto.py.
func behaviours(net *soma.Network, method string) (*soma.Recorder, error) {
	G, err := net.NeuronGroup(n, "", soma.Name("behaviours"))
	if err != nil {
		return nil, err
	}
	rec := soma.NewRecorder("v")
	for _, b := range []struct {
		key float64
		b   soma.Behaviour
	}{
		{1, &soma.ClockBehaviour{Step: "0.1*ms"}},
		{2, &soma.VariableBehaviour{Eq: "v = 1*mV"}},
		{3, &soma.VariableBehaviour{Eq: "tau = 100*ms"}},
		{4, &soma.EquationBehaviour{Eq: "dv/dt = (0*mV - v)/tau", Method: method}},
		{9, rec},
	} {
		if _, err := G.AddBehaviour(b.key, b.b); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

// brian builds the same model as a NeuronGroup, recorded after the state
// update like the Recorder at key 9.
func brian(net *soma.Network, method string) (*soma.StateMonitor, error) {
	G, err := net.NeuronGroup(n, `
		dv/dt = (0*mV - v)/tau : volt
		tau : second`, soma.Name("brian"), soma.Method(method))
	if err != nil {
		return nil, err
	}
	if err := G.Set("v", "1*mV"); err != nil {
		return nil, err
	}
	if err := G.Set("tau", "100*ms"); err != nil {
		return nil, err
	}
	return net.StateMonitor(G, []string{"v"}, soma.When("after_groups"))
}

// result compares the two versions and the analytic solution.
type result struct {
	steps        int
	maxDiff      float64 // largest |behaviours - NeuronGroup|, volt
	maxAnalytic  float64 // largest relative error against 1 mV exp(-t/tau)
	finalV, want float64 // neuron 0 at the end, volt
}

// run simulates both versions side by side in one network.
func run(method string, duration float64) (result, error) {
	net := soma.NewNetwork()
	rec, err := behaviours(net, method)
	if err != nil {
		return result{}, err
	}
	mon, err := brian(net, method)
	if err != nil {
		return result{}, err
	}
	if err := net.Run(duration); err != nil {
		return result{}, err
	}
	vb, err := rec.Values("v")
	if err != nil {
		return result{}, err
	}
	vn, err := mon.Values("v")
	if err != nil {
		return result{}, err
	}
	res := result{steps: len(vb)}
	for step, row := range vb {
		// Recorded after the update of this step: the time is one step on.
		want := 1e-3 * math.Exp(-(rec.T()[step]+net.DT())/0.1)
		for k, v := range row {
			res.maxDiff = math.Max(res.maxDiff, math.Abs(v-vn[k][step]))
			res.maxAnalytic = math.Max(res.maxAnalytic, math.Abs(v-want)/want)
		}
		res.finalV, res.want = row[0], want
	}
	return res, nil
}

func main() {
	method := flag.String("method", "exact", "integration method (exact, euler, rk4, ...)")
	duration := flag.Duration("duration", 100*time.Millisecond, "biological time")
	web := flag.Bool("ui", false, "serve both versions in the browser instead of running them")
	addr := flag.String("addr", ui.DefaultAddr, "address of the page with -ui")
	flag.Parse()
	if *web {
		if err := serve(*method, duration.Seconds(), *addr); err != nil {
			log.Fatal(err)
		}
		return
	}
	res, err := run(*method, duration.Seconds())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d steps with %s: v(end) = %.9g mV (analytic %.9g mV)\n", res.steps, *method, res.finalV*1e3, res.want*1e3)
	fmt.Printf("behaviours vs NeuronGroup: largest difference %g V\n", res.maxDiff)
	fmt.Printf("against the analytic solution: largest relative error %.3g\n", res.maxAnalytic)
}

// serve shows both versions in the browser until Ctrl-C.
func serve(method string, duration float64, addr string) error {
	net, opts, err := uiNetwork(method, duration)
	if err != nil {
		return err
	}
	opts.Addr = addr
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return ui.Serve(ctx, net, opts)
}

// uiNetwork builds both versions in one network, with the duration as the
// UI's plan.
func uiNetwork(method string, duration float64) (*soma.Network, ui.Options, error) {
	net := soma.NewNetwork()
	if _, err := behaviours(net, method); err != nil {
		return nil, ui.Options{}, err
	}
	if _, err := brian(net, method); err != nil {
		return nil, ui.Options{}, err
	}
	return net, ui.Options{Name: "decay", Variables: []string{"v"},
		Plan: []ui.Segment{{Duration: duration, Label: fmt.Sprintf("run %g ms", duration*1e3)}}}, nil
}
