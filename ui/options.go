package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/soma-sim/soma/model"
)

// Options says what the page shows and how the server runs.
type Options struct {
	// Variables are the neuron variables to show (grids and traces), in
	// every group that has them, as PymoNNto's get_default_UI_modules(['v']).
	// Empty: each group's differential-equation variables, or for groups
	// made of behaviours, their float variables.
	Variables []string
	// Synapses are the synaptic variables to show as weights ("w").
	// Empty: "w" where it exists.
	Synapses []string
	// Constants orders the constants in the parameter panel; names of the
	// network's Namespace not listed follow in alphabetical order.
	Constants []string
	// History is how much simulated time the page can scrub back over, in
	// seconds (default 5 s).
	History float64
	// Plan is the default "run": segments run in order, then the network
	// pauses. Empty: "run" runs without end.
	Plan []Segment
	// Addr is where Serve listens (default 127.0.0.1:8765).
	Addr string
	// Token is the access token; Serve makes one when Addr is not a
	// loopback address and Token is empty.
	Token string
	// Log receives the URL and messages (default os.Stderr).
	Log io.Writer
	// Open starts the system's browser on the page (Serve only).
	Open bool
	// Name is the page's title (default "soma").
	Name string
}

// Segment is one part of a run plan: Before runs when the segment starts
// (a model file's 'set'), then Duration seconds are simulated.
type Segment struct {
	Duration float64
	Before   func() error
	Label    string
}

// ModelOptions returns the options for a model file: its equation
// variables, the "w" of its synapses, its constants in file order and its
// run segments as the plan.
func ModelOptions(m *model.Model) Options {
	opts := Options{Name: m.Spec.Name}
	for _, c := range m.Constants {
		opts.Constants = append(opts.Constants, c.Name)
	}
	seen := map[string]bool{}
	for _, g := range m.Groups {
		if g.Neurons == nil || g.Neurons.Equations() == nil {
			continue
		}
		for _, eq := range g.Neurons.Equations().Diff() {
			if !seen[eq.Var] {
				seen[eq.Var] = true
				opts.Variables = append(opts.Variables, eq.Var)
			}
		}
	}
	for k, seg := range m.Segments {
		seg := seg
		label := fmt.Sprintf("run %s", format(seg.Duration, secondDim))
		if len(seg.Set) > 0 {
			var names []string
			for _, s := range seg.Set {
				names = append(names, s.Name+" = "+s.S)
			}
			label = strings.Join(names, "; ") + ", then " + label
		}
		opts.Plan = append(opts.Plan, Segment{
			Duration: seg.Duration,
			Label:    fmt.Sprintf("segment %d: %s", k+1, label),
			Before:   func() error { return m.Apply(seg.Set) },
		})
	}
	return opts
}
