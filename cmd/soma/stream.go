package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode"

	"github.com/soma-sim/soma/model"
	"github.com/soma-sim/soma/output"
)

// defaultMemoryBudget is --memory-budget's default: monitors past it
// stream to disk. It leaves most of a laptop's memory to the network.
const defaultMemoryBudget = "2GiB"

// sizeUnits are the units of --memory-budget, by their lower-case names.
var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
	"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
	"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
	"t": 1 << 40, "tib": 1 << 40, "tb": 1e12,
}

// parseSize reads a size in bytes such as 2GiB, 512MiB, 1.5GB or 100000
// (KiB, MiB... are powers of 1024, KB, MB... of 1000, K, M... as KiB,
// MiB...). 0 is no bound.
func parseSize(s string) (int64, error) {
	text := strings.TrimSpace(s)
	k := strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) })
	if k < 0 {
		k = len(text)
	}
	num, unit := strings.TrimSpace(text[:k]), strings.ToLower(text[k:])
	v, err := strconv.ParseFloat(num, 64)
	scale, ok := sizeUnits[unit]
	if err != nil || !ok || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("--memory-budget: '%s' is not a size (such as 2GiB, 512MiB or 0 for none)", s)
	}
	if b := v * scale; b < math.MaxInt64 {
		return int64(b), nil
	}
	return math.MaxInt64, nil
}

// streams lets a run's monitors stream to a hidden folder next to the
// output folder, and tells where it is: when a monitor starts streaming,
// and again when the run fails, since the folder then keeps what was
// streamed.
type streams struct {
	out    string
	w      io.Writer
	bar    *progress // cleared before a line, while drawn
	dir    string
	budget int64
}

// options sets the streaming part of opts.
func (s *streams) options(opts *model.RunOptions) {
	opts.MemoryBudget = s.budget
	opts.StreamDir = func() (string, error) {
		dir, err := output.NewStreamDir(s.out)
		s.dir = dir
		return dir, err
	}
	opts.Streaming = func(monitor, dir string) {
		s.say("soma: monitor '%s' streams to %s", monitor, dir)
	}
}

func (s *streams) say(format string, args ...any) {
	if s.bar != nil && s.bar.drawn && !s.bar.finished {
		fmt.Fprint(s.w, "\r\x1b[K")
	}
	fmt.Fprintf(s.w, format+"\n", args...)
}

// failed tells where the streamed part of a failed run is.
func (s *streams) failed() {
	if s.dir != "" {
		s.say("soma: what the monitors streamed before the failure is in %s (chunk files; see docs/model-format.md)", s.dir)
	}
}

// done removes the folder of a run whose results were written.
func (s *streams) done() {
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}
