// Command balance measures how evenly blocks and round-robin divide a
// network's work between ranks. It runs the model once in one process,
// counting each neuron's spikes, and then, for each number of ranks R and
// each way of giving neurons to ranks, adds up what every rank would do:
// the neurons it updates, the spikes they make (thresholds, resets, what
// the rank sends) and the synaptic events it delivers (a spike reaches,
// on the rank of each target, the synapses that rank holds). It
// prints the largest share over the mean of each, which is what the
// slowest rank costs everyone at each exchange.
//
//	go run ./bench/cmd/balance -ranks 2,8,32,128 bench/models/brunel.yaml
//
// Blocks give rank r the neurons N*r/R .. N*(r+1)/R-1 of each group (as
// soma's distributed runs do); round-robin gives it the neurons k with
// k mod R = r.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/model"
)

type setFlags []string

func (s *setFlags) String() string     { return strings.Join(*s, " ") }
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

func main() {
	ranksFlag := flag.String("ranks", "2,8,32,128", "rank counts")
	var sets setFlags
	flag.Var(&sets, "set", "override a constant: NAME=EXPR (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: balance [-ranks 2,8] [-set NAME=EXPR] MODEL.yaml")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), sets, *ranksFlag); err != nil {
		fmt.Fprintln(os.Stderr, "balance:", err)
		os.Exit(1)
	}
}

// owner gives the rank of neuron k of a group of n among r ranks.
type owner func(k, n, r int) int

var schemes = []struct {
	name  string
	owner owner
}{
	{"blocks", blockOwner},
	{"round-robin", func(k, _, r int) int { return k % r }},
}

// blockOwner is the owner of k among blocks n*r/R .. n*(r+1)/R-1: the
// largest r with n*r/R <= k.
func blockOwner(k, n, ranks int) int {
	r := int(int64(k) * int64(ranks) / int64(n)) // n*r/R <= k for this r
	for r+1 < ranks && int64(n)*int64(r+1)/int64(ranks) <= int64(k) {
		r++
	}
	for r > 0 && int64(n)*int64(r)/int64(ranks) > int64(k) {
		r--
	}
	return r
}

func run(file string, sets []string, ranksFlag string) error {
	var ranks []int
	for _, f := range strings.Split(ranksFlag, ",") {
		r, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || r < 1 {
			return fmt.Errorf("bad rank count %q", f)
		}
		ranks = append(ranks, r)
	}
	m, err := model.Load(file, sets)
	if err != nil {
		return err
	}
	monitors := map[*soma.NeuronGroup]*soma.SpikeMonitor{}
	for _, g := range m.Groups {
		if ng := g.Neurons; ng != nil && len(ng.EventNames()) > 0 && ng.EventNames()[0] == "spike" {
			if monitors[ng], err = m.Net.SpikeMonitor(ng, soma.RecordNone()); err != nil {
				return err
			}
		}
	}
	if _, err := m.Run(model.RunOptions{}); err != nil {
		return err
	}
	fmt.Printf("%s: largest share over the mean (1.00: even)\n", file)
	fmt.Printf("%6s  %-12s  %8s  %8s  %8s\n", "ranks", "scheme", "neurons", "spikes", "events")
	for _, r := range ranks {
		for _, sc := range schemes {
			neurons := make([]float64, r)
			spikes := make([]float64, r)
			events := make([]float64, r)
			for _, g := range m.Groups {
				if ng := g.Neurons; ng != nil {
					var count []int
					if mon := monitors[ng]; mon != nil {
						count = mon.Count()
					}
					for k := range ng.Size() {
						neurons[sc.owner(k, ng.Size(), r)]++
						if count != nil {
							spikes[sc.owner(k, ng.Size(), r)] += float64(count[k])
						}
					}
				}
			}
			for _, s := range m.Synapses {
				if err := addEvents(s.Syn, monitors, sc.owner, r, events); err != nil {
					return err
				}
			}
			fmt.Printf("%6d  %-12s  %8.3f  %8.3f  %8.3f\n", r, sc.name, peak(neurons), peak(spikes), peak(events))
		}
	}
	return nil
}

// addEvents adds the synaptic events of s's on_pre pathways to each
// rank's: a source's spikes times its synapses onto the rank's targets.
func addEvents(s *soma.Synapses, monitors map[*soma.NeuronGroup]*soma.SpikeMonitor, own owner, r int, events []float64) error {
	src, srcOff := ownerOf(s.Source())
	tgt, _ := ownerOf(s.Target())
	if src == nil || tgt == nil || monitors[src] == nil {
		return nil // spikes of inputs (Poisson, generators): their synapses count alike
	}
	count := monitors[src].Count()
	for i := range s.Source().Size() {
		c := float64(count[srcOff+i])
		if c == 0 {
			continue
		}
		_, targets := s.Row(i)
		for _, j := range targets {
			events[own(int(j), tgt.Size(), r)] += c
		}
	}
	return nil
}

// ownerOf returns the NeuronGroup of a group or subgroup and the offset.
func ownerOf(g soma.Group) (*soma.NeuronGroup, int) {
	switch x := g.(type) {
	case *soma.NeuronGroup:
		return x, 0
	case *soma.Subgroup:
		return x.Parent()
	}
	return nil, 0
}

// peak returns the largest share over the mean.
func peak(xs []float64) float64 {
	total, most := 0.0, 0.0
	for _, x := range xs {
		total += x
		most = max(most, x)
	}
	if total == 0 {
		return 1
	}
	return most / (total / float64(len(xs)))
}
