// Package bench is soma's end-to-end benchmark suite: the same networks as
// soma model files (bench/models) and as Brian2 cpp_standalone scripts
// (bench/brian2), run alternately and compared by wall time, peak memory
// and firing rate.
//
// The suite itself is run by the benchsuite command
// (go run ./bench/cmd/benchsuite); this package holds the list of
// networks, the measurement of one child process, the readers of both
// simulators' results and the table. Its tests check that plumbing and run
// neither simulator.
package bench

import (
	"fmt"
	"strconv"
	"strings"
)

// Network is one row of the suite: a soma model file and the Brian2 script
// that describes the same network.
type Network struct {
	Name     string   // row label and output folder name, e.g. "cuba-64k"
	Model    string   // soma model file, relative to bench/models
	Sets     []string // soma --set overrides (NAME=EXPR)
	Script   string   // Brian2 script, relative to bench/brian2 ("": soma alone)
	Args     []string // extra arguments for the Brian2 script
	N        int      // number of neurons
	Duration float64  // biological time, seconds
	Large    bool     // only run when the large scaling points are asked for
}

// scaled is a point of the CUBA scaling series: N neurons with 80 incoming
// synapses each on average, simulated for dur seconds.
func scaled(label string, n int, dur float64, large bool) Network {
	d := strconv.FormatFloat(dur, 'g', -1, 64)
	return Network{
		Name:     "cuba-" + label,
		Model:    "cuba.yaml",
		Sets:     []string{"N=" + strconv.Itoa(n), "T=" + d + "*second"},
		Script:   "cuba.py",
		Args:     []string{"--N", strconv.Itoa(n), "--duration", d},
		N:        n,
		Duration: dur,
		Large:    large,
	}
}

// Networks returns the whole suite in the order it is run and printed. The
// first CUBA row (4000 neurons, 2 s) is also the first point of the
// scaling series; the longer networks get shorter biological times so that
// the suite stays within minutes on a small machine.
func Networks() []Network {
	return []Network{
		{Name: "cuba", Model: "cuba.yaml", Script: "cuba.py", N: 4000, Duration: 2},
		{Name: "coba", Model: "coba.yaml", Script: "coba.py", N: 4000, Duration: 2},
		{Name: "cobahh", Model: "cobahh.yaml", Script: "cobahh.py", N: 4000, Duration: 0.5},
		{Name: "brunel", Model: "brunel.yaml", Script: "brunel.py", N: 12500, Duration: 0.2},
		{Name: "izhikevich", Model: "izhikevich.yaml", Script: "izhikevich.py", N: 1000, Duration: 10},
		scaled("16k", 16000, 1, false),
		scaled("64k", 64000, 0.5, false),
		scaled("250k", 250000, 0.2, true),
		scaled("1M", 1000000, 0.1, true),
		// The full-scale cortical microcircuit (3e8 synapses) runs the
		// example itself. Brian2 is left out: its standalone build draws
		// and stores the synapses in one thread and needs more memory and
		// time than this suite allows.
		{Name: "microcircuit", Model: "../../examples/microcircuit/microcircuit.yaml", Sets: []string{"duration=0.5*second"},
			N: 77169, Duration: 0.5, Large: true},
	}
}

// Select picks networks by name, in suite order. An empty names list means
// every network, without the large scaling points unless large is set;
// "scaling" names the whole CUBA scaling series (still subject to large);
// a large point named explicitly is always included.
func Select(all []Network, names []string, large bool) ([]Network, error) {
	if len(names) == 0 {
		var out []Network
		for _, n := range all {
			if large || !n.Large {
				out = append(out, n)
			}
		}
		return out, nil
	}
	want := map[string]bool{}
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		found := name == "scaling"
		for _, n := range all {
			if n.Name == name {
				found = true
			}
		}
		if !found {
			known := make([]string, 0, len(all)+1)
			for _, n := range all {
				known = append(known, n.Name)
			}
			known = append(known, "scaling")
			return nil, fmt.Errorf("unknown network %q (known: %s)", name, strings.Join(known, ", "))
		}
		want[name] = true
	}
	var out []Network
	for _, n := range all {
		inSeries := strings.HasPrefix(n.Name, "cuba") && n.Model == "cuba.yaml"
		if want[n.Name] || (want["scaling"] && inSeries && (large || !n.Large)) {
			out = append(out, n)
		}
	}
	return out, nil
}
