package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/soma-sim/soma"
)

// RunOptions controls a run.
type RunOptions struct {
	// Progress, when set, is called during the run (see soma.Network.Report).
	Progress func(soma.Progress)
	// ProgressPeriod is the wall time between progress reports.
	ProgressPeriod time.Duration
	// Threads is the number of cores the run may use; 0 leaves the
	// network's setting (one unless set otherwise).
	Threads int
	// StreamDir, when set, lets monitors stream their recordings to disk
	// (see soma.SpikeMonitor.StreamTo): those with 'stream: true' and,
	// with MemoryBudget, those that would pass it. Each streams to a
	// folder of its name in the folder StreamDir returns; it is called
	// once, when the first monitor starts. Without it no monitor streams.
	StreamDir func() (string, error)
	// MemoryBudget bounds the memory the monitors' recordings hold, in
	// bytes (0: no bound). Before the run, the state and rate monitors
	// whose projected recordings would pass it stream from the start,
	// the largest first; during the run, any monitor that is about to pass
	// it starts (see soma.MonitorBudget). Writing the results transposes
	// streamed state recordings within it too.
	MemoryBudget int64
	// Streaming, if set, is called when a monitor starts streaming.
	Streaming func(monitor, dir string)
	// ChunkSize is the number of records per streamed chunk (0: about
	// 4 MiB of data each; see soma.ChunkSize).
	ChunkSize int
}

// Run simulates every segment of the model in order: its assignments,
// then its duration. It returns the wall time spent.
func (m *Model) Run(opts RunOptions) (time.Duration, error) {
	if len(m.Segments) == 0 {
		return 0, &Error{File: m.Spec.File, Msg: "the model has no 'run' duration"}
	}
	if opts.Threads > 0 {
		m.Net.SetThreads(opts.Threads)
	}
	if err := m.prepareStreams(opts); err != nil {
		return 0, err
	}
	if opts.Progress != nil {
		total, done := m.Duration(), 0.0
		period := opts.ProgressPeriod
		if period == 0 {
			period = time.Second
		}
		var elapsedBefore time.Duration
		var current float64
		m.Net.Report(period, func(p soma.Progress) {
			// Report the progress of the whole model, not of one segment.
			q := p
			q.Duration = total
			q.Elapsed = elapsedBefore + p.Elapsed
			if total > 0 {
				q.Fraction = (done + p.Fraction*current) / total
			}
			if q.Fraction > 0 {
				q.Remaining = time.Duration(float64(q.Elapsed) * (1 - q.Fraction) / q.Fraction)
			}
			opts.Progress(q)
			if p.Fraction == 1 {
				elapsedBefore += p.Elapsed
			}
		})
		defer m.Net.Report(0, nil)
		began := time.Now()
		for _, seg := range m.Segments {
			current = seg.Duration
			if err := m.runSegment(seg); err != nil {
				return 0, err
			}
			done += seg.Duration
		}
		return time.Since(began), m.flushStreams()
	}
	began := time.Now()
	for _, seg := range m.Segments {
		if err := m.runSegment(seg); err != nil {
			return 0, err
		}
	}
	return time.Since(began), m.flushStreams()
}

func (m *Model) runSegment(seg Segment) error {
	if err := m.Apply(seg.Set); err != nil {
		return err
	}
	if err := m.Net.Run(seg.Duration); err != nil {
		return err
	}
	for _, mon := range m.Monitors {
		if err := mon.Streamer().Err(); err != nil {
			return err
		}
	}
	return nil
}

// Streamer returns the monitor as the soma monitor it is.
func (mon *Monitor) Streamer() soma.StreamingMonitor {
	switch {
	case mon.Spikes != nil:
		return mon.Spikes
	case mon.State != nil:
		return mon.State
	}
	return mon.Rate
}

// StreamFolder returns the folder the monitors stream to, "" if none
// does.
func (m *Model) StreamFolder() string { return m.streamDir }

// prepareStreams makes monitors stream as RunOptions ask, once per model:
// those with 'stream: true', and the state and rate monitors whose
// projected recordings would pass the budget, the largest first; and
// puts every monitor under the budget.
func (m *Model) prepareStreams(opts RunOptions) error {
	if opts.StreamDir == nil || m.budget != nil {
		return nil
	}
	b := &soma.MonitorBudget{Bytes: opts.MemoryBudget, Started: opts.Streaming}
	b.Dir = func() (string, error) {
		dir, err := opts.StreamDir()
		m.streamDir = dir
		return dir, err
	}
	if b.Bytes <= 0 {
		b.Bytes = math.MaxInt64
	}
	m.budget, m.memory = b, b.Bytes
	// What the state and rate monitors would hold in memory, and what
	// streaming saves (a recording of less than a chunk saves nothing).
	type projected struct {
		mon           soma.StreamingMonitor
		bytes, saving int64
	}
	var total int64
	var candidates []projected
	for _, mon := range m.Monitors {
		sm := mon.Streamer()
		sm.SetChunkSize(opts.ChunkSize)
		if mon.Spec.Stream && !sm.Streaming() {
			if err := b.Start(sm); err != nil {
				return err
			}
		}
		p := projected{mon: sm, bytes: sm.HeldBytes()}
		switch {
		case sm.Streaming() || mon.Spec.MaxSamples.IsSet():
		case mon.State != nil:
			p.bytes = mon.State.ProjectedBytes(m.Duration())
			p.saving = p.bytes - mon.State.StreamedBytes(m.Duration())
		case mon.Rate != nil:
			p.bytes = mon.Rate.ProjectedBytes(m.Duration())
			p.saving = p.bytes - mon.Rate.StreamedBytes(m.Duration())
		}
		total += p.bytes
		if p.saving > 0 {
			candidates = append(candidates, p)
		}
	}
	slices.SortStableFunc(candidates, func(x, y projected) int { return cmp.Compare(y.saving, x.saving) })
	for _, p := range candidates {
		if total <= b.Bytes {
			break
		}
		if err := b.Start(p.mon); err != nil {
			return err
		}
		total -= p.saving
	}
	if opts.MemoryBudget > 0 {
		for _, mon := range m.Monitors {
			b.Watch(mon.Streamer())
		}
	}
	return nil
}

// flushStreams writes what the streaming monitors hold, so that their
// folders hold the whole run.
func (m *Model) flushStreams() error {
	for _, mon := range m.Monitors {
		if err := mon.Streamer().Flush(); err != nil {
			return err
		}
	}
	return nil
}

// Apply makes the assignments of a run segment's 'set' (GROUP.VAR: EXPR),
// in order, as the run does before the segment's duration.
func (m *Model) Apply(sets []NamedText) error {
	b := &builder{spec: m.Spec, m: m, groups: map[string]*Group{}}
	for _, g := range m.Groups {
		b.groups[g.Spec.Name] = g
	}
	for _, s := range sets {
		g, v, err := b.target(s)
		if err != nil {
			return err
		}
		if err := g.Set(v, s.S); err != nil {
			return b.textErr(s.Text, fmt.Sprintf("set %s", s.Name), err)
		}
	}
	return nil
}
